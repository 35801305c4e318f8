// Runs one probe: its steps in order through their plugins, each with what is left of the probe's
// timeout, then extraction. The runner, not the plugin, owns the clock: a step's signal is aborted
// at its deadline, and a plugin that does not stop within a short grace is left behind (its late
// answer ignored) so one stuck plugin cannot hold the probe, or the scheduler's slot, for ever.
// The first step that does not succeed stops the run; the steps after it are traced as skipped.
import {
  parseParams,
  type Platform,
  type Plugin,
  type ProbeDefinition,
  type RunProcess,
  type StepContext,
  type StepResult,
  type StepStatus,
} from '@esmon/schema';
import { stepRefusal, type AllowPolicy } from './allow.ts';
import { extractSamples } from './extract.ts';
import { createRedactor, type JsonValue, type Redactor } from './redact.ts';
import { realTimer, type SetTimer } from './timer.ts';
import { TRACE_ROWS, truncateOutput, type ProbeTrace, type StepTrace } from './trace.ts';

/** A probe as the server versions it; the id is the server's (a GraphQL ID). */
export interface ProbeRef {
  id: string;
  version: number;
  definition: ProbeDefinition;
}

/** What a step needs from the agent besides its plugin: the platform, processes, secrets. */
export interface StepEnvironment {
  platform: Platform;
  run: RunProcess;
  /** resolves `secret:NAME` from the agent's own configuration */
  secret(ref: string): string | undefined;
}

export interface ProbeRunnerOptions {
  pluginById: (id: string) => Plugin | undefined;
  allow: AllowPolicy;
  env: StepEnvironment;
  now?: () => number;
  setTimer?: SetTimer;
}

/**
 * How long a plugin may take to give up after its signal is aborted before the runner stops
 * waiting. Covers the process runner's pipe grace (1 s) so a killed command's own answer, which
 * says more, usually arrives first.
 */
export const STEP_GRACE_MS = 1500;

/** A step ready to execute, or why it cannot be. Built once per probe version. */
export type PreparedStep = { id: string; plugin: string } & (
  | { ready: true; impl: Plugin; prepared: unknown; input: JsonValue }
  | { ready: false; status: 'unsupported' | 'error'; error: string }
);

type ReadyStep = Extract<PreparedStep, { ready: true }>;

/** Parameters validated against each plugin's manifest, then prepared; refusals and failures kept as data. */
export function prepareSteps(
  definition: Pick<ProbeDefinition, 'steps'>,
  options: Pick<ProbeRunnerOptions, 'pluginById' | 'allow' | 'env'>,
): PreparedStep[] {
  return definition.steps.map((step): PreparedStep => {
    const impl = options.pluginById(step.plugin);
    const refusal = stepRefusal(step.plugin, impl, options.allow, options.env.platform);
    if (refusal || !impl)
      return {
        id: step.id,
        plugin: step.plugin,
        ready: false,
        status: 'unsupported',
        error: refusal?.message ?? '',
      };
    try {
      const prepared = impl.prepare(parseParams(impl.manifest, step.params));
      return {
        id: step.id,
        plugin: step.plugin,
        ready: true,
        impl,
        prepared,
        input: createRedactor([]).json(prepared),
      };
    } catch (err) {
      return {
        id: step.id,
        plugin: step.plugin,
        ready: false,
        status: 'error',
        error: `cannot prepare: ${(err as Error).message}`,
      };
    }
  });
}

const failed = (status: StepStatus, error: string): StepResult => ({
  status,
  samples: [],
  error,
  durationMs: 0,
});

