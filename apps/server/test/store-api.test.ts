// The store through the running server: samples outside the accepted window are refused by name,
// a full ingest queue answers 429 with Retry-After and loses nothing it acknowledged, and the
// samples / storage / retention GraphQL fields answer with their auth rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { batchFor, startTestServer, type TestServer } from './harness.ts';

const DAY = 86_400_000;

/** A POST whose headers go out at once and whose body ends only when finish() is called. */
function slowRequest(url: string, key: string, body: string) {
  const bytes = new TextEncoder().encode(body);
  let finish!: () => void;
  const rest = new Promise<void>((r) => (finish = r));
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(bytes.subarray(0, 10));
      await rest;
      controller.enqueue(bytes.subarray(10));
      controller.close();
    },
  });
  const response = fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return { finish, response };
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(`store over HTTP and GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let analyst: string;
  beforeAll(async () => {
    // the smallest queue the config allows, so a burst of large batches overflows it
    s = await startTestServer({ ESMON_INGEST_QUEUE_SAMPLES: '10000', ESMON_INGEST_MAX_AGE: '3d', ESMON_INGEST_MAX_FUTURE: '5m' });
    analyst = await s.integrationKey('analyst');
  });
  afterAll(async () => {
    await s?.close();
  });

  const stored = async (hostname: string) => {
    const [row] = await s.testDb.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id
       WHERE h.hostname = $1`,
      [hostname],
    );
    return row!.n;
  };

  it.each([
    ['older than the accepted window', -4 * DAY, /is older than 3 d/],
    ['too far in the future', 10 * 60_000, /is more than 5 min in the future/],
  ])('refuses a sample %s with 400 naming it, storing nothing of the batch', async (_name, offset, message) => {
    const batch = batchFor('win-1', 4);
    batch.hosts[0]!.samples[2]!.ts = Date.now() + offset;
    const res = await s.ingest(batch, analyst);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_USER_INPUT');
    expect(res.body.error.details[0].path).toBe('hosts[0].samples[2].ts');
    expect(res.body.error.details[0].message).toMatch(message);
    expect(await stored('win-1')).toBe(0);
  });

  it('stores back-filled samples inside the window into partitions made on demand', async () => {
    const old = Date.now() - 2 * DAY - 3_600_000;
    const batch = { batchId: `backfill-${process.pid}`, hosts: [{ hostname: 'win-2', samples: [{ metric: 'os.cpu.usage', ts: old, value: 3 }] }] };
    expect((await s.ingest(batch, analyst)).body).toMatchObject({ accepted: 1 });
    const day = new Date(old).toISOString().slice(0, 10).replaceAll('-', '');
    const parts = await s.testDb.sql.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relname = $1`, [`samples_p${day}`]);
    expect(parts).toHaveLength(1);
    expect(await stored('win-2')).toBe(1);
  });

  it('answers 429 with Retry-After when the queue is full, and every acknowledged sample is stored once', async () => {
    // Deterministic on both databases: two requests authenticate, then the test holds a lock the
    // writer needs, lets batch A's body finish (A waits in the queue, holding 9000 of its 10 000
    // places), then lets batch B's body finish: B must be refused at once, without touching the DB.
    const perBatch = 9000;
    const keys = [await s.integrationKey('analyst'), await s.integrationKey('analyst')];
    const batches = [0, 1].map((c) => {
      const b = batchFor('bp-1', perBatch, 'os.cpu.usage', `bp-${process.pid}-${c}`);
      b.hosts[0]!.samples.forEach((x, i) => (x.value = c * perBatch + i));
      return b;
    });
    const requests = batches.map((b, i) => slowRequest(`${s.url}/api/v1/ingest`, keys[i]!, JSON.stringify(b)));
    const lastUsed = async () =>
      (await s.testDb.prisma.apiKey.findMany({ where: { lastUsedAt: { not: null } }, select: { id: true } })).length;
    const usedBefore = await lastUsed();
    await until(async () => (await lastUsed()) === usedBefore + 2);

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const holder = s.testDb.sql.transaction(async (tx) => {
      await tx.query('LOCK TABLE ingest_batches IN EXCLUSIVE MODE');
      locked();
      await held;
    });
    await lockTaken;
    requests[0]!.finish();
    await until(async () => s.store.writer.depth().samples === perBatch);
    requests[1]!.finish();
    const refused = await requests[1]!.response;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as any).error).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/busy writing samples; retry in \d+ s/) });

    release();
    await holder;
    const accepted = await requests[0]!.response;
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as any).accepted).toBe(perBatch);
    // the client retries B after Retry-After (shortened here), as the agent does
    expect((await s.ingest(batches[1], keys[1])).body).toMatchObject({ accepted: perBatch, duplicate: false });

    const [row] = await s.testDb.sql.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT value)::int AS distinct FROM samples sa JOIN series se ON se.id = sa.series_id
       JOIN hosts h ON h.id = se.host_id WHERE h.hostname = 'bp-1'`,
    );
    expect(row).toEqual({ n: 2 * perBatch, distinct: 2 * perBatch });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/esmon_ingest_batches_total\{result="busy"\} 1\b/);
    expect(metrics).toMatch(/esmon_ingest_queue_samples 0\b/);
  });

  it('answers range queries by selector with the source and bucket it used', async () => {
    const token = await s.userToken('viewer');
    const now = Date.now();
    const q = `query ($sel: String!, $from: DateTime!, $to: DateTime!, $agg: Aggregation!) {
      samples(selector: $sel, from: $from, to: $to, maxPoints: 100, aggregation: $agg) { hostname metric labels source bucketSeconds points { ts value } } }`;
    const vars = { sel: 'os.cpu.usage{host=~"bp-1|win-2"}', from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 1000).toISOString() };
    const max = await s.gql<any>(q, { ...vars, agg: 'max' }, token);
    expect(max.errors).toBeUndefined();
    // win-2's only sample is two days old: outside the range, so only bp-1 answers
    expect(max.data.samples.map((r: any) => r.hostname)).toEqual(['bp-1']);
    const [bp] = max.data.samples;
    expect(bp).toMatchObject({ metric: 'os.cpu.usage', labels: {}, source: '1m', bucketSeconds: 60 });
    expect(bp.points.length).toBeLessThanOrEqual(100);
    expect(bp.points.length).toBeGreaterThan(50);
    // batch 1's last sample is the largest value and the newest second
    expect(bp.points.at(-1).value).toBe(9000 + 8999);
    expect(Math.max(...bp.points.map((p: any) => p.value))).toBe(9000 + 8999);

    const bad = await s.gql<any>(q, { ...vars, sel: 'os.cpu.usage{host=~"("}', agg: 'avg' }, token);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badSyntax = await s.gql<any>(q, { ...vars, sel: 'os.cpu.usage{host=', agg: 'avg' }, token);
    expect(badSyntax.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badSyntax.errors?.[0]?.message).toMatch(/^selector: /);
    const m4 = await s.gql<any>(q.replace('maxPoints: 100', 'maxPoints: 3'), { ...vars, agg: 'm4' }, token);
    expect(m4.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const both = await s.gql<any>(`{ samples(selector: "os.cpu.usage", seriesId: "1", from: 0, to: 1) { metric } }`, {}, token);
    expect(both.errors?.[0]?.message).toBe('give either selector or seriesId');
  });

  it('shows storage and lets only admins change retention', async () => {
    const admin = await s.login();
    const viewer = await s.userToken('viewer');
    const storage = await s.gql<any>('{ storage { table partitions bytes rows samples bytesPerSample } }', {}, admin);
    expect(storage.errors).toBeUndefined();
    const raw = storage.data.storage.find((t: any) => t.table === 'samples');
    expect(raw.rows).toBeGreaterThanOrEqual(2 * 9000);
    expect(raw.bytes).toBeGreaterThan(0);
    expect(raw.bytesPerSample).toBeGreaterThan(0);
    expect((await s.gql<any>('{ storage { table } }', {}, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const policies = await s.gql<any>('{ retentionPolicies { resolution keepDays source } }', {}, admin);
    expect(policies.data.retentionPolicies).toEqual([
      { resolution: 'raw', keepDays: 14, source: 'default' },
      { resolution: 'minute', keepDays: 90, source: 'default' },
      { resolution: 'hour', keepDays: 730, source: 'default' },
    ]);
    const set = 'mutation ($r: Resolution!, $d: Float) { setRetentionPolicy(resolution: $r, keepDays: $d) { resolution keepDays source } }';
    const changed = await s.gql<any>(set, { r: 'minute', d: 30 }, admin);
    expect(changed.data.setRetentionPolicy[1]).toEqual({ resolution: 'minute', keepDays: 30, source: 'admin' });
    expect((await s.gql<any>(set, { r: 'minute', d: 0 }, admin)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await s.gql<any>(set, { r: 'minute', d: 7 }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reset = await s.gql<any>(set, { r: 'minute', d: null }, admin);
    expect(reset.data.setRetentionPolicy[1]).toEqual({ resolution: 'minute', keepDays: 90, source: 'default' });
  });
});
