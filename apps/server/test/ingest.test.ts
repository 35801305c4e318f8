import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { batchFor, startTestServer, type TestServer } from './harness.ts';

describe(`ingest (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let key: string;
  const count = async (hostname: string) => {
    const rows = await s.testDb.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id WHERE h.hostname = $1`,
      [hostname],
    );
    return rows[0]!.n;
  };
  beforeAll(async () => {
    s = await startTestServer();
    key = await s.agentKey('ing-1');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stores a gzip batch, creating the host and its series on the fly, and acknowledges after commit', async () => {
    const batch = batchFor('ing-1', 5);
    batch.hosts[0]!.samples.push({ metric: 'os.cpu.usage', ts: Date.now(), value: 42, labels: { core: '0' } } as never);
    const res = await s.ingest({ ...batch, agent: { version: '9.9.9', bufferDepth: 0 } }, key, { gzip: true });
    expect(res).toEqual({ status: 200, body: { batchId: batch.batchId, accepted: 6, duplicate: false } });
    expect(await count('ing-1')).toBe(6);
    const series = await s.testDb.prisma.series.findMany({ where: { host: { hostname: 'ing-1' } }, orderBy: { labelsKey: 'asc' } });
    expect(series.map((x) => x.labels)).toEqual([{}, { core: '0' }]);
    const host = await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'ing-1' }, include: { agents: true } });
    expect(host.status).toBe('online');
    expect(host.agents[0]?.version).toBe('9.9.9');
  });

  it('acknowledges a re-sent batch id without storing it twice, even when sent concurrently', async () => {
    const batch = batchFor('ing-1', 4);
    const before = await count('ing-1');
    const results = await Promise.all([s.ingest(batch, key), s.ingest(batch, key), s.ingest(batch, key)]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body.duplicate).sort()).toEqual([false, true, true]);
    expect(await count('ing-1')).toBe(before + 4);
  });

  it.each([
    ['NaN as a value', (b: any) => (b.hosts[0].samples[1].value = 'NaN'), 'hosts[0].samples[1].value'],
    ['a 10 MB label', (b: any) => (b.hosts[0].samples[2].labels = { mount: 'x'.repeat(10 * 1024 * 1024) }), 'hosts[0].samples[2].labels.mount'],
    ['a bad metric name', (b: any) => (b.hosts[0].samples[0].metric = 'CPU Usage'), 'hosts[0].samples[0].metric'],
    ['no batch id', (b: any) => delete b.batchId, 'batchId'],
  ])('answers 400 naming the field for %s, storing nothing of the batch', async (_name, spoil, path) => {
    const batch = batchFor('ing-1', 3);
    spoil(batch);
    const before = await count('ing-1');
    const res = await s.ingest(batch, key);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_USER_INPUT');
    expect(res.body.error.message.startsWith(`${path}: `)).toBe(true);
    expect(res.body.error.details[0].path).toBe(path);
    expect(await count('ing-1')).toBe(before);
  });

  it('answers clear errors for a non-JSON body, bad gzip, wrong content type and a missing key', async () => {
    expect((await s.ingest(undefined, key, { raw: '{"batchId": ' })).body.error).toMatchObject({ code: 'BAD_JSON' });
    const badGzip = await s.ingest(undefined, key, { raw: 'not gzip at all', headers: { 'content-encoding': 'gzip' } });
    expect(badGzip).toMatchObject({ status: 400, body: { error: { code: 'BAD_ENCODING' } } });
    const text = await s.ingest(batchFor('ing-1'), key, { headers: { 'content-type': 'text/plain' } });
    expect(text).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const anon = await s.ingest(batchFor('ing-1'), undefined);
    expect(anon).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('refuses an agent key sending for another host, and a viewer key altogether', async () => {
    const other = await s.ingest(batchFor('someone-else'), key);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe('this agent key is bound to host ing-1 and cannot send samples for someone-else');
    expect(await s.testDb.prisma.host.findUnique({ where: { hostname: 'someone-else' } })).toBeNull();
    const viewer = await s.ingest(batchFor('x'), await s.integrationKey('viewer'));
    expect(viewer.status).toBe(403);
  });

  it('lets an integration key with the analyst role push many hosts, via HTTP and GraphQL', async () => {
    const integ = await s.integrationKey('analyst');
    const now = Date.now();
    const hosts = ['fleet-a', 'fleet-b', 'fleet-c'].map((hostname) => ({ hostname, samples: [{ metric: 'os.mem.used_pct', ts: now, value: 50 }] }));
    expect((await s.ingest({ batchId: 'fleet-batch-1', hosts }, integ)).body.accepted).toBe(3);
    const viaGql = await s.gql(
      'mutation ($b: IngestBatchInput!) { ingestSamples(batch: $b) { accepted duplicate } }',
      { b: { batchId: 'fleet-batch-2', hosts: [{ hostname: 'fleet-d', samples: [{ metric: 'os.mem.used_pct', ts: new Date(now).toISOString(), value: 1 }] }] } },
      integ,
    );
    expect(viaGql.data).toEqual({ ingestSamples: { accepted: 1, duplicate: false } });
    const bad = await s.gql(
      'mutation ($b: IngestBatchInput!) { ingestSamples(batch: $b) { accepted } }',
      { b: { batchId: 'fleet-batch-3', hosts: [{ hostname: 'fleet-d', samples: [{ metric: 'bad name', ts: now, value: 1 }] }] } },
      integ,
    );
    expect(bad.errors?.[0]).toMatchObject({ message: 'batch.hosts[0].samples[0].metric: metric name must be dotted lower-case words, e.g. os.cpu.usage', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers hosts with latest(metric) and raw samples in a range', async () => {
    const token = await s.login();
    const r = await s.gql<any>(
      `{ hosts(first: 50) { edges { node { hostname status latest(metric: "os.cpu.usage") { value } series(metric: "os.cpu.usage") { id labels } } } } }`,
      {},
      token,
    );
    const node = r.data.hosts.edges.map((e: any) => e.node).find((n: any) => n.hostname === 'ing-1');
    expect(node.status).toBe('online');
    expect(typeof node.latest.value).toBe('number');
    const plain = node.series.find((x: any) => Object.keys(x.labels).length === 0);
    const points = await s.gql<any>(
      'query ($id: ID!, $from: DateTime!, $to: DateTime!) { samples(seriesId: $id, from: $from, to: $to, maxPoints: 10000, aggregation: last) { seriesId source points { ts value } } }',
      { id: plain.id, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 1000).toISOString() },
      token,
    );
    expect(points.data.samples).toHaveLength(1);
    expect(points.data.samples[0]).toMatchObject({ seriesId: plain.id, source: 'raw' });
    // the first test's five samples are a second apart (later batches share those seconds)
    expect(points.data.samples[0].points.length).toBeGreaterThanOrEqual(5);
    const ts = points.data.samples[0].points.map((p: any) => Date.parse(p.ts));
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    const badMetric = await s.gql('{ hosts(first: 1) { edges { node { latest(metric: "Bad Name") { value } } } } }', {}, token);
    expect(badMetric.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('exposes ingest, HTTP and pool figures on /metrics', async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    const stored = /esmon_ingest_batches_total\{result="stored"\} (\d+)/.exec(text);
    expect(Number(stored?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/esmon_ingest_batches_total\{result="duplicate"\} 2/);
    expect(text).toMatch(/esmon_http_requests_total\{route="\/api\/v1\/ingest",status="400"\}/);
    expect(text).toMatch(/esmon_db_pool_total \d/);
    expect(text).toMatch(/esmon_process_cpu_seconds_total/);
  });
});
