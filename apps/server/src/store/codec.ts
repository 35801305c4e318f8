// The chunk codec: one series' points for one closed hour, as bytes for `sample_chunks.data`.
// Timestamps (integer milliseconds) are delta-of-delta encoded, values are Gorilla XOR encoded
// (Facebook's "Gorilla" paper, VLDB 2015): a regular 10-second gauge costs about one bit per
// timestamp and, depending on how noisy it is, 1–64 bits per value. Decoding gives back every
// timestamp and every value bit for bit (-0, NaN, ±Infinity, subnormals included).
//
// Layout: version byte (1) · flags byte (bit 0: timestamps stored as raw float64) · varint count ·
// a bit stream: first timestamp (zigzag, 53 bits) and the delta-of-delta codes, then the first
// value (64 bits) and the XOR codes. Anything else is a CorruptChunkError, never a wrong answer.

export const CODEC_VERSION = 1;
const FLAG_RAW_TS = 1;
/** integer timestamps beyond ±2^49 ms (≈ year 19 800) are stored raw, so zigzagged deltas stay below 2^53 */
const MAX_INT_TS = 2 ** 49;

export class CorruptChunkError extends Error {
  constructor(message: string) {
    super(`corrupt sample chunk: ${message}`);
    this.name = 'CorruptChunkError';
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;
const TWO_32 = 2 ** 32;

const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (z: number) => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

class BitWriter {
  private buf: Uint8Array;
  private byte = 0;
  private used = 0;
  private len: number;

  constructor(capacity: number, head: number[]) {
    this.buf = new Uint8Array(Math.max(capacity, head.length + 16));
    this.buf.set(head);
    this.len = head.length;
  }

  /** writes the low `n` bits of `v` (0 ≤ n ≤ 32), most significant first */
  bits(v: number, n: number) {
    while (n > 0) {
      const take = Math.min(n, 8 - this.used);
      const shift = n - take;
      const part = shift >= 32 ? 0 : (v >>> shift) & ((1 << take) - 1);
      this.byte |= part << (8 - this.used - take);
      this.used += take;
      n -= take;
      if (this.used === 8) this.flushByte();
    }
  }

  /** writes a non-negative integer below 2^53 in `n` bits (32 < n ≤ 53) */
  wide(v: number, n: number) {
    this.bits(Math.floor(v / TWO_32), n - 32);
    this.bits(v % TWO_32, 32);
  }

  private flushByte() {
    if (this.len === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.len++] = this.byte;
    this.byte = 0;
    this.used = 0;
  }

  finish(): Uint8Array {
    if (this.used > 0) this.flushByte();
    return this.buf.slice(0, this.len);
  }
}

class BitReader {
  private pos: number;
  private bit = 0;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  bits(n: number): number {
    let out = 0;
    while (n > 0) {
      if (this.pos >= this.buf.length) throw new CorruptChunkError('data ends early');
      const take = Math.min(n, 8 - this.bit);
      const part = (this.buf[this.pos]! >>> (8 - this.bit - take)) & ((1 << take) - 1);
      out = out * (1 << take) + part;
      this.bit += take;
      n -= take;
      if (this.bit === 8) {
        this.pos++;
        this.bit = 0;
      }
    }
    return out;
  }

  wide(n: number): number {
    return this.bits(n - 32) * TWO_32 + this.bits(32);
  }

  /** true when only padding of the last byte is left */
  atEnd() {
    return this.pos === this.buf.length || (this.pos === this.buf.length - 1 && this.bit > 0);
  }
}

function writeVarint(out: number[], n: number) {
  while (n >= 128) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function readVarint(buf: Uint8Array, at: { pos: number }): number {
  let n = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (at.pos >= buf.length) throw new CorruptChunkError('header ends early');
    const b = buf[at.pos++]!;
    n += (b & 127) * scale;
    if (b < 128) return n;
    scale *= 128;
  }
  throw new CorruptChunkError('count too long');
}

// delta-of-delta classes: prefix bits, prefix length, payload bits for zigzag(dod) < 2^payload
const DOD_CLASSES = [
  { prefix: 0b10, prefixBits: 2, payload: 7 },
  { prefix: 0b110, prefixBits: 3, payload: 9 },
  { prefix: 0b1110, prefixBits: 4, payload: 12 },
  { prefix: 0b11110, prefixBits: 5, payload: 32 },
] as const;

function writeTimestamps(w: BitWriter, ts: ArrayLike<number>) {
  w.wide(zigzag(ts[0]!), 53);
  let prev = ts[0]!;
  let prevDelta = 0;
  for (let i = 1; i < ts.length; i++) {
    const delta = ts[i]! - prev;
    const z = zigzag(delta - prevDelta);
    if (z === 0) w.bits(0, 1);
    else {
      const c = DOD_CLASSES.find((k) => z < 2 ** k.payload);
      if (c) {
        w.bits(c.prefix, c.prefixBits);
        w.bits(c.payload === 32 ? z >>> 0 : z, c.payload);
      } else {
        w.bits(0b11111, 5);
        w.wide(z, 53);
      }
    }
    prev = ts[i]!;
    prevDelta = delta;
  }
}

function readTimestamps(r: BitReader, count: number): number[] {
  const ts = new Array<number>(count);
  let prev = unzigzag(r.wide(53));
  ts[0] = prev;
  let delta = 0;
  for (let i = 1; i < count; i++) {
    let ones = 0;
    while (ones < 5 && r.bits(1) === 1) ones++;
    if (ones > 0) {
      const z = ones === 5 ? r.wide(53) : r.bits(DOD_CLASSES[ones - 1]!.payload);
      delta += unzigzag(z);
    }
    prev += delta;
    ts[i] = prev;
  }
  return ts;
}

/** leading zero bits of a 64-bit word given as two 32-bit halves */
const leading = (hi: number, lo: number) => (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo));
function trailing(hi: number, lo: number) {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (hi !== 0) return 32 + 31 - Math.clz32(hi & -hi);
  return 64;
}

/** writes bits [trail, 64 - lead) of the word hi:lo */
function writeMeaningful(w: BitWriter, hi: number, lo: number, lead: number, trail: number) {
  const n = 64 - lead - trail;
  // shift the 64-bit word right by `trail`
  let sh = hi;
  let sl = lo;
  if (trail >= 32) {
    sl = hi >>> (trail - 32);
    sh = 0;
  } else if (trail > 0) {
    sl = ((lo >>> trail) | (hi << (32 - trail))) >>> 0;
    sh = hi >>> trail;
  }
  if (n > 32) {
    w.bits(sh, n - 32);
    w.bits(sl, 32);
  } else w.bits(sl, n);
}

function readMeaningful(r: BitReader, n: number, trail: number): [number, number] {
  let sh = 0;
  let sl: number;
  if (n > 32) {
    sh = r.bits(n - 32);
    sl = r.bits(32);
  } else sl = r.bits(n);
  // shift left by `trail`
  if (trail >= 32) return [(sl << (trail - 32)) >>> 0, 0];
  if (trail === 0) return [sh >>> 0, sl >>> 0];
  return [((sh << trail) | (sl >>> (32 - trail))) >>> 0, (sl << trail) >>> 0];
}

function writeValues(w: BitWriter, values: ArrayLike<number>) {
  f64[0] = values[0]!;
  let ph = u32[HI]!;
  let pl = u32[LO]!;
  w.bits(ph, 32);
  w.bits(pl, 32);
  let pLead = -1;
  let pTrail = 0;
  for (let i = 1; i < values.length; i++) {
    f64[0] = values[i]!;
    const h = u32[HI]!;
    const l = u32[LO]!;
    const xh = (h ^ ph) >>> 0;
    const xl = (l ^ pl) >>> 0;
    ph = h;
    pl = l;
    if (xh === 0 && xl === 0) {
      w.bits(0, 1);
      continue;
    }
    const lead = Math.min(leading(xh, xl), 31);
    const trail = trailing(xh, xl);
    if (pLead >= 0 && lead >= pLead && trail >= pTrail) {
      w.bits(0b10, 2);
      writeMeaningful(w, xh, xl, pLead, pTrail);
    } else {
      const n = 64 - lead - trail;
      w.bits(0b11, 2);
      w.bits(lead, 5);
      w.bits(n === 64 ? 0 : n, 6);
      writeMeaningful(w, xh, xl, lead, trail);
      pLead = lead;
      pTrail = trail;
    }
  }
}

function readValues(r: BitReader, count: number): number[] {
  const values = new Array<number>(count);
  let ph = r.bits(32);
  let pl = r.bits(32);
  u32[HI] = ph;
  u32[LO] = pl;
  values[0] = f64[0]!;
  let lead = -1;
  let trail = 0;
  for (let i = 1; i < count; i++) {
    if (r.bits(1) === 1) {
      if (r.bits(1) === 1) {
        lead = r.bits(5);
        const n = r.bits(6) || 64;
        trail = 64 - lead - n;
        if (trail < 0) throw new CorruptChunkError('bad value window');
      } else if (lead < 0) throw new CorruptChunkError('value window used before it was set');
      const [xh, xl] = readMeaningful(r, 64 - lead - trail, trail);
      ph = (ph ^ xh) >>> 0;
      pl = (pl ^ xl) >>> 0;
    }
    u32[HI] = ph;
    u32[LO] = pl;
    values[i] = f64[0]!;
  }
  return values;
}

/** Encodes points sorted by time; `ts` in milliseconds since the epoch. */
export function encodeChunk(ts: ArrayLike<number>, values: ArrayLike<number>): Uint8Array {
  if (ts.length !== values.length) throw new RangeError(`encodeChunk: ${ts.length} timestamps but ${values.length} values`);
  let rawTs = false;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (!Number.isInteger(t) || Math.abs(t) > MAX_INT_TS) rawTs = true;
  }
  const head = [CODEC_VERSION, rawTs ? FLAG_RAW_TS : 0];
  writeVarint(head, ts.length);
  const w = new BitWriter(16 + ts.length * 4, head);
  if (ts.length === 0) return w.finish();
  if (rawTs) {
    for (let i = 0; i < ts.length; i++) {
      f64[0] = ts[i]!;
      w.bits(u32[HI]!, 32);
      w.bits(u32[LO]!, 32);
    }
  } else writeTimestamps(w, ts);
  writeValues(w, values);
  return w.finish();
}

