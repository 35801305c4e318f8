// The probe configuration client against the REAL esmon server, reached through a local TCP
// proxy the test can cut (the server "goes away") and point at the restarted server's new port.
// The server's registry does not know the test plugins, so their probes are stored as the
// createProbe mutation would (insertProbeRows) and the change is published on the server's bus;
// everything from there (agentConfig, agentConfigChanged, graphql-ws, auth) is the real path. The
// mutations themselves are covered with the registry's tcp plugin.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pluginById as registryPluginById } from '@esmon/plugin-registry';
import { probeDefinitionSchema, type Plugin, type SampleInput } from '@esmon/schema';
import { insertProbeRows } from '../../apps/server/src/probes/probe-rows.ts';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';
import type { AcceptedConfig } from '../src/probes/agent-config.ts';
import { httpPost } from '../src/http-post.ts';
import { loadConfigCache } from '../src/probes/config-cache.ts';
import { createConfigClient, type ConfigClient } from '../src/probes/config-client.ts';
import { createServerTrust, SERVER_KEY_PIN_FILE } from '../src/probes/server-key.ts';

const HOST = 'probe-host';

const testPlugin = (id: string, runsScripts: boolean): Plugin => ({
  manifest: {
    id,
    version: '1',
    title: id,
    description: id,
    category: 'system',
    platforms: ['linux', 'windows'],
    runsScripts,
    params: z.object({}),
    outputs: [],
  },
  prepare: () => ({}),
  execute: async () => ({ status: 'ok', samples: [], durationMs: 0 }),
});
const plugins = [testPlugin('agent-test-echo', false), testPlugin('agent-test-script', true)];
const pluginById = (id: string) => plugins.find((p) => p.manifest.id === id);

const definition = (name: string, plugin = 'agent-test-echo') => ({
  name,
  steps: [{ id: 'echo', plugin, params: {} }],
  intervalSeconds: 30,
  timeoutSeconds: 5,
});

