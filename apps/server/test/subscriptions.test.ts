import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { sweepLiveness } from '../src/ingest/liveness.ts';
import { batchFor, startTestServer, type TestServer } from './harness.ts';
import { subscribe, wsClient } from './live-client.ts';

describe(`subscriptions (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let token: string;
  let key: string;
  let hostId: string;
  beforeAll(async () => {
    s = await startTestServer();
    token = await s.login();
    key = await s.agentKey('live-1');
    hostId = String((await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'live-1' } })).id);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('delivers samplesAdded over a real WebSocket after the batch is stored, filtered by metric', async () => {
    const client = wsClient(s.url, token);
    const q = subscribe<any>(client, 'subscription ($id: ID!) { samplesAdded(hostId: $id, metric: "os.mem.used_pct") { hostname samples { metric value ts } } }', { id: hostId });
    const event = await q.nextPoking(async () => {
      expect((await s.ingest(batchFor('live-1', 1, 'os.cpu.usage'), key)).status).toBe(200);
      expect((await s.ingest(batchFor('live-1', 2, 'os.mem.used_pct'), key)).status).toBe(200);
    });
    expect(event.samplesAdded.hostname).toBe('live-1');
    // the os.cpu.usage samples of the same host were filtered out
    expect(event.samplesAdded.samples.map((x: any) => [x.metric, x.value])).toEqual([['os.mem.used_pct', 0.5], ['os.mem.used_pct', 1.5]]);
    const stored = await s.testDb.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples WHERE ts = $1`, [event.samplesAdded.samples[0].ts]);
    expect(stored[0]!.n).toBeGreaterThan(0);
    q.close();
    await client.dispose();
  });

  it('refuses a WebSocket subscription without a token, and one with a revoked token', async () => {
    const anon = wsClient(s.url);
    await expect(subscribe(anon, 'subscription { hostStatusChanged { hostId } }').next()).rejects.toThrow(/log in first/);
    await anon.dispose();
    const revoked = await s.login();
    await s.gql('mutation { logout }', {}, revoked);
    const client = wsClient(s.url, revoked);
    await expect(subscribe(client, 'subscription { hostStatusChanged { hostId } }').next()).rejects.toThrow(/revoked/);
    await client.dispose();
  });

  it('streams over SSE too', async () => {
    const controller = new AbortController();
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `subscription { samplesAdded(hostId: "${hostId}") { samples { value } } }` }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const received = (async () => {
      while (!text.includes('"samplesAdded"')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
    })();
    for (let i = 0; i < 50 && !text.includes('"samplesAdded"'); i++) {
      await s.ingest(batchFor('live-1', 1), key);
      await Promise.race([received, new Promise((r) => setTimeout(r, 100))]);
    }
    expect(text).toMatch(/data: \{"data":\{"samplesAdded":\{"samples":\[\{"value":0\.5\}\]\}\}\}/);
    controller.abort();
  });

  it('reports a host going offline after silence and online again with its next sample', async () => {
    const client = wsClient(s.url, token);
    const q = subscribe<any>(client, 'subscription { hostStatusChanged { hostname status previous } }');
    const live2 = await s.agentKey('live-2');
    // a sweep with a clock an hour ahead finds every host silent
    const sweep = () => sweepLiveness({ sql: s.testDb.sql, bus: s.bus, staleAfterMs: 30_000, offlineAfterMs: 60_000, now: () => new Date(Date.now() + 3_600_000) });
    const isLive2 = (e: any) => e.hostStatusChanged.hostname === 'live-2';
    await q.nextPoking(async () => {
      await s.ingest(batchFor('live-2', 1), live2);
      await sweep();
    }, (e) => isLive2(e) && e.hostStatusChanged.status === 'offline');
    expect((await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'live-2' } })).status).toBe('offline');
    await s.ingest(batchFor('live-2', 1), live2);
    const back = await q.next((e) => isLive2(e) && e.hostStatusChanged.status === 'online');
    expect(back.hostStatusChanged).toEqual({ hostname: 'live-2', status: 'online', previous: 'offline' });
    q.close();
    await client.dispose();
  });

  it('reports a host stale after a short silence, offline after a long one, and online from stale with its next sample', async () => {
    const client = wsClient(s.url, token);
    const q = subscribe<any>(client, 'subscription { hostStatusChanged { hostname status previous } }');
    const key = await s.agentKey('live-3');
    // the subscription is live once an event published on the bus arrives
    const ready = { hostId: 0, hostname: 'ready', status: 'online' as const, previous: 'unknown' as const, at: new Date() };
    await q.nextPoking(async () => s.bus.publish('hostStatusChanged', ready), (e) => e.hostStatusChanged.hostname === 'ready');
    await s.ingest(batchFor('live-3', 1), key);
    const seen = (await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'live-3' } })).lastSeenAt!.getTime();
    const isLive3 = (e: any) => e.hostStatusChanged.hostname === 'live-3';
    const sweepAt = (ms: number) => sweepLiveness({ sql: s.testDb.sql, bus: s.bus, staleAfterMs: 30_000, offlineAfterMs: 60_000, now: () => new Date(seen + ms) });
    const status = async () => (await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'live-3' } })).status;

    // 20 s: still online; 40 s: stale, said once; 50 s: nothing new; 70 s: offline
    expect((await sweepAt(20_000)).filter((h) => h.hostname === 'live-3')).toEqual([]);
    expect(await status()).toBe('online');
    const stale = q.next((e) => isLive3(e) && e.hostStatusChanged.status === 'stale');
    expect((await sweepAt(40_000)).filter((h) => h.hostname === 'live-3')).toMatchObject([{ status: 'stale', previous: 'online' }]);
    expect((await stale).hostStatusChanged).toEqual({ hostname: 'live-3', status: 'stale', previous: 'online' });
    expect(await status()).toBe('stale');
    expect((await sweepAt(50_000)).filter((h) => h.hostname === 'live-3')).toEqual([]);
    const offline = q.next((e) => isLive3(e) && e.hostStatusChanged.status === 'offline');
    expect((await sweepAt(70_000)).filter((h) => h.hostname === 'live-3')).toMatchObject([{ status: 'offline', previous: 'stale' }]);
    expect((await offline).hostStatusChanged).toEqual({ hostname: 'live-3', status: 'offline', previous: 'stale' });
    expect(await status()).toBe('offline');

    // back, then stale, then a sample: online again, from stale
    await s.ingest(batchFor('live-3', 1), key);
    expect((await q.next((e) => isLive3(e) && e.hostStatusChanged.status === 'online')).hostStatusChanged.previous).toBe('offline');
    const seenAgain = (await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'live-3' } })).lastSeenAt!.getTime();
    await sweepLiveness({ sql: s.testDb.sql, bus: s.bus, staleAfterMs: 30_000, offlineAfterMs: 60_000, now: () => new Date(seenAgain + 40_000) });
    expect(await status()).toBe('stale');
    const back = q.next((e) => isLive3(e) && e.hostStatusChanged.status === 'online');
    await s.ingest(batchFor('live-3', 1), key);
    expect((await back).hostStatusChanged).toEqual({ hostname: 'live-3', status: 'online', previous: 'stale' });
    q.close();
    await client.dispose();
  });
});