/** Decodes a chunk written by encodeChunk; throws CorruptChunkError on anything malformed. */
export function decodeChunk(data: Uint8Array): { ts: number[]; values: number[] } {
  if (data.length < 3) throw new CorruptChunkError(`${data.length} bytes is too short`);
  if (data[0] !== CODEC_VERSION) throw new CorruptChunkError(`unknown version ${data[0]}`);
  const flags = data[1]!;
  if ((flags & ~FLAG_RAW_TS) !== 0) throw new CorruptChunkError(`unknown flags ${flags}`);
  const at = { pos: 2 };
  const count = readVarint(data, at);
  if (count === 0) return { ts: [], values: [] };
  // a point costs at least 2 bits, so a claimed count beyond that is corrupt (and no huge allocation)
  if (count > (data.length - at.pos) * 4 + 1) throw new CorruptChunkError(`count ${count} does not fit ${data.length} bytes`);
  const r = new BitReader(data, at.pos);
  let ts: number[];
  if (flags & FLAG_RAW_TS) {
    ts = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      u32[HI] = r.bits(32);
      u32[LO] = r.bits(32);
      ts[i] = f64[0]!;
    }
  } else ts = readTimestamps(r, count);
  const values = readValues(r, count);
  if (!r.atEnd()) throw new CorruptChunkError('trailing bytes');
  return { ts, values };
}
