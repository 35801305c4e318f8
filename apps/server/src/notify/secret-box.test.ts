import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSecretKey, secretBox, SecretBoxError } from './secret-box.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'esmon-secret-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('secret box', () => {
  const box = secretBox(Buffer.alloc(32, 7));

  it('seals and opens, with a fresh IV each time, and the text nowhere in the sealed value', () => {
    const value = { password: 'hunter2-smtp', headers: { Authorization: 'Bearer abc' } };
    const [a, b] = [box.seal(value), box.seal(value)];
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(Buffer.from(a.slice(3), 'base64').toString('latin1')).not.toContain('hunter2');
    expect(box.open(a)).toEqual(value);
  });

  it('refuses a tampered value, another key, and something not sealed', () => {
    const sealed = box.seal('x');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`v1:${raw.toString('base64')}`)).toThrow(SecretBoxError);
    expect(() => secretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(/cannot be opened with this server's key/);
    expect(() => box.open('plain text')).toThrow('not a sealed value of this server');
    expect(() => secretBox(Buffer.alloc(16))).toThrow('the secret key must be 32 bytes, not 16');
  });
});

describe('the installation key', () => {
  it('is made once in the data directory, mode 0600, and read back after', async () => {
    const dir = await tempDir();
    const first = await loadSecretKey({ dataDir: dir });
    expect(first.length).toBe(32);
    expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await loadSecretKey({ dataDir: dir })).equals(first)).toBe(true);
  });

  it('two servers starting at once on one directory end with one key', async () => {
    const dir = await tempDir();
    const [a, b] = await Promise.all([loadSecretKey({ dataDir: dir }), loadSecretKey({ dataDir: dir })]);
    expect(a.equals(b)).toBe(true);
  });

  it('comes from ESMON_SECRET_KEY when set, checked', async () => {
    const dir = await tempDir();
    const key = Buffer.alloc(32, 3);
    expect((await loadSecretKey({ env: key.toString('base64'), dataDir: dir })).equals(key)).toBe(true);
    await expect(loadSecretKey({ env: 'c2hvcnQ=', dataDir: dir })).rejects.toThrow('ESMON_SECRET_KEY must be 32 bytes in base64 (44 characters), not 5 bytes');
    await writeFile(join(dir, 'secret.key'), 'not a key\n');
    await expect(loadSecretKey({ dataDir: dir })).rejects.toThrow('does not hold a 32-byte key');
    expect(await readFile(join(dir, 'secret.key'), 'utf8')).toBe('not a key\n');
  });
});
