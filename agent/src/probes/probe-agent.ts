// The agent's probe side in one piece: the configuration client feeds the scheduler, the
// scheduler runs probes through the runner, and samples leave through `onSamples`. agent.ts and
// cli.ts need only this file.
import { pluginById as registryPluginById } from '@esmon/plugin-registry';
import {
  probeDefinitionSchema,
  type Platform,
  type Plugin,
  type RunProcess,
  type SampleInput,
} from '@esmon/schema';
import { refusedSamples, type ProbeOverrides, type RefusedProbe } from './agent-config.ts';
import { createConfigClient, type ConfigClientOptions } from './config-client.ts';
import type { ProbeLog } from './probe-log.ts';
import { createProbeRunner } from './run-probe.ts';
import { createScheduler, type SchedulerStats } from './scheduler.ts';
import { createServerTrust } from './server-key.ts';
import type { ProbeTrace } from './trace.ts';
import { signedForHost, type ReceivedProbe } from './trust.ts';

export interface ProbeAgentOptions {
  server: string;
  key: string;
  /** where agent-config.json is cached (the agent's data directory) */
  dataDir: string;
  /** plugin ids this agent runs; every registered plugin when absent */
  allowPlugins?: readonly string[];
  /** run plugins that run scripts or commands (command, powershell); default false */
  allowScripts?: boolean;
  /** agent.yaml's per-probe overrides: off on this host, or a longer interval */
  overrides?: ProbeOverrides;
  /** the process runner: runProcess of schema/src/plugin/run-process.ts */
  run: RunProcess;
  /** resolves `secret:NAME` from the agent's own configuration; none known when absent */
  secret?: (ref: string) => string | undefined;
  /** probe samples and self-metrics, for the next batch of this agent's host */
  onSamples(samples: SampleInput[]): void;
  log: ProbeLog;
  /** this host's name (the one the key is bound to): probes are signed for it; also spreads runs across the fleet */
  hostname: string;
  /** agent.yaml's serverKey: the server's public key to trust; absent: trust on first use (server-key.ts) */
  serverKey?: string;
  maxConcurrent?: number;
  pluginById?: (id: string) => Plugin | undefined;
  platform?: Platform;
  /** test seams of the configuration client */
  connection?: Pick<ConfigClientOptions, 'httpPost' | 'webSocketImpl' | 'backoff' | 'resyncMs'>;
}

export interface ProbeAgent {
  /** Resolves once the first configuration (server's or cached) is scheduled. */
  start(): Promise<void>;
  /** Stops the feed and the scheduler (runs in flight are cancelled), then closes plugins. */
  stop(): Promise<void>;
  /**
   * Runs a probe once, now, under this agent's allow-list: the workbench's "run now". Throws
   * (nothing run) unless the server signed it for this host and this command.
   */
  runNow(probe: ReceivedProbe, commandId: string): Promise<ProbeTrace>;
  stats(): SchedulerStats;
  /** The version of the configuration running now (the server's hash); undefined before the first. */
  configVersion(): string | undefined;
  /** Fetches the configuration now; resolves with the version then running (undefined: no answer). */
  reload(): Promise<string | undefined>;
  /**
   * The gauges worth repeating in every batch (esmon.agent.config.version, and
   * esmon.agent.probe.refused per refused probe): onSamples carries them only when they change,
   * and a series that is not repeated goes stale on the server.
   */
  gauges(ts: number): SampleInput[];
}

export const currentPlatform = (): Platform => (process.platform === 'win32' ? 'windows' : 'linux');

export function createProbeAgent(options: ProbeAgentOptions): ProbeAgent {
  const { log, onSamples } = options;
  const platform = options.platform ?? currentPlatform();
  const pluginById = options.pluginById ?? registryPluginById;
  const allow = {
    scripts: options.allowScripts ?? false,
    ...(options.allowPlugins ? { plugins: options.allowPlugins } : {}),
  };
  const runner = createProbeRunner({
    pluginById,
    allow,
    env: { platform, run: options.run, secret: options.secret ?? (() => undefined) },
  });

  let refused: RefusedProbe[] = [];
  // a probe failing every minute is said once, and again when it recovers
  const lastStatus = new Map<string, string>();
  const onTrace = (t: ProbeTrace) => {
    const before = lastStatus.get(t.probeId) ?? 'ok';
    lastStatus.set(t.probeId, t.status);
    if (t.status === before) return;
    const failed = t.steps.find((s) => s.status !== 'ok' && s.status !== 'skipped');
    if (t.status === 'ok') log.info(`probe ${t.probeId} runs again`);
    else
      log.warn(
        `probe ${t.probeId} v${t.version}: ${t.status}${failed ? ` at step "${failed.id}": ${failed.error ?? ''}` : ''}`,
      );
  };

  const scheduler = createScheduler({
    run: (probe, stop) => runner.run(probe, stop),
    onSamples,
    onTrace,
    ...(options.maxConcurrent ? { maxConcurrent: options.maxConcurrent } : {}),
    jitterSeed: options.hostname,
  });
  const trust = createServerTrust({ dataDir: options.dataDir, log, ...(options.serverKey ? { configured: options.serverKey } : {}) });

  const config = createConfigClient({
    server: options.server,
    key: options.key,
    hostname: options.hostname,
    trust,
    dataDir: options.dataDir,
    allow,
    ...(options.overrides ? { overrides: options.overrides } : {}),
    pluginById,
    platform,
    onSamples,
    log,
    onConfig: (c) => {
      log.info(
        `probe configuration ${c.version} (${c.source}): ${c.probes.length} probe(s) to run, ${c.refused.length} refused`,
      );
      refused = c.refused;
      scheduler.apply(c.probes);
    },
    ...options.connection,
  });

  return {
    async start() {
      await trust.load();
      await config.start();
    },
    async stop() {
      await config.stop();
      await scheduler.stop();
      await runner.close();
      await trust.settled();
    },
    async runNow(probe, commandId) {
      const key = trust.current();
      if (!key || !signedForHost(key, options.hostname, probe, commandId)) {
        const why = key
          ? `its signature is not the server's for host ${options.hostname} and this command (changed after signing, or not from the server)`
          : 'no server key is trusted yet (the agent has not received a signed configuration)';
        log.error(`run-now of probe ${probe.id} v${probe.version} refused: ${why}`);
        throw new Error(`refused (bad_signature): probe ${probe.id} v${probe.version} not run: ${why}`);
      }
      return runner.runOnce({ id: 'now', version: 0, definition: probeDefinitionSchema.parse(probe.definition) });
    },
    stats: () => scheduler.stats(),
    configVersion: () => config.current()?.version,
    reload: async () => ((await config.reload()) ? config.current()?.version : undefined),
    gauges: (ts) => [
      { metric: 'esmon.agent.config.version', value: scheduler.stats().applies, ts },
      ...refusedSamples(refused, ts),
    ],
  };
}
