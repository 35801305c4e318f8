// The durable buffer on real temporary directories: order across segments, restarts, the bound,
// rejected batches and the data directory's lock.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, recordingLog, segmentFiles, tempDir, testBatch } from '../../test/buffer-fixture.ts';
import { DataDirError } from './data-dir.ts';
import { openDiskBuffer, type BatchBuffer, type DiskBufferOptions } from './disk-buffer.ts';

const open = async (dir: string, more: Partial<DiskBufferOptions> = {}) => openDiskBuffer({ dir, log: recordingLog(), ...more });

/** Sends everything in order, acknowledging each; returns the batch numbers seen. */
async function drain(buffer: BatchBuffer, limit = Infinity): Promise<number[]> {
  const seen: number[] = [];
  for (let b = await buffer.oldest(); b && seen.length < limit; b = await buffer.oldest()) {
    seen.push(decode(b.gzip).hosts[0]!.samples[0]!.value);
    await buffer.ack(b.seq);
  }
  return seen;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the disk buffer', () => {
  it('replays in append order across segment rotations, and deletes segments once acknowledged', async () => {
    const dir = await tempDir();
    const buffer = await open(dir, { segmentBytes: 1000 });
    for (const n of range(1, 20)) await buffer.append(testBatch(n));
    const files = await segmentFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    expect(buffer.stats()).toMatchObject({ batches: 20, samples: 60 });
    expect(await drain(buffer)).toEqual(range(1, 20));
    expect(await buffer.oldest()).toBeUndefined();
    expect(await segmentFiles(dir)).toEqual([files.at(-1)]);
    expect(buffer.stats()).toMatchObject({ batches: 0, samples: 0, droppedSamples: 0 });
    await buffer.close();
  });

  it('after a restart sends only what was never acknowledged, then appends after it', async () => {
    const dir = await tempDir();
    const first = await open(dir, { segmentBytes: 1000 });
    for (const n of range(1, 10)) await first.append(testBatch(n));
    expect(await drain(first, 4)).toEqual([1, 2, 3, 4]);
    // no close: a crash leaves the lock and the open segment behind
    const second = await open(dir, { segmentBytes: 1000 });
    expect(second.stats()).toMatchObject({ batches: 6, samples: 18 });
    await second.append(testBatch(11));
    expect(await drain(second)).toEqual([...range(5, 10), 11]);
    await second.close();
    const third = await open(dir);
    expect(await third.oldest()).toBeUndefined();
    await third.close();
  });

  it('a batch acknowledged again (a re-sent batch the server already had) changes nothing', async () => {
    const buffer = await open(await tempDir());
    for (const n of [1, 2]) await buffer.append(testBatch(n));
    const one = (await buffer.oldest())!;
    await buffer.ack(one.seq);
    await buffer.ack(one.seq);
    expect((await buffer.oldest())!.batchId).toBe(testBatch(2).batchId);
    await buffer.close();
  });

  it('when full drops the oldest segment, counts its samples, and remembers the count across restarts', async () => {
    const dir = await tempDir();
    const frameBytes = (await (async () => {
      const probe = await tempDir();
      const b = await open(probe);
      await b.append(testBatch(1));
      const size = b.stats().bytes;
      await b.close();
      return size;
    })());
    // two batches per segment (batches differ by a few bytes), room for three segments
    const options = { maxBytes: (frameBytes * 2 + 20) * 3, segmentBytes: frameBytes * 2 + 20 };
    const buffer = await open(dir, options);
    for (const n of range(1, 10)) await buffer.append(testBatch(n));
    const stats = buffer.stats();
    expect(stats.bytes).toBeLessThanOrEqual(options.maxBytes);
    expect(stats).toMatchObject({ batches: 6, droppedBatches: 4, droppedSamples: 12 });
    expect(await drain(buffer, 2)).toEqual([5, 6]);
    await buffer.close();
    const again = await open(dir, options);
    expect(again.stats()).toMatchObject({ batches: 4, droppedBatches: 4, droppedSamples: 12 });
    expect(await drain(again)).toEqual(range(7, 10));
    await again.close();
  });

  it('drops a batch larger than the whole buffer, counted', async () => {
    const log = recordingLog();
    const buffer = await open(await tempDir(), { maxBytes: 200, log });
    await buffer.append(testBatch(1, 50));
    expect(buffer.stats()).toMatchObject({ batches: 0, droppedBatches: 1, droppedSamples: 50 });
    expect(log.lines.join('\n')).toMatch(/larger than the whole buffer/);
    await buffer.close();
  });

  it('sets a rejected batch aside with the server’s message, counts it, and goes on with the next', async () => {
    const dir = await tempDir();
    const buffer = await open(dir);
    for (const n of [1, 2]) await buffer.append(testBatch(n, 4));
    const bad = (await buffer.oldest())!;
    await buffer.reject(bad, 'hosts[0].samples[0].ts: ts is before the year 2000');
    expect((await buffer.oldest())!.batchId).toBe(testBatch(2).batchId);
    expect(buffer.stats()).toMatchObject({ batches: 1, rejectedBatches: 1, rejectedSamples: 4 });
    const [file] = await readdir(join(dir, 'rejected'));
    expect(file).toBe(`${String(bad.seq).padStart(20, '0')}-${bad.batchId}.json`);
    const kept = JSON.parse(await readFile(join(dir, 'rejected', file!), 'utf8'));
    expect(kept).toMatchObject({ batchId: bad.batchId, reason: 'hosts[0].samples[0].ts: ts is before the year 2000', samples: 4, batch: testBatch(1, 4).batch });
    await buffer.close();
  });

  it('keeps only the newest rejected files', async () => {
    const dir = await tempDir();
    const buffer = await open(dir, { keepRejected: 2 });
    for (const n of range(1, 4)) await buffer.append(testBatch(n));
    for (let b = await buffer.oldest(); b; b = await buffer.oldest()) await buffer.reject(b, 'no');
    expect((await readdir(join(dir, 'rejected'))).map((n) => n.slice(21))).toEqual(['batch-0003.json', 'batch-0004.json']);
    expect(buffer.stats().rejectedBatches).toBe(4);
    await buffer.close();
  });

  it('writes without fsync when told to, with the same result', async () => {
    const dir = await tempDir();
    const buffer = await open(dir, { fsync: false });
    for (const n of range(1, 3)) await buffer.append(testBatch(n));
    await buffer.close();
    const again = await open(dir, { fsync: false });
    expect(await drain(again)).toEqual([1, 2, 3]);
    await again.close();
  });

  it('is refused while another live process holds the directory, and takes over a dead one’s lock', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'lock'), `${process.ppid}\n`);
    await expect(open(dir)).rejects.toThrow(new RegExp(`in use by another esmon-agent \\(pid ${process.ppid}\\); give each agent its own --data-dir`));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, 'lock'), `${gone}\n`);
    const buffer = await open(dir);
    expect((await readFile(join(dir, 'lock'), 'utf8')).split('\n')[0]).toBe(String(process.pid));
    await buffer.close();
    // a live pid, but written during another boot of the machine (Linux names boots)
    if (existsSync('/proc/sys/kernel/random/boot_id')) {
      await writeFile(join(dir, 'lock'), `${process.ppid}\n00000000-0000-0000-0000-000000000000\n`);
      await (await open(dir)).close();
    }
    await expect(stat(join(dir, 'lock'))).rejects.toThrow(/ENOENT/);
  });

  it('says clearly when the data directory cannot be created', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a-file'), '');
    const refused = open(join(dir, 'a-file', 'agent'));
    await expect(refused).rejects.toBeInstanceOf(DataDirError);
    await expect(refused).rejects.toThrow(/data directory .*a-file\/agent: cannot create/);
  });

  it('refuses work once closed', async () => {
    const buffer = await open(await tempDir());
    await buffer.close();
    await expect(buffer.append(testBatch(1))).rejects.toThrow(/is closed/);
  });
});
