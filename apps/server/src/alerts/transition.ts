// transition(previous, observation, rule, now): the alert state machine as one pure function.
// No I/O and no clock: `now` (ms since epoch) comes in, the next status and its events go out.
import { evaluate } from './evaluate.ts';
import { settleFlapping } from './flapping.ts';
import { highestLevel } from './severity.ts';
import { compactStatus, record, startStep, type Step } from './step.ts';
import type { AlertRulePolicy, AlertStatus, Observation, TransitionResult } from './types.ts';

/**
 * Feeds one evaluation of `rule` for one instance into its stored status. `previous` is not
 * modified. A `resolved` status behaves as `ok`; `stale` and `nodata` remember the state they
 * interrupted and return to it (timers intact) before the next reading is judged.
 */
export function transition(
  previous: AlertStatus,
  observation: Observation,
  rule: AlertRulePolicy,
  now: number,
): TransitionResult {
  const step = startStep(previous);
  if (observation.kind !== 'suppressed' && previous.suppressed) {
    const reason = 'no longer suppressed: the rule it depends on stopped firing';
    record(step, { kind: 'unsuppressed', patch: { suppressed: false }, reason });
  }
  observe(step, observation, rule, now);
  settleFlapping(step, previous.flapping, rule, now);
  return { status: compactStatus(step.status), events: step.events };
}

function observe(step: Step, observation: Observation, rule: AlertRulePolicy, now: number): void {
  switch (observation.kind) {
    case 'value':
      // NaN compares false with everything: it is no data, not a good value
      if (Number.isNaN(observation.value)) return observeNoData(step, rule, now);
      step.status = { ...step.status, lastValue: observation.value };
      restore(step);
      return evaluate(step, { kind: 'value', value: observation.value }, rule, now);
    case 'nodata':
      return observeNoData(step, rule, now);
    case 'stale':
      return park(step, 'stale', 'agent offline: the alert keeps its state until the agent reports again');
    case 'suppressed':
      return suppress(step);
  }
}

function observeNoData(step: Step, rule: AlertRulePolicy, now: number): void {
  switch (rule.noData) {
    case 'keep_last':
      // the agent answered, so a stale alert is back; otherwise nothing changes, clocks included
      if (step.status.state === 'stale') restore(step);
      return;
    case 'nodata':
      return park(step, 'nodata', "no data: the rule's windows hold no samples");
    case 'ok':
      restore(step);
      return evaluate(
        step,
        { kind: 'verdict', severity: undefined, why: 'no data (no-data policy: ok)' },
        rule,
        now,
      );
    case 'alerting': {
      restore(step);
      const severity = highestLevel(rule)?.severity;
      const why = `no data (no-data policy: alerting${severity ? ` at ${severity}` : ''})`;
      return evaluate(step, { kind: 'verdict', severity, why }, rule, now);
    }
  }
}

/**
 * Enters stale or nodata, remembering the evaluation state underneath (kept across stale ↔ nodata)
 * together with its severity and timers, so that the return continues where it left off.
 */
function park(step: Step, state: 'stale' | 'nodata', reason: string): void {
  const { status } = step;
  if (status.state === state) return;
  // a resolved alert comes back as ok: returning must never look like a new resolution
  const stateBefore =
    status.state === 'stale' || status.state === 'nodata'
      ? status.stateBefore
      : status.state === 'resolved'
        ? 'ok'
        : status.state;
  record(step, { kind: 'state', patch: { state, stateBefore }, reason });
}

/** Leaves stale or nodata for the state they interrupted. */
function restore(step: Step): void {
  const { state, stateBefore } = step.status;
  if (state !== 'stale' && state !== 'nodata') return;
  const reason = state === 'stale' ? 'agent reports again' : 'data is back';
  record(step, { kind: 'state', patch: { state: stateBefore ?? 'ok', stateBefore: undefined }, reason });
}

/**
 * A rule this one depends on fires for the instance: nothing may start, a pending alert is
 * abandoned, a firing one is marked (and frozen: it neither resolves nor changes severity).
 */
function suppress(step: Step): void {
  // evaluators judge staleness first, so a suppression means the agent reports again
  if (step.status.state === 'stale') restore(step);
  const { state, suppressed } = step.status;
  const why = 'a rule it depends on is firing for this instance';
  if (state === 'pending') {
    record(step, {
      kind: 'state',
      patch: { state: 'ok', pendingSince: undefined },
      reason: `suppressed while pending: ${why}`,
    });
  } else if (state === 'firing' && !suppressed) {
    record(step, { kind: 'suppressed', patch: { suppressed: true }, reason: `suppressed: ${why}` });
  }
}
