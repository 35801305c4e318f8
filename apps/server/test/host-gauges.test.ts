// The overview's batched numbers through the running server: hostGauges (query and subscription over
// a real WebSocket, fed by committed samples) and hostAlertCounts (firing alerts per host, live).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import type { AlertEventMessage, SamplesAddedEvent } from '../src/events/bus.ts';
import { liveHostGauges } from '../src/graphql/host-gauges.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { subscribe, wsClient } from './live-client.ts';

const FIELDS = 'hostId hostname cpu memory disk diskMount at';

/** One host's gauges as the agent sends them: total CPU, per-core CPU, memory, two mounts. */
function gaugeBatch(hostname: string, ts: number, cpu: number, rootPct = 40, dataPct = 75) {
  return {
    batchId: `gauges-${hostname}-${ts}-${Math.random()}`,
    hosts: [{
      hostname,
      samples: [
        { metric: 'os.cpu.usage', ts, value: cpu },
        { metric: 'os.cpu.usage', ts, value: 99, labels: { core: '0' } },
        { metric: 'os.mem.used_pct', ts, value: 61.5 },
        { metric: 'os.disk.used_pct', ts, value: rootPct, labels: { mount: '/', fs: 'ext4' } },
        { metric: 'os.disk.used_pct', ts, value: dataPct, labels: { mount: '/srv', fs: 'xfs' } },
        { metric: 'os.load.1', ts, value: 3 },
      ],
    }],
  };
}

