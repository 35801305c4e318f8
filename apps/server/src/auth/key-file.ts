// A key kept in the data directory: read if there, else made once (32 random bytes, base64, mode
// 0600). Written whole to a temporary file, then linked into place: link() fails when the file
// exists, so of two servers starting at once on one directory, one key wins and both read it whole.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's text, made first when missing; `failure` turns an I/O problem into the caller's error. */
export async function readOrMakeKeyFile(file: string, failure: (message: string) => Error): Promise<string> {
  const existing = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw failure(`cannot read ${file}: ${err.message}`);
  });
  if (existing !== undefined) return existing;
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw failure(`cannot write ${file}: ${(err as Error).message}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return readFile(file, 'utf8');
}
