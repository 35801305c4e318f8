// Parsers for the Linux /proc files the system collector reads. Pure: text in, numbers out, so the
// tests feed them recorded files and this machine's live ones alike.

/** Jiffies per CPU state from a `cpu` line of /proc/stat. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

/** /proc/stat: the all-CPU line and one per core, in core order. */
export function parseStat(text: string): { total: CpuTimes; cores: CpuTimes[] } {
  let total: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    const m = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!m) continue;
    // guest and guest_nice are already counted in user and nice
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = m[2]!.trim().split(/\s+/).map(Number);
    const times = { user, nice, system, idle, iowait, irq, softirq, steal };
    if (m[1] === '') total = times;
    else cores[Number(m[1])] = times;
  }
  if (!total) throw new Error('/proc/stat has no cpu line');
  return { total, cores: cores.filter(Boolean) };
}

/** Shares of the time between two readings, in percent; undefined when no time passed. */
export function cpuShares(before: CpuTimes, after: CpuTimes): { usage: number; user: number; system: number; iowait: number; steal: number } | undefined {
  const d = (k: keyof CpuTimes) => Math.max(0, after[k] - before[k]);
  const all = d('user') + d('nice') + d('system') + d('idle') + d('iowait') + d('irq') + d('softirq') + d('steal');
  if (all <= 0) return undefined;
  const pct = (n: number) => (n / all) * 100;
  return {
    usage: pct(all - d('idle') - d('iowait')),
    user: pct(d('user') + d('nice')),
    system: pct(d('system') + d('irq') + d('softirq')),
    iowait: pct(d('iowait')),
    steal: pct(d('steal')),
  };
}

/** /proc/meminfo in bytes, by field name (MemTotal, MemAvailable, SwapTotal, …). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (m) out.set(m[1]!, Number(m[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

export interface Mount {
  device: string;
  mount: string;
  fs: string;
}

/** File systems that hold no user data: pseudo, virtual and container layers. */
const PSEUDO_FS = new Set(
  'autofs binfmt_misc bpf cgroup cgroup2 configfs debugfs devpts devtmpfs efivarfs fusectl hugetlbfs mqueue nsfs overlay proc pstore ramfs rpc_pipefs securityfs selinuxfs squashfs sysfs tmpfs tracefs fuse.lxcfs fuse.gvfsd-fuse nfsd'.split(' '),
);

/** /proc/self/mounts: real file systems, each mount point once (octal escapes such as \040 decoded). */
export function parseMounts(text: string): Mount[] {
  const seen = new Set<string>();
  const out: Mount[] = [];
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  for (const line of text.split('\n')) {
    const [device, mount, fs] = line.split(' ');
    if (!device || !mount || !fs || PSEUDO_FS.has(fs)) continue;
    const point = unescape(mount);
    if (seen.has(point)) continue;
    seen.add(point);
    out.push({ device: unescape(device), mount: point, fs });
  }
  return out;
}

/** Reads and writes completed and sectors moved (512 bytes each, whatever the device's block size). */
export interface DiskCounters {
  reads: number;
  writes: number;
  readSectors: number;
  writtenSectors: number;
}

/** /proc/diskstats, by device name. */
export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const out = new Map<string, DiskCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    out.set(f[2]!, { reads: Number(f[3]), readSectors: Number(f[5]), writes: Number(f[7]), writtenSectors: Number(f[9]) });
  }
  return out;
}

export interface NetCounters {
  rxBytes: number;
  rxErrors: number;
  txBytes: number;
  txErrors: number;
}

/** /proc/net/dev, by interface name. */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 16) continue;
    out.set(m[1]!, { rxBytes: f[0]!, rxErrors: f[2]!, txBytes: f[8]!, txErrors: f[10]! });
  }
  return out;
}

/** /proc/uptime: seconds since boot. */
export function parseUptime(text: string): number {
  const n = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(n)) throw new Error(`/proc/uptime unreadable: ${text.slice(0, 40)}`);
  return n;
}
