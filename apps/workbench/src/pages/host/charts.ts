// What the host page charts: the ranges it offers (each with the bucket width that keeps a chart
// under a thousand points), the charts (metrics the agent sends, see agent/src/system/) and how
// their values and series read.
import { bytes } from '../../ui/figures.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Range {
  key: string;
  ms: number;
  /** bucket width; one of the server's nice widths (1s … 2d), so the server picks exactly it */
  stepMs: number;
}

export const RANGES: Range[] = [
  { key: '15m', ms: 15 * MINUTE, stepMs: 10 * SECOND },
  { key: '1h', ms: HOUR, stepMs: 15 * SECOND },
  { key: '6h', ms: 6 * HOUR, stepMs: MINUTE },
  { key: '24h', ms: DAY, stepMs: 2 * MINUTE },
  { key: '7d', ms: 7 * DAY, stepMs: 15 * MINUTE },
];

export const DEFAULT_RANGE = '1h';

export function rangeOf(key: string | null): Range {
  return RANGES.find((r) => r.key === key) ?? RANGES.find((r) => r.key === DEFAULT_RANGE)!;
}

/**
 * The maxPoints that makes the server choose `stepMs` buckets: it widens [from, to) to whole
 * buckets, which can add one, and takes the narrowest nice width that fits.
 */
export function maxPointsFor(r: Range): number {
  return Math.ceil(r.ms / r.stepMs) + 1;
}

/** A gap wider than this is drawn as a break: more than a few buckets, or the host was offline. */
export function maxGapMs(r: Range): number {
  return Math.max(3 * r.stepMs, 90 * SECOND);
}

/** A value as text; `step`, the distance between axis ticks, sets the precision when given. */
export type Format = (v: number, step?: number) => string;

/** Fixed decimals, trailing zeros dropped: 2.50 → 2.5, 3.0 → 3, 100 → 100. */
const trim = (n: number, digits: number) => {
  const text = n.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
};

/** The decimals of the tick step (2.5 → 1, 0.05 → 2, 20 → 0; at most 4), else `fallback`. */
const digits = (step: number | undefined, fallback: number) => {
  if (!step || !(step > 0) || !Number.isFinite(step)) return fallback;
  let d = 0;
  while (d < 4 && Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) > 1e-6) d++;
  return d;
};

export const percent: Format = (v, step) => `${trim(v, digits(step, Math.abs(v) < 10 ? 1 : 0))}%`;

export const plain: Format = (v, step) => trim(v, digits(step, Math.abs(v) < 10 ? 2 : 1));

export const bytesPerSecond: Format = (v) => `${bytes(v)}/s`;

export interface ChartDef {
  key: string;
  title: string;
  metrics: string[];
  format: Format;
  /** the y axis always reaches these */
  yBounds?: [number, number];
  /** the legend's name of one series */
  name(metric: string, labels: Record<string, string>): string;
}

const after = (metric: string) => metric.slice(metric.lastIndexOf('.') + 1);

export const CHARTS: ChartDef[] = [
  {
    key: 'cpu',
    title: 'CPU usage',
    metrics: ['os.cpu.usage'],
    format: percent,
    yBounds: [0, 100],
    name: (_m, l) => (l.core != null ? `core ${l.core}` : 'total'),
  },
  {
    key: 'memory',
    title: 'Memory and swap used',
    metrics: ['os.mem.used_pct', 'os.swap.used_pct'],
    format: percent,
    yBounds: [0, 100],
    name: (m) => (m === 'os.mem.used_pct' ? 'memory' : 'swap'),
  },
  {
    key: 'disk',
    title: 'Disk space used',
    metrics: ['os.disk.used_pct'],
    format: percent,
    yBounds: [0, 100],
    name: (_m, l) => l.mount ?? (Object.values(l).join(' ') || 'disk'),
  },
  {
    key: 'load',
    title: 'Load average',
    metrics: ['os.load.1', 'os.load.5', 'os.load.15'],
    format: plain,
    name: (m) => `${after(m)} min`,
  },
  {
    key: 'network',
    title: 'Network',
    metrics: ['os.net.rx_bytes_per_sec', 'os.net.tx_bytes_per_sec'],
    format: bytesPerSecond,
    name: (m, l) => `${l.interface ?? ''} ${m.includes('.rx_') ? 'in' : 'out'}`.trim(),
  },
  {
    key: 'diskio',
    title: 'Disk I/O',
    metrics: ['os.disk.io.read_bytes_per_sec', 'os.disk.io.write_bytes_per_sec'],
    format: bytesPerSecond,
    name: (m, l) => `${Object.values(l).join(' ')} ${m.includes('read') ? 'read' : 'write'}`.trim(),
  },
];

/** A chart of any other metric the host sends: one line per label set. */
export function otherChart(metric: string): ChartDef {
  return {
    key: 'other',
    title: metric,
    metrics: [metric],
    format: plain,
    name: (_m, l) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(' ') || 'value',
  };
}

/** A selector for one metric of one host, and more labels when given (quoted as JSON strings). */
export function selectorFor(metric: string, hostname: string, labels: Record<string, string> = {}): string {
  const matchers = Object.entries({ host: hostname, ...labels }).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${metric}{${matchers.join(',')}}`;
}
