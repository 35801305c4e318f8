// The esmon side of the agent benchmark: a server process on the embedded PGlite in a temp dir,
// the agent enrolled with a one-time token from the admin, five probes (every host, every 10 s),
// and the agent running as the single executable from `npm run build:agent` (node + tsx when the
// binary cannot start, and said so). Afterwards, the proof that it worked: samples of the system
// collectors and of every probe stored by the server during the measured window.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agentCli, freePort, gql, loginToken, repoRoot, runTs, serverCli, waitUntil, type Proc } from '../../../e2e/src/processes.ts';
import { startBinary } from '../alert-latency/prometheus-processes.ts';
import { startCold } from './proc-usage.ts';

export const AGENT_HOSTNAME = 'bench-agent';
export const POSTGRES_PORT = 5432;
/** The command probe, and zabbix_agent2's system.run counterpart. */
export const COMMAND = ['pgrep', '-c', 'postgres'];
const PASSWORD = 'bench-agent-password-1';
const BINARY = join(repoRoot, 'dist/agent/esmon-agent');
/** What the single executable is built from: a file here newer than the binary means rebuild. */
const SOURCES = ['agent/src', 'schema/src', ...readdirSync(join(repoRoot, 'plugins')).map((p) => `plugins/${p}/src`)];

export interface EsmonServer {
  url: string;
  port: number;
  token: string;
  proc: Proc;
}

export async function startServer(dir: string): Promise<EsmonServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = runTs(serverCli, ['serve'], { PORT: String(port), ESMON_DATA_DIR: join(dir, 'server'), DATABASE_URL: '', ESMON_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' });
  try {
    await waitUntil('esmon server', async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined), 60_000, proc);
    return { url, port, token: await loginToken(url, 'admin@localhost', PASSWORD), proc };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** The binary, built first when missing or older than its sources; undefined (with why) when it does not start. */
async function agentBinary(log: (line: string) => void): Promise<{ file: string } | { failed: string }> {
  const sources = Math.max(...SOURCES.map((s) => join(repoRoot, s)).filter(existsSync).map(newestSource));
  if (!existsSync(BINARY) || statSync(BINARY).mtimeMs < sources) {
    log('esmon-agent: building the single executable (npm run build:agent)');
    try {
      execFileSync('npm', ['run', '--silent', 'build:agent'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    } catch (err) {
      return { failed: `npm run build:agent failed: ${(err as Error).message}` };
    }
  }
  try {
    await promisify(execFile)(BINARY, ['--version'], { timeout: 30_000 });
    return { file: BINARY };
  } catch (err) {
    return { failed: `${BINARY} --version failed: ${(err as Error).message}` };
  }
}

function probeDefinitions(server: EsmonServer) {
  const every10s = { intervalSeconds: 10, timeoutSeconds: 5, targets: {} };
  return [
    { name: 'bench: esmon server port', steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: server.port } }] },
    { name: 'bench: esmon /healthz', steps: [{ id: 'get', plugin: 'http', params: { url: `${server.url}/healthz` } }] },
    { name: 'bench: postgres port', steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: POSTGRES_PORT } }] },
    { name: 'bench: esmon /metrics', steps: [{ id: 'get', plugin: 'http', params: { url: `${server.url}/metrics`, bodyRegex: 'esmon_' } }] },
    {
      name: 'bench: postgres processes',
      steps: [{ id: 'count', plugin: 'command', params: { argv: COMMAND, output: 'number', metric: 'bench.postgres_processes', exitCodeSample: false } }],
    },
  ].map((p) => ({ ...p, ...every10s }));
}

/** Per probe: the selector of the sample that says it ran, and the value that says it succeeded. */
export function probeChecks(server: EsmonServer): { probe: string; selector: string; ok: (v: number) => boolean }[] {
  const on = `host="${AGENT_HOSTNAME}"`;
  return [
    { probe: 'tcp esmon server', selector: `tcp.up{${on},port="${server.port}"}`, ok: (v) => v === 1 },
    { probe: 'http /healthz', selector: `http.up{${on},url=~".*/healthz"}`, ok: (v) => v === 1 },
    { probe: 'tcp postgres', selector: `tcp.up{${on},port="${POSTGRES_PORT}"}`, ok: (v) => v === 1 },
    { probe: 'http /metrics regex', selector: `http.regex_match{${on}}`, ok: (v) => v === 1 },
    { probe: 'command pgrep', selector: `bench.postgres_processes{${on}}`, ok: (v) => v >= 1 },
  ];
}

