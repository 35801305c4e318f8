// Helpers for tests across the workspace (imported as @esmon/schema/testing, never by product code).

export * from './plugin/recorded.ts';
export { randomRuleText } from './rule/random-rule.ts';

/** mulberry32: a small seeded PRNG, so property tests and generated data are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
