// A script's stdout → samples and rows. A bare number is one sample; a JSON object gives a sample
// per numeric value and is also a row (PowerShell prints a one-element result as the object
// itself); a JSON array of objects is rows for the probe's column extraction; any other text is
// left to the probe's regex extraction.
import { isJsonObject, parseNumber, samplesFromRecord, type SampleInput } from '@esmon/schema';

export type ScriptOutput = { samples: SampleInput[]; rows?: Record<string, unknown>[] } | { error: string };

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseScriptOutput(stdout: string, metric: string, ts: number): ScriptOutput {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  const number = parseNumber(text);
  if (number !== undefined) return { samples: [{ metric, value: number, ts }] };
  const value = /^[[{]/.test(text) ? json(text) : undefined;
  if (isJsonObject(value)) {
    // names that make no metric name ("CPU(s)") stay in the row; only the samples skip them
    return { samples: samplesFromRecord(value, metric, ts).samples, rows: [value] };
  }
  if (Array.isArray(value)) {
    const bad = value.findIndex((row) => !isJsonObject(row));
    if (bad >= 0) return { error: `JSON rows must be objects; item ${bad} is not (… | Select-Object A, B | ConvertTo-Json makes rows)` };
    return { samples: [], rows: value as Record<string, unknown>[] };
  }
  return { samples: [] };
}
