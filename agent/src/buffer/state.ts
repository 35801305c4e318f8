// state.json: the ack cursor and the loss counters, replaced as a whole (write a temporary file,
// fsync, rename, fsync the directory) so a crash leaves either the old state or the new one.
import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What the buffer has lost or set aside since it was created; persisted, so it survives restarts. */
export interface BufferCounters {
  /** Batches and samples dropped because the buffer was full (oldest segment first). */
  droppedBatches: number;
  droppedSamples: number;
  /** Batches and samples cut out by repair (torn or corrupt records not yet delivered). */
  repairedBatches: number;
  repairedSamples: number;
  /** Batches the server refused for their content, moved to rejected/. */
  rejectedBatches: number;
  rejectedSamples: number;
}

export interface BufferState {
  /** Every record with seq <= acked is done (delivered, rejected or dropped) and is never sent again. */
  acked: number;
  counters: BufferCounters;
}

const STATE_FORMAT = 1;

export const freshState = (): BufferState => ({
  acked: 0,
  counters: { droppedBatches: 0, droppedSamples: 0, repairedBatches: 0, repairedSamples: 0, rejectedBatches: 0, rejectedSamples: 0 },
});

const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);

/**
 * Reads the state; a missing file is a new buffer. An unreadable one is reported and read as
 * "nothing acknowledged": every batch still on disk is sent again, which the server's batch-id
 * check makes harmless.
 */
export async function readState(file: string): Promise<{ state: BufferState; problem?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: freshState() };
    return { state: freshState(), problem: `cannot read ${file}: ${(err as Error).message}` };
  }
  try {
    const raw = JSON.parse(text) as { format?: unknown; acked?: unknown; counters?: Record<string, unknown> };
    if (raw.format !== STATE_FORMAT) throw new Error(`unknown format ${String(raw.format)}`);
    const state = freshState();
    state.acked = count(raw.acked);
    for (const key of Object.keys(state.counters) as (keyof BufferCounters)[]) state.counters[key] = count(raw.counters?.[key]);
    return { state };
  } catch (err) {
    return { state: freshState(), problem: `${file} is damaged (${(err as Error).message})` };
  }
}

/** Replaces `path` with `data` atomically; with `durable`, also survives a power cut once resolved. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, durable: boolean): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(data);
    if (durable) await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  if (durable) await syncDir(dirname(path));
}

/** Makes a created, renamed or removed directory entry durable. */
export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the entry itself
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function writeState(file: string, state: BufferState, durable: boolean): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify({ format: STATE_FORMAT, ...state })}\n`, durable);
}
