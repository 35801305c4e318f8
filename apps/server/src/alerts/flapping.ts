// Flapping: too many state changes within a window hold notifications until a full window passes
// without a change. Entering or leaving stale is not counted: an agent going offline and back is
// the host's story, not this rule's.
import { formatDuration } from './reason.ts';
import { record, type Step } from './step.ts';
import type { AlertEventOut, AlertRulePolicy } from './types.ts';

function counts(event: AlertEventOut): boolean {
  return event.kind === 'state' && event.from !== 'stale' && event.to !== 'stale';
}

/**
 * Records this step's state changes in `changes` (only the last `maxChanges + 1` within the window
 * are kept: enough to tell "above maxChanges" and "calm"), then starts or ends flapping. While the
 * alert flaps, every event it records has `notify: false`; the end of flapping notifies once, so
 * channels learn the state the alert settled in.
 */
export function settleFlapping(step: Step, wasFlapping: boolean, rule: AlertRulePolicy, now: number): void {
  const { windowMs } = rule.flapping;
  const maxChanges = Math.max(0, rule.flapping.maxChanges);
  const fresh = step.events.filter(counts).map(() => now);
  const recent = [...step.status.changes, ...fresh]
    .filter((t) => t > now - windowMs)
    .slice(-(maxChanges + 1));
  step.status = { ...step.status, changes: recent };
  const starts = !wasFlapping && recent.length > maxChanges;
  if (wasFlapping || starts) for (const event of step.events) event.notify = false;
  const { state, severity } = step.status;
  const settled = severity === undefined ? state : `${state} (${severity})`;
  if (starts) {
    const reason = `flapping: ${recent.length} state changes within ${formatDuration(windowMs)}; notifications held until ${formatDuration(windowMs)} without a change`;
    record(step, { kind: 'flapping_start', patch: { flapping: true }, reason });
  } else if (wasFlapping && recent.length === 0) {
    const reason = `no state change for ${formatDuration(windowMs)}: flapping ended, now ${settled}`;
    record(step, { kind: 'flapping_end', patch: { flapping: false }, reason });
    if (step.status.suppressed) for (const event of step.events) event.notify = false;
  }
}
