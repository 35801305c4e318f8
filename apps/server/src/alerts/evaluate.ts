// The heart of the state machine: an ok, pending or firing alert meets one reading.
// ok → pending → firing (for), firing ↔ severities (hysteresis), firing → resolved (keep firing for).
import { breachText, formatDuration, recoveryText, withinText } from './reason.ts';
import { breachedLevel, heldLevel, levelOf, lowestLevel, severityRank } from './severity.ts';
import { record, type Step } from './step.ts';
import type { AlertLevel, AlertRulePolicy, Severity } from './types.ts';

/**
 * What one evaluation says: a value to compare with the levels, or a verdict reached without one
 * (no data turned into "good" or "breach at the highest level" by the rule's no-data policy).
 */
export type Reading =
  { kind: 'value'; value: number } | { kind: 'verdict'; severity: Severity | undefined; why: string };

interface Judgement {
  /** The level breached (ok, pending) or held (firing); undefined when the condition is clear. */
  level: AlertLevel | undefined;
  text: string;
}

function valueOf(reading: Reading): number | undefined {
  return reading.kind === 'value' ? reading.value : undefined;
}

function judgeVerdict(reading: Extract<Reading, { kind: 'verdict' }>, rule: AlertRulePolicy): Judgement {
  const level = reading.severity === undefined ? undefined : levelOf(rule, reading.severity);
  return { level, text: reading.why };
}

/** Threshold only: hysteresis protects firing alerts, a pending one must keep breaching. */
function judgeBreach(reading: Reading, rule: AlertRulePolicy): Judgement {
  if (reading.kind === 'verdict') return judgeVerdict(reading, rule);
  const level = breachedLevel(reading.value, rule);
  if (level) return { level, text: breachText(reading.value, level, rule.comparator) };
  const lowest = lowestLevel(rule);
  const text = lowest ? withinText(reading.value, lowest, rule.comparator) : 'the rule has no levels';
  return { level, text };
}

export function evaluate(step: Step, reading: Reading, rule: AlertRulePolicy, now: number): void {
  switch (step.status.state) {
    case 'pending':
      return evaluatePending(step, reading, rule, now);
    case 'firing':
      return evaluateFiring(step, reading, rule, now);
    default:
      // ok and resolved; stale and nodata are restored before anything is evaluated
      return evaluateOk(step, reading, rule, now);
  }
}

function evaluateOk(step: Step, reading: Reading, rule: AlertRulePolicy, now: number): void {
  const breach = judgeBreach(reading, rule);
  if (!breach.level) return;
  if (rule.forMs <= 0) return fire(step, breach.level.severity, breach.text, reading, now);
  const patch = { state: 'pending' as const, pendingSince: now };
  record(step, { kind: 'state', patch, reason: breach.text, value: valueOf(reading) });
}

function evaluatePending(step: Step, reading: Reading, rule: AlertRulePolicy, now: number): void {
  const elapsed = now - (step.status.pendingSince ?? now);
  const breach = judgeBreach(reading, rule);
  if (breach.level) {
    if (elapsed >= rule.forMs)
      fire(step, breach.level.severity, `${breach.text} for ${formatDuration(elapsed)}`, reading, now);
    return;
  }
  const reason = `${breach.text}: breach ended after ${formatDuration(elapsed)} pending (for ${formatDuration(rule.forMs)})`;
  record(step, {
    kind: 'state',
    patch: { state: 'ok', pendingSince: undefined },
    reason,
    value: valueOf(reading),
  });
}

function fire(step: Step, severity: Severity, reason: string, reading: Reading, now: number): void {
  const patch = {
    state: 'firing' as const,
    severity,
    firingSince: now,
    pendingSince: undefined,
    clearedSince: undefined,
  };
  record(step, { kind: 'state', patch, reason, value: valueOf(reading) });
}

function evaluateFiring(step: Step, reading: Reading, rule: AlertRulePolicy, now: number): void {
  const current = step.status.severity;
  const level =
    reading.kind === 'verdict' ? judgeVerdict(reading, rule).level : heldLevel(reading.value, rule, current);
  if (!level) return clearFiring(step, reading, rule, now);
  // any hold, even inside a hysteresis band, cancels a keep-firing countdown
  step.status = { ...step.status, clearedSince: undefined };
  if (level.severity === current) return;
  const rising = current === undefined || severityRank(level.severity) > severityRank(current);
  const left = current === undefined ? undefined : levelOf(rule, current);
  let reason: string;
  if (reading.kind === 'verdict') reason = reading.why;
  else if (rising || !left) reason = breachText(reading.value, level, rule.comparator);
  else reason = recoveryText(reading.value, left, rule.comparator);
  record(step, { kind: 'severity', patch: { severity: level.severity }, reason, value: valueOf(reading) });
}

/** The condition is clear: resolve, or count down keep-firing-for from the first clear evaluation. */
function clearFiring(step: Step, reading: Reading, rule: AlertRulePolicy, now: number): void {
  const since = step.status.clearedSince ?? now;
  if (now - since < rule.keepFiringForMs) {
    step.status = { ...step.status, clearedSince: since };
    return;
  }
  const lowest = lowestLevel(rule);
  let reason =
    reading.kind === 'verdict' || !lowest
      ? judgeBreach(reading, rule).text
      : recoveryText(reading.value, lowest, rule.comparator);
  if (rule.keepFiringForMs > 0) {
    reason += `, clear for ${formatDuration(now - since)} (keep firing for ${formatDuration(rule.keepFiringForMs)})`;
  }
  const patch = {
    state: 'resolved' as const,
    severity: undefined,
    firingSince: undefined,
    clearedSince: undefined,
  };
  record(step, { kind: 'state', patch, reason, value: valueOf(reading) });
}
