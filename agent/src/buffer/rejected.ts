// rejected/: batches the server refused for their content, kept for a person to read (what was
// sent and what the server said) instead of being retried forever. Only the newest few are kept:
// a systematic problem (a clock far off, say) would otherwise fill the disk one batch at a time.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { RecordMeta } from './frame.ts';
import { writeFileAtomic } from './state.ts';

const gunzipAsync = promisify(gunzip);

export interface SetAsideOptions {
  dir: string;
  batch: RecordMeta & { gzip: Uint8Array };
  reason: string;
  now: number;
  durable: boolean;
  keep: number;
}

/** Writes `dir/<seq>-<batchId>.json` with the server's message and the batch, then prunes the oldest. */
export async function setAside({ dir, batch, reason, now, durable, keep }: SetAsideOptions): Promise<string> {
  let payload: unknown;
  try {
    payload = JSON.parse((await gunzipAsync(batch.gzip)).toString('utf8'));
  } catch {
    payload = { gzipBase64: Buffer.from(batch.gzip).toString('base64') };
  }
  const name = `${String(batch.seq).padStart(20, '0')}-${batch.batchId}.json`;
  const record = {
    batchId: batch.batchId,
    seq: batch.seq,
    createdAt: new Date(batch.createdAt).toISOString(),
    rejectedAt: new Date(now).toISOString(),
    samples: batch.samples,
    reason,
    batch: payload,
  };
  await writeFileAtomic(join(dir, name), `${JSON.stringify(record, null, 2)}\n`, durable);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  await Promise.all(names.slice(0, Math.max(0, names.length - keep)).map((n) => rm(join(dir, n), { force: true })));
  return join(dir, name);
}
