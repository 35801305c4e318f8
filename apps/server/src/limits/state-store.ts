// Where the limits keep their per-key state. The interface is one atomic read-modify-write with an
// expiry, so a shared store for several server instances (Redis: WATCH/MULTI or a script, with
// PEXPIREAT) can replace the in-memory one without touching the limits. In memory: bounded.

/** What an update leaves behind: the new state (undefined: forget the key) until `expiresAt`. */
export interface Change<S, R> {
  state: S | undefined;
  /** the state may be dropped from then on: the key would behave the same without it */
  expiresAt: number;
  result: R;
}

export interface StateStore<S> {
  /** The key's state (undefined: none, or expired). */
  get(key: string, now: number): Promise<S | undefined>;
  /** Reads the key's state (undefined: none, or expired), applies `change` and keeps what it says, atomically. */
  update<R>(key: string, now: number, change: (state: S | undefined) => Change<S, R>): Promise<R>;
}

export interface MemoryStore<S> extends StateStore<S> {
  /** keys held, expired ones included until swept */
  size(): number;
}

interface Entry<S> {
  state: S;
  expiresAt: number;
}

/** Expired keys looked at from the least recently used end on every update. */
const SWEEP_PER_UPDATE = 2;
/** A full sweep for expired keys runs at most this often, when the store is full. */
const FULL_SWEEP_EVERY_MS = 1_000;

/**
 * An in-memory store of at most `maxKeys` keys. Expired keys are dropped as updates pass by (a
 * few from the least recently used end each time) and all at once when the store is full. When
 * it is full of live keys, the least recently used key is dropped: that key starts afresh (a
 * full bucket, no failures), so the cap bounds memory, and must stay far above the keys that
 * honest clients make (one per client address, key or account).
 */
export function createMemoryStore<S>({ maxKeys }: { maxKeys: number }): MemoryStore<S> {
  // a Map iterates in insertion order: re-inserting on every update keeps it least-recent first
  const entries = new Map<string, Entry<S>>();
  let lastFullSweep = -Infinity;

  const sweepOldest = (now: number) => {
    let looked = 0;
    for (const [key, entry] of entries) {
      if (++looked > SWEEP_PER_UPDATE) break;
      if (entry.expiresAt <= now) entries.delete(key);
    }
  };

  const makeRoom = (now: number) => {
    if (entries.size < maxKeys) return;
    if (now - lastFullSweep >= FULL_SWEEP_EVERY_MS) {
      lastFullSweep = now;
      for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    }
    for (const key of entries.keys()) {
      if (entries.size < maxKeys) break;
      entries.delete(key);
    }
  };

  return {
    async get(key, now) {
      const held = entries.get(key);
      return held && held.expiresAt > now ? held.state : undefined;
    },
    async update(key, now, change) {
      const held = entries.get(key);
      const current = held && held.expiresAt > now ? held.state : undefined;
      const next = change(current);
      entries.delete(key);
      sweepOldest(now);
      if (next.state !== undefined && next.expiresAt > now) {
        makeRoom(now);
        entries.set(key, { state: next.state, expiresAt: next.expiresAt });
      }
      return next.result;
    },
    size: () => entries.size,
  };
}
