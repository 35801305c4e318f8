// Who is asking. Every GraphQL field and HTTP route decides from this alone.
import type { Role } from '@esmon/db';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: number; role: Role; sessionId: number }
  | { kind: 'agent'; keyId: number; hostId: number; hostname: string }
  | { kind: 'integration'; keyId: number; role: Role };

const rank: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

/** The role a principal acts with; agent keys have none (they only ingest for their host). */
export function roleOf(p: Principal): Role | undefined {
  return p.kind === 'user' || p.kind === 'integration' ? p.role : undefined;
}

export function hasRole(p: Principal, atLeast: Role): boolean {
  const role = roleOf(p);
  return role !== undefined && rank[role] >= rank[atLeast];
}

/** Samples may be pushed by agent keys (own host only) and by analysts and admins. */
export function canIngest(p: Principal): boolean {
  return p.kind === 'agent' || hasRole(p, 'analyst');
}

/** A stable id of the sender, scoping batch ids so one sender cannot pre-empt another's. */
export function sourceOf(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return `user:${p.userId}`;
    case 'agent':
    case 'integration':
      return `key:${p.keyId}`;
    case 'anonymous':
      return 'anonymous';
  }
}
