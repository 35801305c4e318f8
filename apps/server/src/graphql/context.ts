// What every resolver gets: who is asking and the services it may call.
import type { PrismaClient, Sql } from '@esmon/db';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Principal } from '../auth/principal.ts';
import type { ProbeSigner } from '../auth/signing-key.ts';
import type { EventBus } from '../events/bus.ts';
import type { Ingest } from '../ingest/ingest-batch.ts';
import type { LoginLimiter } from '../limits/limits.ts';
import type { NotifyServices } from '../notify/services.ts';
import type { Store } from '../store/store.ts';

export interface GraphQLServices {
  prisma: PrismaClient;
  sql: Sql;
  bus: EventBus;
  ingest: Ingest;
  store: Store;
  sessionTtlSeconds: number;
  notify: NotifyServices;
  /** where every mutation is recorded (graphql/audit-recorder.ts) */
  audit: AuditLog;
  /** rate limits and back-off in front of every password check (limits/login-guard.ts) */
  loginGuard: LoginLimiter;
  /** signs the probe definitions handed to agents (auth/signing-key.ts) */
  signer: ProbeSigner;
}

export interface GraphQLContext extends GraphQLServices {
  principal: Principal;
  /** the client's IP address, for the audit log */
  address: string | null;
}
