// The agent benchmark's table and figures: each measured process's memory and CPU over the
// window, esmon's ratios to each peer (esmon ÷ peer: above 1 means esmon uses more), the goals,
// what each peer was asked to do, and whether the agent's samples reached the server.
import { round } from '../bench-db.ts';
import type { Peer, PeerName } from './peers.ts';
import type { Usage } from './proc-usage.ts';
import type { SamplesSeen } from './esmon.ts';

export const GOAL_RSS_MB = 60;
export const GOAL_CPU_PCT = 0.5;

export interface Measured {
  name: 'esmon_agent' | PeerName;
  version: string;
  usage: Usage;
}

export interface Report {
  windowSeconds: number;
  warmupSeconds: number;
  sampleEverySeconds: number;
  agentRuntime: string;
  measured: Measured[];
  peers: Peer[];
  seen: SamplesSeen;
  expectedPerProbe: number;
}

const pad = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');

export function printTable(r: Report, log: (line: string) => void): void {
  const widths = [14, 10, 9, 9, 9, 10, 9, 8, 10, 9, 5];
  log('');
  log(`over ${round(r.windowSeconds, 0)} s after ${r.warmupSeconds} s of warm-up; memory read every ${r.sampleEverySeconds} s; each row is a process with its children (CPU s/h includes theirs, shown apart)`);
  log(pad(['process', 'RSS max MB', 'RSS mean', 'anon max', 'file max', 'PSS max MB', 'PSS mean', 'CPU s/h', 'children', '% of core', 'procs'], widths));
  for (const m of r.measured) {
    const u = m.usage;
    const mb = (x: number) => round(x, 1);
    log(pad([m.name, mb(u.rssMbMax), mb(u.rssMbMean), mb(u.rssAnonMbMax), mb(u.rssFileMbMax), mb(u.pssMbMax), round(u.pssMbMean, 1), round(u.cpuSecondsPerHour, 1), round((u.childCpuSeconds / u.windowSeconds) * 3600, 1), round(u.cpuPctOfCore, 3), u.processesMax], widths));
  }
  const esmon = r.measured[0]!.usage;
  for (const p of r.peers) {
    if ('skipped' in p) {
      log(`${p.name}: skipped (${p.skipped})`);
      continue;
    }
    const peer = r.measured.find((m) => m.name === p.name)!.usage;
    log(
      `esmon ÷ ${p.name}: RSS max ${ratio(esmon.rssMbMax, peer.rssMbMax)}×, PSS mean ${ratio(esmon.pssMbMean, peer.pssMbMean)}×, CPU ${ratio(esmon.cpuSeconds, peer.cpuSeconds)}×` +
        ` (${p.work.rounds} rounds, ${p.work.requests} requests, ${p.work.failures} failed${p.work.lastFailure ? `; last: ${p.work.lastFailure}` : ''})`,
    );
  }
  const meets = (ok: boolean) => (ok ? 'met' : 'MISSED');
  log(`goal ≤ ${GOAL_RSS_MB} MB RSS: ${meets(esmon.rssMbMax <= GOAL_RSS_MB)} (${round(esmon.rssMbMax, 1)} MB); goal ≤ ${GOAL_CPU_PCT} % of one core: ${meets(esmon.cpuPctOfCore <= GOAL_CPU_PCT)} (${round(esmon.cpuPctOfCore, 3)} %)`);
  log(`esmon samples stored during the window: os.cpu.usage ${r.seen.systemCpuSamples}; probes (expected ≈ ${r.expectedPerProbe} each):`);
  for (const p of r.seen.probes) log(`  ${p.probe.padEnd(20)} ${String(p.samples).padStart(4)} samples, last value ${p.last ?? '—'}${p.up ? '' : '  (NOT UP)'}`);
}

function ratio(esmon: number, peer: number): number | null {
  return peer > 0 ? round(esmon / peer, 2) : null;
}

export function figuresOf(r: Report): Record<string, unknown> {
  const figures: Record<string, unknown> = {
    window_s: round(r.windowSeconds, 0),
    warmup_s: r.warmupSeconds,
    memory_sample_interval_s: r.sampleEverySeconds,
    esmon_agent_runtime: r.agentRuntime,
  };
  for (const m of r.measured) {
    const u = m.usage;
    Object.assign(figures, {
      [`${m.name}_version`]: m.version,
      [`${m.name}_rss_mb_max`]: round(u.rssMbMax, 1),
      [`${m.name}_rss_mb_mean`]: round(u.rssMbMean, 1),
      [`${m.name}_rss_anon_mb_max`]: round(u.rssAnonMbMax, 1),
      [`${m.name}_rss_file_mb_max`]: round(u.rssFileMbMax, 1),
      [`${m.name}_pss_mb_max`]: round(u.pssMbMax, 1),
      [`${m.name}_pss_mb_mean`]: round(u.pssMbMean, 1),
      [`${m.name}_cpu_s_per_h`]: round(u.cpuSecondsPerHour, 1),
      [`${m.name}_cpu_pct_of_core`]: round(u.cpuPctOfCore, 3),
      [`${m.name}_children_cpu_s_per_h`]: round((u.childCpuSeconds / u.windowSeconds) * 3600, 1),
      [`${m.name}_processes_max`]: u.processesMax,
    });
  }
  const esmon = r.measured[0]!.usage;
  for (const p of r.peers) {
    if ('skipped' in p) {
      figures[`${p.name}_skipped`] = p.skipped;
      continue;
    }
    const peer = r.measured.find((m) => m.name === p.name)!.usage;
    Object.assign(figures, {
      [`${p.name}_work_rounds`]: p.work.rounds,
      [`${p.name}_work_requests`]: p.work.requests,
      [`${p.name}_work_failures`]: p.work.failures,
      [`esmon_over_${p.name}_rss_max_ratio`]: ratio(esmon.rssMbMax, peer.rssMbMax),
      [`esmon_over_${p.name}_pss_mean_ratio`]: ratio(esmon.pssMbMean, peer.pssMbMean),
      [`esmon_over_${p.name}_cpu_ratio`]: ratio(esmon.cpuSeconds, peer.cpuSeconds),
    });
  }
  const probeSamples = r.seen.probes.reduce((n, p) => n + p.samples, 0);
  Object.assign(figures, {
    goal_rss_mb: GOAL_RSS_MB,
    goal_cpu_pct: GOAL_CPU_PCT,
    esmon_agent_meets_rss_goal: esmon.rssMbMax <= GOAL_RSS_MB,
    esmon_agent_meets_cpu_goal: esmon.cpuPctOfCore <= GOAL_CPU_PCT,
    esmon_system_cpu_samples_in_window: r.seen.systemCpuSamples,
    esmon_probe_samples_in_window: probeSamples,
    esmon_probe_samples_expected: r.expectedPerProbe * r.seen.probes.length,
    esmon_probes_up: r.seen.probes.filter((p) => p.up).length,
    esmon_probe_samples_seen: r.seen.systemCpuSamples > 0 && r.seen.probes.every((p) => p.samples > 0),
  });
  return figures;
}
