// The system collectors: live on this machine (Linux, so the /proc reader, checked against what
// the kernel and df say), the systeminformation path that Windows and macOS use (run here too), and
// the /proc parsers on files recorded from this machine (Debian 12 VM, 2 vCPU, 2026-11-23).
import { execFileSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseIngestBatch, type SampleInput } from '@esmon/schema';
import { createSystemCollector, hostFacts, hostInput } from './index.ts';
import { createLinuxCollector, type LinuxSource } from './linux.ts';
import { createPortableCollector } from './portable.ts';
import { parseOsRelease } from './host-facts.ts';

const value = (samples: SampleInput[], metric: string, labels?: Record<string, string>) =>
  samples.find((s) => s.metric === metric && JSON.stringify(s.labels ?? {}) === JSON.stringify(labels ?? {}))?.value;

const COMMON = ['os.cpu.usage', 'os.cpu.user', 'os.cpu.system', 'os.load.1', 'os.mem.total', 'os.mem.used_pct', 'os.swap.total', 'os.disk.used_pct', 'os.uptime.seconds'];

describe('system collection on this machine', () => {
  it('reads /proc: the metric set, valid samples, and figures that agree with the kernel and df', async () => {
    const collect = createSystemCollector('linux');
    const [{ samples, failures }, facts] = await Promise.all([collect(Date.now()), hostFacts()]);
    expect(failures).toEqual([]);
    const metrics = new Set(samples.map((s) => s.metric));
    for (const m of [...COMMON, 'os.cpu.iowait', 'os.disk.io.read_ops_per_sec', 'os.disk.io.write_bytes_per_sec']) expect(metrics, m).toContain(m);
    expect(samples.filter((s) => s.metric === 'os.cpu.usage' && s.labels?.core).length).toBeGreaterThan(0);
    const usage = value(samples, 'os.cpu.usage')!;
    expect(usage).toBeGreaterThanOrEqual(0);
    expect(usage).toBeLessThanOrEqual(100);
    expect(value(samples, 'os.mem.total')).toBe(totalmem());
    const [, size, used] = execFileSync('df', ['-B1', '--output=target,size,used', '/'], { encoding: 'utf8' }).trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
    expect(value(samples, 'os.disk.total', { mount: '/', fs: samples.find((s) => s.labels?.mount === '/')!.labels!.fs! })).toBe(size);
    const rootUsed = samples.find((s) => s.metric === 'os.disk.used' && s.labels?.mount === '/')!.value;
    expect(Math.abs(rootUsed - used!)).toBeLessThan(64 * 1024 * 1024); // files written between the two reads
    expect(facts.os).toBe('linux');
    expect(facts.arch).toBe(process.arch);
    const result = parseIngestBatch({ batchId: 'collect-test-1', hosts: [hostInput('this-host', facts, samples)] });
    expect(result.ok ? 'valid' : result.issues).toBe('valid');
    // a second round works from the first one's counters
    const second = await collect(Date.now());
    expect(second.failures).toEqual([]);
    expect(value(second.samples, 'os.cpu.usage')).toBeGreaterThanOrEqual(0);
  });

  it('the systeminformation path (Windows, macOS) gives the same metric names', async () => {
    const { samples, failures } = await createPortableCollector()(Date.now());
    expect(failures).toEqual([]);
    const metrics = new Set(samples.map((s) => s.metric));
    for (const m of COMMON) expect(metrics, m).toContain(m);
  });
});

// Excerpts of this machine's own /proc files, two readings 10 s apart (the second hand-advanced by
// the deltas named in the assertions).
const STAT_1 = `cpu  12669 0 7881 59813 507 0 123 32 0 0
cpu0 5797 0 3333 31309 24 0 19 9 0 0
cpu1 6871 0 4548 28504 483 0 104 22 0 0
intr 1234 0 0
ctxt 99
`;
const STAT_2 = `cpu  13069 0 8081 60213 507 0 123 32 0 0
cpu0 5997 0 3433 31509 24 0 19 9 0 0
cpu1 7071 0 4648 28704 483 0 104 22 0 0
`;
const MEMINFO = `MemTotal:       24684096 kB
MemFree:        22475216 kB
MemAvailable:   23515120 kB
Buffers:           40384 kB
Cached:          1172356 kB
SwapTotal:       1048572 kB
SwapFree:         524286 kB
HugePages_Total:       0
`;
const MOUNTS = `proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw,relatime 0 0
/dev/vda / ext4 rw,relatime,discard 0 0
tmpfs /dev/shm tmpfs rw,relatime,size=24684096k 0 0
/dev/vda / ext4 rw,relatime,discard 0 0
/dev/vdb1 /srv/db2\\040data xfs rw,relatime 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
`;
const DISKSTATS = (reads: number, sectors: number) => `   7       0 loop0 500 0 9000 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 254       0 vda ${reads} 10480 ${sectors} 9040 38059 73967 5537240 26584 0 9652 37110 15217 47 1050040 935 6922 550
 254       1 vda1 ${reads} 10480 ${sectors} 9040 38059 73967 5537240 26584 0 9652 37110 15217 47 1050040 935 6922 550
 253       0 dm-0 ${reads} 0 ${sectors} 0 0 0 0 0 0 0 0 0 0 0 0 0 0
`;
const NET_DEV = (rx: number) => `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1724440    4026    0    0    0     0          0         0  1724440    4026    0    0    0     0       0          0
  eth0: ${rx}   19613    3    0    0     0          0         0  1962195   13545    0    0    0     0       0          0
`;

