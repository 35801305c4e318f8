// What the backtest chart draws besides the data: the would-be alert timeline as bands (pending,
// firing, no data; per instance and severity), the threshold lines, and the series to show.
import { childrenOf, formatSelector, isComparisonOp, type Expr } from '@esmon/schema';
import type { RuleKind, Severity } from './rule-draft.ts';

export interface Transition {
  at: string;
  fingerprint: string;
  hostname: string;
  kind: string;
  fromState: string;
  toState: string;
  severity: Severity | null;
  value: number | null;
}

export type BandState = 'pending' | 'firing' | 'nodata';

export interface Band {
  instance: string;
  hostname: string;
  /** epoch ms */
  from: number;
  to: number;
  state: BandState;
  severity: Severity | null;
}

const OPEN_STATES = new Set<string>(['pending', 'firing', 'nodata']);

/** The time each instance spent pending, firing or without data, from its transitions. */
export function bandsOf(transitions: readonly Transition[], end: number): Band[] {
  const bands: Band[] = [];
  const current = new Map<string, Omit<Band, 'to'>>();
  const sorted = [...transitions].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const t of sorted) {
    if (t.kind !== 'state' && t.kind !== 'severity') continue;
    const at = Date.parse(t.at);
    const open = current.get(t.fingerprint);
    if (open) bands.push({ ...open, to: at });
    if (OPEN_STATES.has(t.toState)) {
      current.set(t.fingerprint, { instance: t.fingerprint, hostname: t.hostname, from: at, state: t.toState as BandState, severity: t.severity });
    } else current.delete(t.fingerprint);
  }
  for (const open of current.values()) bands.push({ ...open, to: Math.max(end, open.from) });
  return bands;
}

export interface ThresholdLine {
  value: number;
  severity: Severity | null;
  kind: 'threshold' | 'recovery' | 'condition';
}

interface Level {
  severity: Severity;
  threshold: number | null;
  recovery: number | null;
}

/**
 * The lines to draw over the data: a value rule's thresholds (and recoveries where they
 * differ); for a condition, the numbers its comparisons hold the data against.
 */
export function thresholdLines(ast: Expr | undefined, kind: RuleKind | undefined, levels: readonly Level[]): ThresholdLine[] {
  if (kind === 'value') {
    return levels.flatMap((l) => {
      if (l.threshold == null) return [];
      const lines: ThresholdLine[] = [{ value: l.threshold, severity: l.severity, kind: 'threshold' }];
      if (l.recovery != null && l.recovery !== l.threshold) lines.push({ value: l.recovery, severity: l.severity, kind: 'recovery' });
      return lines;
    });
  }
  if (!ast || kind !== 'condition') return [];
  const severity = levels[0]?.severity ?? null;
  const lines: ThresholdLine[] = [];
  const visit = (e: Expr) => {
    if (e.kind === 'binary' && isComparisonOp(e.op)) {
      const n = literal(e.right) ?? literal(e.left);
      if (n !== undefined && !lines.some((l) => l.value === n)) lines.push({ value: n, severity, kind: 'condition' });
      return;
    }
    for (const c of childrenOf(e)) visit(c);
  };
  visit(ast);
  return lines;
}

function literal(e: Expr): number | undefined {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'number') return -e.operand.value;
  return undefined;
}

/** The selector of the first metric the rule reads (what the chart shows), if any. */
export function chartSelector(ast: Expr | undefined): string | undefined {
  if (!ast) return undefined;
  if (ast.kind === 'metric') return formatSelector({ metric: ast.name, matchers: ast.matchers });
  for (const c of childrenOf(ast)) {
    const s = chartSelector(c);
    if (s) return s;
  }
  return undefined;
}

export const RANGES = [
  { label: '1h', ms: 3600_000 },
  { label: '6h', ms: 6 * 3600_000 },
  { label: '24h', ms: 86_400_000 },
  { label: '7d', ms: 7 * 86_400_000 },
] as const;
