// The overview's numbers for every host at once: CPU, memory and disk usage in % (the values now as
// a query; as a subscription, the values now and then their changes batched over all hosts, at most
// about once a second per subscriber, fed by the committed-samples bus channel) and the firing
// alerts per host by severity.
import { Repeater } from 'graphql-yoga';
import type { Sql, SqlRunner } from '@esmon/db';
import type { EventBus, SamplesAddedEvent } from '../events/bus.ts';
import { decodeChunk } from '../store/codec.ts';
import { builder } from './builder.ts';
import { idArg, userError } from './errors.ts';

/** What the agent sends (agent/src/system/): total CPU and memory without labels, disk per mount. */
export const GAUGE_METRICS = { cpu: 'os.cpu.usage', memory: 'os.mem.used_pct', disk: 'os.disk.used_pct' } as const;
/** A mount whose newest sample is this much older than the host's newest disk sample is gone. */
const GONE_MOUNT_MS = 10 * 60_000;

export interface HostGauges {
  hostId: number;
  hostname: string;
  cpu: number | null;
  memory: number | null;
  /** the fullest mount's usage */
  disk: number | null;
  diskMount: string | null;
  /** the newest sample among these */
  at: Date;
}

interface Pending {
  hostname: string;
  cpu: number | null;
  memory: number | null;
  disks: Map<string, number>;
  at: number;
}

/** Folds committed samples into one pending update per host; `take` hands them over and clears. */
export class GaugeFold {
  private pending = new Map<number, Pending>();

  get size(): number {
    return this.pending.size;
  }

  /** Whether the event carried any gauge sample. */
  add(event: SamplesAddedEvent): boolean {
    let p: Pending | undefined;
    for (const s of event.samples) {
      const plain = Object.keys(s.labels).length === 0;
      const kind =
        s.metric === GAUGE_METRICS.cpu && plain ? 'cpu' : s.metric === GAUGE_METRICS.memory && plain ? 'memory' : s.metric === GAUGE_METRICS.disk ? 'disk' : undefined;
      if (!kind || !Number.isFinite(s.value)) continue;
      p ??= this.pending.get(event.hostId);
      if (!p) {
        p = { hostname: event.hostname, cpu: null, memory: null, disks: new Map(), at: 0 };
        this.pending.set(event.hostId, p);
      }
      const ts = s.ts.getTime();
      // within one window the newest sample of each wins (batches may arrive out of order)
      if (kind === 'disk') p.disks.set(s.labels.mount ?? '', s.value);
      else if (ts >= p.at || p[kind] == null) p[kind] = s.value;
      p.at = Math.max(p.at, ts);
    }
    return p !== undefined;
  }

  take(): HostGauges[] {
    const out: HostGauges[] = [];
    for (const [hostId, p] of this.pending) {
      let disk: number | null = null;
      let diskMount: string | null = null;
      for (const [mount, value] of p.disks) {
        if (disk == null || value > disk) [disk, diskMount] = [value, mount];
      }
      out.push({ hostId, hostname: p.hostname, cpu: p.cpu, memory: p.memory, disk, diskMount, at: new Date(p.at) });
    }
    this.pending.clear();
    return out;
  }
}

