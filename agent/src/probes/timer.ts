// The timer seam of the probe runner and the scheduler: tests hand in a fake clock and move time
// by hand, so nothing in their tests waits for real time or asserts on it.

/** Calls `fn` once after `ms` milliseconds; the function returned cancels it. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, Math.max(0, ms));
  return () => clearTimeout(t);
};
