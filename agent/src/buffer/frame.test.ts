// The record format as bytes: a frame reads back exactly, and every kind of damage is found,
// sized and stepped over to the next good frame.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testBatch } from '../../test/buffer-fixture.ts';
import { encodeFrame, findNextFrame, readFrame, scanSegment } from './frame.ts';

const frameOf = (n: number, samples = 3) => encodeFrame({ ...testBatch(n, samples), seq: n }, testBatch(n, samples).gzip);
const three = [frameOf(1, 2), frameOf(2, 5), frameOf(3, 7)];
const segment = Buffer.concat(three);
const starts = [0, three[0]!.length, three[0]!.length + three[1]!.length];

function damaged(edit: (b: Buffer) => Buffer): Buffer {
  return edit(Buffer.from(segment));
}
const flip = (at: number) => (b: Buffer) => {
  b[at] = b[at]! ^ 0xff;
  return b;
};

describe('segment frames', () => {
  it('uses the standard CRC-32 (zlib.crc32, Node >= 20.15)', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('reads back what was written', () => {
    const one = testBatch(42, 9);
    const frame = readFrame(encodeFrame({ ...one, seq: 7 }, one.gzip), 0);
    expect(frame).toMatchObject({ seq: 7, batchId: one.batchId, createdAt: one.createdAt, samples: 9, offset: 0 });
    expect(Buffer.compare(frame!.gzip, one.gzip)).toBe(0);
  });

  it('refuses a batch id it could not find again after damage', () => {
    expect(() => encodeFrame({ seq: 1, batchId: 'no spaces allowed', createdAt: 0, samples: 0 }, testBatch(1).gzip)).toThrow(/cannot be buffered/);
  });

  // [case, damage, frames kept (seqs), damaged spans [start, end, claimed samples]]
  it.each<[string, (b: Buffer) => Buffer, number[], [number, number, number | undefined][]]>([
    ['intact', (b) => b, [1, 2, 3], []],
    ['torn in the last body', (b) => b.subarray(0, segment.length - 10), [1, 2], [[starts[2]!, segment.length - 10, 7]]],
    ['torn in the last header', (b) => b.subarray(0, starts[2]! + 5), [1, 2], [[starts[2]!, starts[2]! + 5, undefined]]],
    ['a flipped byte in the last payload', flip(segment.length - 3), [1, 2], [[starts[2]!, segment.length, 7]]],
    ['a flipped byte in a middle payload', flip(starts[2]! - 3), [1, 3], [[starts[1]!, starts[2]!, 5]]],
    ['a middle length that runs past the end', flip(starts[1]!), [1, 3], [[starts[1]!, starts[2]!, 5]]],
    ['a flipped CRC in the first frame', flip(5), [2, 3], [[0, starts[1]!, 2]]],
    ['garbage between two frames', (b) => Buffer.concat([b.subarray(0, starts[1]!), Buffer.from('garbage!'), b.subarray(starts[1]!)]), [1, 2, 3], [[starts[1]!, starts[1]! + 8, undefined]]],
    ['zeros at the end (a preallocated tail)', (b) => Buffer.concat([b, Buffer.alloc(100)]), [1, 2, 3], [[segment.length, segment.length + 100, undefined]]],
  ])('%s', (_case, edit, kept, spans) => {
    const { frames, damage } = scanSegment(damaged(edit));
    expect(frames.map((f) => f.seq)).toEqual(kept);
    expect(damage.map((d) => [d.start, d.end, d.samples])).toEqual(spans);
  });

  it('finds the next frame start after damage, and none in a frame-free tail', () => {
    expect(findNextFrame(segment, 1)).toBe(starts[1]);
    expect(findNextFrame(segment, starts[2]! + 1)).toBeUndefined();
  });
});
