// Probes over GraphQL: validation against the plugins' manifests (errors name the step and the
// field), versions, authorization, and the agent-facing configuration with its live change feed.
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { probeSigningPayload } from '@esmon/schema';
import { startTestServer, type TestServer } from './harness.ts';
import { subscribe, wsClient } from './live-client.ts';

const CREATE = 'mutation ($d: JSON!) { createProbe(definition: $d) { id version definition } }';
const UPDATE = 'mutation ($id: ID!, $d: JSON!, $v: Int) { updateProbe(id: $id, definition: $d, expectedVersion: $v) { id version versions { version } } }';
const CONFIG = '{ agentConfig { version probes { id version definition } } }';

const tcpProbe = (name: string, targets: object = {}) => ({
  name,
  steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: 5432 } }],
  intervalSeconds: 30,
  timeoutSeconds: 5,
  targets,
});

/** An agent's check, from the published raw public key alone. */
function signedBy(publicKey: string, text: string, signature: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
  return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
}

describe(`probes over GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let analyst: string;
  let viewer: string;
  let agentKey: string;

  beforeAll(async () => {
    s = await startTestServer();
    analyst = await s.userToken('analyst');
    viewer = await s.userToken('viewer');
    agentKey = await s.agentKey('probe-web-01');
    // the agent's host exists once it has sent something
    const res = await s.ingest({ batchId: `probe-api-${process.pid}`, hosts: [{ hostname: 'probe-web-01', samples: [{ metric: 'os.uptime.seconds', ts: Date.now(), value: 1 }] }] }, agentKey);
    expect(res.status).toBe(200);
    await s.testDb.prisma.host.update({ where: { hostname: 'probe-web-01' }, data: { labels: { role: 'web' } } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('names the step and the field of every problem', async () => {
    const bad = {
      ...tcpProbe('bad'),
      steps: [
        { id: 'a', plugin: 'nope', params: {} },
        { id: 'b', plugin: 'tcp', params: { host: 'in valid host', port: 99999 } },
      ],
    };
    const r = await s.gql(CREATE, { d: bad }, analyst);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = r.errors![0]!.extensions!.details!.map((d) => d.path);
    expect(paths).toContain('definition.steps[0].plugin');
    expect(paths.some((p) => p.startsWith('definition.steps[1].params.'))).toBe(true);
    expect(r.errors![0]!.extensions!.details!.find((d) => d.path === 'definition.steps[0].plugin')!.message).toBe('step "a": no plugin "nope"');
  });

  it('keeps a version per save and refuses a stale expectedVersion', async () => {
    const created = await s.gql<{ createProbe: { id: string; version: number } }>(CREATE, { d: tcpProbe('postgres port') }, analyst);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createProbe.id;
    const updated = await s.gql<{ updateProbe: { version: number; versions: { version: number }[] } }>(UPDATE, { id, d: { ...tcpProbe('postgres port'), intervalSeconds: 60 }, v: 1 }, analyst);
    expect(updated.data!.updateProbe).toMatchObject({ version: 2, versions: [{ version: 2 }, { version: 1 }] });
    const stale = await s.gql(UPDATE, { id, d: tcpProbe('postgres port'), v: 1 }, analyst);
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const dup = await s.gql(CREATE, { d: tcpProbe('postgres port') }, analyst);
    expect(dup.errors?.[0]?.message).toBe('a probe named "postgres port" already exists');
  });

  it('lets viewers read and list plugins, analysts change, agents read only their own config', async () => {
    expect((await s.gql(CREATE, { d: tcpProbe('viewer try') }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const plugins = await s.gql<{ plugins: { id: string; params: { properties: object } }[] }>('{ plugins }', {}, viewer);
    expect(plugins.data!.plugins.map((p) => p.id)).toContain('tcp');
    expect((await s.gql('{ probes { id } }', {}, agentKey)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.gql(CONFIG, {}, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives an agent the probes covering its host, and tells it live when they change', async () => {
    const before = await s.gql<{ agentConfig: { version: string; probes: { definition: { name: string } }[] } }>(CONFIG, {}, agentKey);
    expect(before.errors).toBeUndefined();
    const names = () => before.data!.agentConfig.probes.map((p) => p.definition.name);
    expect(names()).toContain('postgres port'); // empty targets: every host

    const client = wsClient(s.url, agentKey);
    const changes = subscribe<{ agentConfigChanged: { version: string; probes: { definition: { name: string } }[] } }>(
      client,
      'subscription { agentConfigChanged { version probes { definition } } }',
    );
    try {
      // a probe for other hosts changes nothing for this one; then one for role=web does
      const changed = await changes.nextPoking(async () => {
        await s.gql(CREATE, { d: tcpProbe(`db only ${Math.random()}`, { labels: { role: 'db' } }) }, analyst);
        await s.gql(CREATE, { d: tcpProbe(`web ${Math.random()}`, { labels: { role: 'web' } }) }, analyst);
      });
      const now = changed.agentConfigChanged;
      expect(now.version).not.toBe(before.data!.agentConfig.version);
      expect(now.probes.some((p) => p.definition.name.startsWith('web '))).toBe(true);
      expect(now.probes.some((p) => p.definition.name.startsWith('db only'))).toBe(false);
    } finally {
      changes.close();
      await client.dispose();
    }
  });

  it("signs every probe of an agent's configuration for its host, with the key agentTrust and enrollAgent publish", async () => {
    const trust = await s.gql<{ agentTrust: { algorithm: string; publicKey: string; keyId: string } }>('{ agentTrust { algorithm publicKey keyId } }', {}, viewer);
    expect(trust.errors).toBeUndefined();
    const { publicKey } = trust.data!.agentTrust;
    expect(trust.data!.agentTrust).toEqual({ algorithm: 'Ed25519', publicKey: s.signer.publicKey, keyId: s.signer.keyId });

    type Config = { agentConfig: { publicKey: string; probes: { id: string; version: number; definition: unknown; signature: string }[] } };
    const r = await s.gql<Config>('{ agentConfig { publicKey probes { id version definition signature } } }', {}, agentKey);
    expect(r.errors).toBeUndefined();
    const { probes } = r.data!.agentConfig;
    expect(r.data!.agentConfig.publicKey).toBe(publicKey);
    expect(probes.length).toBeGreaterThan(1);
    for (const p of probes) {
      const text = (host: string, id = p.id) => probeSigningPayload({ host, id, version: p.version, definition: p.definition });
      expect(signedBy(publicKey, text('probe-web-01'), p.signature), `probe ${p.id}`).toBe(true);
      // not for another host, not as another probe
      expect(signedBy(publicKey, text('probe-web-02'), p.signature)).toBe(false);
      expect(signedBy(publicKey, text('probe-web-01', `${p.id}0`), p.signature)).toBe(false);
    }

    // an agent enrolled now learns the key with its own
    const admin = await s.login();
    const token = await s.gql<{ createEnrollmentToken: { token: string } }>('mutation { createEnrollmentToken(ttlMinutes: 5) { token } }', {}, admin);
    const enrolled = await s.gql<{ enrollAgent: { serverKey: string } }>(
      'mutation ($t: String!) { enrollAgent(token: $t, hostname: "probe-enrolled-01") { serverKey } }',
      { t: token.data!.createEnrollmentToken.token },
    );
    expect(enrolled.data?.enrollAgent.serverKey).toBe(publicKey);

    // and a restarted server (same ESMON_SIGNING_KEY) signs with the same key
    await s.restart();
    const again = await s.gql<Config>('{ agentConfig { publicKey probes { id signature } } }', {}, agentKey);
    expect(again.data!.agentConfig.publicKey).toBe(publicKey);
    expect(again.data!.agentConfig.probes.map((p) => p.signature)).toEqual(probes.map((p) => p.signature));
  });

  it('records the configuration an agent reports running: current until a probe for its host changes; a malformed one is refused', async () => {
    const AGENTS = '{ agents(first: 100) { edges { node { configVersion configCurrent host { hostname } } } } }';
    type Row = { configVersion: string | null; configCurrent: boolean | null; host: { hostname: string } };
    const mine = async () => {
      const r = await s.gql<{ agents: { edges: { node: Row }[] } }>(AGENTS, {}, viewer);
      expect(r.errors).toBeUndefined();
      return r.data!.agents.edges.map((e) => e.node).find((n) => n.host.hostname === 'probe-web-01')!;
    };
    let n = 0;
    const report = (configVersion?: string) =>
      s.ingest(
        {
          batchId: `config-report-${process.pid}-${n++}`,
          agent: { version: '1.0.0', ...(configVersion ? { configVersion } : {}) },
          hosts: [{ hostname: 'probe-web-01', samples: [{ metric: 'os.uptime.seconds', ts: Date.now(), value: n }] }],
        },
        agentKey,
      );
    const configVersion = async () => (await s.gql<{ agentConfig: { version: string } }>(CONFIG, {}, agentKey)).data!.agentConfig.version;

    expect((await report()).status).toBe(200);
    expect(await mine()).toMatchObject({ configVersion: null, configCurrent: null });
    const first = await configVersion();
    expect((await report(first)).status).toBe(200);
    expect(await mine()).toMatchObject({ configVersion: first, configCurrent: true });
    // a batch without the field (an older agent, an integration) keeps what was reported
    expect((await report()).status).toBe(200);
    expect(await mine()).toMatchObject({ configVersion: first, configCurrent: true });

    // a new probe for this host: the server's configuration moves on, the agent's has not yet
    const created = await s.gql(CREATE, { d: tcpProbe('config report probe', { hostnamePattern: 'probe-web-*' }) }, analyst);
    expect(created.errors).toBeUndefined();
    const second = await configVersion();
    expect(second).not.toBe(first);
    expect(await mine()).toMatchObject({ configVersion: first, configCurrent: false });
    expect((await report(second)).status).toBe(200);
    expect(await mine()).toMatchObject({ configVersion: second, configCurrent: true });

    const bad = await report('abc; DROP TABLE agents');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^agent\.configVersion: configVersion may hold letters and digits only/);
    expect(await mine()).toMatchObject({ configVersion: second, configCurrent: true });
  });
});
