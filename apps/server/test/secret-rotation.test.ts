// `esmon secret-key rotate`, the real command on a real embedded database: every channel's secrets
// are re-sealed with the new key in one transaction, the key file is replaced (mode 0600) only after
// the database committed, a key from the environment is printed for the operator to set, and a
// value the current key cannot open stops it with nothing changed.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '@esmon/db';
import { loadSecretKey, secretBox } from '../src/notify/secret-box.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const SECRETS = { password: 'smtp-pass-1', token: 'tok-2' };
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function esmon(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string | undefined> = { ...process.env, ESMON_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
  delete base.ESMON_SECRET_KEY;
  const r = spawnSync(process.execPath, ['--import', tsx, cli, ...args], { env: { ...base, ...env }, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A data directory with two channels whose secrets are sealed with `key` (and one damaged, if asked). */
async function installation(key: Buffer | undefined, damaged = false) {
  const dataDir = await mkdtemp(join(tmpdir(), 'esmon-rotate-'));
  dirs.push(dataDir);
  const db = await openDatabase({ dataDir });
  try {
    await migrate(db.sql);
    const box = secretBox(key ?? (await loadSecretKey({ dataDir })));
    await db.prisma.notificationChannel.create({ data: { name: 'mail', type: 'email', secrets: box.seal(SECRETS) } });
    await db.prisma.notificationChannel.create({ data: { name: 'plain', type: 'log' } });
    if (damaged) await db.prisma.notificationChannel.create({ data: { name: 'broken', type: 'webhook', secrets: secretBox(randomBytes(32)).seal({ url: 'x' }) } });
  } finally {
    await db.close();
  }
  return dataDir;
}

async function sealedOf(dataDir: string, name: string): Promise<string> {
  const db = await openDatabase({ dataDir });
  try {
    return (await db.prisma.notificationChannel.findUniqueOrThrow({ where: { name } })).secrets!;
  } finally {
    await db.close();
  }
}

// each test starts the real command (and PGlite) up to three times: seconds each on a busy machine
describe('esmon secret-key rotate', { timeout: 120_000 }, () => {
  it('re-seals with a new key file, written 0600 only after the database committed', async () => {
    const dataDir = await installation(undefined);
    const old = await loadSecretKey({ dataDir });
    const r = esmon(dataDir, ['secret-key', 'rotate']);
    expect(r.out).toMatch(/re-sealed the secrets of 1 channel\(s\); .*secret\.key holds the new key/);
    expect(r.code).toBe(0);
    const fresh = await loadSecretKey({ dataDir });
    expect(fresh.equals(old)).toBe(false);
    expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
    await expect(stat(join(dataDir, 'secret.key.next'))).rejects.toThrow();
    const sealed = await sealedOf(dataDir, 'mail');
    expect(secretBox(fresh).open(sealed)).toEqual(SECRETS);
    expect(() => secretBox(old).open(sealed)).toThrow(/cannot be opened/);
  });

  it('with ESMON_SECRET_KEY, re-seals with the given key and says to set it', async () => {
    const old = randomBytes(32);
    const dataDir = await installation(old);
    const next = randomBytes(32).toString('base64');
    const r = esmon(dataDir, ['secret-key', 'rotate', '--new-key', next], { ESMON_SECRET_KEY: old.toString('base64') });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ESMON_SECRET_KEY=${next}`);
    expect(secretBox(Buffer.from(next, 'base64')).open(await sealedOf(dataDir, 'mail'))).toEqual(SECRETS);
    await expect(stat(join(dataDir, 'secret.key'))).rejects.toThrow();
  });

  it('stops at a value the current key cannot open, changing nothing', async () => {
    const dataDir = await installation(undefined, true);
    const keyBefore = await readFile(join(dataDir, 'secret.key'), 'utf8');
    const sealedBefore = await sealedOf(dataDir, 'mail');
    const r = esmon(dataDir, ['secret-key', 'rotate']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/channel \d+ "broken": its secrets cannot be opened with the current key, so nothing was changed/);
    expect(await readFile(join(dataDir, 'secret.key'), 'utf8')).toBe(keyBefore);
    await expect(stat(join(dataDir, 'secret.key.next'))).rejects.toThrow();
    expect(await sealedOf(dataDir, 'mail')).toBe(sealedBefore);
  });

  it('refuses a bad new key and the current key as the new one', async () => {
    const old = randomBytes(32);
    const dataDir = await installation(old);
    const env = { ESMON_SECRET_KEY: old.toString('base64') };
    expect(esmon(dataDir, ['secret-key', 'rotate', '--new-key', 'c2hvcnQ='], env)).toMatchObject({ code: 2, out: expect.stringMatching(/must be 32 bytes in base64/) });
    expect(esmon(dataDir, ['secret-key', 'rotate', '--new-key', old.toString('base64')], env)).toMatchObject({ code: 2, out: expect.stringMatching(/the new key is the current key/) });
  });
});
