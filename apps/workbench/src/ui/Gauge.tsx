// A small SVG gauge: a 270° arc filled to the value, the value in its middle, the label under it,
// coloured by level (ok / warning / critical). Memoised: it re-renders only when what it shows
// changes, and an update touches three attributes and one text node (no layout of its own).
import { memo } from 'react';
import './gauge.css';

export interface GaugeProps {
  label: string;
  /** null or undefined: no value yet */
  value: number | null | undefined;
  max?: number;
  /** the value from which the gauge is `warning`, and `critical` */
  warnAt?: number;
  critAt?: number;
  unit?: string;
  /** rendered size in px */
  size?: number;
  /** a tooltip, e.g. which mount a disk gauge is of */
  title?: string;
}

// a circle of radius 40 around (50, 50) from 135° to 45° clockwise: 270° with the gap at the bottom;
// with pathLength 100 the bar is a dash as long as the value's share
const ARC = 'M 21.716 78.284 A 40 40 0 1 1 78.284 78.284';

export function gaugeLevel(value: number, warnAt: number, critAt: number): 'ok' | 'warning' | 'critical' {
  return value >= critAt ? 'critical' : value >= warnAt ? 'warning' : 'ok';
}

/** "7.3" under 10, "42" from there: as many digits as a glance needs. */
export function gaugeText(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  return Math.abs(value) < 10 ? value.toFixed(1) : String(Math.round(value));
}

export const Gauge = memo(function Gauge({ label, value, max = 100, warnAt = 75, critAt = 90, unit = '%', size = 64, title }: GaugeProps) {
  const known = value != null && Number.isFinite(value);
  const share = known ? Math.min(1, Math.max(0, value / max)) : 0;
  const level = known ? gaugeLevel(value, warnAt, critAt) : 'none';
  return (
    <figure
      className={`gauge gauge-${level}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={known ? value : undefined}
      aria-valuetext={known ? `${gaugeText(value)}${unit}` : 'no data'}
      title={title}
    >
      <svg viewBox="0 0 100 100" width={size} height={size} aria-hidden="true">
        <path className="gauge-track" d={ARC} />
        {known && <path className="gauge-bar" d={ARC} pathLength={100} strokeDasharray={`${(share * 100).toFixed(2)} 100`} />}
        <text className="gauge-value" x="50" y="56" textAnchor="middle">{gaugeText(value)}</text>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
});
