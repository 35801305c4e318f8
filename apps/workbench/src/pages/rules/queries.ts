// The rule pages' GraphQL operations and the shapes they answer.
import type { Transition } from './backtest-model.ts';
import type { SavedRule, Severity } from './rule-draft.ts';

const RULE_FIELDS = `
  id name description expression comparator enabled version
  levels { severity threshold recovery }
  forSeconds keepFiringSeconds noDataPolicy evalIntervalSeconds scope dependsOn labels annotations
`;

export const RULES = `query Rules { rules { id name expression enabled kind comparator levels { severity threshold recovery } openAlertCount } }`;

export interface RuleListItem {
  id: string;
  name: string;
  expression: string;
  enabled: boolean;
  kind: 'condition' | 'value';
  comparator: string;
  levels: { severity: Severity; threshold: number | null; recovery: number | null }[];
  openAlertCount: number;
}

export const RULE = `query Rule($id: ID!) { rule(id: $id) { ${RULE_FIELDS} } }`;
export type RuleData = { rule: SavedRule };

export const METRIC_NAMES = `query MetricNames { metricNames(first: 2000) }`;

const PAYLOAD = `rule { ${RULE_FIELDS} } warnings { severity message line column }`;
export const CREATE_RULE = `mutation CreateRule($input: RuleInput!) { createRule(input: $input) { ${PAYLOAD} } }`;
export const UPDATE_RULE = `mutation UpdateRule($id: ID!, $input: RuleInput!, $expectedVersion: Int) {
  updateRule(id: $id, input: $input, expectedVersion: $expectedVersion) { ${PAYLOAD} } }`;

export interface RulePayload {
  rule: SavedRule;
  warnings: { severity: string; message: string; line: number; column: number }[];
}

export const BACKTEST = `query Backtest($draft: RuleInput!, $from: DateTime!, $to: DateTime!, $ruleId: ID) {
  backtestRule(draft: $draft, from: $from, to: $to, ruleId: $ruleId) {
    counts { pending firing resolved nodata ok severityChanges }
    instances evaluations points truncated
    transitions { at fingerprint hostname kind fromState toState severity value }
  }
}`;

export interface BacktestData {
  backtestRule: {
    counts: { pending: number; firing: number; resolved: number; nodata: number; ok: number; severityChanges: number };
    instances: number;
    evaluations: number;
    points: number;
    truncated: boolean;
    transitions: Transition[];
  };
}

export const SAMPLES = `query BacktestSamples($selector: String!, $from: DateTime!, $to: DateTime!) {
  samples(selector: $selector, from: $from, to: $to, maxPoints: 600) { seriesId hostname labels points { ts value } }
}`;

export interface SamplesData {
  samples: { seriesId: string; hostname: string; labels: Record<string, string>; points: { ts: string; value: number }[] }[];
}

export const OPEN_ALERTS = `query RuleOpenAlerts($ruleId: ID!) {
  alerts(filter: { ruleIds: [$ruleId], open: true }, first: 50) {
    totalCount
    edges { node { id state severity value acknowledged startedAt host { id hostname } } }
  }
}`;

export interface OpenAlert {
  id: string;
  state: string;
  severity: Severity | null;
  value: number | null;
  acknowledged: boolean;
  startedAt: string;
  host: { id: string; hostname: string } | null;
}

export interface OpenAlertsData {
  alerts: { totalCount: number; edges: { node: OpenAlert }[] };
}

export const RULE_EVENTS = `subscription RuleEvents($filter: AlertEventFilter) { alertEvents(filter: $filter) { id alertId ruleId kind toState } }`;
export interface RuleEventData {
  alertEvents: { id: string; alertId: string; ruleId: string; kind: string; toState: string };
}
