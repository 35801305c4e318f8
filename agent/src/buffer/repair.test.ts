// Opening a damaged buffer: what a crash or a bad disk leaves behind is cut out, counted and
// logged once; everything good is kept, and appending carries on after it.
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, recordingLog, segmentFiles, tempDir, testBatch } from '../../test/buffer-fixture.ts';
import { openDiskBuffer, type BatchBuffer } from './disk-buffer.ts';

async function values(buffer: BatchBuffer): Promise<number[]> {
  const seen: number[] = [];
  for (let b = await buffer.oldest(); b; b = await buffer.oldest()) {
    seen.push(decode(b.gzip).hosts[0]!.samples[0]!.value);
    await buffer.ack(b.seq);
  }
  return seen;
}

/** A buffer dir holding batches 1..n (n-th with 5 samples, the others 3) in segments of `segmentBytes`. */
async function filled(n: number, segmentBytes = 1 << 20) {
  const dir = await tempDir();
  const buffer = await openDiskBuffer({ dir, log: recordingLog(), segmentBytes });
  for (let i = 1; i <= n; i++) await buffer.append(testBatch(i, i === n ? 5 : 3));
  await buffer.close();
  return dir;
}

async function flipByte(file: string, at: (size: number) => number): Promise<void> {
  const bytes = await readFile(file);
  const i = at(bytes.length);
  bytes[i] = bytes[i]! ^ 0x5a;
  await writeFile(file, bytes);
}

async function reopen(dir: string, segmentBytes = 1 << 20) {
  const log = recordingLog();
  return { buffer: await openDiskBuffer({ dir, log, segmentBytes }), log };
}

describe('repair on open', () => {
  it.each<[string, (file: string, size: number) => Promise<void>]>([
    ['a last segment cut in the middle of its last record', (file, size) => truncate(file, size - 17)],
    ['a corrupted byte in the last record', (file) => flipByte(file, (size) => size - 40)],
  ])('%s: cut and counted, the rest intact, appending continues', async (_case, damage) => {
    const dir = await filled(4);
    const [file] = await segmentFiles(dir);
    await damage(file!, (await stat(file!)).size);
    const { buffer, log } = await reopen(dir);
    expect(buffer.stats()).toMatchObject({ batches: 3, repairedBatches: 1, repairedSamples: 5 });
    expect(log.lines).toEqual([expect.stringMatching(/^warn: repaired buffer segment 0+1\.seg: cut \d+ damaged byte\(s\) in 1 place\(s\); 1 unsent batch\(es\) lost \(5 samples\), 3 good batch\(es\) kept$/)]);
    await buffer.append(testBatch(9));
    expect(await values(buffer)).toEqual([1, 2, 3, 9]);
    await buffer.close();
    const again = await reopen(dir);
    expect(again.log.lines).toEqual([]);
    expect(again.buffer.stats()).toMatchObject({ batches: 0, repairedBatches: 1, repairedSamples: 5 });
    await again.buffer.close();
  });

  it('skips a corrupt record in the middle of an older segment and keeps the frames after it', async () => {
    const dir = await filled(12, 600);
    const files = await segmentFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    const before = (await stat(files[0]!)).size;
    const bytesBefore = await readFile(files[0]!);
    expect(bytesBefore.length).toBeGreaterThan(8 + bytesBefore.readUInt32BE(0) * 2 + 16);
    // the last payload byte of the second record of the first segment
    await flipByte(files[0]!, () => {
      const second = 8 + bytesBefore.readUInt32BE(0);
      return second + 8 + bytesBefore.readUInt32BE(second) - 1;
    });
    const { buffer, log } = await reopen(dir, 600);
    expect(buffer.stats()).toMatchObject({ batches: 11, repairedBatches: 1, repairedSamples: 3 });
    expect(log.lines).toHaveLength(1);
    expect((await stat(files[0]!)).size).toBeLessThan(before);
    const seen = await values(buffer);
    expect(seen).toEqual([1, ...Array.from({ length: 10 }, (_, i) => i + 3)]);
    await buffer.close();
  });

  it('does not count damage to batches already delivered', async () => {
    const dir = await filled(3);
    const { buffer } = await reopen(dir);
    const first = (await buffer.oldest())!;
    await buffer.ack(first.seq);
    await buffer.close();
    const [file] = await segmentFiles(dir);
    await flipByte(file!, () => 30);
    const { buffer: again, log } = await reopen(dir);
    expect(again.stats()).toMatchObject({ batches: 2, repairedBatches: 0, repairedSamples: 0 });
    expect(log.lines[0]).toMatch(/0 unsent batch\(es\) lost/);
    expect(await values(again)).toEqual([2, 3]);
    await again.close();
  });

  it('sends everything again when state.json is damaged (the server keeps each batch id once)', async () => {
    const dir = await filled(3);
    const { buffer } = await reopen(dir);
    await buffer.ack((await buffer.oldest())!.seq);
    await buffer.close();
    await writeFile(join(dir, 'state.json'), '{"format":1,"ack');
    const { buffer: again, log } = await reopen(dir);
    expect(log.lines).toEqual([expect.stringMatching(/state\.json is damaged .*every buffered batch is sent again/)]);
    expect(await values(again)).toEqual([1, 2, 3]);
    await again.close();
  });

  it('skips a batch damaged on disk after the start, counted', async () => {
    const dir = await filled(2);
    const { buffer, log } = await reopen(dir);
    const [file] = await segmentFiles(dir);
    await flipByte(file!, () => 40);
    expect(await values(buffer)).toEqual([2]);
    expect(buffer.stats()).toMatchObject({ repairedBatches: 1, repairedSamples: 3 });
    expect(log.lines).toEqual([expect.stringMatching(/is damaged \(3 samples\): skipped/)]);
    await buffer.close();
  });
});
