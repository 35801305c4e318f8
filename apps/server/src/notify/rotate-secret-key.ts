// Rotating the key that seals secrets at rest: every sealed value is opened with the current key
// and sealed again with the new one in ONE transaction (a value the current key cannot open stops
// it, nothing changed); with a key file, the new key is written beside the old first
// (secret.key.next, mode 0600) and moved into place only after the database committed.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrismaClient } from '@esmon/db';
import { SecretBoxError, type SecretBox } from './secret-box.ts';

/** Re-seals every channel's secrets from `from` to `to`; returns how many were re-sealed. */
export async function resealSecrets(prisma: PrismaClient, from: SecretBox, to: SecretBox): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.notificationChannel.findMany({ where: { secrets: { not: null } }, select: { id: true, name: true, secrets: true }, orderBy: { id: 'asc' } });
    for (const row of rows) {
      let value: unknown;
      try {
        value = from.open(row.secrets!);
      } catch {
        throw new SecretBoxError(`channel ${row.id} "${row.name}": its secrets cannot be opened with the current key, so nothing was changed`);
      }
      await tx.notificationChannel.update({ where: { id: row.id }, data: { secrets: to.seal(value) } });
    }
    return rows.length;
  });
}

/** A new key from `given` (base64 of 32 bytes) or at random. */
export function newSecretKey(given?: string): Buffer {
  if (given === undefined) return randomBytes(32);
  const key = Buffer.from(given, 'base64');
  if (key.length !== 32) throw new SecretBoxError(`the new key must be 32 bytes in base64 (openssl rand -base64 32), not ${key.length} bytes`);
  return key;
}

/** The key file's two steps: stage the new key beside the old, then put it in place. */
export function secretKeyFile(dataDir: string) {
  const file = join(dataDir, 'secret.key');
  const next = `${file}.next`;
  return {
    file,
    next,
    stage: (key: Buffer) => writeFile(next, `${key.toString('base64')}\n`, { mode: 0o600 }),
    install: () => rename(next, file),
    discard: () => rm(next, { force: true }),
  };
}
