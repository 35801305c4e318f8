// What script-running plugins (command, powershell) accept as output, in one place so a number
// means the same to both: a bare number, a JSON object of name → number, or key/value lines.
import type { SampleInput } from '../ingest.ts';
import { limits, METRIC_NAME } from '../naming.ts';
import type { ProcessResult } from './manifest.ts';

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A decimal number as the whole text ("42", "-1.5e3", " 7 "); no hex, no "Infinity", no "". */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A JSON value as a sample value: finite numbers, decimal strings, and booleans as 1 / 0. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseNumber(v);
  return undefined;
}

/** `<prefix>.<key>` with the key lower-cased, or undefined when that is no metric name. */
export function keyedMetric(prefix: string, key: string): string | undefined {
  const name = `${prefix}.${key.trim().toLowerCase()}`;
  return name.length <= limits.metricName && METRIC_NAME.test(name) ? name : undefined;
}

export interface KeyedSamples {
  samples: SampleInput[];
  /** keys that make no metric name (spaces, dashes, …) */
  badKeys: string[];
}

/** One sample per key whose value is numeric; other values (text, objects, null) are not samples. */
export function samplesFromRecord(record: Record<string, unknown>, prefix: string, ts: number): KeyedSamples {
  const samples: SampleInput[] = [];
  const badKeys: string[] = [];
  for (const [key, raw] of Object.entries(record)) {
    const value = numericValue(raw);
    if (value === undefined) continue;
    const metric = keyedMetric(prefix, key);
    if (metric === undefined) badKeys.push(key);
    else samples.push({ metric, value, ts });
  }
  return { samples, badKeys };
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const STDERR_TAIL = 2000;

/** "exit code 2; stderr: …" for error messages: the end of stderr, where the reason usually is. */
export function describeExit(result: ProcessResult): string {
  const code = result.exitCode === null ? 'no exit code' : `exit code ${result.exitCode}`;
  const err = result.stderr.trim();
  if (!err) return code;
  return `${code}; stderr: ${err.length > STDERR_TAIL ? `…${err.slice(-STDERR_TAIL)}` : err}`;
}
