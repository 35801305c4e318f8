// Host.probes: the probes whose targets cover a host — every host, by id, by labels, by a hostname
// pattern — disabled ones included, others left out; viewers may read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { startTestServer, type TestServer } from './harness.ts';

const CREATE = 'mutation ($d: JSON!) { createProbe(definition: $d) { id } }';
const PROBES = 'query ($h: String!) { host(hostname: $h) { id probes { id name enabled } } }';

const probe = (name: string, targets: object, enabled = true) => ({
  name,
  steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: 5432 } }],
  intervalSeconds: 30,
  timeoutSeconds: 5,
  targets,
  enabled,
});

describe(`Host.probes (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let analyst: string;
  let viewer: string;
  const names = async (hostname: string) => {
    const r = await s.gql<{ host: { probes: { name: string }[] } }>(PROBES, { h: hostname }, viewer);
    expect(r.errors).toBeUndefined();
    return r.data!.host.probes.map((p) => p.name);
  };

  beforeAll(async () => {
    s = await startTestServer();
    analyst = await s.userToken('analyst');
    viewer = await s.userToken('viewer');
    for (const hostname of ['hp-web-01', 'hp-db-01']) {
      const key = await s.agentKey(hostname);
      const res = await s.ingest({ batchId: `hp-${hostname}-${process.pid}`, hosts: [{ hostname, samples: [{ metric: 'os.uptime.seconds', ts: Date.now(), value: 1 }] }] }, key);
      expect(res.status).toBe(200);
    }
    await s.testDb.prisma.host.update({ where: { hostname: 'hp-web-01' }, data: { labels: { role: 'web' } } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists the probes covering the host, by name, disabled ones too, and no others', async () => {
    const web = await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'hp-web-01' } });
    const db = await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'hp-db-01' } });
    const made = [
      probe('z every host', {}),
      probe('by id web', { hostIds: [web.id] }),
      probe('by id db', { hostIds: [db.id] }),
      probe('by label web', { labels: { role: 'web' } }),
      probe('by pattern web', { hostnamePattern: 'hp-web-*' }),
      probe('disabled web', { hostIds: [web.id] }, false),
      probe('label and wrong pattern', { labels: { role: 'web' }, hostnamePattern: 'hp-db-*' }),
    ];
    for (const d of made) expect((await s.gql(CREATE, { d }, analyst)).errors).toBeUndefined();
    expect(await names('hp-web-01')).toEqual(['by id web', 'by label web', 'by pattern web', 'disabled web', 'z every host']);
    expect(await names('hp-db-01')).toEqual(['by id db', 'z every host']);
    const r = await s.gql<{ host: { probes: { name: string; enabled: boolean }[] } }>(PROBES, { h: 'hp-web-01' }, viewer);
    expect(r.data!.host.probes.find((p) => p.name === 'disabled web')!.enabled).toBe(false);
  });

  it('is refused to the anonymous', async () => {
    const r = await s.gql(PROBES, { h: 'hp-web-01' });
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
