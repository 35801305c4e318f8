// What the audit log keeps of a configuration object before and after a mutation: a loader per
// type, id → JSON (null when there is no such object). Each picks its fields by name, so a secret
// column (password hash, key hash, sealed channel secrets) never enters a snapshot; of a channel's
// secret fields only their names are kept.
import { RESOLUTIONS, readPolicies, type Resolution } from '../store/retention.ts';
import { definitionOfProbe } from '../probes/probe-rows.ts';
import { definitionOfRule } from '../rules/rule-rows.ts';
import { DEFAULT_POLICY } from '../notify/routing.ts';
import type { GraphQLContext } from './context.ts';

export type SnapshotType =
  | 'Rule'
  | 'Probe'
  | 'NotificationChannel'
  | 'NotificationPolicy'
  | 'Silence'
  | 'MaintenanceWindow'
  | 'User'
  | 'ApiKey'
  | 'RetentionPolicy';

type Load = (ctx: GraphQLContext, id: string) => Promise<unknown>;

/** A row id from an argument; undefined for anything else (the mutation itself reports the bad id). */
const rowId = (id: string): number | undefined => {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : undefined;
};

/** Loads by row id, or answers null without asking when the id cannot be one. */
const byRowId =
  (load: (ctx: GraphQLContext, id: number) => Promise<unknown>): Load =>
  (ctx, id) => {
    const n = rowId(id);
    return n === undefined ? Promise.resolve(null) : load(ctx, n);
  };

/** The names of a channel's secret fields that hold a value; null when they cannot be opened. */
async function sealedFields(ctx: GraphQLContext, sealed: string | null): Promise<string[] | null> {
  if (!sealed) return [];
  try {
    return Object.keys((await ctx.notify.box()).open(sealed) as object).sort();
  } catch {
    return null;
  }
}

export const SNAPSHOTS: Record<SnapshotType, Load> = {
  Rule: byRowId(async (ctx, id) => {
    const row = await ctx.prisma.rule.findUnique({ where: { id } });
    return row && { id: row.id, version: row.version, ...definitionOfRule(row) };
  }),
  Probe: byRowId(async (ctx, id) => {
    const row = await ctx.prisma.probe.findUnique({ where: { id } });
    // step parameters name agent-side secrets (secret:NAME), never hold them
    return row && { id: row.id, version: row.version, ...definitionOfProbe(row) };
  }),
  NotificationChannel: byRowId(async (ctx, id) => {
    const row = await ctx.prisma.notificationChannel.findUnique({ where: { id } });
    if (!row) return null;
    const { name, type, enabled, version, config, templates } = row;
    return { id, name, type, enabled, version, config, templates, sealedFields: await sealedFields(ctx, row.secrets) };
  }),
  NotificationPolicy: async (ctx) => {
    const row = await ctx.prisma.notificationPolicy.findUnique({ where: { id: 1 } });
    return row ? { version: row.version, policy: row.policy } : { version: null, policy: DEFAULT_POLICY, default: true };
  },
  Silence: byRowId((ctx, id) =>
    ctx.prisma.silence.findUnique({
      where: { id },
      select: { id: true, matchers: true, startsAt: true, endsAt: true, comment: true, sendFirstRecovery: true, createdById: true },
    }),
  ),
  MaintenanceWindow: byRowId((ctx, id) =>
    ctx.prisma.maintenanceWindow.findUnique({
      where: { id },
      select: {
        id: true, name: true, description: true, startsAt: true, durationSeconds: true, rrule: true, timeZone: true, scope: true,
        keepEvaluating: true, suppressNotifications: true, muteFirstRecovery: true, sendFirstRecovery: true, enabled: true,
      },
    }),
  ),
  User: byRowId((ctx, id) =>
    ctx.prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, disabled: true } }),
  ),
  ApiKey: byRowId((ctx, id) =>
    ctx.prisma.apiKey.findUnique({
      where: { id },
      select: { id: true, name: true, kind: true, prefix: true, role: true, hostId: true, expiresAt: true, revokedAt: true },
    }),
  ),
  RetentionPolicy: async (ctx, resolution) => {
    if (!(RESOLUTIONS as readonly string[]).includes(resolution)) return null;
    const policies = await readPolicies(ctx.sql, ctx.store.retentionDefaults);
    return { resolution, ...policies[resolution as Resolution] };
  },
};
