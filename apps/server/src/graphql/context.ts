// What every resolver gets: who is asking and the services it may call.
import type { PrismaClient, Sql } from '@esmon/db';
import type { Principal } from '../auth/principal.ts';
import type { EventBus } from '../events/bus.ts';
import type { Ingest } from '../ingest/ingest-batch.ts';
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
}

export interface GraphQLContext extends GraphQLServices {
  principal: Principal;
}
