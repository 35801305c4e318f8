// The record format of a buffer segment: one batch per record, appended and never rewritten in
// place.
//
//   frame = [body length u32 BE][CRC-32 of body u32 BE][body]
//   body  = [format u8 = 1][seq u64 BE][createdAt ms u64 BE][samples u32 BE][id length u8][batch id, ASCII][gzip JSON]
//
// The CRC covers the whole body, so a frame either checks out completely or is damage. Before the
// CRC, a frame must look like one (format byte, a valid batch id, the gzip magic): these checks
// are what make a byte-by-byte search for the next good frame after damage cheap.
import { crc32 } from 'node:zlib';
import { ingestLimits } from '@esmon/schema';

const FORMAT = 1;
const FRAME_HEADER = 8;
/** format + seq + createdAt + samples + id length */
const BODY_FIXED = 1 + 8 + 8 + 4 + 1;
/** Far above any batch the server accepts (32 MB decompressed); a larger length is damage. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
const BATCH_ID = /^[A-Za-z0-9_.:-]{8,128}$/;

/** What the buffer knows of a batch without decompressing it. */
export interface RecordMeta {
  /** Position in the buffer: strictly increasing; the ack cursor is one of these. A seq whose record
   *  a repair cut (gone, counted, never acknowledged) may be given to the next batch. */
  seq: number;
  batchId: string;
  createdAt: number;
  samples: number;
}

export interface Frame extends RecordMeta {
  offset: number;
  /** The whole frame, header included. */
  size: number;
  gzip: Buffer;
}

/** A good record's place in its segment. */
export interface FrameIndex {
  seq: number;
  offset: number;
  size: number;
  samples: number;
}

/** Bytes of a segment that are not a good frame, and what they held when the header says so. */
export interface Damage {
  start: number;
  end: number;
  seq?: number;
  samples?: number;
}

export function encodeFrame(meta: RecordMeta, gzip: Uint8Array): Buffer {
  if (!BATCH_ID.test(meta.batchId)) throw new Error(`batch id ${meta.batchId} cannot be buffered`);
  const id = Buffer.from(meta.batchId, 'latin1');
  const body = Buffer.alloc(BODY_FIXED + id.length + gzip.length);
  body.writeUInt8(FORMAT, 0);
  body.writeBigUInt64BE(BigInt(meta.seq), 1);
  body.writeBigUInt64BE(BigInt(meta.createdAt), 9);
  body.writeUInt32BE(meta.samples, 17);
  body.writeUInt8(id.length, 21);
  id.copy(body, BODY_FIXED);
  body.set(gzip, BODY_FIXED + id.length);
  const header = Buffer.alloc(FRAME_HEADER);
  header.writeUInt32BE(body.length, 0);
  header.writeUInt32BE(crc32(body), 4);
  return Buffer.concat([header, body]);
}

/** The good frame starting at `offset`, or undefined (torn, corrupt, or not a frame start). */
export function readFrame(bytes: Buffer, offset: number): Frame | undefined {
  if (offset + FRAME_HEADER + BODY_FIXED > bytes.length) return undefined;
  const length = bytes.readUInt32BE(offset);
  const b = offset + FRAME_HEADER;
  if (length > MAX_BODY_BYTES || b + length > bytes.length || bytes[b] !== FORMAT) return undefined;
  const idLength = bytes[b + 21]!;
  const gz = b + BODY_FIXED + idLength;
  if (idLength < 8 || gz + 2 > b + length || bytes[gz] !== 0x1f || bytes[gz + 1] !== 0x8b) return undefined;
  const batchId = bytes.toString('latin1', b + BODY_FIXED, gz);
  if (!BATCH_ID.test(batchId)) return undefined;
  if (crc32(bytes.subarray(b, b + length)) !== bytes.readUInt32BE(offset + 4)) return undefined;
  return {
    seq: Number(bytes.readBigUInt64BE(b + 1)),
    createdAt: Number(bytes.readBigUInt64BE(b + 9)),
    samples: bytes.readUInt32BE(b + 17),
    batchId,
    offset,
    size: FRAME_HEADER + length,
    gzip: bytes.subarray(gz, b + length),
  };
}

/** The seq and sample count a damaged frame's header claims, when they are believable. */
function claimedMeta(bytes: Buffer, offset: number): { seq?: number; samples?: number } {
  const b = offset + FRAME_HEADER;
  if (b + BODY_FIXED > bytes.length || bytes[b] !== FORMAT) return {};
  const samples = bytes.readUInt32BE(b + 17);
  return { seq: Number(bytes.readBigUInt64BE(b + 1)), ...(samples <= ingestLimits.samplesPerBatch ? { samples } : {}) };
}

/** The offset of the next good frame at or after `from`, if any. */
export function findNextFrame(bytes: Buffer, from: number): number | undefined {
  for (let o = from; o + FRAME_HEADER + BODY_FIXED <= bytes.length; o++) {
    if (bytes[o + FRAME_HEADER] === FORMAT && readFrame(bytes, o)) return o;
  }
  return undefined;
}

/**
 * Reads a whole segment: its good frames in order, and the damaged spans between them. After a
 * damaged span the scan resumes at the next good frame; a span without one runs to the end.
 */
export function scanSegment(bytes: Buffer): { frames: FrameIndex[]; damage: Damage[] } {
  const frames: FrameIndex[] = [];
  const damage: Damage[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const frame = readFrame(bytes, offset);
    const last = frames.at(-1);
    if (frame && (!last || frame.seq > last.seq)) {
      frames.push({ seq: frame.seq, offset, size: frame.size, samples: frame.samples });
      offset += frame.size;
      continue;
    }
    const next = findNextFrame(bytes, offset + 1);
    damage.push({ start: offset, end: next ?? bytes.length, ...claimedMeta(bytes, offset) });
    offset = next ?? bytes.length;
  }
  return { frames, damage };
}
