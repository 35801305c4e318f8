// The chunk codec gives back every timestamp and value bit for bit, stays small on regular
// gauges, and refuses damaged bytes instead of decoding them into wrong samples.
import { describe, expect, it } from 'vitest';
import { CODEC_VERSION, CorruptChunkError, decodeChunk, encodeChunk } from './codec.ts';
import { prng } from '@esmon/schema/testing';

const T0 = Date.UTC(2026, 10, 23, 7);

/** the 64 bits of a double, so -0 vs 0 and NaN are compared exactly */
const bits = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b.toString('hex');
};

function expectRoundTrip(ts: number[], values: number[]) {
  const data = encodeChunk(ts, values);
  const back = decodeChunk(data);
  expect(back.ts.map(bits)).toEqual(ts.map(bits));
  expect(back.values.map(bits)).toEqual(values.map(bits));
  return data;
}

describe('chunk codec round trip', () => {
  const r = prng(7);
  const cases: { name: string; ts: number[]; values: number[] }[] = [
    { name: 'empty', ts: [], values: [] },
    { name: 'one point', ts: [T0], values: [42.5] },
    { name: 'two points', ts: [T0, T0 + 10_000], values: [1, 2] },
    {
      name: 'regular 10 s gauge',
      ts: Array.from({ length: 360 }, (_, i) => T0 + i * 10_000),
      values: Array.from({ length: 360 }, (_, i) => 40 + Math.sin(i / 20) * 10 + r()),
    },
    {
      name: 'jittered timestamps',
      ts: Array.from({ length: 360 }, (_, i) => T0 + i * 10_000 + Math.floor(r() * 900) - 450),
      values: Array.from({ length: 360 }, () => r() * 1e6),
    },
    {
      name: 'every delta-of-delta size class',
      ts: [T0, T0 + 1, T0 + 2, T0 + 70, T0 + 400, T0 + 3000, T0 + 3_000_000, T0 + 2 ** 40, T0 + 2 ** 40 + 1],
      values: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    },
    {
      name: 'special values',
      ts: Array.from({ length: 12 }, (_, i) => T0 + i * 1000),
      values: [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 1e-310, 2 ** 53, -(2 ** 53), 0.1 + 0.2],
    },
    {
      name: 'constant counter and repeated values',
      ts: Array.from({ length: 100 }, (_, i) => T0 + i * 10_000),
      values: Array.from({ length: 100 }, (_, i) => (i < 50 ? 7 : 7 + Math.floor(i / 10))),
    },
    {
      name: 'integer counter growing fast',
      ts: Array.from({ length: 200 }, (_, i) => T0 + i * 15_000),
      values: Array.from({ length: 200 }, (_, i) => 1e12 + i * 123_456_789),
    },
    {
      name: 'negative, pre-1970 and fractional timestamps (stored raw)',
      ts: [-86_400_000.5, -1000, 0, 0.25, 1],
      values: [1, 2, 3, 4, 5],
    },
    { name: 'timestamps beyond 2^49 ms (stored raw)', ts: [2 ** 52, 2 ** 52 + 2], values: [1, 2] },
    {
      name: 'random bit patterns as values',
      ts: Array.from({ length: 500 }, (_, i) => T0 + i),
      values: Array.from({ length: 500 }, () => {
        const b = Buffer.alloc(8);
        b.writeUInt32BE(Math.floor(r() * 2 ** 32), 0);
        b.writeUInt32BE(Math.floor(r() * 2 ** 32), 4);
        return b.readDoubleBE(0);
      }),
    },
  ];
  it.each(cases)('$name', ({ ts, values }) => {
    expectRoundTrip(ts, values);
  });

  it('round-trips 200 random series with mixed shapes', () => {
    const rand = prng(99);
    for (let s = 0; s < 200; s++) {
      const n = 1 + Math.floor(rand() * 400);
      const step = [1000, 10_000, 60_000][s % 3]!;
      let t = T0 + Math.floor(rand() * 1e9);
      const ts: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        t += step + (rand() < 0.1 ? Math.floor(rand() * 5000) : 0);
        ts.push(t);
        values.push(s % 4 === 0 ? Math.round(rand() * 100) : s % 4 === 1 ? rand() * 1e-3 : s % 4 === 2 ? -rand() * 1e9 : i);
      }
      expectRoundTrip(ts, values);
    }
  });
});

describe('chunk codec size', () => {
  it('keeps pure noise on a regular 10 s grid under 9 bytes per sample', () => {
    const r = prng(3);
    const ts = Array.from({ length: 360 }, (_, i) => T0 + i * 10_000);
    const values = Array.from({ length: 360 }, () => Math.round(r() * 10_000) / 100);
    const data = expectRoundTrip(ts, values);
    // timestamps cost one bit each; random mantissas cost at most 2 + 5 + 6 + 52 bits
    expect(data.length / 360).toBeLessThan(9);
  });

  it('keeps a slowly moving byte gauge under 4 bytes per sample', () => {
    const r = prng(4);
    const ts = Array.from({ length: 360 }, (_, i) => T0 + i * 10_000);
    let used = 8 * 2 ** 30;
    const values = ts.map(() => (used += Math.floor(r() * 65_536) * 4096));
    const data = expectRoundTrip(ts, values);
    expect(data.length / 360).toBeLessThan(4);
  });

  it('stores a constant series in about two bits per sample', () => {
    const ts = Array.from({ length: 360 }, (_, i) => T0 + i * 10_000);
    const data = expectRoundTrip(ts, new Array(360).fill(12.5));
    // header 4 bytes, first timestamp 53 bits, first delta ≤ 37 bits, first value 64 bits,
    // then one bit for each repeated delta and one for each repeated value
    expect(data.length).toBeLessThanOrEqual(4 + Math.ceil((53 + 37 + 64 + 359 * 2) / 8));
  });

  it('never grows beyond raw timestamps and values', () => {
    const r = prng(5);
    const ts = Array.from({ length: 360 }, () => T0 + Math.floor(r() * 3_600_000)).sort((a, b) => a - b);
    const values = Array.from({ length: 360 }, () => r());
    const data = expectRoundTrip(ts, values);
    expect(data.length).toBeLessThan(360 * 16);
  });
});

describe('chunk codec errors', () => {
  const ts = Array.from({ length: 50 }, (_, i) => T0 + i * 10_000);
  const values = ts.map((_, i) => i * 1.25);
  const good = encodeChunk(ts, values);

  it('refuses mismatched lengths', () => {
    expect(() => encodeChunk([1, 2], [1])).toThrow(RangeError);
  });

  it('refuses an unknown version', () => {
    const bad = Uint8Array.from(good);
    bad[0] = CODEC_VERSION + 1;
    expect(() => decodeChunk(bad)).toThrow(/unknown version/);
  });

  it('refuses unknown flags', () => {
    const bad = Uint8Array.from(good);
    bad[1] = 0x80;
    expect(() => decodeChunk(bad)).toThrow(CorruptChunkError);
  });

  it('refuses every truncation', () => {
    for (let len = 0; len < good.length; len++) {
      expect(() => decodeChunk(good.subarray(0, len)), `truncated to ${len}`).toThrow(CorruptChunkError);
    }
  });

  it('refuses trailing bytes', () => {
    const longer = new Uint8Array(good.length + 2);
    longer.set(good);
    expect(() => decodeChunk(longer)).toThrow(/trailing bytes/);
  });

  it('refuses a count the bytes cannot hold', () => {
    const bad = Uint8Array.from([CODEC_VERSION, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0]);
    expect(() => decodeChunk(bad)).toThrow(/does not fit/);
  });
});
