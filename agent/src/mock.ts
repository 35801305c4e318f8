// --mock N: N simulated hosts with realistic, varying metrics (random walks around a daily
// cycle, slowly filling disks, bursty network), for demos and load.
import type { HostInput, SampleInput } from '@esmon/schema';
import { sample } from './sample.ts';

const ROLES = ['maximo', 'db2', 'websphere', 'web', 'batch'] as const;

interface MockHost {
  hostname: string;
  os: 'windows' | 'linux';
  cores: number;
  memTotal: number;
  diskTotal: number;
  labels: Record<string, string>;
  cpu: number;
  mem: number;
  disk: number;
}

/** A small deterministic generator, so a given seed replays the same fleet. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function mockFleet(count: number, seed = 1): MockFleet {
  return new MockFleet(count, seed);
}

export class MockFleet {
  private readonly hosts: MockHost[];
  private readonly random: () => number;

  constructor(count: number, seed: number) {
    this.random = rng(seed);
    this.hosts = Array.from({ length: count }, (_, i) => {
      const role = ROLES[i % ROLES.length]!;
      return {
        hostname: `mock-${role}-${String(i + 1).padStart(4, '0')}`,
        os: i % 3 === 0 ? 'linux' : 'windows',
        cores: [2, 4, 8, 16][i % 4]!,
        memTotal: [8, 16, 32, 64][i % 4]! * 2 ** 30,
        diskTotal: [100, 250, 500][i % 3]! * 2 ** 30,
        labels: { env: i % 4 === 0 ? 'test' : 'prod', role },
        cpu: 10 + this.random() * 40,
        mem: 30 + this.random() * 40,
        disk: 20 + this.random() * 50,
      };
    });
  }

  private walk(value: number, step: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, value + (this.random() - 0.5) * 2 * step));
  }

  /** One round of samples for every simulated host at `ts`. */
  tick(ts: number): HostInput[] {
    const daily = Math.sin((2 * Math.PI * (ts % 86_400_000)) / 86_400_000);
    return this.hosts.map((h) => {
      h.cpu = this.walk(h.cpu, 6, 1, 99);
      h.mem = this.walk(h.mem, 1.5, 5, 98);
      h.disk = Math.min(99.5, h.disk + this.random() * 0.01);
      const cpu = Math.min(100, Math.max(0, h.cpu + daily * 10));
      const samples: SampleInput[] = [
        ...sample('os.cpu.usage', cpu, ts),
        ...Array.from({ length: h.cores }, (_, c) => sample('os.cpu.usage', Math.min(100, Math.max(0, cpu + (this.random() - 0.5) * 20)), ts, { core: String(c) })).flat(),
        ...sample('os.load.1', (cpu / 100) * h.cores * (0.8 + this.random() * 0.4), ts),
        ...sample('os.mem.total', h.memTotal, ts),
        ...sample('os.mem.used_pct', h.mem, ts),
        ...sample('os.mem.used', (h.mem / 100) * h.memTotal, ts),
        ...sample('os.disk.used_pct', h.disk, ts, { mount: h.os === 'windows' ? 'C:' : '/', fs: h.os === 'windows' ? 'NTFS' : 'ext4' }),
        ...sample('os.disk.total', h.diskTotal, ts, { mount: h.os === 'windows' ? 'C:' : '/', fs: h.os === 'windows' ? 'NTFS' : 'ext4' }),
        ...sample('os.net.rx_bytes_per_sec', this.random() < 0.05 ? 5e7 * this.random() : 2e5 + this.random() * 1e6, ts, { interface: 'eth0' }),
        ...sample('os.net.tx_bytes_per_sec', 1e5 + this.random() * 5e5, ts, { interface: 'eth0' }),
      ];
      return { hostname: h.hostname, os: h.os, arch: 'x64', labels: h.labels, samples };
    });
  }
}
