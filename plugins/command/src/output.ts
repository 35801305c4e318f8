// A command's stdout → samples, per output mode. Pure: the same text always gives the same answer,
// and a text that does not fit its mode is an error naming what was wrong, never a partial guess.
import { isJsonObject, keyedMetric, parseNumber, samplesFromRecord, type SampleInput } from '@esmon/schema';
import type { OutputMode } from './manifest.ts';

export type Parsed = { samples: SampleInput[] } | { error: string };

function preview(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t);
}

const kind = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`);

function fromJson(stdout: string, metric: string, ts: number): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (err) {
    return { error: `the output is not JSON (${(err as Error).message}): ${preview(stdout)}` };
  }
  if (!isJsonObject(value)) return { error: `expected a JSON object of name → number, got ${kind(value)}` };
  const { samples, badKeys } = samplesFromRecord(value, metric, ts);
  if (badKeys.length > 0) {
    return { error: `${badKeys.map((k) => JSON.stringify(k)).join(', ')}: a name may hold letters, digits, _ and . only` };
  }
  if (samples.length === 0) return { error: 'the JSON object holds no numeric value' };
  return { samples };
}

const LINE = /^(\S+?)\s*(?:=|\s)\s*(\S.*)$/;

function fromLines(stdout: string, metric: string, ts: number): Parsed {
  const byMetric = new Map<string, SampleInput>();
  const lines = stdout.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m) return { error: `line ${i + 1}: expected "name=value" or "name value", got ${preview(line)}` };
    const name = keyedMetric(metric, m[1]!);
    if (name === undefined) return { error: `line ${i + 1}: ${JSON.stringify(m[1])}: a name may hold letters, digits, _ and . only` };
    const value = parseNumber(m[2]!);
    if (value === undefined) return { error: `line ${i + 1}: ${preview(m[2]!)} is not a number` };
    // a name printed twice: the last value counts, one sample per series and timestamp
    byMetric.set(name, { metric: name, value, ts });
  }
  return { samples: [...byMetric.values()] };
}

/** The samples a command's stdout holds in the given mode (`text` holds none: the probe extracts). */
export function parseOutput(mode: OutputMode, stdout: string, metric: string, ts: number): Parsed {
  if (mode === 'text') return { samples: [] };
  if (stdout.trim() === '') return { error: 'the command printed nothing' };
  switch (mode) {
    case 'number': {
      const value = parseNumber(stdout);
      return value === undefined ? { error: `expected one number, got ${preview(stdout)}` } : { samples: [{ metric, value, ts }] };
    }
    case 'json':
      return fromJson(stdout, metric, ts);
    case 'lines':
      return fromLines(stdout, metric, ts);
  }
}
