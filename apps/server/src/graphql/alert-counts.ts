// How many alerts are open, by state and (for firing ones) severity: the dashboard's summary.
// The alertCounts subscription in alert-live.ts re-sends these after alert events.
import type { SqlRunner } from '@esmon/db';
import { builder } from './builder.ts';

export interface FiringCounts {
  warning: number;
  critical: number;
  veryCritical: number;
  /** every firing alert, those without a severity included */
  total: number;
}

/** Counts over open alerts only; `acknowledged` cuts across the states. */
export interface AlertCounts {
  open: number;
  firing: FiringCounts;
  pending: number;
  nodata: number;
  stale: number;
  acknowledged: number;
}

/** Counts the open alerts in one pass over the open ones (open_key is unique, so indexed). */
export async function countOpenAlerts(sql: SqlRunner): Promise<AlertCounts> {
  const [row] = await sql.query<Record<'open' | 'warning' | 'critical' | 'very_critical' | 'firing' | 'pending' | 'nodata' | 'stale' | 'acknowledged', number>>(
    `SELECT count(*)::int AS open,
            count(*) FILTER (WHERE state = 'firing' AND severity = 'warning')::int AS warning,
            count(*) FILTER (WHERE state = 'firing' AND severity = 'critical')::int AS critical,
            count(*) FILTER (WHERE state = 'firing' AND severity = 'very_critical')::int AS very_critical,
            count(*) FILTER (WHERE state = 'firing')::int AS firing,
            count(*) FILTER (WHERE state = 'pending')::int AS pending,
            count(*) FILTER (WHERE state = 'nodata')::int AS nodata,
            count(*) FILTER (WHERE state = 'stale')::int AS stale,
            count(*) FILTER (WHERE acknowledged_at IS NOT NULL)::int AS acknowledged
       FROM alerts WHERE open_key IS NOT NULL`,
  );
  if (!row) throw new Error('count query returned no row');
  return {
    open: row.open,
    firing: { warning: row.warning, critical: row.critical, veryCritical: row.very_critical, total: row.firing },
    pending: row.pending,
    nodata: row.nodata,
    stale: row.stale,
    acknowledged: row.acknowledged,
  };
}

const FiringCountsRef = builder.objectRef<FiringCounts>('FiringAlertCounts').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    warning: t.exposeInt('warning'),
    critical: t.exposeInt('critical'),
    veryCritical: t.exposeInt('veryCritical'),
    total: t.exposeInt('total', { description: 'every firing alert, those without a severity included' }),
  }),
});

export const AlertCountsRef = builder.objectRef<AlertCounts>('AlertCounts').implement({
  authScopes: { viewer: true },
  description: 'Open alerts by state; acknowledged ones are counted in their state too',
  fields: (t) => ({
    open: t.exposeInt('open'),
    firing: t.field({ type: FiringCountsRef, resolve: (c) => c.firing }),
    pending: t.exposeInt('pending'),
    nodata: t.exposeInt('nodata'),
    stale: t.exposeInt('stale'),
    acknowledged: t.exposeInt('acknowledged'),
  }),
});

builder.queryField('alertCounts', (t) =>
  t.field({
    type: AlertCountsRef,
    authScopes: { viewer: true },
    resolve: (_root, _args, ctx) => countOpenAlerts(ctx.sql),
  }),
);
