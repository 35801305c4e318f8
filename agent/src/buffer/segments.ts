// Segment files on start: found, read, and repaired before anything is appended or sent.
// A damaged span is cut out: by truncation when it runs to the end of the file (a torn append,
// the usual result of a crash), else by rewriting the segment with its good frames only, so the
// same damage is never found (and counted) twice.
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scanSegment, type Damage, type FrameIndex } from './frame.ts';
import { writeFileAtomic } from './state.ts';

/** One segment file and the index of its good frames, oldest first. */
export interface Segment {
  path: string;
  /** The seq it was created for: names sort in seq order, and a new segment is named past them all. */
  firstSeq: number;
  size: number;
  frames: FrameIndex[];
}

/** Records a repair cut out that had not been delivered yet. */
export interface Loss {
  batches: number;
  samples: number;
}

const NAME = /^(\d{20})\.seg$/;

export const segmentPath = (dir: string, seq: number) => join(dir, `${String(seq).padStart(20, '0')}.seg`);

/** What the cut spans held; spans wholly at or below the ack cursor cost nothing. */
export function lossOf(damage: Damage[], acked: number): Loss {
  const lost = damage.filter((d) => d.seq === undefined || d.seq > acked);
  return { batches: lost.length, samples: lost.reduce((n, d) => n + (d.samples ?? 0), 0) };
}

async function truncateFile(path: string, size: number, durable: boolean): Promise<void> {
  const file = await open(path, 'r+');
  try {
    await file.truncate(size);
    if (durable) await file.sync();
  } finally {
    await file.close();
  }
}

/** Reads one segment and repairs it in place; says what was cut. */
export async function loadSegment(path: string, firstSeq: number, durable: boolean): Promise<{ segment: Segment; damage: Damage[] }> {
  const bytes = await readFile(path);
  const { frames, damage } = scanSegment(bytes);
  if (damage.length === 0) return { segment: { path, firstSeq, size: bytes.length, frames }, damage };
  if (damage.length === 1 && damage[0]!.end === bytes.length) {
    await truncateFile(path, damage[0]!.start, durable);
    return { segment: { path, firstSeq, size: damage[0]!.start, frames }, damage };
  }
  const kept = Buffer.concat(frames.map((f) => bytes.subarray(f.offset, f.offset + f.size)));
  await writeFileAtomic(path, kept, durable);
  let offset = 0;
  const moved = frames.map((f) => {
    const at = offset;
    offset += f.size;
    return { ...f, offset: at };
  });
  return { segment: { path, firstSeq, size: kept.length, frames: moved }, damage };
}

/**
 * Every segment in `dir`, oldest first, repaired. `report` hears of each repair; the returned
 * loss counts what the repairs cut that had not been acknowledged.
 */
export async function loadSegments(
  dir: string,
  acked: number,
  durable: boolean,
  report: (message: string) => void,
): Promise<{ segments: Segment[]; lost: Loss }> {
  const names = await readdir(dir);
  // a .tmp is an interrupted rewrite: the segment it was meant to replace is still whole
  await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => rm(join(dir, n), { force: true })));
  const segments: Segment[] = [];
  const lost: Loss = { batches: 0, samples: 0 };
  for (const name of names.filter((n) => NAME.test(n)).sort()) {
    const { segment, damage } = await loadSegment(join(dir, name), Number(NAME.exec(name)![1]), durable);
    segments.push(segment);
    if (damage.length === 0) continue;
    const loss = lossOf(damage, acked);
    lost.batches += loss.batches;
    lost.samples += loss.samples;
    const bytes = damage.reduce((n, d) => n + d.end - d.start, 0);
    report(
      `repaired buffer segment ${name}: cut ${bytes} damaged byte(s) in ${damage.length} place(s); ` +
        `${loss.batches} unsent batch(es) lost (${loss.samples} samples), ${segment.frames.length} good batch(es) kept`,
    );
  }
  return { segments, lost };
}
