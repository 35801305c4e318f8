// The Linux system collector: reads /proc and statfs(2), spawns nothing. Rates (CPU shares, disk
// and network bytes per second) are the difference to the previous round; the first round takes
// its own previous reading a quarter second earlier, so even `--once` reports them.
import { readdir, readFile, statfs } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SampleInput } from '@esmon/schema';
import { sample } from '../sample.ts';
import { cpuShares, parseDiskstats, parseMeminfo, parseMounts, parseNetDev, parseStat, parseUptime, type CpuTimes, type DiskCounters, type NetCounters } from './procfs.ts';
import type { SystemCollector, CollectFailure } from './types.ts';

/** What the collector reads; the live one reads this machine, tests give recorded files. */
export interface LinuxSource {
  read(file: '/proc/stat' | '/proc/meminfo' | '/proc/self/mounts' | '/proc/diskstats' | '/proc/net/dev' | '/proc/uptime'): Promise<string>;
  statfs(mount: string): Promise<{ blocks: number; bfree: number; bavail: number; bsize: number }>;
  /** Whole physical disks (sda, vda, nvme0n1): their sum is the host's disk I/O, partitions and device-mapper not counted twice. */
  physicalDisks(): Promise<string[]>;
  loadavg(): number[];
  now(): number;
  wait(ms: number): Promise<unknown>;
}

export const liveLinuxSource: LinuxSource = {
  read: (file) => readFile(file, 'utf8'),
  statfs: (mount) => statfs(mount),
  physicalDisks: async () => (await readdir('/sys/block')).filter((d) => existsSync(`/sys/block/${d}/device`)),
  loadavg,
  now: () => performance.now(),
  wait: (ms) => sleep(ms),
};

const PRIME_MS = 250;

interface Counters {
  at: number;
  cpu?: { total: CpuTimes; cores: CpuTimes[] };
  disk?: DiskCounters;
  net?: Map<string, NetCounters>;
}

async function readCounters(source: LinuxSource): Promise<Counters> {
  const settle = <T>(p: Promise<T>) => p.catch(() => undefined);
  const [stat, disks, physical, net] = await Promise.all([
    settle(source.read('/proc/stat').then(parseStat)),
    settle(source.read('/proc/diskstats').then(parseDiskstats)),
    settle(source.physicalDisks()),
    settle(source.read('/proc/net/dev').then(parseNetDev)),
  ]);
  let disk: DiskCounters | undefined;
  if (disks && physical) {
    disk = { reads: 0, writes: 0, readSectors: 0, writtenSectors: 0 };
    for (const name of physical) {
      const c = disks.get(name);
      if (!c) continue;
      disk.reads += c.reads;
      disk.writes += c.writes;
      disk.readSectors += c.readSectors;
      disk.writtenSectors += c.writtenSectors;
    }
  }
  return { at: source.now(), cpu: stat, disk, net };
}

function cpu(ts: number, before: Counters, after: Counters, load: number[]): SampleInput[] {
  if (!before.cpu || !after.cpu) throw new Error('/proc/stat unreadable');
  const all = cpuShares(before.cpu.total, after.cpu.total);
  const [l1, l5, l15] = load;
  return [
    ...sample('os.cpu.usage', all?.usage, ts),
    ...sample('os.cpu.user', all?.user, ts),
    ...sample('os.cpu.system', all?.system, ts),
    ...sample('os.cpu.iowait', all?.iowait, ts),
    ...sample('os.cpu.steal', all?.steal, ts),
    ...after.cpu.cores.flatMap((core, i) => {
      const was = before.cpu!.cores[i];
      return was ? sample('os.cpu.usage', cpuShares(was, core)?.usage, ts, { core: String(i) }) : [];
    }),
    ...sample('os.load.1', l1, ts),
    ...sample('os.load.5', l5, ts),
    ...sample('os.load.15', l15, ts),
  ];
}

async function memory(ts: number, source: LinuxSource): Promise<SampleInput[]> {
  const m = parseMeminfo(await source.read('/proc/meminfo'));
  const total = m.get('MemTotal');
  if (total === undefined) throw new Error('/proc/meminfo has no MemTotal');
  // kernels before 3.14 have no MemAvailable: free + page cache is the usual stand-in
  const available = m.get('MemAvailable') ?? (m.get('MemFree') ?? 0) + (m.get('Buffers') ?? 0) + (m.get('Cached') ?? 0);
  const swapTotal = m.get('SwapTotal') ?? 0;
  const swapUsed = swapTotal - (m.get('SwapFree') ?? 0);
  const pct = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
  return [
    ...sample('os.mem.total', total, ts),
    ...sample('os.mem.used', total - available, ts),
    ...sample('os.mem.available', available, ts),
    ...sample('os.mem.used_pct', pct(total - available, total), ts),
    ...sample('os.swap.total', swapTotal, ts),
    ...sample('os.swap.used', swapUsed, ts),
    ...sample('os.swap.used_pct', pct(swapUsed, swapTotal), ts),
  ];
}

