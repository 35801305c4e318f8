// Hour blocks of minute rollups give back every minute's figures bit for bit, filter by range,
// and refuse malformed input both ways.
import { describe, expect, it } from 'vitest';
import { partialsFromPoints } from './downsample.ts';
import { CorruptRollupError, decodeMinutes, encodeMinutes, MINUTE_MS } from './minute-rollups.ts';

const HOUR = Date.UTC(2026, 10, 23, 7);

function hourOfPoints(step: number, skip: (i: number) => boolean = () => false) {
  const ts: number[] = [];
  const values: number[] = [];
  for (let t = HOUR, i = 0; t < HOUR + 3_600_000; t += step, i++) {
    if (skip(i)) continue;
    ts.push(t);
    values.push(i % 17 === 0 ? -0 : Math.sin(i) * 1e3 + i / 7);
  }
  return partialsFromPoints(ts, values, MINUTE_MS);
}

const bits = (v: number) => Buffer.from(new Float64Array([v]).buffer).toString('hex');
const asBits = (ps: ReturnType<typeof hourOfPoints>) =>
  ps.map((p) => ({ bucket: p.bucket, count: p.count, min: bits(p.min), max: bits(p.max), sum: bits(p.sum), first: bits(p.first), last: bits(p.last) }));

describe('minute rollup blocks', () => {
  it.each([
    ['a full hour at 10 s', hourOfPoints(10_000)],
    ['a full hour at 1 s', hourOfPoints(1000)],
    ['an hour with gaps', hourOfPoints(10_000, (i) => i % 60 < 25)],
    ['a single minute', hourOfPoints(10_000, (i) => i !== 200)],
  ])('round-trips %s bit for bit, timestamps at the minute', (_name, minutes) => {
    const data = encodeMinutes(HOUR, minutes);
    expect(data.length).toBe(2 + 43 * minutes.length);
    const back = decodeMinutes(HOUR, data);
    expect(asBits(back)).toEqual(asBits(minutes));
    for (const p of back) expect([p.minTs, p.maxTs, p.firstTs, p.lastTs]).toEqual([p.bucket, p.bucket, p.bucket, p.bucket]);
  });

  it('keeps only the minutes inside [from, to)', () => {
    const data = encodeMinutes(HOUR, hourOfPoints(10_000));
    const some = decodeMinutes(HOUR, data, HOUR + 10 * MINUTE_MS, HOUR + 13 * MINUTE_MS);
    expect(some.map((p) => (p.bucket - HOUR) / MINUTE_MS)).toEqual([10, 11, 12]);
  });

  it('refuses minutes that do not belong to the hour, or out of order', () => {
    const minutes = hourOfPoints(10_000);
    expect(() => encodeMinutes(HOUR + MINUTE_MS, minutes)).toThrow(RangeError);
    expect(() => encodeMinutes(HOUR, [minutes[2]!, minutes[1]!])).toThrow(/not a new minute/);
    expect(() => encodeMinutes(HOUR, [])).toThrow(RangeError);
  });

  it('refuses damaged blocks', () => {
    const data = encodeMinutes(HOUR, hourOfPoints(10_000).slice(0, 5));
    expect(() => decodeMinutes(HOUR, data.subarray(0, data.length - 1))).toThrow(CorruptRollupError);
    const version = Uint8Array.from(data);
    version[0] = 9;
    expect(() => decodeMinutes(HOUR, version)).toThrow(/unknown version/);
    const order = Uint8Array.from(data);
    order[3] = order[2]!;
    expect(() => decodeMinutes(HOUR, order)).toThrow(/out of order/);
  });
});

describe('folding minute blocks into wider buckets', () => {
  it('gives what rebucketing the decoded minutes gives', async () => {
    const { rebucket } = await import('./downsample.ts');
    const { foldMinutes } = await import('./minute-rollups.ts');
    const blocks = [0, 1, 2].map((h) => ({ hour: HOUR + h * 3_600_000, minutes: hourOfPoints(10_000, (i) => (i + h) % 7 === 0).map((p) => ({ ...p, bucket: p.bucket + h * 3_600_000 })) }));
    for (const width of [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, 60 * MINUTE_MS, 120 * MINUTE_MS]) {
      const from = HOUR + 7 * MINUTE_MS;
      const to = HOUR + 2 * 3_600_000 + 31 * MINUTE_MS;
      const folded: ReturnType<typeof hourOfPoints> = [];
      const decoded: ReturnType<typeof hourOfPoints> = [];
      for (const b of blocks) {
        const data = encodeMinutes(b.hour, b.minutes);
        foldMinutes(b.hour, data, from, to, width, folded);
        decodeMinutes(b.hour, data, from, to, decoded);
      }
      expect(folded, `width ${width}`).toEqual(rebucket(decoded, width));
    }
  });
});
