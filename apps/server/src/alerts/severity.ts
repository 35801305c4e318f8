// Which level a value breaches, and which level a firing alert still holds under hysteresis.
import {
  SEVERITIES,
  type AlertLevel,
  type AlertRulePolicy,
  type Comparator,
  type Severity,
} from './types.ts';

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The rule's levels, most urgent first (rules may list them in any order). */
export function levelsDescending(rule: AlertRulePolicy): AlertLevel[] {
  return [...rule.levels].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

export function highestLevel(rule: AlertRulePolicy): AlertLevel | undefined {
  return levelsDescending(rule)[0];
}

export function lowestLevel(rule: AlertRulePolicy): AlertLevel | undefined {
  return levelsDescending(rule).at(-1);
}

export function levelOf(rule: AlertRulePolicy, severity: Severity): AlertLevel | undefined {
  return rule.levels.find((l) => l.severity === severity);
}

/** Alerting on high values (`>`, `>=`) rather than low ones. */
export function alertsHigh(comparator: Comparator): boolean {
  return comparator === '>' || comparator === '>=';
}

export function breaches(value: number, threshold: number, comparator: Comparator): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** Still on the bad side of `recovery`: a held level is kept (reaching recovery itself leaves it). */
export function beyondRecovery(value: number, recovery: number, comparator: Comparator): boolean {
  return alertsHigh(comparator) ? value > recovery : value < recovery;
}

/** The most urgent level whose threshold the value breaches (no hysteresis: ok and pending alerts). */
export function breachedLevel(value: number, rule: AlertRulePolicy): AlertLevel | undefined {
  return levelsDescending(rule).find((l) => breaches(value, l.threshold, rule.comparator));
}

/**
 * The most urgent level a firing alert at `current` holds: a level is held when its threshold is
 * breached, or when it is at or below `current` and the value has not reached its recovery yet.
 * So severity rises as soon as a higher threshold is breached and falls only through recoveries.
 */
export function heldLevel(
  value: number,
  rule: AlertRulePolicy,
  current: Severity | undefined,
): AlertLevel | undefined {
  const ceiling = current === undefined ? -1 : severityRank(current);
  return levelsDescending(rule).find(
    (l) =>
      breaches(value, l.threshold, rule.comparator) ||
      (severityRank(l.severity) <= ceiling && beyondRecovery(value, l.recovery, rule.comparator)),
  );
}