/** The newest gauge values of the given hosts (all when undefined), in one query. */
export async function currentHostGauges(sql: SqlRunner, hostIds?: number[]): Promise<HostGauges[]> {
  const rows = await sql.query<{ host_id: number; hostname: string; metric: string; labels: Record<string, string>; ts: Date | null; value: number | null; data: Uint8Array | null }>(
    `SELECT se.host_id, h.hostname, se.metric, se.labels, s.ts, s.value, c.data
       FROM series se JOIN hosts h ON h.id = se.host_id
       LEFT JOIN LATERAL (SELECT ts, value FROM samples WHERE series_id = se.id ORDER BY ts DESC LIMIT 1) s ON true
       LEFT JOIN LATERAL (SELECT data FROM sample_chunks WHERE series_id = se.id AND s.ts IS NULL ORDER BY start DESC LIMIT 1) c ON true
      WHERE se.metric = ANY($1::text[]) AND (se.metric = $2 OR se.labels_key = '')
        AND ($3::int[] IS NULL OR se.host_id = ANY($3::int[]))
        AND (s.ts IS NOT NULL OR c.data IS NOT NULL)`,
    [Object.values(GAUGE_METRICS), GAUGE_METRICS.disk, hostIds ?? null],
  );
  const byHost = new Map<number, { g: HostGauges; disks: { mount: string; value: number; ts: number }[] }>();
  for (const r of rows) {
    let ts: number;
    let value: number;
    if (r.ts) [ts, value] = [r.ts.getTime(), Number(r.value)];
    else {
      const chunk = decodeChunk(r.data!);
      const last = chunk.ts.length - 1;
      [ts, value] = [chunk.ts[last]!, chunk.values[last]!];
    }
    let h = byHost.get(r.host_id);
    if (!h) {
      h = { g: { hostId: r.host_id, hostname: r.hostname, cpu: null, memory: null, disk: null, diskMount: null, at: new Date(0) }, disks: [] };
      byHost.set(r.host_id, h);
    }
    if (r.metric === GAUGE_METRICS.disk) h.disks.push({ mount: r.labels.mount ?? '', value, ts });
    else h.g[r.metric === GAUGE_METRICS.cpu ? 'cpu' : 'memory'] = value;
    if (ts > h.g.at.getTime()) h.g.at = new Date(ts);
  }
  for (const { g, disks } of byHost.values()) {
    const newest = Math.max(...disks.map((d) => d.ts));
    for (const d of disks) {
      if (d.ts >= newest - GONE_MOUNT_MS && (g.disk == null || d.value > g.disk)) [g.disk, g.diskMount] = [d.value, d.mount];
    }
  }
  return [...byHost.values()].map((h) => h.g).sort((a, b) => a.hostId - b.hostId);
}

/**
 * The gauges of all hosts now (when `sql` is given), then their changes: one list per window of
 * `intervalMs`, each host once with its newest values. Listening starts before the values now are
 * read, so nothing committed in between is lost (a subscriber keeps the newest by `at`).
 */
export function liveHostGauges(bus: EventBus, sql?: SqlRunner, intervalMs = 1000): Repeater<HostGauges[]> {
  return new Repeater<HostGauges[]>(async (push, stop) => {
    const fold = new GaugeFold();
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // no window closes before the values now are sent
    let busy = sql !== undefined;
    let stopped = false;
    void stop.then(() => (stopped = true));
    const schedule = () => {
      if (busy || stopped) return;
      busy = true;
      timer = setTimeout(async () => {
        last = Date.now();
        try {
          // a slow subscriber holds the next window back; what arrives meanwhile is folded in
          if (fold.size > 0) await push(fold.take());
        } finally {
          busy = false;
          if (fold.size > 0) schedule();
        }
      }, Math.max(20, last + intervalMs - Date.now()));
    };
    const events = bus.subscribe('samplesCommitted');
    const listening = (async () => {
      for await (const event of events) if (fold.add(event)) schedule();
    })();
    if (sql) {
      try {
        await push(await currentHostGauges(sql));
        last = Date.now();
        busy = false;
        if (fold.size > 0) schedule();
      } catch (err) {
        stop(err);
      }
    }
    await stop;
    clearTimeout(timer);
    await events.return();
    await listening;
  });
}

export interface HostAlertCounts {
  hostId: number;
  warning: number;
  critical: number;
  veryCritical: number;
  total: number;
}

/** Firing open alerts per host (hosts without any left out). */
export async function countFiringByHost(sql: SqlRunner): Promise<HostAlertCounts[]> {
  const rows = await sql.query<{ host_id: number; warning: number; critical: number; very_critical: number; total: number }>(
    `SELECT host_id,
            count(*) FILTER (WHERE severity = 'warning')::int AS warning,
            count(*) FILTER (WHERE severity = 'critical')::int AS critical,
            count(*) FILTER (WHERE severity = 'very_critical')::int AS very_critical,
            count(*)::int AS total
       FROM alerts WHERE open_key IS NOT NULL AND state = 'firing' AND host_id IS NOT NULL
      GROUP BY host_id ORDER BY host_id`,
  );
  return rows.map((r) => ({ hostId: r.host_id, warning: r.warning, critical: r.critical, veryCritical: r.very_critical, total: r.total }));
}

