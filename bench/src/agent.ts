// npm run bench:agent — what the agent costs: RSS, PSS and CPU per hour of esmon-agent at a 10 s
// interval with the system collectors and five probes, side by side in the same run with
// prometheus-node-exporter 1.5 and zabbix-agent2 6.0 (Debian packages; a peer that is not
// installed is skipped and said so: apt-get install -y --no-install-recommends
// prometheus-node-exporter zabbix-agent2). Goal: ≤ 60 MB RSS and ≤ 0.5 % of one core.
//
// esmon: a server process (PGlite in a temp dir), the agent enrolled with a one-time token and
// run with --interval 10s as the single executable (dist/agent/esmon-agent, built when missing or
// older than its sources; node --import tsx agent/src/cli.ts when it cannot start, or with
// BENCH_AGENT_FROM_SOURCE=1); five probes every 10 s: tcp to the server, http GET /healthz, tcp to
// PostgreSQL :5432, http GET /metrics with a body regex, and the command `pgrep -c postgres`.
// node_exporter (default collectors) is scraped every 10 s as Prometheus would. zabbix_agent2 is
// asked every 10 s, as passive checks, for the counterparts of esmon's system collectors (cpu
// total/user/system/per core, load, memory, swap, each real file system, disk ops and sectors,
// each interface's bytes and errors) and of the five probes (net.tcp.port ×2, web.page.perf,
// web.page.regexp, system.run[pgrep -c postgres]).
//
// Each executable starts with its page cache dropped, as after a boot (see startCold: a binary
// cached whole reads up to 15 MB more RSS). After a warm-up (BENCH_WARMUP_SECONDS, default 20) each process tree (the process and its live
// children, summed) is read every 2 s over BENCH_SECONDS (default 300): VmRSS, Pss from
// smaps_rollup, and CPU as utime+stime+cutime+cstime at the end minus at the start. The agent's
// samples and every probe's must have reached the server during the window, else the figures
// prove nothing: esmon_probe_samples_seen says whether they did.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { latestCpu, tempDir, waitUntil, type Proc } from '../../e2e/src/processes.ts';
import { printFigures } from './bench-db.ts';
import { AGENT_HOSTNAME, COMMAND, POSTGRES_PORT, samplesSeen, startAgent, startServer } from './agent/esmon.ts';
import { startNodeExporter, startZabbixAgent2, type Peer, type RunningPeer } from './agent/peers.ts';
import { UsageWindow } from './agent/proc-usage.ts';
import { figuresOf, printTable, type Measured } from './agent/report.ts';

const WINDOW_S = Number(process.env.BENCH_SECONDS ?? 300);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const SAMPLE_EVERY_S = 2;
/** After the window, how long to let the agent deliver its last batch before counting samples. */
const DELIVERY_GRACE_MS = 12_000;

const log = (line: string) => console.log(line);
const dir = await tempDir('esmon-bench-agent-');
const stops: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(`stopping: ${String(err)}`));
    await rm(dir, { recursive: true, force: true });
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().then(() => process.exit(130)));

function alive(name: string, proc: Proc): void {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`${name} exited during the run:\n${proc.output().slice(-4000)}`);
}

try {
  const server = await startServer(dir);
  stops.push(() => server.proc.stop());
  log(`esmon server on ${server.url}`);

  const peers: Peer[] = [];
  for (const start of [
    (d: string) => startNodeExporter(d),
    (d: string) => startZabbixAgent2(d, { serverPort: server.port, postgresPort: POSTGRES_PORT, command: COMMAND }),
  ]) {
    const peerDir = join(dir, `peer-${peers.length}`);
    await mkdir(peerDir);
    const peer = await start(peerDir);
    peers.push(peer);
    if ('skipped' in peer) log(`${peer.name}: skipped (${peer.skipped})`);
    else {
      stops.push(() => peer.stop());
      log(`${peer.name} ${peer.version} (pid ${peer.proc.child.pid}), every 10 s: ${peer.round}`);
    }
  }
  const running = peers.filter((p): p is RunningPeer => !('skipped' in p));

  const agent = await startAgent(server, dir, log);
  stops.push(() => agent.proc.stop());
  log(`${agent.version} as ${agent.runtime} (pid ${agent.proc.child.pid}), host ${AGENT_HOSTNAME}, --interval 10s, 5 probes every 10 s`);
  await waitUntil('the agent’s first sample on the server', () => latestCpu(server.url, server.token, AGENT_HOSTNAME), 60_000, agent.proc);
  log(`first sample stored; warming up ${WARMUP_S} s`);
  await sleep(WARMUP_S * 1000);

  const procs: { name: Measured['name']; version: string; proc: Proc }[] = [
    { name: 'esmon_agent', version: agent.version, proc: agent.proc },
    ...running.map((p) => ({ name: p.name, version: p.version, proc: p.proc })),
  ];
  for (const p of procs) alive(p.name, p.proc);
  const windows = procs.map((p) => new UsageWindow(p.proc.child.pid!));
  for (const p of running) p.resetWork();
  const from = new Date();
  const end = Date.now() + WINDOW_S * 1000;
  let nextProgress = Date.now() + 60_000;
  log(`measuring for ${WINDOW_S} s`);
  while (Date.now() < end) {
    await sleep(Math.min(SAMPLE_EVERY_S * 1000, Math.max(0, end - Date.now())));
    for (const p of procs) alive(p.name, p.proc);
    for (const w of windows) w.sample();
    if (Date.now() >= nextProgress) {
      log(`  ${Math.round(WINDOW_S - (end - Date.now()) / 1000)}/${WINDOW_S} s`);
      nextProgress += 60_000;
    }
  }
  const to = new Date();
  const measured = procs.map((p, i) => ({ name: p.name, version: p.version, usage: windows[i]!.finish() }));
  // the peers' work as it stood at the window's end
  const peersAtEnd = peers.map((p) => ('skipped' in p ? p : { ...p, work: { ...p.work } }));
  await sleep(DELIVERY_GRACE_MS);
  alive('esmon_agent', agent.proc);
  const seen = await samplesSeen(server, from, to);

  const report = {
    windowSeconds: measured[0]!.usage.windowSeconds,
    warmupSeconds: WARMUP_S,
    sampleEverySeconds: SAMPLE_EVERY_S,
    agentRuntime: agent.runtime,
    measured,
    peers: peersAtEnd,
    seen,
    expectedPerProbe: Math.floor(WINDOW_S / 10),
  };
  printTable(report, log);
  printFigures(figuresOf(report));
} finally {
  await cleanUp();
}
