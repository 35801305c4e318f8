// The alert state machine's vocabulary: what a rule's policy says, what one evaluation observed,
// what is stored per rule × instance, and the events a transition records.

export const SEVERITIES = ['warning', 'critical', 'very_critical'] as const;
/** Alert severity, in ascending order of urgency. */
export type Severity = (typeof SEVERITIES)[number];

/** How the rule's value is compared to a level's threshold: `>`/`>=` alert on high values, `<`/`<=` on low. */
export type Comparator = '>' | '>=' | '<' | '<=';

/**
 * One severity level. `recovery` sits on the good side of `threshold` (hysteresis): once a level is
 * held, it is left only when the value reaches `recovery` (≤ for `>`-type rules, ≥ for `<`-type).
 */
export interface AlertLevel {
  severity: Severity;
  threshold: number;
  recovery: number;
}

/** What an evaluation without samples means: good, a breach at the highest level, a state of its own, or nothing. */
export type NoDataPolicy = 'ok' | 'alerting' | 'nodata' | 'keep_last';

/** The part of an alert rule the state machine needs. */
export interface AlertRulePolicy {
  comparator: Comparator;
  levels: readonly AlertLevel[];
  /** Pending time: a breach must last this long before it fires; 0 fires at once. */
  forMs: number;
  /** A firing alert stays firing this long after its condition cleared; 0 resolves at once. */
  keepFiringForMs: number;
  noData: NoDataPolicy;
  /** More than `maxChanges` state changes within `windowMs` → flapping; `windowMs` ≤ 0 turns detection off. */
  flapping: { windowMs: number; maxChanges: number };
}

/**
 * One evaluation of a rule for one instance. `stale`: the host's agent is offline (never a reason to
 * resolve). `suppressed`: a rule this one depends on fires for the instance (e.g. host down).
 */
export type Observation =
  { kind: 'value'; value: number } | { kind: 'nodata' } | { kind: 'stale' } | { kind: 'suppressed' };

export type AlertState = 'ok' | 'pending' | 'firing' | 'resolved' | 'nodata' | 'stale';
/** What `stale` and `nodata` interrupt and return to (a resolved alert returns as ok). */
export type EvaluationState = 'ok' | 'pending' | 'firing';

/**
 * What is stored per rule × instance. Invariants: `severity` and `firingSince` are set exactly when
 * the alert is firing, or stale/nodata with `stateBefore` firing; `pendingSince` likewise for pending;
 * `stateBefore` exactly when stale or nodata; `changes` holds at most `maxChanges + 1` timestamps.
 */
export interface AlertStatus {
  state: AlertState;
  severity?: Severity;
  pendingSince?: number;
  firingSince?: number;
  /** When the firing condition cleared, continuously since: the keep-firing-for countdown. */
  clearedSince?: number;
  lastValue?: number;
  stateBefore?: EvaluationState;
  /** Timestamps (ms) of recent state changes, newest last, for flapping detection. */
  changes: number[];
  flapping: boolean;
  suppressed: boolean;
}

/**
 * `state`: the state changed. `severity`: a firing alert changed severity (same incident).
 * `unmuted`: a firing alert whose notifications a silence or maintenance window held is announced
 * now that the mute has ended. The others toggle the `suppressed` or `flapping` flag without
 * changing the state.
 */
export type AlertEventKind =
  'state' | 'severity' | 'suppressed' | 'unsuppressed' | 'flapping_start' | 'flapping_end' | 'unmuted';

/** One recorded transition; `notify` says whether channels should hear of it. */
export interface AlertEventOut {
  kind: AlertEventKind;
  from: AlertState;
  to: AlertState;
  fromSeverity?: Severity;
  toSeverity?: Severity;
  reason: string;
  value?: number;
  notify: boolean;
}

export interface TransitionResult {
  status: AlertStatus;
  events: AlertEventOut[];
}

/** The status of a rule × instance that has never been evaluated. */
export function initialAlertStatus(): AlertStatus {
  return { state: 'ok', changes: [], flapping: false, suppressed: false };
}