async function fileSystems(ts: number, source: LinuxSource): Promise<SampleInput[]> {
  const mounts = parseMounts(await source.read('/proc/self/mounts'));
  const sized = await Promise.all(mounts.map(async (m) => ({ m, s: await source.statfs(m.mount).catch(() => undefined) })));
  return sized.flatMap(({ m, s }) => {
    if (!s || s.blocks === 0) return [];
    const labels = { mount: m.mount, fs: m.fs };
    const used = (s.blocks - s.bfree) * s.bsize;
    // as df: the share of what an ordinary user may fill (root's reserved blocks left out)
    const usable = used + s.bavail * s.bsize;
    return [
      ...sample('os.disk.total', s.blocks * s.bsize, ts, labels),
      ...sample('os.disk.used', used, ts, labels),
      ...sample('os.disk.used_pct', usable > 0 ? (used / usable) * 100 : 0, ts, labels),
    ];
  });
}

function perSecond(before: number, after: number, seconds: number): number | undefined {
  // a counter that went back (wrapped or a device replaced) gives no rate this round
  return after >= before && seconds > 0 ? (after - before) / seconds : undefined;
}

function diskIo(ts: number, before: Counters, after: Counters): SampleInput[] {
  if (!before.disk || !after.disk) throw new Error('/proc/diskstats unreadable');
  const s = (after.at - before.at) / 1000;
  const [b, a] = [before.disk, after.disk];
  return [
    ...sample('os.disk.io.read_ops_per_sec', perSecond(b.reads, a.reads, s), ts),
    ...sample('os.disk.io.write_ops_per_sec', perSecond(b.writes, a.writes, s), ts),
    ...sample('os.disk.io.read_bytes_per_sec', perSecond(b.readSectors * 512, a.readSectors * 512, s), ts),
    ...sample('os.disk.io.write_bytes_per_sec', perSecond(b.writtenSectors * 512, a.writtenSectors * 512, s), ts),
  ];
}

function network(ts: number, before: Counters, after: Counters): SampleInput[] {
  if (!before.net || !after.net) throw new Error('/proc/net/dev unreadable');
  const s = (after.at - before.at) / 1000;
  const out: SampleInput[] = [];
  for (const [iface, a] of after.net) {
    if (iface === 'lo') continue;
    const labels = { interface: iface };
    const b = before.net.get(iface);
    if (b) out.push(...sample('os.net.rx_bytes_per_sec', perSecond(b.rxBytes, a.rxBytes, s), ts, labels), ...sample('os.net.tx_bytes_per_sec', perSecond(b.txBytes, a.txBytes, s), ts, labels));
    out.push(...sample('os.net.rx_errors', a.rxErrors, ts, labels), ...sample('os.net.tx_errors', a.txErrors, ts, labels));
  }
  return out;
}

/** A collector that keeps the previous round's counters between calls. */
export function createLinuxCollector(source: LinuxSource = liveLinuxSource): SystemCollector {
  let previous: Counters | undefined;
  return async (ts) => {
    if (!previous) {
      previous = await readCounters(source);
      await source.wait(PRIME_MS);
    }
    const before = previous;
    const after = await readCounters(source);
    previous = after;
    const parts: [string, () => SampleInput[] | Promise<SampleInput[]>][] = [
      ['cpu', () => cpu(ts, before, after, source.loadavg())],
      ['memory', () => memory(ts, source)],
      ['disks', () => fileSystems(ts, source)],
      ['disk_io', () => diskIo(ts, before, after)],
      ['network', () => network(ts, before, after)],
      ['uptime', async () => sample('os.uptime.seconds', parseUptime(await source.read('/proc/uptime')), ts)],
    ];
    const results = await Promise.allSettled(parts.map(async ([, part]) => part()));
    const samples: SampleInput[] = [];
    const failures: CollectFailure[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') samples.push(...r.value);
      else failures.push({ collector: parts[i]![0], error: String((r.reason as Error)?.message ?? r.reason) });
    });
    return { samples, failures };
  };
}