/** The counts at once, then again after alert events; a burst costs one more recount, not one each. */
function liveFiringByHost(sql: Sql, bus: EventBus): Repeater<HostAlertCounts[]> {
  return new Repeater<HostAlertCounts[]>(async (push, stop) => {
    let dirty = false;
    let counting: Promise<void> | undefined;
    const recount = () => {
      dirty = true;
      counting ??= (async () => {
        try {
          while (dirty) {
            dirty = false;
            await push(await countFiringByHost(sql));
          }
        } catch (err) {
          stop(err);
        } finally {
          counting = undefined;
        }
      })();
    };
    const events = bus.subscribe('alertEvents');
    const listening = (async () => {
      for await (const _event of events) recount();
    })();
    recount();
    await stop;
    await events.return();
    await listening;
  });
}

const HostGaugesRef = builder.objectRef<HostGauges>('HostGauges').implement({
  authScopes: { viewer: true },
  description: `CPU (${GAUGE_METRICS.cpu}), memory (${GAUGE_METRICS.memory}) and disk (${GAUGE_METRICS.disk} of the fullest mount) usage of one host, in %`,
  fields: (t) => ({
    hostId: t.exposeID('hostId'),
    hostname: t.exposeString('hostname'),
    cpu: t.exposeFloat('cpu', { nullable: true, description: 'null: no sample (in an update: none in this window, keep the last)' }),
    memory: t.exposeFloat('memory', { nullable: true }),
    disk: t.exposeFloat('disk', { nullable: true }),
    diskMount: t.exposeString('diskMount', { nullable: true, description: 'the mount `disk` is of' }),
    at: t.expose('at', { type: 'DateTime', description: 'the newest sample among these' }),
  }),
});

const HostAlertCountsRef = builder.objectRef<HostAlertCounts>('HostAlertCounts').implement({
  authScopes: { viewer: true },
  description: 'Firing open alerts of one host, by severity',
  fields: (t) => ({
    hostId: t.exposeID('hostId'),
    warning: t.exposeInt('warning'),
    critical: t.exposeInt('critical'),
    veryCritical: t.exposeInt('veryCritical'),
    total: t.exposeInt('total', { description: 'every firing alert, those without a severity included' }),
  }),
});

builder.queryField('hostGauges', (t) =>
  t.field({
    type: [HostGaugesRef],
    authScopes: { viewer: true },
    description: 'The newest gauge values of these hosts (all hosts when omitted); hosts without any are left out',
    args: { hostIds: t.arg.idList() },
    resolve: (_root, args, ctx) => {
      if (args.hostIds && args.hostIds.length > 1000) throw userError('BAD_USER_INPUT', 'hostIds: at most 1000 hosts at once');
      return currentHostGauges(ctx.sql, args.hostIds?.map((id) => idArg(id, 'hostIds')));
    },
  }),
);

builder.subscriptionField('hostGauges', (t) =>
  t.field({
    type: [HostGaugesRef],
    authScopes: { viewer: true },
    description: 'The gauges of every host at once, then their changes as samples are stored, batched: at most about one list a second, each host once (null: no sample of it in this window, keep the last)',
    subscribe: (_root, _args, ctx) => liveHostGauges(ctx.bus, ctx.sql),
    resolve: (batch) => batch,
  }),
);

builder.queryField('hostAlertCounts', (t) =>
  t.field({
    type: [HostAlertCountsRef],
    authScopes: { viewer: true },
    description: 'Firing alerts per host; hosts without any are left out',
    resolve: (_root, _args, ctx) => countFiringByHost(ctx.sql),
  }),
);

builder.subscriptionField('hostAlertCounts', (t) =>
  t.field({
    type: [HostAlertCountsRef],
    authScopes: { viewer: true },
    description: 'Firing alerts per host at once, and again whenever alert events change them (the whole list each time)',
    subscribe: (_root, _args, ctx) => liveFiringByHost(ctx.sql, ctx.bus),
    resolve: (counts) => counts,
  }),
);