/** A TCP proxy to the server: `cut()` drops every connection and refuses new ones until `restore(port)`. */
async function startProxy(port: number) {
  let target: number | undefined = port;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (target === undefined) return void client.destroy();
    const upstream = connect(target, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      target = undefined;
      for (const s of sockets) s.destroy();
    },
    restore(port: number) {
      target = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Waits (bounded) until `check` holds; a wait for an event, not an assertion on time. */
async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('probe configuration from the real server', () => {
  let s: TestServer;
  let serverClosed = false;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let key: string;
  let dataDir: string;
  const clients: ConfigClient[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    key = await s.agentKey(HOST); // creates the host row agentConfig needs
    proxy = await startProxy(s.port);
    dataDir = await mkdtemp(join(tmpdir(), 'esmon-probe-config-'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await proxy?.close();
    if (!serverClosed) await s?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Stores a probe as createProbe does, and tells subscribers, as createProbe does after its commit. */
  async function storeProbe(d: ReturnType<typeof definition>): Promise<string> {
    const row = await s.testDb.prisma.$transaction((tx) =>
      insertProbeRows(tx, probeDefinitionSchema.parse(d), { authorId: null, comment: null }),
    );
    s.bus.publish('probesChanged');
    return String(row.id);
  }

  /** A client with the server key trusted as the agent does (pinned in its data directory on first use). */
  async function start(
    server = proxy.url,
    options: { dataDir?: string; pluginById?: (id: string) => Plugin | undefined; key?: string } = {},
  ) {
    const configs: (AcceptedConfig & { source: string })[] = [];
    const samples: SampleInput[] = [];
    const lines: string[] = [];
    let fetches = 0;
    const log = {
      info: (m: string) => lines.push(`info: ${m}`),
      warn: (m: string) => lines.push(`warn: ${m}`),
      error: (m: string) => lines.push(`error: ${m}`),
    };
    const trust = createServerTrust({ dataDir: options.dataDir ?? dataDir, log });
    await trust.load();
    const client = createConfigClient({
      server,
      key: options.key ?? key,
      hostname: HOST,
      trust,
      dataDir: options.dataDir ?? dataDir,
      allow: { scripts: false },
      pluginById: options.pluginById ?? pluginById,
      platform: 'linux',
      onConfig: (c) => configs.push(c),
      onSamples: (x) => samples.push(...x),
      log,
      httpPost: (...args) => (fetches++, httpPost(...args)),
      backoff: () => 50,
    });
    clients.push(client);
    return { client, configs, samples, lines, fetches: () => fetches };
  }

  it('refuses, on the server, a probe whose plugin its registry lacks, naming the step', async () => {
    const analyst = await s.userToken('analyst');
    const r = await s.gql(
      'mutation ($d: JSON!) { createProbe(definition: $d) { id } }',
      { d: definition('unknown plugin') },
      analyst,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.details).toContainEqual({
      path: 'definition.steps[0].plugin',
      message: 'step "echo": no plugin "agent-test-echo"',
    });
  });

  it('fetches the configuration, follows changes live, caches each, and catches up after the server was away', async () => {
    const { client, configs, samples, lines, fetches } = await start();
    await client.start();
    expect(configs).toEqual([{ version: expect.any(String), probes: [], refused: [], source: 'server' }]);
    await until(
      () => lines.some((l) => l.startsWith('info: configuration feed connected')),
      'the feed to connect',
    );

    // a change arrives through the subscription: no fetch happens meanwhile (no reconnect, no resync)
    const fetchesBefore = fetches();
    const echo = await storeProbe(definition('echo'));
    await until(() => configs.length === 2, 'agentConfigChanged');
    expect(fetches()).toBe(fetchesBefore);
    expect(configs[1]).toMatchObject({
      source: 'server',
      probes: [{ id: echo, version: 1, definition: { name: 'echo', intervalSeconds: 30 } }],
      refused: [],
    });
    expect(client.current()?.version).toBe(configs[1]!.version);
    await until(
      async () => (await loadConfigCache(dataDir))?.config.version === configs[1]!.version,
      'the cache to be written',
    );

    // a probe this agent refuses (scripts are off): reported, with a sample, not run
    const script = await storeProbe(definition('script', 'agent-test-script'));
    await until(() => configs.length === 3, 'the second change');
    expect(configs[2]!.probes.map((p) => p.id)).toEqual([echo]);
    expect(configs[2]!.refused).toEqual([
      {
        id: script,
        version: 1,
        name: 'script',
        reason: 'scripts_not_allowed',
        message: expect.stringContaining('runs scripts'),
      },
    ]);
    expect(samples).toContainEqual({
      metric: 'esmon.agent.probe.refused',
      value: 1,
      ts: expect.any(Number),
      labels: { probe: script, reason: 'scripts_not_allowed' },
    });
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^warn: probe \d+ \(script\) refused: step "echo": plugin "agent-test-script" runs scripts/,
      ),
    );

    // the server goes away; a probe is added while no agent can hear of it; the server comes back
    proxy.cut();
    await s.restart();
    const missed = await storeProbe(definition('added while away'));
    await until(
      () => lines.some((l) => l.startsWith('warn: configuration feed lost')),
      'the client to notice',
    );
    proxy.restore(s.port);
    await until(() => configs.length === 4, 'the refetch after reconnecting');
    expect(configs[3]!.probes.map((p) => p.id)).toEqual([echo, missed]);
    await until(
      async () => (await loadConfigCache(dataDir))?.config.version === configs[3]!.version,
      'the cache to follow',
    );

    // and the feed is live again
    await storeProbe(definition('after the return'));
    await until(() => configs.length === 5, 'a change after reconnecting');
    await client.stop();
  });

  it('follows createProbe, updateProbe and deleteProbe of a plugin the server registers (tcp)', async () => {
    const analyst = await s.userToken('analyst');
    const otherDir = await mkdtemp(join(tmpdir(), 'esmon-probe-config-'));
    const { client, configs } = await start(s.url, { dataDir: otherDir, pluginById: registryPluginById });
    try {
      await client.start();
      const tcp = (port: number) => ({
        name: 'ssh port',
        steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port } }],
        intervalSeconds: 30,
        timeoutSeconds: 5,
      });
      const created = await s.gql<{ createProbe: { id: string } }>(
        'mutation ($d: JSON!) { createProbe(definition: $d) { id } }',
        { d: tcp(22) },
        analyst,
      );
      expect(created.errors).toBeUndefined();
      const id = created.data!.createProbe.id;
      const tcpProbe = () => configs.at(-1)?.probes.find((p) => p.id === id);
      await until(() => tcpProbe()?.version === 1, 'the created probe');
      expect(tcpProbe()!.definition.steps[0]).toEqual({
        id: 'connect',
        plugin: 'tcp',
        params: { host: '127.0.0.1', port: 22, timeoutMs: 5000 },
      });

      const updated = await s.gql(
        'mutation ($id: ID!, $d: JSON!) { updateProbe(id: $id, definition: $d, expectedVersion: 1) { version } }',
        { id, d: tcp(2222) },
        analyst,
      );
      expect(updated.errors).toBeUndefined();
      await until(() => tcpProbe()?.version === 2, 'the updated probe');
      expect(tcpProbe()!.definition.steps[0]!.params).toMatchObject({ port: 2222 });

      expect(
        (await s.gql('mutation ($id: ID!) { deleteProbe(id: $id) }', { id }, analyst)).errors,
      ).toBeUndefined();
      await until(() => configs.length > 0 && tcpProbe() === undefined, 'the deletion');
      // the test plugins' probes are unknown to the real registry: refused, not run
      expect(configs.at(-1)!.refused.map((r) => r.reason)).toEqual([
        'unknown_plugin',
        'unknown_plugin',
        'unknown_plugin',
        'unknown_plugin',
      ]);
    } finally {
      await client.stop();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses, loudly, every probe of a server whose key is not the one pinned', async () => {
    // the first test pinned this server's key in dataDir; another server (its own ESMON_SIGNING_KEY)
    // now answers for the same host name: as a server moved without its key, or an impostor, would
    const pin = (await readFile(join(dataDir, SERVER_KEY_PIN_FILE), 'utf8')).trim();
    expect(pin).toBe(s.signer.publicKey);
    const other = await startTestServer();
    const otherDir = await mkdtemp(join(tmpdir(), 'esmon-probe-config-'));
    try {
      const otherKey = await other.agentKey(HOST);
      await other.testDb.prisma.$transaction((tx) =>
        insertProbeRows(tx, probeDefinitionSchema.parse(definition('impostor')), { authorId: null, comment: null }),
      );
      await writeFile(join(otherDir, SERVER_KEY_PIN_FILE), `${pin}\n`);
      const { client, configs, samples, lines } = await start(other.url, { dataDir: otherDir, key: otherKey });
      await client.start();
      await client.stop();
      expect(configs[0]!.probes).toEqual([]);
      expect(configs[0]!.refused).toEqual([
        { id: expect.any(String), version: 1, reason: 'untrusted_key', message: expect.stringContaining(`but this agent trusts ${s.signer.keyId}`) },
      ]);
      expect(samples).toContainEqual(expect.objectContaining({ metric: 'esmon.agent.probe.refused', labels: { probe: configs[0]!.refused[0]!.id, reason: 'untrusted_key' } }));
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^error: the server's signing key changed: signed with server key ${other.signer.keyId}, but this agent trusts ${s.signer.keyId}`)),
      );
      // and the pin stays: the operator, not the server, decides to trust another key
      expect((await readFile(join(otherDir, SERVER_KEY_PIN_FILE), 'utf8')).trim()).toBe(pin);
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('starts from the cache while the server is unreachable', async () => {
    const cached = await loadConfigCache(dataDir);
    expect(cached?.config.probes.length).toBe(4);
    await s.close();
    serverClosed = true;
    const { client, configs, lines } = await start();
    await client.start();
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({
      source: 'cache',
      version: cached!.config.version,
      refused: [{ reason: 'scripts_not_allowed' }],
    });
    expect(configs[0]!.probes.map((p) => p.definition.name)).toEqual([
      'echo',
      'added while away',
      'after the return',
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(/^warn: cannot fetch the agent configuration from .*\/graphql: /),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^info: running the cached configuration \w+ of /));
    await client.stop();
  });
});
