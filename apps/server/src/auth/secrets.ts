// Passwords (scrypt) and bearer tokens (random, stored as SHA-256). Tokens carry a kind prefix
// so a leaked one is recognisable: esm_s_ (session), esm_a_ (agent key), esm_i_ (integration key),
// esm_e_ (one-time agent enrolment).
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 } as const;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hash in the form scrypt$N$r$p$salt$hash (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem };
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, options);
  return timingSafeEqual(key, expected);
}

let decoy: Promise<string> | undefined;
/** A fixed hash to verify against when the email is unknown, so timing reveals nothing. */
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

export type TokenKind = 'session' | 'agent' | 'integration' | 'enrollment';
const PREFIX: Record<TokenKind, string> = { session: 'esm_s_', agent: 'esm_a_', integration: 'esm_i_', enrollment: 'esm_e_' };

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The part of a key safe to show in lists and logs. */
export function tokenPrefix(token: string): string {
  return token.slice(0, 12);
}

export function newPassword(): string {
  return randomBytes(15).toString('base64url');
}
