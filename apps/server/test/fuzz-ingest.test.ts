// Fuzzing POST /api/v1/ingest (fast-check, fixed seed): every generated body gets a clear 4xx or,
// when valid, 200; the server keeps answering /healthz; the samples table grows by exactly the
// samples of the accepted batches (a refused batch stores nothing); Object.prototype stays clean;
// and no request line, however malformed, takes the server down.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { CLASSES, SEED, type Case } from './fuzz-ingest-cases.ts';
import { startTestServer, type TestServer } from './harness.ts';

// a class is a hundred requests or so: seconds, more on a loaded machine
describe(`ingest fuzzing (${testDatabaseKind()})`, { timeout: 120_000 }, () => {
  let s: TestServer;
  let key: string;
  const cases: Record<string, number> = {};
  const answers: Record<string, Record<string, number>> = {};
  const sampleCount = async () =>
    (await s.testDb.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM samples'))[0]!.n;

  beforeAll(async () => {
    s = await startTestServer({ ESMON_RATE_LIMIT_INGEST: 'off', ESMON_RATE_LIMIT_INGEST_ANONYMOUS: 'off' });
    key = await s.integrationKey('admin');
  });
  afterAll(async () => {
    console.log(JSON.stringify({ fuzz: 'ingest', seed: SEED, cases, answers }));
    await s?.close();
  });

  it.each(Object.keys(CLASSES))(
    '%s: 4xx or 200 as the input deserves, stores exactly the valid batches, stays up',
    async (cls) => {
      const spec = CLASSES[cls]!;
      const [arb, runs, examples] =
        'fixed' in spec
          ? [fc.constantFrom(...spec.fixed), spec.fixed.length, spec.fixed.map((c) => [c] as [Case])]
          : [spec.arb, spec.runs, []];
      const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
      const before = await sampleCount();
      let expected = 0;
      const tally = (answers[cls] ??= {});
      await fc.assert(
        fc.asyncProperty(arb, async (c) => {
          const raw = typeof c.raw === 'function' ? c.raw() : c.raw;
          const res = await s.ingest(c.body, key, { raw, gzip: c.gzip, headers: c.headers });
          const label = res.status === 200 ? '200' : `${res.status} ${res.body?.error?.code}`;
          tally[label] = (tally[label] ?? 0) + 1;
          cases[cls] = (cases[cls] ?? 0) + 1;
          const shown = (raw ?? JSON.stringify(c.body) ?? '').toString().slice(0, 300);
          if (c.valid) {
            expect(res.status, `${shown} → ${JSON.stringify(res.body)}`).toBe(200);
            expect(res.body.accepted).toBe(c.samples);
            expected += c.samples;
          } else {
            expect(res.status, shown).toBeGreaterThanOrEqual(400);
            expect(res.status, shown).toBeLessThan(500);
            expect(typeof res.body?.error?.message, shown).toBe('string');
          }
        }),
        { seed: SEED, numRuns: runs, examples, endOnFailure: true },
      );
      expect(await sampleCount()).toBe(before + expected);
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    120_000,
  );

  it('requestTargets: any request line gets an HTTP answer below 500, and the server stays up', async () => {
    const { port } = new URL(s.url);
    const tally = (answers.requestTargets ??= {});
    const target = fc.oneof(
      fc.constantFrom(
        'http://[',
        'http://[::1',
        'http://a b/',
        'http://x:99999/api/v1/ingest',
        '//',
        '*',
        '/api/v1/ingest?x=%',
        '/%00',
        '/api/v1/../../etc/passwd',
        'http://user@[::1]:0/healthz',
      ),
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 40 })
        .map((t) => t.replace(/[\s]/g, ''))
        .filter((t) => t.length > 0),
    );
    await fc.assert(
      fc.asyncProperty(target, async (t) => {
        const line = await rawRequest(
          Number(port),
          `POST ${t} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1]);
        tally[String(status)] = (tally[String(status)] ?? 0) + 1;
        cases.requestTargets = (cases.requestTargets ?? 0) + 1;
        expect(status, `${JSON.stringify(t)} → ${line}`).toBeGreaterThanOrEqual(200);
        expect(status, `${JSON.stringify(t)} → ${line}`).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 60, examples: [['http://['], ['http://a b/']], endOnFailure: true },
    );
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});

/** Sends a hand-written request (fetch would refuse these targets) and returns the status line. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let out = '';
    const done = () => {
      socket.destroy();
      resolve(out.split('\r\n')[0] ?? '');
    };
    // the status line is all we need: no waiting for the server to close
    socket.on('data', (d) => {
      out += d.toString('latin1');
      if (out.includes('\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', reject);
  });
}
