// `systemctl show` output → samples. Pure: the monotonic clock comes in as a number.
import type { SampleInput } from '@esmon/schema';

/**
 * ActiveState as a number, so rules can compare it. Fixed forever: stored series depend on it.
 * 0 is any state this table does not know (a systemd newer than this plugin).
 */
export const ACTIVE_STATE_CODES: Readonly<Record<string, number>> = {
  active: 1,
  reloading: 2,
  inactive: 3,
  failed: 4,
  activating: 5,
  deactivating: 6,
  maintenance: 7,
  refreshing: 8,
};

/** The states `systemctl is-active` counts as active. */
const ACTIVE = new Set(['active', 'reloading', 'refreshing']);

/** One map of property → value per unit block; blocks are separated by blank lines. */
export function parseShow(stdout: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') {
      current = undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    if (!current) blocks.push((current = new Map()));
    current.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return blocks;
}

/** systemd before 236 prints an unset number (MemoryCurrent without MemoryAccounting) as UINT64_MAX. */
const UNSET = '18446744073709551615';

/** A whole unsigned number; `[not set]`, `[n/a]`, UINT64_MAX and empty values are not samples. */
function count(value: string | undefined): number | undefined {
  return value !== undefined && value !== UNSET && /^\d+$/.test(value) ? Number(value) : undefined;
}

export interface UnitSamplesOptions {
  unit: string;
  props: Map<string, string>;
  ts: number;
  /** the host's CLOCK_MONOTONIC in µs, the clock of ActiveEnterTimestampMonotonic */
  monotonicNowUs: number;
}

/**
 * The samples of one unit. Only `active` and `state` carry sub_state: on the gauges, a label that
 * changes with the state would cut their series in pieces at every restart.
 */
export function unitSamples({ unit, props, ts, monotonicNowUs }: UnitSamplesOptions): SampleInput[] {
  const samples: SampleInput[] = [];
  const add = (metric: string, value: number | undefined, labels: Record<string, string> = { unit }) => {
    if (value !== undefined) samples.push({ metric: `systemd.unit.${metric}`, value, ts, labels });
  };
  const state = props.get('ActiveState');
  if (state !== undefined) {
    const labels = { unit, sub_state: props.get('SubState') ?? '' };
    add('active', ACTIVE.has(state) ? 1 : 0, labels);
    add('state', ACTIVE_STATE_CODES[state] ?? 0, labels);
  }
  add('restarts', count(props.get('NRestarts')));
  add('memory_bytes', count(props.get('MemoryCurrent')));
  add('main_pid', count(props.get('MainPID')));
  const since = count(props.get('ActiveEnterTimestampMonotonic'));
  if (state !== undefined && ACTIVE.has(state) && since && since <= monotonicNowUs) {
    add('active_seconds', Math.floor((monotonicNowUs - since) / 1e6));
  }
  return samples;
}
