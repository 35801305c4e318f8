// A clock for tests of the runner and the scheduler: time moves only when the test says, timers
// fire in time order, and every promise their callbacks start settles before the next one fires.
import type { SetTimer } from './timer.ts';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets every pending promise chain run (one macrotask turn; no real time is waited on). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export function fakeClock(start = 1_763_900_000_000) {
  let now = start;
  let seq = 0;
  const timers = new Set<Timer>();
  const setTimer: SetTimer = (fn, ms) => {
    const timer = { at: now + Math.max(0, ms), seq: seq++, fn };
    timers.add(timer);
    return () => void timers.delete(timer);
  };
  return {
    now: () => now,
    setTimer,
    /** Moves time forward by `ms`, firing each timer that falls due at its own moment. */
    async advance(ms: number): Promise<void> {
      const end = now + ms;
      for (;;) {
        await settle();
        const due = [...timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers.delete(due);
        now = due.at;
        due.fn();
      }
      now = end;
      await settle();
    },
    /** Timers set and not yet fired or cancelled. */
    pending: () => timers.size,
  };
}
