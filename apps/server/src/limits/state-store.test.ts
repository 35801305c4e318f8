import { describe, expect, it } from 'vitest';
import { createMemoryStore, type Change } from './state-store.ts';

/** Adds 1 to a counter that lives for `ttl` ms; the result is the count before. */
const bump =
  (now: number, ttl = 1_000) =>
  (state: number | undefined): Change<number, number | undefined> => ({ state: (state ?? 0) + 1, expiresAt: now + ttl, result: state });

describe('the in-memory limit store', () => {
  it('keeps a key until it expires, then starts it afresh', async () => {
    const store = createMemoryStore<number>({ maxKeys: 10 });
    expect(await store.update('a', 0, bump(0))).toBeUndefined();
    expect(await store.update('a', 500, bump(500))).toBe(1);
    expect(await store.update('a', 1_499, bump(1_499))).toBe(2);
    expect(await store.update('a', 2_499, bump(2_499))).toBeUndefined(); // expired at 2 499
  });

  it('forgets a key whose change says so, or that is already expired', async () => {
    const store = createMemoryStore<number>({ maxKeys: 10 });
    await store.update('a', 0, bump(0));
    await store.update('a', 0, () => ({ state: undefined, expiresAt: 0, result: null }));
    await store.update('b', 0, () => ({ state: 1, expiresAt: 0, result: null }));
    expect(store.size()).toBe(0);
  });

  it('drops idle keys as other updates pass by', async () => {
    const store = createMemoryStore<number>({ maxKeys: 1_000 });
    for (let i = 0; i < 100; i++) await store.update(`idle-${i}`, 0, bump(0, 1_000));
    expect(store.size()).toBe(100);
    // each later update looks at the two least recently used keys: 50 updates sweep all 100
    for (let i = 0; i < 50; i++) await store.update('busy', 5_000, bump(5_000, 1_000));
    expect(store.size()).toBe(1);
  });

  it('never holds more than maxKeys: expired keys go first, then the least recently used', async () => {
    const store = createMemoryStore<number>({ maxKeys: 3 });
    await store.update('old', 0, bump(0, 10_000));
    await store.update('short', 0, bump(0, 100));
    await store.update('recent', 0, bump(0, 10_000));
    await store.update('old', 1, bump(1, 10_000)); // used again: now the most recent
    // full: the expired key makes room
    await store.update('new-1', 200, bump(200, 10_000));
    expect(store.size()).toBe(3);
    expect(await store.update('old', 300, bump(300))).toBe(2);
    // full of live keys: the least recently used ('recent', untouched since 0) is dropped and starts afresh
    await store.update('new-2', 400, bump(400, 10_000));
    expect(store.size()).toBe(3);
    expect(await store.update('recent', 500, bump(500))).toBeUndefined();
    expect(store.size()).toBe(3);
  });

  it('stays at its cap under a flood of new keys', async () => {
    const store = createMemoryStore<number>({ maxKeys: 500 });
    for (let i = 0; i < 5_000; i++) await store.update(`k-${i}`, i, bump(i, 3_600_000));
    expect(store.size()).toBe(500);
    expect(await store.update('k-4999', 5_000, bump(5_000))).toBe(1);
  });
});
