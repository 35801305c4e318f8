#!/usr/bin/env node
// esmon-agent run --server URL --key KEY [--interval 10s] [--mock N] [--hostname H] [--once] [--data-dir DIR] …
import type { HostInput } from '@esmon/schema';
import { createAgent, type AgentLog } from './agent.ts';
import { DataDirError } from './buffer/data-dir.ts';
import { openDiskBuffer } from './buffer/disk-buffer.ts';
import { createSystemCollector, hostFacts, hostInput } from './system/index.ts';
import { withConfigDir } from './config-args.ts';
import { enroll } from './enroll.ts';
import { parseRunArgs, UsageError } from './options.ts';
import { agentVersion } from './version.ts';
import { runProcess } from '@esmon/schema/process';
import { startCommands } from './probes/commands.ts';
import { createProbeAgent, createSampleInbox, type ProbeAgent } from './probes/index.ts';
import { mockFleet } from './mock.ts';
import { createGzipSender } from './transport.ts';

const USAGE = `usage: esmon-agent run [--config DIR] --server URL [--key KEY] [--interval 10s] [--hostname NAME] [--mock N] [--once]
                       [--data-dir DIR] [--buffer-size 256MB] [--buffer-fsync always|never]
       esmon-agent enroll --server URL --token TOKEN [--hostname NAME] [--config DIR]
       esmon-agent --version

  --config DIR     the agent's directory: agent.yaml (server, hostname, dataDir, interval, plugins,
                   secrets, overrides) and agent.key from enroll; flags override the file

  --server URL     the esmon server, e.g. http://monitor.example:4000
  --key KEY        the agent key (or set ESMON_AGENT_KEY, which keeps it out of the process list)
  --interval D     collection interval: 500ms, 10s, 1m … (default 10s, at least 1s; 100ms with --mock)
  --hostname NAME  the name to report (default: this machine's host name)
  --mock N         simulate N hosts with realistic metrics instead of collecting this machine
                   (needs an integration key with role analyst or admin)
  --once           collect once, try once to send everything buffered, then exit (1 when some stays buffered)
  --data-dir DIR   where batches wait until the server has them, surviving restarts
                   (default ./data/agent/HOSTNAME@SERVER, e.g. ./data/agent/web-01@monitor_4000)
  --buffer-size S  disk bound of the buffer; when full the oldest batches go, counted (default 256MB)
  --buffer-fsync W always: every batch is on disk before it is sent (default); never: leave it to the OS`;

const log: AgentLog = {
  info: (m) => process.stderr.write(`${new Date().toISOString()} esmon-agent: ${m}\n`),
  warn: (m) => process.stderr.write(`${new Date().toISOString()} esmon-agent: warning: ${m}\n`),
  error: (m) => process.stderr.write(`${new Date().toISOString()} esmon-agent: error: ${m}\n`),
};

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`esmon-agent ${agentVersion()}\n`);
    return;
  }
  if (command === 'enroll') {
    process.stdout.write(`${await enroll(rest, process.env)}\n`);
    return;
  }
  if (command !== 'run') throw new UsageError(`unknown command: ${command}\n\n${USAGE}`);
  const { args, env, file } = await withConfigDir(rest, process.env);
  const options = parseRunArgs(args, env);
  const send = createGzipSender({ server: options.server, key: options.key });
  const buffer = await openDiskBuffer({ dir: options.dataDir, maxBytes: options.bufferBytes, fsync: options.bufferFsync, log });
  const waiting = buffer.stats();
  log.info(`buffering in ${options.dataDir}${waiting.batches > 0 ? ` (${waiting.batches} batch(es), ${waiting.samples} samples from before)` : ''}`);
  let collect: (ts: number) => Promise<HostInput[]>;
  let probes: ProbeAgent | undefined;
  if (options.mock) {
    const fleet = mockFleet(options.mock);
    collect = async (ts) => fleet.tick(ts);
  } else {
    const facts = await hostFacts();
    const collectSystem = createSystemCollector();
    let reported = new Set<string>();
    const inbox = createSampleInbox();
    probes = createProbeAgent({
      server: options.server,
      key: options.key,
      dataDir: options.dataDir,
      run: runProcess,
      onSamples: (s) => inbox.push(s),
      log,
      hostname: options.hostname,
      ...(file?.plugins.allow ? { allowPlugins: file.plugins.allow } : {}),
      allowScripts: file?.plugins.allowScripts ?? false,
      ...(file?.serverKey ? { serverKey: file.serverKey } : {}),
      ...(file ? { overrides: file.overrides } : {}),
      secret: (ref) => {
        const name = ref.replace(/^secret:/, '');
        return file && Object.hasOwn(file.secrets, name) ? file.secrets[name] : undefined;
      },
    });
    collect = async (ts) => {
      const { samples, failures } = await collectSystem(ts);
      const now = new Set(failures.map((f) => `${f.collector}: ${f.error}`));
      for (const f of now) if (!reported.has(f)) log.warn(`collector ${f}`);
      reported = now;
      return [hostInput(options.hostname, facts, [...samples, ...inbox.take(), ...probes!.gauges(ts)])];
    };
  }
  let exitCode = 0;
  const agent = createAgent({
    intervalMs: options.intervalMs,
    collect,
    buffer,
    send,
    log,
    // simulated hosts have no agent of their own to report on
    ...(options.mock ? {} : { selfHostname: options.hostname }),
    configVersion: () => probes?.configVersion(),
    onFatal: (reason) => {
      log.error(reason);
      exitCode = 3;
      void agent.stop().then(() => process.exit(exitCode));
    },
  });
  const what = options.mock ? `${options.mock} simulated hosts` : `host ${options.hostname}`;
  log.info(`sending ${what} to ${options.server} every ${options.intervalMs / 1000}s`);
  if (options.once) {
    await agent.tick();
    await agent.stop();
    process.exit(exitCode || (agent.stats().batches > 0 ? 1 : 0));
  }
  // probes: the server's (or the cached) configuration, applied live; commands over the same link
  await probes?.start();
  const stopCommands = probes
    ? startCommands({ server: options.server, key: options.key, probes, log, version: agentVersion(), startedAt: Date.now() })
    : async () => undefined;
  await agent.start();
  const stop = () => {
    void Promise.all([stopCommands(), probes?.stop()])
      .then(() => agent.stop())
      .then(() => process.exit(exitCode));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run(process.argv.slice(2)).catch((err: unknown) => {
  const isUsage = err instanceof UsageError || err instanceof DataDirError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
  process.stderr.write(`esmon-agent: ${isUsage ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
  process.exit(isUsage ? 2 : 1);
});