/** Executes one ready step against its deadline; `secrets` collects the secret values it resolved. */
async function executeStep(
  step: ReadyStep,
  timeoutMs: number,
  o: Required<ProbeRunnerOptions>,
  secrets: Set<string>,
  stop?: AbortSignal,
): Promise<StepResult> {
  const controller = new AbortController();
  let overran = false;
  const cancels: (() => void)[] = [];
  const stopped = new Promise<StepResult>((resolve) => {
    const onStop = () => {
      controller.abort(new Error('cancelled'));
      resolve(failed('error', 'cancelled: the agent is stopping'));
    };
    if (stop?.aborted) return onStop();
    stop?.addEventListener('abort', onStop, { once: true });
    cancels.push(() => stop?.removeEventListener('abort', onStop));
  });
  cancels.push(
    o.setTimer(() => {
      overran = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs),
  );
  const abandoned = new Promise<StepResult>((resolve) => {
    cancels.push(
      o.setTimer(
        () =>
          resolve(
            failed(
              'timeout',
              `no answer within ${timeoutMs} ms (+${STEP_GRACE_MS} ms grace); the step was abandoned`,
            ),
          ),
        timeoutMs + STEP_GRACE_MS,
      ),
    );
  });
  const ctx: StepContext = {
    now: o.now,
    timeoutMs,
    platform: o.env.platform,
    signal: controller.signal,
    run: o.env.run,
    secret: (ref) => {
      const value = o.env.secret(ref);
      if (value) secrets.add(value);
      return value;
    },
  };
  // failure is data: a plugin that throws (it should not) fails its step, not the probe
  const executed = Promise.resolve()
    .then(() => step.impl.execute(step.prepared, ctx))
    .then((r) => ({ ...r, samples: Array.isArray(r?.samples) ? r.samples : [] }))
    .catch((err: unknown) => failed('error', `the plugin failed: ${(err as Error)?.message ?? String(err)}`));
  try {
    const result = await Promise.race([executed, abandoned, stopped]);
    if (overran && result.status !== 'timeout') {
      return {
        ...result,
        status: 'timeout',
        error: [`timed out after ${timeoutMs} ms`, result.error].filter(Boolean).join('; '),
      };
    }
    return result;
  } finally {
    cancels.forEach((cancel) => cancel());
  }
}

function traceOf(
  step: PreparedStep,
  result: StepResult | undefined,
  durationMs: number,
  redact: Redactor,
): StepTrace {
  const trace: StepTrace = {
    id: step.id,
    plugin: step.plugin,
    status: result?.status ?? 'skipped',
    durationMs,
  };
  if (step.ready) trace.input = step.input;
  if (!result) return trace;
  if (result.output !== undefined) trace.output = truncateOutput(redact.text(result.output));
  if (result.error) trace.error = redact.text(result.error);
  if (result.rows) {
    trace.rowCount = result.rows.length;
    trace.rows = result.rows.slice(0, TRACE_ROWS).map((r) => redact.json(r));
  }
  return trace;
}

/** One run of a probe whose steps are prepared; never throws. `stop` cancels it (results are then partial). */
export async function runPrepared(
  probe: ProbeRef,
  steps: readonly PreparedStep[],
  options: ProbeRunnerOptions,
  stop?: AbortSignal,
): Promise<ProbeTrace> {
  const o: Required<ProbeRunnerOptions> = { now: Date.now, setTimer: realTimer, ...options };
  const startedAt = Math.round(o.now());
  const deadline = startedAt + probe.definition.timeoutSeconds * 1000;
  const results = new Map<string, StepResult>();
  const secrets = new Set<string>();
  const traces: { step: PreparedStep; result?: StepResult; durationMs: number }[] = [];
  let status: StepStatus = 'ok';

  for (const step of steps) {
    if (status !== 'ok') {
      traces.push({ step, durationMs: 0 });
      continue;
    }
    const remaining = deadline - o.now();
    let result: StepResult;
    const t0 = o.now();
    if (!step.ready) result = failed(step.status, step.error);
    else if (stop?.aborted) result = failed('error', 'cancelled: the agent is stopping');
    else if (remaining <= 0)
      result = failed('timeout', `no time left of the probe's ${probe.definition.timeoutSeconds} s timeout`);
    else result = await executeStep(step, remaining, o, secrets, stop);
    const durationMs = Math.max(0, Math.round(o.now() - t0));
    results.set(step.id, result);
    traces.push({ step, result, durationMs });
    status = result.status;
  }

  const redact = createRedactor(secrets);
  const { samples, problems } = extractSamples(probe.definition, results, startedAt);
  return {
    probeId: probe.id,
    version: probe.version,
    startedAt,
    durationMs: Math.max(0, Math.round(o.now() - startedAt)),
    status,
    steps: traces.map((t) => traceOf(t.step, t.result, t.durationMs, redact)),
    samples,
    problems: problems.map(redact.text),
  };
}

export interface ProbeRunner {
  /** Runs a scheduled probe, preparing its steps once per version. */
  run(probe: ProbeRef, stop?: AbortSignal): Promise<ProbeTrace>;
  /** Prepares and runs a probe once, keeping nothing (the workbench's "run now"). */
  runOnce(probe: ProbeRef, stop?: AbortSignal): Promise<ProbeTrace>;
  /** Releases what the plugins used hold (pools, bridges). */
  close(): Promise<void>;
}

export function createProbeRunner(options: ProbeRunnerOptions): ProbeRunner {
  const prepared = new Map<string, { version: number; steps: PreparedStep[] }>();
  const used = new Set<Plugin>();
  const prepare = (probe: ProbeRef) => {
    const steps = prepareSteps(probe.definition, options);
    for (const s of steps) if (s.ready) used.add(s.impl);
    return steps;
  };
  return {
    run(probe, stop) {
      let entry = prepared.get(probe.id);
      if (entry?.version !== probe.version) {
        entry = { version: probe.version, steps: prepare(probe) };
        prepared.set(probe.id, entry);
      }
      return runPrepared(probe, entry.steps, options, stop);
    },
    runOnce: (probe, stop) => runPrepared(probe, prepare(probe), options, stop),
    async close() {
      await Promise.all([...used].map((p) => p.close?.().catch(() => undefined)));
      used.clear();
      prepared.clear();
    },
  };
}