describe(`host gauges and per-host alert counts (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  const keys: Record<string, string> = {};
  const hostId = async (hostname: string) => String((await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname } })).id);

  beforeAll(async () => {
    s = await startTestServer({ ESMON_EVALUATOR: 'off' });
    viewer = await s.userToken('viewer');
    for (const h of ['gauge-1', 'gauge-2']) keys[h] = await s.agentKey(h);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers the newest values of every host in one query: total CPU, memory, the fullest mount', async () => {
    const now = Date.now();
    expect((await s.ingest(gaugeBatch('gauge-1', now - 2000, 10), keys['gauge-1'])).status).toBe(200);
    expect((await s.ingest(gaugeBatch('gauge-1', now - 1000, 12.5, 91, 30), keys['gauge-1'])).status).toBe(200);
    expect((await s.ingest(gaugeBatch('gauge-2', now - 1000, 3), keys['gauge-2'])).status).toBe(200);
    const r = await s.gql<any>(`{ hostGauges { ${FIELDS} } }`, {}, viewer);
    expect(r.errors).toBeUndefined();
    const [g1, g2] = [await hostId('gauge-1'), await hostId('gauge-2')];
    expect(r.data.hostGauges).toEqual([
      { hostId: g1, hostname: 'gauge-1', cpu: 12.5, memory: 61.5, disk: 91, diskMount: '/', at: new Date(now - 1000).toISOString() },
      { hostId: g2, hostname: 'gauge-2', cpu: 3, memory: 61.5, disk: 75, diskMount: '/srv', at: new Date(now - 1000).toISOString() },
    ]);
    const one = await s.gql<any>('query ($ids: [ID!]) { hostGauges(hostIds: $ids) { hostname } }', { ids: [g2] }, viewer);
    expect(one.data.hostGauges).toEqual([{ hostname: 'gauge-2' }]);
    const bad = await s.gql<any>('query ($ids: [ID!]) { hostGauges(hostIds: $ids) { hostname } }', { ids: ['x'] }, viewer);
    expect(bad.errors?.[0]?.message).toMatch(/hostIds/);
  });

  it('refuses the anonymous, over HTTP and over the WebSocket', async () => {
    expect((await s.gql<any>('{ hostGauges { hostId } }')).errors?.[0]?.message).toMatch(/log in first/);
    expect((await s.gql<any>('{ hostAlertCounts { hostId } }')).errors?.[0]?.message).toMatch(/log in first/);
    const anon = wsClient(s.url);
    await expect(subscribe(anon, 'subscription { hostGauges { hostId } }').next()).rejects.toThrow(/log in first/);
    await expect(subscribe(anon, 'subscription { hostAlertCounts { hostId } }').next()).rejects.toThrow(/log in first/);
    await anon.dispose();
  });

  it('sends the gauges of every host at once, then their changes once the samples are stored (real WebSocket)', async () => {
    const client = wsClient(s.url, viewer);
    const q = subscribe<any>(client, `subscription { hostGauges { ${FIELDS} } }`);
    const g1 = await hostId('gauge-1');
    const now = (await s.gql<any>(`{ hostGauges { ${FIELDS} } }`, {}, viewer)).data.hostGauges;
    expect((await q.next()).hostGauges).toEqual(now);
    const sent: number[] = [];
    const event = await q.nextPoking(async () => {
      // the server acknowledges no subscribe: send until the first list arrives
      const ts = Date.now();
      sent.push(ts);
      expect((await s.ingest(gaugeBatch('gauge-1', ts, 42.25, 50, 60), keys['gauge-1'])).status).toBe(200);
      expect((await s.ingest(gaugeBatch('gauge-2', ts, 7), keys['gauge-2'])).status).toBe(200);
    }, (e) => e.hostGauges.some((g: any) => g.cpu === 42.25), 10_000);
    const mine = event.hostGauges.find((g: any) => g.hostname === 'gauge-1');
    expect(mine).toEqual({ hostId: g1, hostname: 'gauge-1', cpu: 42.25, memory: 61.5, disk: 60, diskMount: '/srv', at: expect.any(String) });
    expect(sent.map((t) => new Date(t).toISOString())).toContain(mine.at);
    // a list names each host once
    expect(new Set(event.hostGauges.map((g: any) => g.hostId)).size).toBe(event.hostGauges.length);
    q.close();
    await client.dispose();
  });

  it('folds a burst into one list per window, each host once with its newest values; other metrics are no update', async () => {
    const live = liveHostGauges(s.bus, undefined, 1000);
    const first = live.next();
    // let the subscription reach the bus before publishing
    await new Promise((r) => setTimeout(r, 50));
    const event = (hostId: number, ts: number, samples: SamplesAddedEvent['samples']): SamplesAddedEvent => ({ hostId, hostname: `h${hostId}`, samples });
    const sample = (metric: string, ts: number, value: number, labels: Record<string, string> = {}) => ({ seriesId: 1, metric, labels, ts: new Date(ts), value });
    s.bus.publish('samplesCommitted', event(900, 1000, [sample('os.load.1', 1000, 5)]));
    for (let i = 1; i <= 10; i++) {
      s.bus.publish('samplesCommitted', event(901, 1000 * i, [sample('os.cpu.usage', 1000 * i, i), sample('os.cpu.usage', 1000 * i, 100 - i, { core: '1' })]));
      s.bus.publish('samplesCommitted', event(902, 1000 * i, [sample('os.disk.used_pct', 1000 * i, i, { mount: '/' }), sample('os.disk.used_pct', 1000 * i, 5, { mount: '/boot' })]));
    }
    const got = await first;
    expect(got.done).toBe(false);
    expect(got.value).toEqual([
      { hostId: 901, hostname: 'h901', cpu: 10, memory: null, disk: null, diskMount: null, at: new Date(10_000) },
      { hostId: 902, hostname: 'h902', cpu: null, memory: null, disk: 10, diskMount: '/', at: new Date(10_000) },
    ]);
    // the next window waits for the interval, then carries only what came since
    const second = live.next();
    s.bus.publish('samplesCommitted', event(902, 11_000, [sample('os.mem.used_pct', 11_000, 33)]));
    expect((await second).value).toEqual([{ hostId: 902, hostname: 'h902', cpu: null, memory: 33, disk: null, diskMount: null, at: new Date(11_000) }]);
    await live.return();
  });

  it('sends firing alerts per host at once and again after alert events', async () => {
    const host = Number(await hostId('gauge-1'));
    const rule = (await s.testDb.prisma.rule.create({ data: { name: 'gauge cpu', expression: 'avg(os.cpu.usage, "5m") > 90' } })).id;
    const alert = (fingerprint: string, severity: 'warning' | 'critical' | 'very_critical', state: 'firing' | 'pending' = 'firing') =>
      s.testDb.prisma.alert.create({ data: { ruleId: rule, hostId: host, fingerprint, state, severity, startedAt: new Date(), openKey: `${rule}:${fingerprint}` } });
    await alert('a', 'critical');
    await alert('b', 'warning', 'pending');
    const client = wsClient(s.url, viewer);
    const q = subscribe<any>(client, 'subscription { hostAlertCounts { hostId warning critical veryCritical total } }');
    const mine = (e: any) => e.hostAlertCounts.find((c: any) => c.hostId === String(host));
    expect(mine(await q.next())).toEqual({ hostId: String(host), warning: 0, critical: 1, veryCritical: 0, total: 1 });
    const added = await alert('c', 'very_critical');
    const message: AlertEventMessage = {
      id: 1, alertId: added.id, ruleId: rule, ruleName: 'gauge cpu', fingerprint: 'c', hostId: host, hostname: 'gauge-1', labels: {},
      kind: 'state', fromState: 'pending', toState: 'firing', fromSeverity: null, severity: 'very_critical', value: 95, message: null,
      notify: true, mutedBy: null, userId: null, at: new Date(),
    };
    s.bus.publish('alertEvents', message);
    const after = await q.next((e) => mine(e)?.veryCritical === 1);
    expect(mine(after)).toEqual({ hostId: String(host), warning: 0, critical: 1, veryCritical: 1, total: 2 });
    const now = await s.gql<any>('{ hostAlertCounts { hostId total } }', {}, viewer);
    expect(now.data.hostAlertCounts).toContainEqual({ hostId: String(host), total: 2 });
    q.close();
    await client.dispose();
  });
});
