// Which stored series feed which rule window, in memory: Prometheus matcher semantics (a missing
// label equals "", regular expressions match the whole value), `host` matches the hostname.
import type { LabelMatcher, Selector } from '@esmon/schema';

export interface SeriesIdentity {
  hostname: string;
  metric: string;
  labels: Record<string, string>;
}

const regexes = new Map<string, RegExp>();

function wholeMatch(pattern: string): RegExp {
  let re = regexes.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    if (regexes.size > 10_000) regexes.clear();
    regexes.set(pattern, re);
  }
  return re;
}

function labelValue(series: SeriesIdentity, label: string): string {
  if (label === 'host') return series.hostname;
  return Object.hasOwn(series.labels, label) ? series.labels[label]! : '';
}

function matcherHolds(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return wholeMatch(m.value).test(value);
    case '!~':
      return !wholeMatch(m.value).test(value);
  }
}

export function seriesMatches(selector: Selector, series: SeriesIdentity): boolean {
  if (selector.metric !== undefined && selector.metric !== series.metric) return false;
  return selector.matchers.every((m) => matcherHolds(m, labelValue(series, m.label)));
}

/** The rule instance a series belongs to: its host plus the values of the rule's groupBy labels. */
export function instanceKey(hostId: number, groupBy: readonly string[], labels: Record<string, string>): string {
  if (groupBy.length === 0) return `host:${hostId}`;
  const parts = groupBy.map((g) => `${g}=${JSON.stringify(Object.hasOwn(labels, g) ? labels[g] : '')}`);
  return `host:${hostId}|${parts.join(',')}`;
}

export function groupLabels(groupBy: readonly string[], labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of groupBy) out[g] = Object.hasOwn(labels, g) ? labels[g]! : '';
  return out;
}