export interface EsmonAgent {
  runtime: 'single-executable' | 'node+tsx';
  version: string;
  proc: Proc;
}

/** Creates the five probes, enrolls the agent and starts it; the probes come with its first config. */
export async function startAgent(server: EsmonServer, dir: string, log: (line: string) => void): Promise<EsmonAgent> {
  for (const definition of probeDefinitions(server)) {
    const r = await gql(server.url, 'mutation ($d: JSON!) { createProbe(definition: $d) { id } }', { d: definition }, server.token);
    if (!r.data) throw new Error(`createProbe ${definition.name}: ${JSON.stringify(r.errors)}`);
  }
  const minted = await gql<{ createEnrollmentToken: { token: string } }>(server.url, 'mutation ($h: String) { createEnrollmentToken(hostname: $h) { token } }', { h: AGENT_HOSTNAME }, server.token);
  if (!minted.data) throw new Error(`createEnrollmentToken: ${JSON.stringify(minted.errors)}`);

  const config = join(dir, 'agent');
  await mkdir(config, { recursive: true, mode: 0o700 });
  // enroll keeps what agent.yaml already holds: the buffer in the temp dir, and the command plugin
  // allowed (JSON is YAML)
  await writeFile(join(config, 'agent.yaml'), JSON.stringify({ dataDir: join(dir, 'agent-data'), plugins: { allowScripts: true } }), { mode: 0o600 });

  const binary = process.env.BENCH_AGENT_FROM_SOURCE === '1' ? { failed: 'BENCH_AGENT_FROM_SOURCE=1' } : await agentBinary(log);
  const enrollArgs = ['enroll', '--server', server.url, '--token', minted.data.createEnrollmentToken.token, '--hostname', AGENT_HOSTNAME, '--config', config];
  const runArgs = ['run', '--config', config, '--interval', '10s'];
  if ('file' in binary) {
    await promisify(execFile)(binary.file, enrollArgs, { timeout: 30_000 });
    const version = (await promisify(execFile)(binary.file, ['--version'])).stdout.trim();
    startCold(binary.file);
    return { runtime: 'single-executable', version, proc: startBinary(binary.file, runArgs, dir) };
  }
  log(`esmon-agent: ${binary.failed}; measuring node --import tsx agent/src/cli.ts instead`);
  const enrolled = runTs(agentCli, enrollArgs, {});
  if ((await enrolled.exited) !== 0) throw new Error(`esmon-agent enroll: ${enrolled.output()}`);
  return { runtime: 'node+tsx', version: 'source', proc: runTs(agentCli, runArgs, {}) };
}

export interface SamplesSeen {
  /** points of the host-wide os.cpu.usage series */
  systemCpuSamples: number;
  probes: { probe: string; samples: number; last: number | undefined; up: boolean }[];
}

/** What the server stored from the agent over [from, to). */
export async function samplesSeen(server: EsmonServer, from: Date, to: Date): Promise<SamplesSeen> {
  const points = async (selector: string) => {
    const r = await gql<{ samples: { labels: Record<string, string>; points: { value: number }[] }[] }>(
      server.url,
      'query ($s: String!, $f: DateTime!, $t: DateTime!) { samples(selector: $s, from: $f, to: $t, maxPoints: 20000, aggregation: last) { labels points { value } } }',
      { s: selector, f: from.toISOString(), t: to.toISOString() },
      server.token,
    );
    if (!r.data) throw new Error(`samples ${selector}: ${JSON.stringify(r.errors)}`);
    return r.data.samples;
  };
  const cpu = await points(`os.cpu.usage{host="${AGENT_HOSTNAME}"}`);
  const probes = [];
  for (const check of probeChecks(server)) {
    const series = (await points(check.selector)).flatMap((s) => s.points);
    const last = series.at(-1)?.value;
    probes.push({ probe: check.probe, samples: series.length, last, up: last !== undefined && check.ok(last) });
  }
  return { systemCpuSamples: Math.max(0, ...cpu.filter((s) => !('core' in s.labels)).map((s) => s.points.length)), probes };
}
