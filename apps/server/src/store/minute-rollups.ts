// 1-minute rollups are stored as one row per series and hour (`samples_1m.data`), not one row per
// minute: a per-minute row costs ≈ 120 bytes on disk (more than the samples it summarises) and a
// week of 20 series is 200 000 rows to aggregate, where an hour block is 168 rows and decodes
// straight into typed reads.
//
// Layout (little-endian): version byte (1) · minute count n (1–60) · n minute offsets (0–59,
// ascending) · n sample counts (u16: integer-millisecond timestamps allow at most 60 000 a minute)
// · n float64 each of min, max, sum, first, last. Values come back bit for bit.
import { appendPartial, type Partial } from './downsample.ts';

export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const VERSION = 1;

export class CorruptRollupError extends Error {
  constructor(message: string) {
    super(`corrupt minute rollup block: ${message}`);
    this.name = 'CorruptRollupError';
  }
}

/** Encodes the minute partials of one hour (buckets on the minute grid inside [hour, hour + 1 h)). */
export function encodeMinutes(hour: number, minutes: readonly Partial[]): Uint8Array {
  const n = minutes.length;
  if (n === 0 || n > 60) throw new RangeError(`an hour holds 1 to 60 minutes, got ${n}`);
  const bytes = new Uint8Array(2 + 3 * n + 40 * n);
  const view = new DataView(bytes.buffer);
  bytes[0] = VERSION;
  bytes[1] = n;
  let prev = -1;
  minutes.forEach((p, i) => {
    const offset = (p.bucket - hour) / MINUTE_MS;
    if (!Number.isInteger(offset) || offset <= prev || offset > 59) {
      throw new RangeError(`minute bucket ${new Date(p.bucket).toISOString()} is not a new minute of the hour ${new Date(hour).toISOString()}`);
    }
    if (!Number.isInteger(p.count) || p.count < 1 || p.count > 65_535) throw new RangeError(`minute count ${p.count} out of range`);
    prev = offset;
    bytes[2 + i] = offset;
    view.setUint16(2 + n + 2 * i, p.count, true);
    const at = 2 + 3 * n + 8 * i;
    view.setFloat64(at, p.min, true);
    view.setFloat64(at + 8 * n, p.max, true);
    view.setFloat64(at + 16 * n, p.sum, true);
    view.setFloat64(at + 24 * n, p.first, true);
    view.setFloat64(at + 32 * n, p.last, true);
  });
  return bytes;
}

/**
 * Decodes one hour block into minute partials, keeping buckets in [from, to). A rollup does not
 * know where in its minute a value was seen: every timestamp is the minute's start.
 */
export function decodeMinutes(hour: number, data: Uint8Array, from = -Infinity, to = Infinity, into: Partial[] = []): Partial[] {
  return foldMinutes(hour, data, from, to, MINUTE_MS, into);
}

/**
 * Like decodeMinutes, but folds the minutes straight into `width`-wide buckets (a multiple of a
 * minute, on the epoch grid) at the end of `into` — no object per minute on the query path.
 */
export function foldMinutes(hour: number, data: Uint8Array, from: number, to: number, width: number, into: Partial[]): Partial[] {
  if (data.length < 2 || data[0] !== VERSION) throw new CorruptRollupError(data.length < 2 ? 'too short' : `unknown version ${data[0]}`);
  const n = data[1]!;
  if (n < 1 || n > 60 || data.length !== 2 + 43 * n) throw new CorruptRollupError(`${data.length} bytes for ${n} minutes`);
  const columns: { [c in MinuteColumn]?: Uint8Array } = {};
  MINUTE_COLUMNS.forEach((c, k) => (columns[c] = data.subarray(2 + 3 * n + 8 * n * k, 2 + 3 * n + 8 * n * (k + 1))));
  return foldMinuteColumns(hour, data.subarray(0, 2 + 3 * n), columns, from, to, width, into);
}

const NO_COLUMN = new Uint8Array(0);

/**
 * Folds a block given as its header and some float columns (see minuteColumnsSql); figures whose
 * column is missing are NaN.
 */
export function foldMinuteColumns(
  hour: number,
  head: Uint8Array,
  columns: { [c in MinuteColumn]?: Uint8Array },
  from: number,
  to: number,
  width: number,
  into: Partial[],
): Partial[] {
  if (head.length < 2 || head[0] !== VERSION) throw new CorruptRollupError(head.length < 2 ? 'too short' : `unknown version ${head[0]}`);
  const n = head[1]!;
  if (n < 1 || n > 60 || head.length !== 2 + 3 * n) throw new CorruptRollupError(`header of ${head.length} bytes for ${n} minutes`);
  if (hour % HOUR_MS !== 0) throw new RangeError('hour must be aligned to the hour');
  if (width % MINUTE_MS !== 0) throw new RangeError('width must be a whole number of minutes');
  const views = MINUTE_COLUMNS.map((c) => {
    const col = columns[c] ?? NO_COLUMN;
    if (col !== NO_COLUMN && col.length !== 8 * n) throw new CorruptRollupError(`column ${c} of ${col.length} bytes for ${n} minutes`);
    return col === NO_COLUMN ? undefined : new DataView(col.buffer, col.byteOffset, col.byteLength);
  });
  const [vMin, vMax, vSum, vFirst, vLast] = views;
  const counts = new DataView(head.buffer, head.byteOffset + 2 + n, 2 * n);
  const p: Partial = { bucket: 0, count: 0, min: 0, minTs: 0, max: 0, maxTs: 0, sum: 0, first: 0, firstTs: 0, last: 0, lastTs: 0 };
  for (let i = 0; i < n; i++) {
    const offset = head[2 + i]!;
    if (offset > 59 || (i > 0 && offset <= head[1 + i]!)) throw new CorruptRollupError(`minute offsets out of order at ${i}`);
    const bucket = hour + offset * MINUTE_MS;
    if (bucket < from || bucket >= to) continue;
    p.bucket = p.minTs = p.maxTs = p.firstTs = p.lastTs = bucket;
    p.count = counts.getUint16(2 * i, true);
    p.min = vMin ? vMin.getFloat64(8 * i, true) : NaN;
    p.max = vMax ? vMax.getFloat64(8 * i, true) : NaN;
    p.sum = vSum ? vSum.getFloat64(8 * i, true) : NaN;
    p.first = vFirst ? vFirst.getFloat64(8 * i, true) : NaN;
    p.last = vLast ? vLast.getFloat64(8 * i, true) : NaN;
    appendPartial(into, p, Math.floor(bucket / width) * width);
  }
  return into;
}

/** The float columns of a block, in their order in the layout. */
export const MINUTE_COLUMNS = ['min', 'max', 'sum', 'first', 'last'] as const;
export type MinuteColumn = (typeof MINUTE_COLUMNS)[number];

/**
 * SQL giving a block's header (version, n, offsets, counts) and the chosen float columns only,
 * so a query moves a fraction of the bytes: `head`, then `c_<column>` for each column.
 */
export function minuteColumnsSql(columns: readonly MinuteColumn[], data = 'data'): string {
  const n = `get_byte(${data}, 1)`;
  return [
    `substring(${data} from 1 for 2 + 3 * ${n}) AS head`,
    ...columns.map((c) => `substring(${data} from 3 + (3 + 8 * ${MINUTE_COLUMNS.indexOf(c)}) * ${n} for 8 * ${n}) AS c_${c}`),
  ].join(', ');
}
