// The system collector off Linux (Windows, macOS): systeminformation, loaded on first use so a
// Linux agent never carries it. It spawns helper processes (PowerShell, wmic, df) on each round,
// which is why Linux has its own /proc reader (linux.ts).
import { loadavg } from 'node:os';
import type SystemInformation from 'systeminformation';
import type { SampleInput } from '@esmon/schema';
import { sample } from '../sample.ts';
import type { CollectFailure, SystemCollector } from './types.ts';

type Si = typeof SystemInformation;

/** Skips mounts that are not real storage (pseudo and container file systems). */
const PSEUDO_FS = /^(tmpfs|devtmpfs|overlay|squashfs|proc|sysfs|cgroup2?|nsfs|autofs|ramfs)$/i;

async function cpu(si: Si, ts: number): Promise<SampleInput[]> {
  const load = await si.currentLoad();
  const [l1, l5, l15] = loadavg();
  return [
    ...sample('os.cpu.usage', load.currentLoad, ts),
    ...sample('os.cpu.user', load.currentLoadUser, ts),
    ...sample('os.cpu.system', load.currentLoadSystem, ts),
    ...load.cpus.flatMap((c, i) => sample('os.cpu.usage', c.load, ts, { core: String(i) })),
    ...sample('os.load.1', l1, ts),
    ...sample('os.load.5', l5, ts),
    ...sample('os.load.15', l15, ts),
  ];
}

async function memory(si: Si, ts: number): Promise<SampleInput[]> {
  const m = await si.mem();
  const pct = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
  return [
    ...sample('os.mem.total', m.total, ts),
    ...sample('os.mem.used', m.total - m.available, ts),
    ...sample('os.mem.available', m.available, ts),
    ...sample('os.mem.used_pct', pct(m.total - m.available, m.total), ts),
    ...sample('os.swap.total', m.swaptotal, ts),
    ...sample('os.swap.used', m.swapused, ts),
    ...sample('os.swap.used_pct', pct(m.swapused, m.swaptotal), ts),
  ];
}

async function disks(si: Si, ts: number): Promise<SampleInput[]> {
  const [sizes, io, fs] = await Promise.all([si.fsSize(), si.disksIO().catch(() => null), si.fsStats().catch(() => null)]);
  const seen = new Set<string>();
  const out: SampleInput[] = [];
  for (const d of sizes) {
    if (PSEUDO_FS.test(d.type) || seen.has(d.mount)) continue;
    seen.add(d.mount);
    const labels = { mount: d.mount, fs: d.type };
    out.push(...sample('os.disk.total', d.size, ts, labels), ...sample('os.disk.used', d.used, ts, labels), ...sample('os.disk.used_pct', d.use, ts, labels));
  }
  // rates are null on the first call (they need two readings)
  if (io) out.push(...sample('os.disk.io.read_ops_per_sec', io.rIO_sec, ts), ...sample('os.disk.io.write_ops_per_sec', io.wIO_sec, ts));
  if (fs) out.push(...sample('os.disk.io.read_bytes_per_sec', fs.rx_sec, ts), ...sample('os.disk.io.write_bytes_per_sec', fs.wx_sec, ts));
  return out;
}

async function network(si: Si, ts: number): Promise<SampleInput[]> {
  const stats = await si.networkStats('*');
  return stats
    .filter((n) => n.iface !== 'lo')
    .flatMap((n) => {
      const labels = { interface: n.iface };
      return [
        ...sample('os.net.rx_bytes_per_sec', n.rx_sec, ts, labels),
        ...sample('os.net.tx_bytes_per_sec', n.tx_sec, ts, labels),
        ...sample('os.net.rx_errors', n.rx_errors, ts, labels),
        ...sample('os.net.tx_errors', n.tx_errors, ts, labels),
      ];
    });
}

/** Every collector through systeminformation, which keeps its own previous readings for rates. */
export function createPortableCollector(): SystemCollector {
  let loaded: Promise<Si> | undefined;
  return async (ts) => {
    const si = await (loaded ??= import('systeminformation').then((m): Si => m.default));
    const collectors = { cpu, memory, disks, network } as const;
    const entries = Object.entries(collectors);
    const results = await Promise.allSettled(entries.map(([, fn]) => fn(si, ts)));
    const samples: SampleInput[] = [...sample('os.uptime.seconds', si.time().uptime, ts)];
    const failures: CollectFailure[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') samples.push(...r.value);
      else failures.push({ collector: entries[i]![0], error: String((r.reason as Error)?.message ?? r.reason) });
    });
    return { samples, failures };
  };
}
