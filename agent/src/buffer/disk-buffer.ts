// The agent's durable buffer: every batch is appended to a segment file before it is sent, and
// sent oldest first; an acknowledgement moves a persisted cursor (state.json) past it, so a
// restart sends only what was never acknowledged. The disk use is bounded: when full, the oldest
// segment goes, and what it held is counted.
//
// Layout of the data directory:
//   lock                      the pid of the agent using it
//   state.json                { format, acked, counters }
//   segments/<seq>.seg        records (frame.ts), named after the seq of their first record
//   rejected/<seq>-<id>.json  batches the server refused, with its message
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeFrame, readFrame, type RecordMeta } from './frame.ts';
import { lockDataDir, prepareDataDir } from './data-dir.ts';
import { setAside } from './rejected.ts';
import { loadSegments, segmentPath, type Segment } from './segments.ts';
import { readState, syncDir, writeState, type BufferCounters, type BufferState } from './state.ts';

/** A batch as it is buffered: its gzip JSON body, sent as is. */
export interface BufferedBatch extends RecordMeta {
  gzip: Buffer;
}

export interface BufferStats extends BufferCounters {
  /** Bytes of segment files on disk. */
  bytes: number;
  /** Batches and samples not yet acknowledged. */
  batches: number;
  samples: number;
}

export interface BatchBuffer {
  /** Stores a batch durably (with fsync on, once resolved it survives a crash). */
  append(batch: Omit<BufferedBatch, 'seq'>): Promise<void>;
  /** The oldest batch not yet acknowledged. */
  oldest(): Promise<BufferedBatch | undefined>;
  /** The server stored batch `seq` (or already had it): never send it again. */
  ack(seq: number): Promise<void>;
  /** The server refused the batch for its content: keep it in rejected/ and go on. */
  reject(batch: BufferedBatch, reason: string): Promise<void>;
  stats(): BufferStats;
  close(): Promise<void>;
}

export interface BufferLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface DiskBufferOptions {
  dir: string;
  log: BufferLog;
  /** Upper bound of the segment files together; default 256 MiB. */
  maxBytes?: number;
  /** A segment is closed once this big; default a quarter of maxBytes, at most 4 MiB. */
  segmentBytes?: number;
  /** fsync after every append and cursor move; default true (a batch every ~10 s makes it cheap). */
  fsync?: boolean;
  /** Files kept in rejected/; default 100. */
  keepRejected?: number;
  now?: () => number;
}

const MiB = 1024 * 1024;

export async function openDiskBuffer(options: DiskBufferOptions): Promise<BatchBuffer> {
  const { dir, log, fsync = true, keepRejected = 100, now = Date.now } = options;
  const maxBytes = options.maxBytes ?? 256 * MiB;
  const segmentBytes = options.segmentBytes ?? Math.min(4 * MiB, Math.floor(maxBytes / 4));
  const segmentsDir = join(dir, 'segments');
  const stateFile = join(dir, 'state.json');
  await prepareDataDir(dir, ['segments', 'rejected']);
  const unlock = await lockDataDir(dir);
  try {
    const loaded = await readState(stateFile);
    if (loaded.problem) log.warn(`${loaded.problem}; every buffered batch is sent again (the server keeps each batch id once)`);
    const { state } = loaded;
    const { segments, lost } = await loadSegments(segmentsDir, state.acked, fsync, (m) => log.warn(m));
    state.counters.repairedBatches += lost.batches;
    state.counters.repairedSamples += lost.samples;
    const buffer = createDiskBuffer({ ...options, maxBytes, segmentBytes, fsync, keepRejected, now, segmentsDir, stateFile, state, segments, unlock });
    await buffer.settle(loaded.problem !== undefined || lost.batches > 0);
    return buffer;
  } catch (err) {
    await unlock();
    throw err;
  }
}

interface Internals extends Required<Omit<DiskBufferOptions, 'now'>> {
  now: () => number;
  segmentsDir: string;
  stateFile: string;
  state: BufferState;
  segments: Segment[];
  unlock: () => Promise<void>;
}

