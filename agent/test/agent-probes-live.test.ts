// The real agent process against the real server: probes from the server run on their own, a
// changed definition is applied without a restart and without a missed run, and runProbeNow
// returns the agent's trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';

const cli = new URL('../src/cli.ts', import.meta.url).pathname;
const HOST = 'probe-live-1';
let output = '';

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`waited ${timeoutMs / 1000} s for ${what}; the agent said:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the agent runs the server’s probes live', () => {
  let s: TestServer;
  let agent: ChildProcess;
  let analyst: string;
  let hostId: string;
  let dir: string;

  const latest = async (metric: string) => {
    const rows = await s.testDb.sql.query<{ value: number; labels: Record<string, string> }>(
      `SELECT sa.value, se.labels FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id
       WHERE h.hostname = $1 AND se.metric = $2 ORDER BY sa.ts DESC LIMIT 1`,
      [HOST, metric],
    );
    return rows[0];
  };

  beforeAll(async () => {
    s = await startTestServer();
    analyst = await s.userToken('analyst');
    const key = await s.agentKey(HOST);
    hostId = String((await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: HOST } })).id);
    dir = await mkdtemp(join(tmpdir(), 'esmon-agent-live-'));
    agent = spawn(process.execPath, ['--import', 'tsx', cli, 'run', '--server', s.url, '--hostname', HOST, '--interval', '1s', '--data-dir', dir], {
      env: { ...process.env, ESMON_AGENT_KEY: key },
    });
    agent.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  });
  afterAll(async () => {
    agent?.kill('SIGTERM');
    await new Promise((r) => agent?.once('exit', r));
    await s?.close();
  });

  it('runs a new probe, applies its changes without a restart or a gap, and answers runProbeNow', async () => {
    const port = new URL(s.url).port;
    const made = await s.gql<{ createProbe: { id: string } }>(
      'mutation ($d: JSON!) { createProbe(definition: $d) { id } }',
      { d: { name: 'server port', steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: Number(port) } }], intervalSeconds: 5, timeoutSeconds: 5 } },
      analyst,
    );
    expect(made.errors).toBeUndefined();
    const probeId = made.data!.createProbe.id;
    const up = await until('tcp.up from the probe', () => latest('tcp.up'));
    expect(up.value).toBe(1);
    // it ran because it verified: the server's key, pinned on first use in the agent's data directory
    expect((await readFile(join(dir, 'server-key.pin'), 'utf8')).trim()).toBe(s.signer.publicKey);
    const pid = agent.pid;

    // a change that keeps the series (the timeout): applied live, and the series has no hole
    const applied = (await latest('esmon.agent.config.version'))!.value;
    const changed = await s.gql(
      'mutation ($id: ID!, $d: JSON!) { updateProbe(id: $id, definition: $d) { version } }',
      { id: probeId, d: { name: 'server port', steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: Number(port) } }], intervalSeconds: 5, timeoutSeconds: 4 } },
      analyst,
    );
    expect(changed.errors).toBeUndefined();
    const changedAt = Date.now();
    await until('the agent applying the change', async () => {
      const v = await latest('esmon.agent.config.version');
      return v && v.value > applied ? v : undefined;
    });
    const tcpTimes = async () =>
      (
        await s.testDb.sql.query<{ ts: Date }>(
          `SELECT sa.ts FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id
           WHERE h.hostname = $1 AND se.metric = 'tcp.up' AND se.labels->>'port' = $2 ORDER BY sa.ts`,
          [HOST, port],
        )
      ).map((r) => new Date(r.ts).getTime());
    const times = await until('two runs after the change', async () => {
      const t = await tcpTimes();
      return t.filter((x) => x > changedAt).length >= 2 ? t : undefined;
    });
    // runs sit on the probe's 5 s slots: a missed run would show as a 10 s step
    const steps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...steps), `steps between runs: ${steps.join(', ')} ms`).toBeLessThan(7_500);

    // the probe now points at a closed port: the agent applies it live, same process
    await s.gql(
      'mutation ($id: ID!, $d: JSON!) { updateProbe(id: $id, definition: $d) { version } }',
      { id: probeId, d: { name: 'server port', steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: 1 } }], intervalSeconds: 5, timeoutSeconds: 5 } },
      analyst,
    );
    const down = await until('tcp.up = 0 after the change', async () => {
      const rows = await s.testDb.sql.query<{ value: number }>(
        `SELECT sa.value FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id
         WHERE h.hostname = $1 AND se.metric = 'tcp.up' AND se.labels->>'port' = '1' ORDER BY sa.ts DESC LIMIT 1`,
        [HOST],
      );
      return rows[0];
    });
    expect(down.value).toBe(0);
    expect(agent.pid).toBe(pid);
    expect(agent.exitCode).toBeNull();

    const run = await until('runProbeNow through the agent', async () => {
      const r = await s.gql<{ runProbeNow: { status: string; steps: { id: string; status: string; input: unknown }[] } }>(
        'mutation ($p: ID!, $h: ID!) { runProbeNow(probeId: $p, hostId: $h) }',
        { p: probeId, h: hostId },
        analyst,
      );
      return r.data?.runProbeNow ?? undefined;
    });
    expect(run.steps[0]).toMatchObject({ id: 'connect', status: 'error' });
    const ping = await s.gql<{ pingAgent: { version: string } }>('mutation ($h: ID!) { pingAgent(hostId: $h) }', { h: hostId }, analyst);
    expect(ping.data?.pingAgent.version, output).toMatch(/^\d+\.\d+\.\d+$/);
  }, 120_000);
});
