import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { keyIdOf, loadProbeSigner, probeSigner, SIGNING_KEY_FILE, SigningKeyError } from './signing-key.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'esmon-signing-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Verifies as an agent does, from the published raw public key alone. */
const verifies = (publicKey: string, text: string, signature: string) =>
  verify(null, Buffer.from(text), createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' }), Buffer.from(signature, 'base64'));

describe('the probe signing key', () => {
  it('signs so that the published public key verifies, and nothing else does', () => {
    const signer = probeSigner(Buffer.alloc(32, 1));
    const other = probeSigner(Buffer.alloc(32, 2));
    const signature = signer.sign('{"id":"1"}');
    expect(Buffer.from(signer.publicKey, 'base64')).toHaveLength(32);
    expect(signer.algorithm).toBe('Ed25519');
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(signer.keyId).toBe(keyIdOf(signer.publicKey));
    expect(verifies(signer.publicKey, '{"id":"1"}', signature)).toBe(true);
    expect(verifies(signer.publicKey, '{"id":"2"}', signature)).toBe(false);
    expect(verifies(other.publicKey, '{"id":"1"}', signature)).toBe(false);
    // Ed25519 is deterministic: the same key signs the same text the same way on every instance
    expect(probeSigner(Buffer.alloc(32, 1)).sign('{"id":"1"}')).toBe(signature);
  });

  it('is made at first start in the data directory, mode 0600, and reused at the next', async () => {
    const dir = await tempDir();
    const first = await loadProbeSigner({ dataDir: dir });
    const file = join(dir, SIGNING_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toHaveLength(32);
    const second = await loadProbeSigner({ dataDir: dir });
    expect(second.publicKey).toBe(first.publicKey);
    expect(verifies(first.publicKey, 'x', second.sign('x'))).toBe(true);
  });

  it('two servers starting at once on one directory end with one key', async () => {
    const dir = await tempDir();
    const [a, b] = await Promise.all([loadProbeSigner({ dataDir: dir }), loadProbeSigner({ dataDir: dir })]);
    expect(a.publicKey).toBe(b.publicKey);
  });

  it('comes from ESMON_SIGNING_KEY when set (no file made), and refuses a bad one or a damaged file', async () => {
    const dir = await tempDir();
    const seed = Buffer.alloc(32, 9).toString('base64');
    const signer = await loadProbeSigner({ env: seed, dataDir: dir });
    expect(signer.publicKey).toBe(probeSigner(Buffer.alloc(32, 9)).publicKey);
    await expect(stat(join(dir, SIGNING_KEY_FILE))).rejects.toThrow(/ENOENT/);
    await expect(loadProbeSigner({ env: 'c2hvcnQ=', dataDir: dir })).rejects.toThrow(
      new SigningKeyError('ESMON_SIGNING_KEY must be a 32-byte Ed25519 seed in base64 (openssl rand -base64 32)'),
    );
    await writeFile(join(dir, SIGNING_KEY_FILE), 'not a key\n');
    await expect(loadProbeSigner({ dataDir: dir })).rejects.toThrow(/signing\.key does not hold a 32-byte Ed25519 seed in base64: restore it/);
    expect(await readFile(join(dir, SIGNING_KEY_FILE), 'utf8')).toBe('not a key\n');
  });

  it('is checked with the rest of the configuration: a bad ESMON_SIGNING_KEY stops the start with a clear error', () => {
    expect(loadConfig({ ESMON_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64') }).ESMON_SIGNING_KEY).toBe(Buffer.alloc(32, 1).toString('base64'));
    expect(() => loadConfig({ ESMON_SIGNING_KEY: 'dG9vIHNob3J0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ESMON_SIGNING_KEY: 'dG9vIHNob3J0' })).toThrow(
      'ESMON_SIGNING_KEY: ESMON_SIGNING_KEY must be a 32-byte Ed25519 seed in base64 (openssl rand -base64 32)',
    );
  });
});
