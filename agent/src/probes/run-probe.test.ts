// The probe runner with small real plugins: one returning rows, one waiting on time (through the
// fake clock) or on its signal, one throwing, one running scripts; time moves only by hand.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  probeDefinitionSchema,
  type Plugin,
  type ProbeDefinitionInput,
  type StepContext,
  type StepResult,
} from '@esmon/schema';
import { fakeClock } from './fake-clock.ts';
import { createProbeRunner, STEP_GRACE_MS, type ProbeRunnerOptions } from './run-probe.ts';

type Clock = ReturnType<typeof fakeClock>;

function testPlugin(
  id: string,
  execute: (p: Record<string, unknown>, ctx: StepContext) => Promise<StepResult>,
  more: { runsScripts?: boolean } = {},
): Plugin {
  return {
    manifest: {
      id,
      version: '1.0.0',
      title: id,
      description: `test plugin ${id}`,
      category: 'system',
      platforms: ['linux', 'windows'],
      runsScripts: more.runsScripts ?? false,
      params: z.object({ ms: z.number().int().min(0).default(0), text: z.string().default('') }).loose(),
      outputs: [],
    },
    prepare: (params) => {
      const p = params as Record<string, unknown>;
      if (p.text === 'refuse') throw new Error('text: "refuse" is refused');
      return p;
    },
    execute: (prepared, ctx) => execute(prepared as Record<string, unknown>, ctx),
  };
}

const ok = (r: Partial<StepResult> = {}): StepResult => ({ status: 'ok', samples: [], durationMs: 0, ...r });

function plugins(clock: Clock, seen: StepContext[]) {
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(r, ms));
  const list = [
    testPlugin('rows', async (p, ctx) => {
      seen.push(ctx);
      await sleep(p.ms as number);
      return ok({
        rows: [
          { name: 'a', used: 5 },
          { name: 'b', used: 7 },
        ],
        output: 'two rows',
      });
    }),
    testPlugin('hang', (_p, ctx) => {
      seen.push(ctx);
      // honours its signal, as a plugin should
      return new Promise((resolve) =>
        ctx.signal.addEventListener('abort', () =>
          resolve({ status: 'error', samples: [], error: 'aborted', durationMs: 0 }),
        ),
      );
    }),
    testPlugin('deaf', () => new Promise<StepResult>(() => {})), // ignores its signal
    testPlugin('throws', async () => {
      throw new Error('kaput');
    }),
    testPlugin('echo', async (p, ctx) => {
      const pw = ctx.secret('secret:db_password') ?? '';
      return ok({
        output: `${p.text as string} connected as admin:${pw}`,
        error: `warning: ${pw}`,
        samples: [{ metric: 'echo.up', value: 1, ts: ctx.now() }],
      });
    }),
    testPlugin('script', async () => ok({ output: 'ran' }), { runsScripts: true }),
  ];
  return (id: string) => list.find((x) => x.manifest.id === id);
}

function setup(allow: ProbeRunnerOptions['allow'] = { scripts: false }) {
  const clock = fakeClock();
  const seen: StepContext[] = [];
  const runner = createProbeRunner({
    pluginById: plugins(clock, seen),
    allow,
    env: {
      platform: 'linux',
      run: () => Promise.reject(new Error('no process')),
      secret: (ref) => (ref === 'secret:db_password' ? 's3cr3t-pw' : undefined),
    },
    now: clock.now,
    setTimer: clock.setTimer,
  });
  return { clock, seen, runner };
}

const probe = (d: Partial<ProbeDefinitionInput> & Pick<ProbeDefinitionInput, 'steps'>, version = 1) => ({
  id: '7',
  version,
  definition: probeDefinitionSchema.parse({ name: 'p', intervalSeconds: 60, timeoutSeconds: 10, ...d }),
});

/** Runs to the end, moving the clock until the run settles. */
async function runToEnd<T>(clock: Clock, started: Promise<T>, step = 1000, limit = 30): Promise<T> {
  let done = false;
  void started.then(() => (done = true));
  for (let i = 0; i < limit && !done; i++) await clock.advance(step);
  expect(done).toBe(true);
  return started;
}

