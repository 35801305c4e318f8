// The Prometheus + Alertmanager side of the alert-latency baseline: finding the Debian binaries,
// writing their configuration files, and running them as child processes on their own temp dirs
// and ports (never the system services' defaults).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Proc } from '../../../e2e/src/processes.ts';

/** How the baseline is set up; the figures are only comparable when these stay as they are. */
export const SCRAPE_INTERVAL_S = 10;
export const EVALUATION_INTERVAL_S = 10;
export const GROUP_INTERVAL = '1s';

export const APT_INSTALL = 'apt-get install -y --no-install-recommends prometheus prometheus-alertmanager';

export interface Binaries {
  prometheus: string;
  alertmanager: string;
}

function onPath(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat('/usr/bin', '/usr/local/bin')) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The two binaries (PROMETHEUS_BIN / ALERTMANAGER_BIN override the lookup), or why they are
 * missing. Debian names Alertmanager's binary prometheus-alertmanager; upstream calls it alertmanager.
 */
export function findBinaries(): Binaries | { missing: string } {
  const prometheus = process.env.PROMETHEUS_BIN || onPath(['prometheus']);
  const alertmanager = process.env.ALERTMANAGER_BIN || onPath(['prometheus-alertmanager', 'alertmanager']);
  const missing = [!prometheus && 'prometheus', !alertmanager && 'prometheus-alertmanager'].filter(Boolean);
  if (!prometheus || !alertmanager) return { missing: `${missing.join(' and ')} not installed (${APT_INSTALL})` };
  return { prometheus, alertmanager };
}

/** "2.42.0" out of "prometheus, version 2.42.0+ds (branch: …)": the build suffix dropped. */
export async function binaryVersion(file: string): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(file, ['--version'], { timeout: 10_000 });
  const m = /version (\S+)/.exec(stdout + stderr);
  if (!m) throw new Error(`${file} --version: no version in ${JSON.stringify(stdout + stderr)}`);
  return m[1]!.replace(/\+.*$/, '');
}

/**
 * Prometheus offsets each rule group's evaluation within the interval by a hash of its name (and
 * of the run's ports and paths): with one group, a whole run lands on one arbitrary offset and
 * runs differ by seconds. Flips spread over several groups average over several offsets.
 */
export const RULE_GROUPS = 8;

export async function writePrometheusConfig(dir: string, ports: { exporter: number; alertmanager: number }): Promise<string> {
  const rules = join(dir, 'rules.yml');
  await writeFile(
    rules,
    `groups:
${Array.from(
  { length: RULE_GROUPS },
  (_, g) => `  - name: esmon_bench_${g}
    rules:
      - alert: BenchFlip
        expr: esmon_bench_flip{group="${g}"} > 50
        for: 0s
`,
).join('')}`,
  );
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    `global:
  scrape_interval: ${SCRAPE_INTERVAL_S}s
  evaluation_interval: ${EVALUATION_INTERVAL_S}s
rule_files:
  - ${JSON.stringify(rules)}
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:${ports.alertmanager}']
scrape_configs:
  - job_name: esmon_bench
    static_configs:
      - targets: ['127.0.0.1:${ports.exporter}']
`,
  );
  return config;
}

export async function writeAlertmanagerConfig(dir: string, webhookUrl: string): Promise<string> {
  const config = join(dir, 'alertmanager.yml');
  await writeFile(
    config,
    `route:
  receiver: esmon_bench
  group_by: ['flip']
  group_wait: 0s
  group_interval: ${GROUP_INTERVAL}
  repeat_interval: 4h
receivers:
  - name: esmon_bench
    webhook_configs:
      - url: ${JSON.stringify(webhookUrl)}
        send_resolved: false
`,
  );
  return config;
}

/** Starts a binary with its output kept (the last 64 KiB) for error messages. */
export function startBinary(file: string, args: string[], cwd: string): Proc {
  const child: ChildProcess = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 65_536) out = out.slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      out += `\n${err.message}`;
      resolve(-1);
    });
  });
  return {
    child,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      return child.signalCode;
    },
  };
}
