// The probe side wired together against the REAL server: a probe stored on the server reaches the
// agent, runs on its schedule through a (test) plugin, and its samples and self-metrics come out
// of onSamples; "run now" answers with a JSON trace. Real timers: the probe runs every 5 s, and
// the test waits for a run, it does not time one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { probeDefinitionSchema, probeSigningPayload, type Plugin, type SampleInput } from '@esmon/schema';
import { insertProbeRows } from '../../apps/server/src/probes/probe-rows.ts';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';
import { createProbeAgent } from '../src/probes/probe-agent.ts';

const rowsPlugin: Plugin = {
  manifest: {
    id: 'agent-test-rows',
    version: '1',
    title: 'rows',
    description: 'two rows',
    category: 'database',
    platforms: ['linux', 'windows'],
    runsScripts: false,
    params: z.object({ factor: z.number().default(1) }),
    outputs: [],
  },
  prepare: (p) => p as { factor: number },
  execute: async (p, ctx) => ({
    status: 'ok',
    samples: [{ metric: 'rows.up', value: 1, ts: ctx.now() }],
    rows: [
      { pool: 'a', used: 10 * (p as { factor: number }).factor },
      { pool: 'b', used: 20 },
    ],
    durationMs: 0,
  }),
};

const definition = {
  name: 'pools',
  steps: [{ id: 'q', plugin: 'agent-test-rows', params: { factor: 2 } }],
  extract: [
    {
      step: 'q',
      from: { kind: 'column', column: 'used' },
      metric: 'db.pool.used',
      labels: { pool: { column: 'pool' } },
    },
  ],
  intervalSeconds: 5,
  timeoutSeconds: 5,
};

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the probe agent against the real server', () => {
  let s: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    s = await startTestServer();
    dataDir = await mkdtemp(join(tmpdir(), 'esmon-probe-agent-'));
  });
  afterAll(async () => {
    await s?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a probe the server assigns and emits its samples and self-metrics', async () => {
    const key = await s.agentKey('probe-agent-host');
    const row = await s.testDb.prisma.$transaction((tx) =>
      insertProbeRows(tx, probeDefinitionSchema.parse(definition), { authorId: null, comment: null }),
    );
    const id = String(row.id);
    const missing = await s.testDb.prisma.$transaction((tx) =>
      insertProbeRows(
        tx,
        probeDefinitionSchema.parse({
          ...definition,
          name: 'missing plugin',
          steps: [{ id: 'x', plugin: 'agent-test-missing' }],
          extract: [],
        }),
        { authorId: null, comment: null },
      ),
    );
    const samples: SampleInput[] = [];
    const lines: string[] = [];
    const agent = createProbeAgent({
      server: s.url,
      key,
      dataDir,
      run: () => Promise.reject(new Error('no process in this test')),
      onSamples: (x) => samples.push(...x),
      log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
      hostname: 'probe-agent-host',
      pluginById: (p) => (p === rowsPlugin.manifest.id ? rowsPlugin : undefined),
    });
    try {
      await agent.start();
      expect(agent.stats()).toMatchObject({ applies: 1, probes: 1 });
      expect(lines).toContainEqual(
        expect.stringMatching(/^probe configuration \w+ \(server\): 1 probe\(s\) to run, 1 refused$/),
      );
      await until(() => samples.some((x) => x.metric === 'esmon.agent.probe.duration_ms'), 'a scheduled run');
      const metric = (name: string) =>
        samples.filter((x) => x.metric === name).map((x) => ({ value: x.value, labels: x.labels }));
      expect(metric('db.pool.used').slice(0, 2)).toEqual([
        { value: 20, labels: { pool: 'a' } },
        { value: 20, labels: { pool: 'b' } },
      ]);
      expect(metric('rows.up')[0]).toEqual({ value: 1, labels: undefined });
      expect(metric('esmon.agent.probe.errors_total')[0]).toEqual({ value: 0, labels: { probe: id } });
      expect(metric('esmon.agent.config.version')[0]).toEqual({ value: 1, labels: undefined });
      expect(agent.gauges(1_763_900_000_000)).toEqual([
        { metric: 'esmon.agent.config.version', value: 1, ts: 1_763_900_000_000 },
        {
          metric: 'esmon.agent.probe.refused',
          value: 1,
          ts: 1_763_900_000_000,
          labels: { probe: String(missing.id), reason: 'unknown_plugin' },
        },
      ]);

      // run now: a probe signed, as runProbeNow does, for this host and this command
      const signedNow = (d: unknown, command: string) => {
        const probe = { id: '99', version: 1, definition: d };
        return { ...probe, signature: s.signer.sign(probeSigningPayload({ host: 'probe-agent-host', ...probe, command })) };
      };
      const trace = await agent.runNow(
        signedNow({ ...definition, steps: [{ id: 'q', plugin: 'agent-test-rows', params: { factor: 3 } }] }, 'c1'),
        'c1',
      );
      expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
      expect(trace).toMatchObject({
        probeId: 'now',
        status: 'ok',
        steps: [{ id: 'q', status: 'ok', input: { factor: 3 }, rowCount: 2 }],
      });
      expect(trace.samples.map((x) => x.value)).toEqual([1, 30, 20]);
      const refused = await agent.runNow(signedNow({ ...definition, steps: [{ id: 'q', plugin: 'nope', params: {} }] }, 'c2'), 'c2');
      expect(refused).toMatchObject({
        status: 'unsupported',
        steps: [{ status: 'unsupported', error: 'this agent has no plugin "nope"' }],
        samples: [],
      });
    } finally {
      await agent.stop();
    }
    expect(agent.stats()).toMatchObject({ probes: 0, running: 0, queued: 0 });
  });
});
