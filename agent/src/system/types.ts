import type { SampleInput } from '@esmon/schema';

export type CollectFailure = { collector: string; error: string };

/** One round of the system collectors at `ts`; a failing part is reported, never fatal. */
export type SystemCollector = (ts: number) => Promise<{ samples: SampleInput[]; failures: CollectFailure[] }>;
