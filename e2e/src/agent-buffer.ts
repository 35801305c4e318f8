// An agent's data directory as the end-to-end tests see it from outside: the records of its buffer
// segments, the acknowledged cursor, and damage done on purpose. The frame layout (see
// agent/src/buffer/frame.ts) is parsed here on its own, so a mistake in the agent's reader cannot
// hide itself in the test that checks it.
//   frame = [body length u32 BE][CRC-32 of body u32 BE][body]
//   body  = [format u8][seq u64 BE][createdAt u64 BE][samples u32 BE][id length u8][batch id][gzip JSON]
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/** One intact batch record in a segment file. */
export interface BufferRecord {
  segment: string;
  seq: number;
  /** The collection tick the batch was taken at (every sample of a mock batch has this ts). */
  createdAt: number;
  samples: number;
  batchId: string;
  offset: number;
  /** The whole frame, header included. */
  size: number;
  /** Where the gzip JSON starts and ends in the file. */
  gzipStart: number;
}

export interface BufferState {
  acked: number;
  counters: Record<string, number>;
}

const HEADER = 8;
const BODY_FIXED = 22;

/** The intact records of one segment file, oldest first; reading stops at the first bad or unfinished frame. */
function parseSegment(segment: string, bytes: Buffer): BufferRecord[] {
  const records: BufferRecord[] = [];
  let offset = 0;
  while (offset + HEADER + BODY_FIXED <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const b = offset + HEADER;
    if (b + length > bytes.length) break;
    const body = bytes.subarray(b, b + length);
    if (crc32(body) !== bytes.readUInt32BE(offset + 4)) break;
    const idLength = body.readUInt8(21);
    records.push({
      segment,
      seq: Number(body.readBigUInt64BE(1)),
      createdAt: Number(body.readBigUInt64BE(9)),
      samples: body.readUInt32BE(17),
      batchId: body.toString('latin1', BODY_FIXED, BODY_FIXED + idLength),
      offset,
      size: HEADER + length,
      gzipStart: b + BODY_FIXED + idLength,
    });
    offset = b + length;
  }
  return records;
}

/** Every intact record in `dataDir/segments`, in seq order. */
export async function readBufferRecords(dataDir: string): Promise<BufferRecord[]> {
  const dir = join(dataDir, 'segments');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.seg')).sort();
  const records: BufferRecord[] = [];
  for (const name of names) {
    const bytes = await readFile(join(dir, name)).catch(() => undefined); // acknowledged and deleted meanwhile
    if (bytes) records.push(...parseSegment(join(dir, name), bytes));
  }
  return records;
}

/** state.json: the acknowledged cursor and the loss counters (a new buffer when absent). */
export async function readBufferState(dataDir: string): Promise<BufferState> {
  const text = await readFile(join(dataDir, 'state.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return { acked: 0, counters: {} };
  const raw = JSON.parse(text) as BufferState;
  return { acked: raw.acked, counters: raw.counters };
}

/** The records that are on disk and not acknowledged: what the agent still has to send. */
export async function unsentRecords(dataDir: string): Promise<BufferRecord[]> {
  const { acked } = await readBufferState(dataDir);
  return (await readBufferRecords(dataDir)).filter((r) => r.seq > acked);
}

/**
 * Damages the last record of the newest segment (the agent must not be running): `truncate` cuts
 * the file in the middle of it, as a crash during an append does; `flip` changes one byte inside its
 * gzip body, as a bad disk does. The header stays readable either way, so the agent can tell what
 * it lost. Resolves with the damaged record.
 */
export async function damageNewestRecord(dataDir: string, how: 'truncate' | 'flip'): Promise<BufferRecord> {
  const records = await readBufferRecords(dataDir);
  const last = records.at(-1);
  if (!last) throw new Error(`no buffered record in ${dataDir}`);
  if (records.some((r) => r.segment > last.segment)) throw new Error(`the newest segment in ${dataDir} has no intact record`);
  const end = last.offset + last.size;
  const middle = last.gzipStart + Math.floor((end - last.gzipStart) / 2);
  if (how === 'truncate') {
    await truncate(last.segment, middle);
  } else {
    const bytes = await readFile(last.segment);
    bytes[middle] = bytes[middle]! ^ 0xff;
    await writeFile(last.segment, bytes);
  }
  return last;
}

/**
 * Notes every record that appears in the buffer while it runs (segments are deleted once
 * acknowledged, so the end state alone does not show them all): seq → record.
 */
export function watchBufferRecords(dataDir: string, everyMs = 250) {
  const seen = new Map<number, BufferRecord>();
  const look = async () => {
    for (const r of await readBufferRecords(dataDir).catch(() => [])) if (!seen.has(r.seq)) seen.set(r.seq, r);
  };
  let pass = look();
  const timer = setInterval(() => (pass = pass.then(look)), everyMs);
  timer.unref(); // a failed test that never calls stop() must not keep the worker alive
  return {
    seen,
    /** Takes a last look and stops watching. */
    async stop(): Promise<Map<number, BufferRecord>> {
      clearInterval(timer);
      await pass;
      await look();
      return seen;
    },
  };
}