function createDiskBuffer(o: Internals): BatchBuffer & { settle(changed: boolean): Promise<void> } {
  const { segments, state, log } = o;
  const counters = state.counters;
  let handle: FileHandle | undefined;
  let nextSeq = 1 + Math.max(state.acked, ...segments.map((s) => Math.max(s.firstSeq - 1, s.frames.at(-1)?.seq ?? 0)));
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  // appends, acks and drops change the same files and cursor: one at a time, in call order
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(() => {
      if (closed) throw new Error(`the buffer in ${o.dir} is closed`);
      return fn();
    });
    chain = run.catch(() => {});
    return run;
  }

  const totalBytes = () => segments.reduce((n, s) => n + s.size, 0);
  const saveState = () => writeState(o.stateFile, state, o.fsync);
  const mb = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

  async function activeHandle(segment: Segment): Promise<FileHandle> {
    handle ??= await open(segment.path, 'a');
    return handle;
  }

  async function rotate(seq: number): Promise<Segment> {
    await handle?.close();
    handle = undefined;
    const segment: Segment = { path: segmentPath(o.segmentsDir, seq), firstSeq: seq, size: 0, frames: [] };
    segments.push(segment);
    await activeHandle(segment);
    if (o.fsync) await syncDir(o.segmentsDir);
    return segment;
  }

  /** Moves the cursor, then deletes the closed segments it has passed entirely. */
  async function advance(seq: number): Promise<void> {
    if (seq > state.acked) {
      state.acked = seq;
      await saveState();
    }
    while (segments.length > 1 && (segments[0]!.frames.at(-1)?.seq ?? 0) <= state.acked) {
      await rm(segments.shift()!.path, { force: true });
    }
  }

  /**
   * Drops the oldest segment of several: the cursor (and the counters) move first, then the file
   * goes, so a crash in between leaves a segment that is simply deleted at the next start. A batch
   * being sent at that moment may still arrive; it is counted as dropped all the same.
   */
  async function dropOldest(): Promise<void> {
    const segment = segments[0]!;
    const unsent = segment.frames.filter((f) => f.seq > state.acked);
    const samples = unsent.reduce((n, f) => n + f.samples, 0);
    counters.droppedBatches += unsent.length;
    counters.droppedSamples += samples;
    state.acked = Math.max(state.acked, segment.frames.at(-1)?.seq ?? 0);
    await saveState();
    segments.shift();
    await rm(segment.path, { force: true });
    if (unsent.length > 0) log.warn(`buffer full (${mb(o.maxBytes)}): dropped the oldest ${unsent.length} batch(es), ${samples} samples`);
  }

  async function append(batch: Omit<BufferedBatch, 'seq'>): Promise<void> {
    const seq = nextSeq;
    const frame = encodeFrame({ ...batch, seq }, batch.gzip);
    if (frame.length > o.maxBytes) {
      counters.droppedBatches++;
      counters.droppedSamples += batch.samples;
      await saveState();
      log.warn(`batch ${batch.batchId} (${mb(frame.length)}) is larger than the whole buffer (${mb(o.maxBytes)}): dropped`);
      return;
    }
    nextSeq++;
    let active = segments.at(-1);
    if (!active || (active.size > 0 && active.size + frame.length > o.segmentBytes)) active = await rotate(seq);
    while (totalBytes() + frame.length > o.maxBytes) {
      if (segments.length === 1) active = await rotate(seq);
      await dropOldest();
    }
    const file = await activeHandle(active);
    try {
      await file.appendFile(frame);
      if (o.fsync) await file.datasync();
    } catch (err) {
      // a partial frame would sit between good ones: take it back before anything else is appended
      await file.truncate(active.size).catch(() => {});
      throw err;
    }
    active.frames.push({ seq, offset: active.size, size: frame.length, samples: batch.samples });
    active.size += frame.length;
  }

  async function readBatch(segment: Segment, index: Segment['frames'][number]): Promise<BufferedBatch | undefined> {
    const file = await open(segment.path, 'r');
    try {
      const bytes = Buffer.alloc(index.size);
      await file.read(bytes, 0, index.size, index.offset);
      const frame = readFrame(bytes, 0);
      if (!frame || frame.seq !== index.seq) return undefined;
      return { seq: frame.seq, batchId: frame.batchId, createdAt: frame.createdAt, samples: frame.samples, gzip: Buffer.from(frame.gzip) };
    } finally {
      await file.close();
    }
  }

  async function oldest(): Promise<BufferedBatch | undefined> {
    for (;;) {
      const segment = segments.find((s) => (s.frames.at(-1)?.seq ?? 0) > state.acked);
      const index = segment?.frames.find((f) => f.seq > state.acked);
      if (!segment || !index) return undefined;
      const batch = await readBatch(segment, index);
      if (batch) return batch;
      // damaged on disk since the start: it cannot be sent, so it counts as cut by repair
      counters.repairedBatches++;
      counters.repairedSamples += index.samples;
      log.warn(`buffered batch ${index.seq} in ${segment.path} is damaged (${index.samples} samples): skipped`);
      await advance(index.seq);
    }
  }

  return {
    append: (batch) => serial(() => append(batch)),
    oldest: () => serial(oldest),
    ack: (seq) => serial(() => advance(seq)),
    reject: (batch, reason) =>
      serial(async () => {
        if (batch.seq <= state.acked) return;
        const dir = join(o.dir, 'rejected');
        await setAside({ dir, batch, reason, now: o.now(), durable: o.fsync, keep: o.keepRejected });
        counters.rejectedBatches++;
        counters.rejectedSamples += batch.samples;
        await advance(batch.seq);
      }),
    stats() {
      const unsent = segments.flatMap((s) => s.frames).filter((f) => f.seq > state.acked);
      return { ...counters, bytes: totalBytes(), batches: unsent.length, samples: unsent.reduce((n, f) => n + f.samples, 0) };
    },
    close: () =>
      serial(async () => {
        closed = true;
        await handle?.close();
        handle = undefined;
        await o.unlock();
      }),
    /** After a start: drop what a smaller bound no longer allows, delete finished segments, save counters. */
    settle: (changed) =>
      serial(async () => {
        while (segments.length > 1 && totalBytes() > o.maxBytes) await dropOldest();
        await advance(state.acked);
        if (changed) await saveState();
      }),
  };
}