describe('running a probe', () => {
  it('runs the steps in order, extracts, and traces each step', async () => {
    const { clock, runner } = setup();
    const p = probe({
      steps: [
        { id: 'q', plugin: 'rows', params: { ms: 2000 } },
        { id: 'e', plugin: 'echo', params: { text: 'hi' } },
      ],
      extract: [
        {
          step: 'q',
          from: { kind: 'column', column: 'used' },
          metric: 'db.used',
          labels: { db: { column: 'name' } },
        },
      ],
    });
    const trace = await runToEnd(clock, runner.run(p));
    const t0 = 1_763_900_000_000;
    expect(trace).toEqual({
      probeId: '7',
      version: 1,
      startedAt: t0,
      durationMs: 2000,
      status: 'ok',
      steps: [
        {
          id: 'q',
          plugin: 'rows',
          status: 'ok',
          durationMs: 2000,
          input: { ms: 2000, text: '' },
          output: 'two rows',
          rowCount: 2,
          rows: [
            { name: 'a', used: 5 },
            { name: 'b', used: 7 },
          ],
        },
        {
          id: 'e',
          plugin: 'echo',
          status: 'ok',
          durationMs: 0,
          input: { ms: 0, text: 'hi' },
          output: 'hi connected as admin:[secret]',
          error: 'warning: [secret]',
        },
      ],
      samples: [
        { metric: 'echo.up', value: 1, ts: t0 + 2000 },
        { metric: 'db.used', value: 5, ts: t0, labels: { db: 'a' } },
        { metric: 'db.used', value: 7, ts: t0, labels: { db: 'b' } },
      ],
      problems: [],
    });
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("gives each step what is left of the probe's timeout", async () => {
    const { clock, seen, runner } = setup();
    const p = probe({
      steps: [
        { id: 'a', plugin: 'rows', params: { ms: 3000 } },
        { id: 'b', plugin: 'rows', params: { ms: 1000 } },
      ],
      timeoutSeconds: 10,
    });
    await runToEnd(clock, runner.run(p));
    expect(seen.map((c) => c.timeoutMs)).toEqual([10_000, 7000]);
  });

  it('aborts the signal of a step that overruns, reports timeout, and skips the rest', async () => {
    const { clock, seen, runner } = setup();
    const p = probe({
      steps: [
        { id: 'a', plugin: 'rows' },
        { id: 'b', plugin: 'hang' },
        { id: 'c', plugin: 'rows' },
      ],
      timeoutSeconds: 5,
    });
    const trace = await runToEnd(clock, runner.run(p));
    expect(seen[1]!.signal.aborted).toBe(true);
    expect(trace.status).toBe('timeout');
    expect(trace.steps.map((s) => [s.id, s.status, s.error])).toEqual([
      ['a', 'ok', undefined],
      ['b', 'timeout', 'timed out after 5000 ms; aborted'],
      ['c', 'skipped', undefined],
    ]);
    expect(trace.durationMs).toBe(5000);
    expect(seen).toHaveLength(2);
  });

  it('abandons a plugin that ignores its signal after the grace', async () => {
    const { clock, runner } = setup();
    const trace = await runToEnd(
      clock,
      runner.run(probe({ steps: [{ id: 'a', plugin: 'deaf' }], timeoutSeconds: 2 })),
      500,
    );
    expect(trace.steps[0]).toMatchObject({ status: 'timeout', durationMs: 2000 + STEP_GRACE_MS });
    expect(clock.pending()).toBe(0);
  });

  it.each([
    ['an unknown plugin', { scripts: false }, 'nope', {}, 'unsupported', 'this agent has no plugin "nope"'],
    [
      'a script plugin on an agent without scripts',
      { scripts: false },
      'script',
      {},
      'unsupported',
      'plugin "script" runs scripts, which this agent does not allow',
    ],
    [
      'a plugin off the allow-list',
      { plugins: ['rows'], scripts: true },
      'echo',
      {},
      'unsupported',
      'plugin "echo" is not in this agent\'s allowed plugins',
    ],
    [
      'parameters the manifest refuses',
      { scripts: false },
      'rows',
      { ms: -1 },
      'error',
      expect.stringMatching(/^cannot prepare: rows: ms: /),
    ],
    [
      'parameters prepare refuses',
      { scripts: false },
      'rows',
      { text: 'refuse' },
      'error',
      'cannot prepare: text: "refuse" is refused',
    ],
    ['a plugin that throws', { scripts: false }, 'throws', {}, 'error', 'the plugin failed: kaput'],
  ])('stops at %s', async (_name, allow, plugin, params, status, error) => {
    const { clock, runner } = setup(allow);
    const trace = await runToEnd(
      clock,
      runner.run(
        probe({
          steps: [
            { id: 'a', plugin, params },
            { id: 'b', plugin: 'rows' },
          ],
        }),
      ),
    );
    expect(trace.status).toBe(status);
    expect(trace.steps).toEqual([
      expect.objectContaining({ id: 'a', plugin, status, error }),
      { id: 'b', plugin: 'rows', status: 'skipped', durationMs: 0, input: { ms: 0, text: '' } },
    ]);
  });

  it('runs scripts when the agent allows them', async () => {
    const { clock, runner } = setup({ scripts: true });
    const trace = await runToEnd(clock, runner.run(probe({ steps: [{ id: 'a', plugin: 'script' }] })));
    expect(trace.status).toBe('ok');
  });

  it('redacts credentials in the prepared request and cuts long output', async () => {
    const { clock, runner } = setup();
    const long = 'é'.repeat(3000);
    const p = probe({
      steps: [
        {
          id: 'a',
          plugin: 'echo',
          params: {
            text: long,
            password: 'hunter2',
            user: 'secret:db_user',
            url: 'https://bob:pw1@example.com/x',
            headers: [{ name: 'Authorization', value: 'Bearer abc' }],
          },
        },
      ],
    });
    const trace = await runToEnd(clock, runner.run(p));
    const step = trace.steps[0]!;
    expect(step.input).toMatchObject({
      password: '[redacted]',
      user: 'secret:db_user',
      url: 'https://bob:[redacted]@example.com/x',
      headers: [{ name: 'Authorization', value: '[redacted]' }],
    });
    expect(Buffer.byteLength(step.output!.split('\n[esmon')[0]!)).toBeLessThanOrEqual(4096);
    expect(step.output).toMatch(/\n\[esmon: output truncated, \d+ bytes in all\]$/);
    expect(step.output).not.toContain('\uFFFD');
  });

  it('prepares once per version', async () => {
    const { clock, runner } = setup();
    let prepares = 0;
    const base = plugins(clock, []);
    const counting = createProbeRunner({
      pluginById: (id) => {
        const plugin = base(id)!;
        return { ...plugin, prepare: (p) => (prepares++, plugin.prepare(p)) };
      },
      allow: { scripts: false },
      env: { platform: 'linux', run: () => Promise.reject(new Error('no process')), secret: () => undefined },
      now: clock.now,
      setTimer: clock.setTimer,
    });
    const steps = { steps: [{ id: 'a', plugin: 'rows' }] };
    await runToEnd(clock, counting.run(probe(steps, 1)));
    await runToEnd(clock, counting.run(probe(steps, 1)));
    expect(prepares).toBe(1);
    await runToEnd(clock, counting.run(probe(steps, 2)));
    await runToEnd(clock, counting.runOnce(probe(steps, 2)));
    expect(prepares).toBe(3);
    await runner.close();
  });

  it('cancels when the agent stops', async () => {
    const { clock, runner } = setup();
    const stop = new AbortController();
    const run = runner.run(
      probe({
        steps: [
          { id: 'a', plugin: 'hang' },
          { id: 'b', plugin: 'rows' },
        ],
      }),
      stop.signal,
    );
    await clock.advance(100);
    stop.abort();
    const trace = await run;
    expect(trace.steps.map((s) => s.status)).toEqual(['error', 'skipped']);
    expect(trace.steps[0]!.error).toBe('cancelled: the agent is stopping');
    expect(clock.pending()).toBe(0);
  });
});
