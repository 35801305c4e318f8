// Secrets at rest (SMTP passwords, webhook URLs with signatures, tokens): AES-256-GCM with a key
// that never sits in the database, so a dump or a backup of it reveals none of them. The key is
// ESMON_SECRET_KEY (32 bytes, base64; every server instance of one installation needs the same),
// else `secret.key` in the data directory, made (mode 0600) on first use. Each sealed value
// carries its own random IV and the GCM tag: tampering fails to open rather than giving garbage.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrMakeKeyFile } from '../auth/key-file.ts';

export interface SecretBox {
  seal(value: unknown): string;
  open(sealed: string): unknown;
}

const VERSION = 'v1';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError(`the secret key must be 32 bytes, not ${key.length}`);
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      const [version, data] = sealed.split(':');
      if (version !== VERSION || !data) throw new SecretBoxError('not a sealed value of this server');
      const raw = Buffer.from(data, 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
      } catch {
        // the wrong key (ESMON_SECRET_KEY changed, or another data directory's secret.key) or a damaged value
        throw new SecretBoxError('a stored secret cannot be opened with this server\'s key (was ESMON_SECRET_KEY or secret.key changed?)');
      }
    },
  };
}

/** The installation's key: ESMON_SECRET_KEY, else DATA_DIR/secret.key (made on first use). */
export async function loadSecretKey(options: { env?: string; dataDir: string }): Promise<Buffer> {
  if (options.env) {
    const key = Buffer.from(options.env, 'base64');
    if (key.length !== 32) throw new SecretBoxError(`ESMON_SECRET_KEY must be 32 bytes in base64 (44 characters), not ${key.length} bytes`);
    return key;
  }
  const file = join(options.dataDir, 'secret.key');
  const key = Buffer.from((await readOrMakeKeyFile(file, (message) => new SecretBoxError(message))).trim(), 'base64');
  if (key.length !== 32) throw new SecretBoxError(`${file} does not hold a 32-byte key in base64`);
  return key;
}
