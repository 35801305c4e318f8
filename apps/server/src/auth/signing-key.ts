// The server's Ed25519 key that signs every probe definition it hands an agent, so an agent runs
// only what this server (not whoever sits on the wire, the database or the agent's disk) decided.
// ESMON_SIGNING_KEY (the 32-byte private seed in base64; every server instance of one installation
// needs the same), else `signing.key` in the data directory, made (mode 0600) at first start.
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { readOrMakeKeyFile } from './key-file.ts';
import { PROBE_SIGNATURE_ALGORITHM } from '@esmon/schema';

export const SIGNING_KEY_FILE = 'signing.key';

/** Signs texts with the installation's key; its public half is what agents pin. */
export interface ProbeSigner {
  algorithm: typeof PROBE_SIGNATURE_ALGORITHM;
  /** the raw 32-byte public key in base64 */
  publicKey: string;
  /** a short fingerprint of the public key (hex), for logs and messages */
  keyId: string;
  /** the signature (base64) of the UTF-8 text */
  sign(text: string): string;
}

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** DER prefixes that turn a raw Ed25519 seed or public key into PKCS#8 and SPKI. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The fingerprint agents and the server print: the first 16 hex digits of SHA-256 over the raw public key. */
export const keyIdOf = (publicKey: string) => createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16);

/** A signer over a 32-byte Ed25519 seed. */
export function probeSigner(seed: Buffer): ProbeSigner {
  if (seed.length !== 32) throw new SigningKeyError(`the signing key must be a 32-byte Ed25519 seed, not ${seed.length} bytes`);
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(spki.length - 32).toString('base64');
  return {
    algorithm: PROBE_SIGNATURE_ALGORITHM,
    publicKey,
    keyId: keyIdOf(publicKey),
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
}

const seedOf = (text: string): Buffer | undefined => {
  const seed = Buffer.from(text.trim(), 'base64');
  return seed.length === 32 ? seed : undefined;
};

/** The installation's signer: ESMON_SIGNING_KEY, else DATA_DIR/signing.key (made at first start). */
export async function loadProbeSigner(options: { env?: string; dataDir: string }): Promise<ProbeSigner> {
  if (options.env) {
    const seed = seedOf(options.env);
    if (!seed) throw new SigningKeyError('ESMON_SIGNING_KEY must be a 32-byte Ed25519 seed in base64 (openssl rand -base64 32)');
    return probeSigner(seed);
  }
  const file = join(options.dataDir, SIGNING_KEY_FILE);
  const seed = seedOf(await readOrMakeKeyFile(file, (message) => new SigningKeyError(message)));
  if (!seed) throw new SigningKeyError(`${file} does not hold a 32-byte Ed25519 seed in base64: restore it from a backup (agents trust its key), or delete it to make a new one and re-pin every agent`);
  return probeSigner(seed);
}
