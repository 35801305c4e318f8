// Bearer tokens → principals. Sessions and API keys are looked up by the SHA-256 of the token
// on every request, so expiry and revocation take effect at once.
import type { PrismaClient } from '@esmon/db';
import { hashToken } from './secrets.ts';
import type { Principal } from './principal.ts';

export type Authenticate = (authorization: string | null | undefined) => Promise<AuthResult>;

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'disabled' };

const anonymous: AuthResult = { ok: true, principal: { kind: 'anonymous' } };

export function describeAuthFailure(reason: Exclude<AuthResult, { ok: true }>['reason']): string {
  switch (reason) {
    case 'missing':
      return 'no credentials: send Authorization: Bearer <token>';
    case 'malformed':
      return 'the Authorization header must be "Bearer <token>"';
    case 'unknown':
      return 'the token is not valid';
    case 'expired':
      return 'the token has expired; log in again or use a new key';
    case 'revoked':
      return 'the token has been revoked';
    case 'disabled':
      return 'the user is disabled';
  }
}

/** Extracts the token of "Bearer <token>" (or a bare token, as graphql-ws connection params send). */
export function bearerToken(authorization: string): string | undefined {
  const match = /^(?:Bearer\s+)?(esm_[sai]_[A-Za-z0-9_-]{20,})$/.exec(authorization.trim());
  return match?.[1];
}

/** Records when a key was last used, at most once a minute per key, off the request's path. */
function touchKey(prisma: PrismaClient, id: number, lastUsedAt: Date | null, at: Date): void {
  if (lastUsedAt && at.getTime() - lastUsedAt.getTime() < 60_000) return;
  prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } }).catch(() => undefined);
}

export function createAuthenticate(prisma: PrismaClient, now: () => Date = () => new Date()): Authenticate {
  return async (authorization) => {
    if (!authorization) return anonymous;
    const token = bearerToken(authorization);
    if (!token) return { ok: false, reason: 'malformed' };
    const hash = hashToken(token);
    if (token.startsWith('esm_s_')) {
      const session = await prisma.session.findUnique({ where: { tokenHash: hash }, include: { user: true } });
      if (!session) return { ok: false, reason: 'unknown' };
      if (session.revokedAt) return { ok: false, reason: 'revoked' };
      if (session.expiresAt <= now()) return { ok: false, reason: 'expired' };
      if (session.user.disabled) return { ok: false, reason: 'disabled' };
      return { ok: true, principal: { kind: 'user', userId: session.userId, role: session.user.role, sessionId: session.id } };
    }
    const key = await prisma.apiKey.findUnique({ where: { secretHash: hash }, include: { host: true } });
    if (!key) return { ok: false, reason: 'unknown' };
    if (key.revokedAt) return { ok: false, reason: 'revoked' };
    if (key.expiresAt && key.expiresAt <= now()) return { ok: false, reason: 'expired' };
    touchKey(prisma, key.id, key.lastUsedAt, now());
    if (key.kind === 'agent' && key.host) {
      return { ok: true, principal: { kind: 'agent', keyId: key.id, hostId: key.host.id, hostname: key.host.hostname } };
    }
    if (key.kind === 'integration' && key.role) {
      return { ok: true, principal: { kind: 'integration', keyId: key.id, role: key.role } };
    }
    return { ok: false, reason: 'unknown' };
  };
}
