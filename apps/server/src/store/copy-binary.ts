// PostgreSQL's binary COPY format for (series_id int4, ts timestamptz, value float8) rows: the
// cheapest way to hand samples to the server (no text formatting or parsing on either side).
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** PostgreSQL timestamps count microseconds from 2000-01-01T00:00:00Z */
const PG_EPOCH_MS = 946_684_800_000;
const ROW_BYTES = 2 + (4 + 4) + (4 + 8) + (4 + 8);
const TWO_32 = 2 ** 32;

export interface SampleRows {
  seriesIds: ArrayLike<number>;
  /** milliseconds since the epoch */
  ts: ArrayLike<number>;
  values: ArrayLike<number>;
  length: number;
}

export function encodeSampleRows(rows: SampleRows): Buffer {
  const buf = Buffer.allocUnsafe(19 + rows.length * ROW_BYTES + 2);
  SIGNATURE.copy(buf, 0);
  buf.writeInt32BE(0, 11); // flags
  buf.writeInt32BE(0, 15); // header extension length
  let o = 19;
  for (let i = 0; i < rows.length; i++) {
    buf.writeInt16BE(3, o);
    buf.writeInt32BE(4, o + 2);
    buf.writeInt32BE(rows.seriesIds[i]!, o + 6);
    buf.writeInt32BE(8, o + 10);
    const us = (rows.ts[i]! - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(us / TWO_32);
    buf.writeInt32BE(hi, o + 14);
    buf.writeUInt32BE(us - hi * TWO_32, o + 18);
    buf.writeInt32BE(8, o + 22);
    buf.writeDoubleBE(rows.values[i]!, o + 26);
    o += ROW_BYTES;
  }
  buf.writeInt16BE(-1, o);
  return buf;
}
