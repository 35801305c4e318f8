// When a notification group speaks: Alertmanager's aggregation timing as a pure function. A new
// group waits `groupWait` for more alerts to join (a burst becomes one message); after a message,
// a change waits until `groupInterval` has passed since it; a group that still fires, unchanged
// and unacknowledged, is sent again every `repeatInterval`; once everything in it has resolved
// and that was said, the group is done. Escalation steps fire once each, `afterMinutes` after the
// group began firing, while it fires unacknowledged. The dispatcher calls `decide` when a group
// changes and at the `wakeAt` it was given last.

export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  /** 0: never sent again */
  repeatIntervalMs: number;
  escalate: readonly { afterMinutes: number; channels: readonly string[] }[];
}

/** What the group is now. */
export interface GroupView {
  /** what a message would say: fingerprint, state and severity of each alert, sorted */
  digest: string;
  firing: number;
  /** every firing alert is acknowledged */
  acknowledged: boolean;
}

/** What the dispatcher remembers of a group. */
export interface GroupMemory {
  /** when its first alert came */
  createdAt: number;
  /** when it began firing (this time round); undefined while nothing fires */
  firingSince?: number;
  lastSentAt?: number;
  lastSentDigest?: string;
  /** escalation steps already sent (their index) since it began firing */
  escalated: readonly number[];
}

export type Decision =
  | { send: 'firing' | 'resolved' | 'renotify'; wakeAt?: number }
  | { send: false; wakeAt?: number; done?: true };

/** Whether a message goes out now, and when to look again. */
export function decide(memory: GroupMemory, view: GroupView, timing: GroupTiming, now: number): Decision {
  const changed = view.digest !== memory.lastSentDigest;
  const kind = view.firing === 0 ? 'resolved' : 'firing';
  if (memory.lastSentAt === undefined) {
    // nothing said yet: a group that resolved inside its wait has nothing to say
    if (view.firing === 0) return { send: false, done: true };
    const at = memory.createdAt + timing.groupWaitMs;
    return now >= at ? { send: kind } : { send: false, wakeAt: at };
  }
  if (changed) {
    const at = memory.lastSentAt + timing.groupIntervalMs;
    return now >= at ? { send: kind } : { send: false, wakeAt: at };
  }
  if (view.firing === 0) return { send: false, done: true };
  if (view.acknowledged || timing.repeatIntervalMs === 0) return { send: false };
  const at = memory.lastSentAt + timing.repeatIntervalMs;
  return now >= at ? { send: 'renotify' } : { send: false, wakeAt: at };
}

/** Escalation steps due now (by index), and when the next one falls due. */
export function escalationsDue(memory: GroupMemory, view: GroupView, timing: GroupTiming, now: number): { due: number[]; wakeAt?: number } {
  if (memory.firingSince === undefined || view.firing === 0 || view.acknowledged) return { due: [] };
  const due: number[] = [];
  let wakeAt: number | undefined;
  timing.escalate.forEach((step, i) => {
    if (memory.escalated.includes(i)) return;
    const at = memory.firingSince! + step.afterMinutes * 60_000;
    if (now >= at) due.push(i);
    else wakeAt = Math.min(wakeAt ?? Infinity, at);
  });
  return wakeAt === undefined ? { due } : { due, wakeAt };
}

/** The earliest of several wake times; undefined when none. */
export function earliest(...times: (number | undefined)[]): number | undefined {
  const set = times.filter((t): t is number => t !== undefined);
  return set.length ? Math.min(...set) : undefined;
}
