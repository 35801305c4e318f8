// One transition being built: a private copy of the status plus the events recorded so far.
// Steps are mutated freely inside transition(); the caller's status is never touched.
import type { AlertEventKind, AlertEventOut, AlertState, AlertStatus } from './types.ts';

export interface Step {
  status: AlertStatus;
  events: AlertEventOut[];
}

export function startStep(previous: AlertStatus): Step {
  return { status: { ...previous, changes: [...previous.changes] }, events: [] };
}

/**
 * Whether channels hear of an event before flapping or suppression hold it: firing, severity
 * changes, resolving and no-data do; pending comes and goes silently, and staleness is the
 * agent's story (its own host-down rule notifies), so entering or leaving stale never does.
 */
function notifies(kind: AlertEventKind, from: AlertState, to: AlertState): boolean {
  if (kind === 'severity' || kind === 'flapping_end') return true;
  if (kind !== 'state' || from === 'stale' || to === 'stale') return false;
  return to === 'firing' || to === 'resolved' || to === 'nodata' || from === 'nodata';
}

export interface Change {
  kind: AlertEventKind;
  /** Fields of the status to overwrite; `undefined` clears a field. */
  patch: Partial<AlertStatus>;
  reason: string;
  value?: number | undefined;
}

/** Applies `patch` and records the event describing it (from → to read off the status). */
export function record(step: Step, { kind, patch, reason, value }: Change): void {
  const before = step.status;
  const after = { ...before, ...patch };
  const event: AlertEventOut = { kind, from: before.state, to: after.state, reason, notify: false };
  if (before.severity !== undefined) event.fromSeverity = before.severity;
  if (after.severity !== undefined) event.toSeverity = after.severity;
  if (value !== undefined) event.value = value;
  event.notify = notifies(kind, event.from, event.to);
  step.status = after;
  step.events.push(event);
}

/** The stored form: no keys holding `undefined`. */
export function compactStatus(status: AlertStatus): AlertStatus {
  return Object.fromEntries(
    Object.entries(status).filter(([, v]) => v !== undefined),
  ) as unknown as AlertStatus;
}
