import type { SampleInput } from '@esmon/schema';

/** Builds a sample, dropping values that are not finite (a collector's NaN never leaves the agent). */
export function sample(metric: string, value: number | null | undefined, ts: number, labels?: Record<string, string>): SampleInput[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) return [];
  return [{ metric, value: Math.round(value * 1000) / 1000, ts, ...(labels ? { labels } : {}) }];
}
