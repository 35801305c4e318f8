// What a process costs, read from /proc: its tree (the process and its live descendants) summed
// at each reading. Memory: VmRSS from /proc/PID/status and Pss from /proc/PID/smaps_rollup.
// CPU: utime + stime + cutime + cstime from /proc/PID/stat, so short-lived children that were
// waited for (df, pgrep, a probe's command) count with their parent; descendants still alive at a
// reading are added with their own four fields.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Drops the page cache of an executable before it starts, as after a boot. RSS counts the file
 * pages a process has mapped, and a fault maps the neighbours already in the cache with it (fault
 * around): a binary just built or just run is cached whole, and its RSS reads up to 15 MB higher
 * than the same process started cold (measured on the agent: 56.3 MB cold, 67.8 MB warm). Every
 * measured process starts this way. `dd iflag=nocache count=0` is GNU dd's way to ask for it.
 */
export function startCold(file: string): void {
  execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0'], { stdio: 'ignore' });
}

/** USER_HZ: the unit of the /proc/PID/stat times. */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface StatLine {
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks */
  ticks: number;
  /** utime + stime: the process's own threads */
  ownTicks: number;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after "pid (comm) ": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return { ppid: Number(f[1]), ticks: own + Number(f[13]) + Number(f[14]), ownTicks: own };
  } catch {
    return undefined; // it ended while we looked
  }
}

/** The process and every live descendant. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** A "Name:   1234 kB" field of a /proc file, in kB; 0 when the process is gone. */
function kbField(file: string, name: string): number {
  try {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeReading {
  processes: number;
  rssKb: number;
  /** of which anonymous (heap, stacks) and file-backed (the executable and libraries, mapped) */
  rssAnonKb: number;
  rssFileKb: number;
  pssKb: number;
  cpuSeconds: number;
  /** of which the root process's own threads (the rest: its children, live or ended) */
  ownCpuSeconds: number;
}

export function readTree(root: number): TreeReading {
  const pids = processTree(root);
  let rssKb = 0;
  let rssAnonKb = 0;
  let rssFileKb = 0;
  let pssKb = 0;
  let ticks = 0;
  let ownTicks = 0;
  for (const pid of pids) {
    rssKb += kbField(`/proc/${pid}/status`, 'VmRSS');
    rssAnonKb += kbField(`/proc/${pid}/status`, 'RssAnon');
    rssFileKb += kbField(`/proc/${pid}/status`, 'RssFile') + kbField(`/proc/${pid}/status`, 'RssShmem');
    pssKb += kbField(`/proc/${pid}/smaps_rollup`, 'Pss');
    const stat = readStat(pid);
    ticks += stat?.ticks ?? 0;
    if (pid === root) ownTicks = stat?.ownTicks ?? 0;
  }
  return { processes: pids.length, rssKb, rssAnonKb, rssFileKb, pssKb, cpuSeconds: ticks / CLOCK_TICKS, ownCpuSeconds: ownTicks / CLOCK_TICKS };
}

export interface Usage {
  samples: number;
  rssMbMax: number;
  rssMbMean: number;
  rssAnonMbMax: number;
  rssFileMbMax: number;
  pssMbMax: number;
  pssMbMean: number;
  /** the most processes seen in the tree at one reading */
  processesMax: number;
  cpuSeconds: number;
  /** CPU seconds of child processes (commands, df …), included in cpuSeconds */
  childCpuSeconds: number;
  windowSeconds: number;
  cpuSecondsPerHour: number;
  cpuPctOfCore: number;
}

/** Readings of one process tree over a window: call `sample()` every few seconds, then `finish()`. */
export class UsageWindow {
  private readonly readings: TreeReading[] = [];
  private readonly startedAt = performance.now();
  private readonly start: TreeReading;

  constructor(readonly pid: number) {
    this.start = readTree(pid);
  }

  sample(): void {
    this.readings.push(readTree(this.pid));
  }

  finish(): Usage {
    this.sample();
    const windowSeconds = (performance.now() - this.startedAt) / 1000;
    const last = this.readings.at(-1)!;
    const cpuSeconds = last.cpuSeconds - this.start.cpuSeconds;
    const childCpuSeconds = cpuSeconds - (last.ownCpuSeconds - this.start.ownCpuSeconds);
    const mb = (kb: number) => kb / 1024;
    const rss = this.readings.map((r) => mb(r.rssKb));
    const pss = this.readings.map((r) => mb(r.pssKb));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      samples: this.readings.length,
      rssMbMax: Math.max(...rss),
      rssMbMean: mean(rss),
      rssAnonMbMax: Math.max(...this.readings.map((r) => mb(r.rssAnonKb))),
      rssFileMbMax: Math.max(...this.readings.map((r) => mb(r.rssFileKb))),
      pssMbMax: Math.max(...pss),
      pssMbMean: mean(pss),
      processesMax: Math.max(...this.readings.map((r) => r.processes)),
      cpuSeconds,
      childCpuSeconds,
      windowSeconds,
      cpuSecondsPerHour: (cpuSeconds / windowSeconds) * 3600,
      cpuPctOfCore: (cpuSeconds / windowSeconds) * 100,
    };
  }
}
