// The rule editor's extra fields: metric names for completion, and each rule's open-alert count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { batchFor, startTestServer, type TestServer } from './harness.ts';
import { insertRule } from './rule-fixture.ts';

describe(`rule editor fields (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  beforeAll(async () => {
    s = await startTestServer();
    viewer = await s.userToken('viewer');
    const key = await s.integrationKey('analyst');
    for (const metric of ['ed.cpu', 'ed.disk', 'other.load']) {
      for (const host of ['ed-1', 'ed-2']) expect((await s.ingest(batchFor(host, 2, metric), key)).status).toBe(200);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists each metric name once, sorted, filtered by part of the name in any case, at most `first`', async () => {
    const q = 'query ($s: String, $f: Int) { metricNames(search: $s, first: $f) }';
    const all = await s.gql<any>(q, {}, viewer);
    expect(all.errors).toBeUndefined();
    expect(all.data.metricNames.filter((m: string) => /^(ed|other)\./.test(m))).toEqual(['ed.cpu', 'ed.disk', 'other.load']);
    expect((await s.gql<any>(q, { s: 'ED.' }, viewer)).data.metricNames).toEqual(['ed.cpu', 'ed.disk']);
    expect((await s.gql<any>(q, { s: '%' }, viewer)).data.metricNames).toEqual([]);
    expect((await s.gql<any>(q, { s: 'ed.', f: 1 }, viewer)).data.metricNames).toEqual(['ed.cpu']);
    const bad = await s.gql<any>(q, { f: 0 }, viewer);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await s.gql<any>(q, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('counts the open alerts of each rule, closed ones left out', async () => {
    const id = await insertRule(s.testDb.sql, undefined, { name: 'editor count', expression: 'last(ed.cpu, "5m") > 1000', levels: [{ severity: 'warning' }] });
    const other = await insertRule(s.testDb.sql, undefined, { name: 'editor none', expression: 'last(ed.disk, "5m") > 1000', levels: [{ severity: 'warning' }] });
    const alert = (fingerprint: string, open: boolean) =>
      s.testDb.prisma.alert.create({
        data: { ruleId: id, fingerprint, state: open ? 'firing' : 'resolved', severity: 'warning', startedAt: new Date(), openKey: open ? `${id}:${fingerprint}` : null },
      });
    await alert('host:1', true);
    await alert('host:2', true);
    await alert('host:3', false);
    const r = await s.gql<any>('{ rules { id openAlertCount } }', {}, viewer);
    expect(r.errors).toBeUndefined();
    const count = (ruleId: number) => r.data.rules.find((x: any) => x.id === String(ruleId))?.openAlertCount;
    expect(count(id)).toBe(2);
    expect(count(other)).toBe(0);
  });
});
