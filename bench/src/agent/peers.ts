// The two peers of the agent benchmark, from Debian packages, run as plain child processes on
// 127.0.0.1 and free ports (never the services' defaults), each given the work a real server would
// give it every 10 s: node_exporter is scraped like Prometheus scrapes it; zabbix_agent2 answers
// the passive checks a Zabbix server would send (zabbix.ts lists them).
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitUntil, type Proc } from '../../../e2e/src/processes.ts';
import { startBinary } from '../alert-latency/prometheus-processes.ts';
import { startCold } from './proc-usage.ts';
import { writeZabbixConfig, zabbixGet, zabbixItems, type ProbeTargets } from './zabbix.ts';

export const PEERS_APT_INSTALL = 'apt-get install -y --no-install-recommends prometheus-node-exporter zabbix-agent2';
export const WORK_INTERVAL_MS = 10_000;

export type PeerName = 'node_exporter' | 'zabbix_agent2';

/** What the bench asked of a peer since the window began. */
export interface PeerWork {
  rounds: number;
  requests: number;
  failures: number;
  lastFailure?: string;
}

export interface RunningPeer {
  name: PeerName;
  version: string;
  proc: Proc;
  /** what one round asks, for the report */
  round: string;
  work: PeerWork;
  /** starts the counts afresh (at the window's start) */
  resetWork(): void;
  stop(): Promise<void>;
}

export type Peer = RunningPeer | { name: PeerName; skipped: string };

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The peer's binary: `envVar` when set (a path), else the first of `names` in the system's bin dirs. */
function findBinary(envVar: string, names: string[]): { file: string } | { skipped: string } {
  const given = process.env[envVar];
  if (given) return executable(given) ? { file: given } : { skipped: `${envVar}=${given} is not an executable` };
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
    for (const name of names) if (executable(join(dir, name))) return { file: join(dir, name) };
  }
  return { skipped: `${names[0]} not installed (${PEERS_APT_INSTALL})` };
}

async function versionOf(file: string, args: string[], pattern: RegExp): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(file, args, { timeout: 10_000 });
  return pattern.exec(stdout + stderr)?.[1] ?? 'unknown';
}

/** A free port below 32768: zabbix_agent2 refuses a ListenPort above 32767, where the ephemeral ones start. */
async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const ok = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

/** Runs `round` every 10 s until stopped, counting requests and failures. */
function repeatWork(round: (work: PeerWork) => Promise<void>) {
  const state = { work: { rounds: 0, requests: 0, failures: 0 } as PeerWork };
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      state.work.rounds++;
      await round(state.work).catch((err: unknown) => {
        state.work.failures++;
        state.work.lastFailure = String((err as Error)?.message ?? err);
      });
    });
  };
  tick();
  const timer = setInterval(tick, WORK_INTERVAL_MS);
  return {
    state,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

export async function startNodeExporter(dir: string): Promise<Peer> {
  const found = findBinary('NODE_EXPORTER_BIN', ['prometheus-node-exporter', 'node_exporter']);
  if ('skipped' in found) return { name: 'node_exporter', skipped: found.skipped };
  const file = found.file;
  const version = await versionOf(file, ['--version'], /version (\S+)/);
  const port = await freePort();
  startCold(file);
  const proc = startBinary(file, [`--web.listen-address=127.0.0.1:${port}`], dir);
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    await waitUntil('node_exporter', async () => ((await fetch(url)).ok ? true : undefined), 30_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  const loop = repeatWork(async (work) => {
    work.requests++;
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  });
  return {
    name: 'node_exporter',
    version,
    proc,
    round: 'GET /metrics (default collectors), as a Prometheus scrape',
    get work() {
      return loop.state.work;
    },
    resetWork: () => (loop.state.work = { rounds: 0, requests: 0, failures: 0 }),
    stop: async () => {
      await loop.stop();
      await proc.stop();
    },
  };
}

export async function startZabbixAgent2(dir: string, targets: ProbeTargets): Promise<Peer> {
  const found = findBinary('ZABBIX_AGENT2_BIN', ['zabbix_agent2']);
  if ('skipped' in found) return { name: 'zabbix_agent2', skipped: found.skipped };
  const file = found.file;
  const version = await versionOf(file, ['-V'], /\(Zabbix\) (\S+)/);
  const port = await freeLowPort();
  startCold(file);
  const proc = startBinary(file, ['-c', await writeZabbixConfig(dir, port), '-f'], dir);
  let items: string[];
  try {
    await waitUntil('zabbix_agent2', async () => ('value' in (await zabbixGet(port, 'agent.ping')) ? true : undefined), 30_000, proc);
    items = await zabbixItems(port, targets);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  const loop = repeatWork(async (work) => {
    for (const key of items) {
      work.requests++;
      const r = await zabbixGet(port, key).catch((err: Error) => ({ unsupported: err.message }));
      if ('unsupported' in r) {
        work.failures++;
        work.lastFailure = `${key}: ${r.unsupported}`;
      }
    }
  });
  return {
    name: 'zabbix_agent2',
    version,
    proc,
    round: `${items.length} passive checks, one after another: ${items.join(' ')}`,
    get work() {
      return loop.state.work;
    },
    resetWork: () => (loop.state.work = { rounds: 0, requests: 0, failures: 0 }),
    stop: async () => {
      await loop.stop();
      await proc.stop();
    },
  };
}
