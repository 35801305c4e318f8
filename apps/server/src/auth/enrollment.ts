// Agent enrolment: an admin creates a one-time token (optionally bound to one hostname, expiring);
// a new agent trades it, once, for its own agent key bound to its host. Only the token's hash is
// stored; the token and the key are each shown once.
import type { PrismaClient } from '@esmon/db';
import { hostname as hostnameSchema } from '@esmon/schema';
import { AuthError, createApiKey } from './accounts.ts';
import { hashToken, newToken, tokenPrefix } from './secrets.ts';

export async function createEnrollmentToken(
  prisma: PrismaClient,
  input: { hostname?: string | null; ttlMinutes: number; createdById?: number | null; now?: Date },
) {
  if (input.hostname) hostnameSchema.parse(input.hostname);
  const token = newToken('enrollment');
  const expiresAt = new Date((input.now ?? new Date()).getTime() + input.ttlMinutes * 60_000);
  await prisma.enrollmentToken.create({
    data: { tokenHash: hashToken(token), prefix: tokenPrefix(token), hostname: input.hostname ?? null, expiresAt, createdById: input.createdById ?? null },
  });
  return { token, expiresAt };
}

/**
 * Trades a token for an agent key. The claim is one conditional UPDATE, so two agents racing
 * with the same token cannot both win. Every refusal says the same thing to the caller.
 */
export async function enrollAgent(prisma: PrismaClient, input: { token: string; hostname: string; now?: Date }) {
  const now = input.now ?? new Date();
  const hostname = hostnameSchema.parse(input.hostname);
  const refused = () => new AuthError('the enrolment token is unknown, used, expired or for another host');
  const claimed = await prisma.enrollmentToken.updateMany({
    where: { tokenHash: hashToken(input.token), usedAt: null, expiresAt: { gt: now }, OR: [{ hostname: null }, { hostname }] },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) throw refused();
  const { secret, apiKey } = await createApiKey(prisma, { kind: 'agent', name: `enrolled ${hostname}`, hostname });
  await prisma.enrollmentToken.update({ where: { tokenHash: hashToken(input.token) }, data: { usedByKeyId: apiKey.id } });
  return { key: secret, hostname };
}
