// The trace of one probe run: what each step was given, what it answered and how long it took,
// and the samples the run produced. `runProbeNow` returns it to the workbench as it is, so every
// field is plain JSON (JSON.parse(JSON.stringify(trace)) gives back an equal trace).
import type { SampleInput, StepStatus } from '@esmon/schema';
import type { JsonValue } from './redact.ts';

/** `skipped`: not run, because an earlier step did not succeed. */
export type StepTraceStatus = StepStatus | 'skipped';

export interface StepTrace {
  id: string;
  plugin: string;
  status: StepTraceStatus;
  durationMs: number;
  /** the prepared request the plugin executed, secrets redacted; absent when preparation failed */
  input?: JsonValue;
  /** the raw output, at most OUTPUT_LIMIT_BYTES (marked when cut), secrets redacted */
  output?: string;
  error?: string;
  /** rows returned (for column extraction), and the first TRACE_ROWS of them */
  rowCount?: number;
  rows?: JsonValue[];
}

export interface ProbeTrace {
  probeId: string;
  version: number;
  /** ms since the epoch; also the timestamp of the extracted samples */
  startedAt: number;
  durationMs: number;
  /** ok, or the status of the step that stopped the run */
  status: StepStatus;
  steps: StepTrace[];
  samples: SampleInput[];
  /** values that became no sample, and why (see extract.ts) */
  problems: string[];
}

export const OUTPUT_LIMIT_BYTES = 4096;
export const TRACE_ROWS = 20;

/** The first OUTPUT_LIMIT_BYTES of a text (UTF-8), never splitting a character, marked when cut. */
export function truncateOutput(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= OUTPUT_LIMIT_BYTES) return text;
  // a cut inside a multi-byte character decodes to U+FFFD at the end: drop it
  const head = bytes
    .subarray(0, OUTPUT_LIMIT_BYTES)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return `${head}\n[esmon: output truncated, ${bytes.length} bytes in all]`;
}
