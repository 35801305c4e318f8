// Shared by the buffer and agent tests: real temporary directories, batches with known contents,
// and a log that remembers what it was told.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { IngestBatch } from '@esmon/schema';
import type { BufferedBatch } from '../src/buffer/disk-buffer.ts';

export const tempDir = () => mkdtemp(join(tmpdir(), 'esmon-agent-buffer-'));

export function recordingLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => void lines.push(`info: ${m}`),
    warn: (m: string) => void lines.push(`warn: ${m}`),
    error: (m: string) => void lines.push(`error: ${m}`),
  };
}

/** Batch number `n` of host h-1 with `samples` samples whose values are n. */
export function testBatch(n: number, samples = 3, hostname = 'h-1'): Omit<BufferedBatch, 'seq'> & { batch: IngestBatch } {
  const ts = 1_700_000_000_000 + n * 10_000;
  const batch: IngestBatch = {
    batchId: `batch-${String(n).padStart(4, '0')}`,
    hosts: [{ hostname, samples: Array.from({ length: samples }, (_, i) => ({ metric: 'test.value', ts: ts + i, value: n })) }],
  };
  return { batchId: batch.batchId, createdAt: ts, samples, gzip: gzipSync(JSON.stringify(batch)), batch };
}

export const decode = (gzip: Uint8Array) => JSON.parse(gunzipSync(gzip).toString('utf8')) as IngestBatch;

export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'segments'))).filter((n) => n.endsWith('.seg')).sort().map((n) => join(dir, 'segments', n));
}
