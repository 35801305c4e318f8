// The human-readable `reason` of alert events: "value 93.5 ≥ critical threshold 90 for 5m".
import { alertsHigh } from './severity.ts';
import type { AlertLevel, Comparator } from './types.ts';

const BREACH_SIGN: Record<Comparator, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };
const WITHIN_SIGN: Record<Comparator, string> = { '>': '≤', '>=': '<', '<': '≥', '<=': '>' };

/** 0s, 45s, 5m, 1h30m, 2d3h: the largest two units, enough for alert timings. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms / 1000) * 1000);
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(`${n}${unit}`);
    else if (parts.length > 0) break;
  }
  return parts.length > 0 ? parts.join('') : '0s';
}

/** Values as people read them: at most 4 decimals, no trailing zeros. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/** "value 93.5 ≥ critical threshold 90" */
export function breachText(value: number, level: AlertLevel, comparator: Comparator): string {
  return `value ${formatValue(value)} ${BREACH_SIGN[comparator]} ${level.severity} threshold ${formatValue(level.threshold)}`;
}

/** "value 78 ≤ warning threshold 80": the threshold is no longer breached. */
export function withinText(value: number, level: AlertLevel, comparator: Comparator): string {
  return `value ${formatValue(value)} ${WITHIN_SIGN[comparator]} ${level.severity} threshold ${formatValue(level.threshold)}`;
}

/** "value 84 ≤ critical recovery 85": the level is left. */
export function recoveryText(value: number, level: AlertLevel, comparator: Comparator): string {
  const sign = alertsHigh(comparator) ? '≤' : '≥';
  return `value ${formatValue(value)} ${sign} ${level.severity} recovery ${formatValue(level.recovery)}`;
}