function recorded(): LinuxSource & { round: number } {
  const src = {
    round: 0,
    async read(file: string) {
      const second = src.round > 0;
      const files: Record<string, string> = {
        '/proc/stat': second ? STAT_2 : STAT_1,
        '/proc/meminfo': MEMINFO,
        '/proc/self/mounts': MOUNTS,
        '/proc/diskstats': second ? DISKSTATS(61489 + 500, 2102738 + 20480) : DISKSTATS(61489, 2102738),
        '/proc/net/dev': second ? NET_DEV(776278313 + 1_000_000) : NET_DEV(776278313),
        '/proc/uptime': '5712.33 10432.10\n',
      };
      return files[file]!;
    },
    async statfs(mount: string) {
      if (mount === '/') return { blocks: 1000, bfree: 400, bavail: 300, bsize: 4096 };
      if (mount === '/srv/db2 data') return { blocks: 2000, bfree: 2000, bavail: 2000, bsize: 4096 };
      throw new Error(`statfs ${mount}`);
    },
    physicalDisks: async () => ['vda'],
    loadavg: () => [0.5, 0.25, 0.125],
    now: () => src.round * 10_000,
    wait: async () => {
      src.round++;
    },
  };
  return src;
}

describe('the /proc reader on recorded files', () => {
  it('turns two readings into shares, rates and sizes', async () => {
    const { samples, failures } = await createLinuxCollector(recorded())(1);
    expect(failures).toEqual([]);
    // 400 user + 200 system + 400 idle jiffies between the readings
    expect(value(samples, 'os.cpu.usage')).toBe(60);
    expect(value(samples, 'os.cpu.user')).toBe(40);
    expect(value(samples, 'os.cpu.system')).toBe(20);
    expect(value(samples, 'os.cpu.usage', { core: '0' })).toBe(60);
    expect(value(samples, 'os.load.5')).toBe(0.25);
    expect(value(samples, 'os.mem.available')).toBe(23515120 * 1024);
    expect(value(samples, 'os.swap.used_pct')).toBeCloseTo(50, 2);
    // '/' once although mounted twice; pseudo file systems left out; \\040 is a space
    expect(samples.filter((s) => s.metric === 'os.disk.total').map((s) => s.labels?.mount)).toEqual(['/', '/srv/db2 data']);
    expect(value(samples, 'os.disk.used_pct', { mount: '/', fs: 'ext4' })).toBeCloseTo((600 / 900) * 100, 3);
    // only the whole physical disk counts: not its partition, not device-mapper or loop
    expect(value(samples, 'os.disk.io.read_ops_per_sec')).toBe(50);
    expect(value(samples, 'os.disk.io.read_bytes_per_sec')).toBe((20480 * 512) / 10);
    expect(value(samples, 'os.net.rx_bytes_per_sec', { interface: 'eth0' })).toBe(100_000);
    expect(value(samples, 'os.net.rx_errors', { interface: 'eth0' })).toBe(3);
    expect(samples.some((s) => s.labels?.interface === 'lo')).toBe(false);
    expect(value(samples, 'os.uptime.seconds')).toBe(5712.33);
  });

  it('reports a part that cannot be read and keeps the others', async () => {
    const src = recorded();
    src.read = async (file) => {
      if (file === '/proc/meminfo') throw new Error('EACCES: permission denied');
      return recorded().read(file);
    };
    const { samples, failures } = await createLinuxCollector(src)(1);
    expect(failures).toEqual([{ collector: 'memory', error: 'EACCES: permission denied' }]);
    expect(value(samples, 'os.uptime.seconds')).toBe(5712.33);
  });

  it('gives no rate for a counter that went back', async () => {
    const src = recorded();
    const read = src.read;
    src.read = async (file) => (file === '/proc/net/dev' && src.round > 0 ? NET_DEV(10) : read(file));
    const { samples } = await createLinuxCollector(src)(1);
    expect(value(samples, 'os.net.rx_bytes_per_sec', { interface: 'eth0' })).toBeUndefined();
    expect(value(samples, 'os.net.rx_errors', { interface: 'eth0' })).toBe(3);
  });
});

describe('os-release', () => {
  it.each([
    ['NAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n', 'Debian GNU/Linux 12'],
    ["NAME='Red Hat Enterprise Linux'\nVERSION_ID=8.10\n", 'Red Hat Enterprise Linux 8.10'],
    ['NAME=Arch Linux\n', 'Arch Linux'],
    ['', undefined],
  ])('%j → %j', (text, expected) => expect(parseOsRelease(text)).toBe(expected));
});
