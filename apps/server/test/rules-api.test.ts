// validateRule through the running server: the shared rule language's diagnostics with line and
// column, the canonical text, and warnings for metrics the store has never seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { batchFor, startTestServer, type TestServer } from './harness.ts';

describe(`rules over GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  const q = 'query ($e: String!) { validateRule(expression: $e) { valid formatted diagnostics { severity message start end line column } } }';
  beforeAll(async () => {
    s = await startTestServer();
    viewer = await s.userToken('viewer');
    await s.ingest(batchFor('rule-host', 2, 'os.cpu.usage'), await s.integrationKey('analyst'));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers the canonical text of a valid rule over a known metric', async () => {
    const r = await s.gql<any>(q, { e: 'AVG(os.cpu.usage{host="rule-host"},"5m")>90  AND  not nodata(os.cpu.usage, "5m")' }, viewer);
    expect(r.errors).toBeUndefined();
    expect(r.data.validateRule).toEqual({
      valid: true,
      formatted: 'avg(os.cpu.usage{host="rule-host"}, "5m") > 90 and not nodata(os.cpu.usage, "5m")',
      diagnostics: [],
    });
  });

  it('places errors by line and column, and warns about unknown metrics', async () => {
    const bad = await s.gql<any>(q, { e: 'avg(os.cpu.usage, "5m") > 90 and\n  avgg(os.mem.used_pct, "5m") > 80' }, viewer);
    const v = bad.data.validateRule;
    expect(v.valid).toBe(false);
    const error = v.diagnostics.find((d: any) => d.severity === 'error');
    expect(error).toMatchObject({ line: 2, column: 3, start: 35 });
    expect(error.message).toMatch(/avgg/);
    const unknown = await s.gql<any>(q, { e: 'max(app.queue.depth, "10m") > 1000' }, viewer);
    expect(unknown.data.validateRule.valid).toBe(true);
    expect(unknown.data.validateRule.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/app\.queue\.depth/), line: 1, column: 5 }),
    ]);
  });

  it('refuses the expr-eval prototype-pollution proof of concept with a syntax error', async () => {
    const poc = 'Object=constructor;a=Object.fromEntries([["a","polluted"]]);Object.assign(__proto__, a)';
    const r = await s.gql<any>(q, { e: poc }, viewer);
    expect(r.data.validateRule.valid).toBe(false);
    expect(r.data.validateRule.formatted).toBeNull();
    expect(r.data.validateRule.diagnostics[0].severity).toBe('error');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
