// Users, sessions and API keys: the verbs the GraphQL layer and the CLI call.
import type { PrismaClient, Role } from '@esmon/db';
import { decoyHash, hashPassword, hashToken, newPassword, newToken, tokenPrefix, verifyPassword } from './secrets.ts';

export class AuthError extends Error {
  override name = 'AuthError';
}

export interface LoginOptions {
  prisma: PrismaClient;
  email: string;
  password: string;
  ttlSeconds: number;
  now?: Date;
}

/** Verifies a password and opens a session; the token is returned once and stored hashed. */
export async function login({ prisma, email, password, ttlSeconds, now = new Date() }: LoginOptions) {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok || user.disabled) throw new AuthError('invalid email or password');
  const token = newToken('session');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await prisma.$transaction([
    prisma.session.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt } }),
    prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: now } }),
  ]);
  return { token, expiresAt, user };
}

export async function createUser(prisma: PrismaClient, input: { email: string; password: string; role: Role; name?: string | null }) {
  return prisma.user.create({
    data: {
      email: input.email.trim().toLowerCase(),
      name: input.name ?? null,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    },
  });
}

export interface EnsureAdminResult {
  created: boolean;
  email: string;
  /** Set only when a password was generated: show it once, never log it. */
  generatedPassword?: string;
}

/** First start: creates the admin with the configured password, or a generated one-time password. */
export async function ensureAdmin(prisma: PrismaClient, email: string, password?: string): Promise<EnsureAdminResult> {
  const existing = await prisma.user.findFirst({ where: { role: 'admin' } });
  if (existing) return { created: false, email: existing.email };
  const generated = password ? undefined : newPassword();
  const user = await createUser(prisma, { email, password: password ?? generated!, role: 'admin', name: 'Administrator' });
  return { created: true, email: user.email, ...(generated ? { generatedPassword: generated } : {}) };
}

export async function resetPassword(prisma: PrismaClient, email: string, password?: string) {
  const next = password ?? newPassword();
  const user = await prisma.user.update({
    where: { email: email.trim().toLowerCase() },
    data: { passwordHash: await hashPassword(next), sessions: { updateMany: { where: { revokedAt: null }, data: { revokedAt: new Date() } } } },
  });
  return { email: user.email, password: next };
}

export interface CreateApiKeyInput {
  name: string;
  kind: 'agent' | 'integration';
  /** integration keys: the role they act with */
  role?: Role | null;
  /** agent keys: the host they are bound to (created when unknown) */
  hostname?: string | null;
  expiresAt?: Date | null;
  createdById?: number | null;
}

/** Creates a key; the secret is in the result and nowhere else (only its hash is stored). */
export async function createApiKey(prisma: PrismaClient, input: CreateApiKeyInput) {
  if (input.kind === 'agent' && !input.hostname) throw new AuthError('an agent key needs the hostname it is bound to');
  if (input.kind === 'integration' && !input.role) throw new AuthError('an integration key needs a role');
  const host = input.hostname
    ? await prisma.host.upsert({ where: { hostname: input.hostname }, create: { hostname: input.hostname }, update: {} })
    : null;
  const secret = newToken(input.kind);
  const apiKey = await prisma.apiKey.create({
    data: {
      name: input.name,
      kind: input.kind,
      prefix: tokenPrefix(secret),
      secretHash: hashToken(secret),
      role: input.kind === 'integration' ? input.role! : null,
      hostId: host?.id ?? null,
      expiresAt: input.expiresAt ?? null,
      createdById: input.createdById ?? null,
    },
  });
  return { secret, apiKey };
}

/** True when the secret names a live key (used to reuse the local agent's key across restarts). */
export async function isLiveKey(prisma: PrismaClient, secret: string): Promise<boolean> {
  const key = await prisma.apiKey.findUnique({ where: { secretHash: hashToken(secret) } });
  return !!key && !key.revokedAt && (!key.expiresAt || key.expiresAt > new Date());
}
