// Result rows → samples: one per value column and row, named <prefix>.<column>, labelled by the
// label columns. ODBC hands DECIMAL, DECFLOAT and often BIGINT over as strings (or BigInt): numeric
// text counts as a number; NULL and non-numbers give no sample.
import { parseNumber, type SampleInput } from '@esmon/schema';
import type { OdbcColumn, OdbcResult } from './odbc.ts';

/** ODBC SQL type codes of numeric columns (DB2 adds DECFLOAT as -360). */
const NUMERIC_TYPES = new Set([2, 3, 4, 5, 6, 7, 8, -5, -6, -360]);

export const MAX_LABEL_VALUE = 256;

export class ColumnError extends Error {
  override name = 'ColumnError';
}

export function toNumber(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string') n = parseNumber(value);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** A column name as one metric name segment: `ROWS_READ` → `rows_read`, `?column?` → `column`. */
export function metricSegment(column: string): string {
  return (
    column
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'value'
  );
}

/** Rows as JSON can carry them (traces, the server): BigInt and binary values become text. */
export function plainRows(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'bigint') out[k] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
      else if (v instanceof ArrayBuffer) out[k] = Buffer.from(v).toString('base64');
      else if (Buffer.isBuffer(v)) out[k] = v.toString('base64');
      else out[k] = v;
    }
    return out;
  });
}

/** The result's column with this name, ignoring case (DB2 answers in upper case, PostgreSQL in lower). */
function findColumn(columns: readonly OdbcColumn[], name: string, role: string): OdbcColumn {
  const found = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!found)
    throw new ColumnError(
      `${role} column ${name} is not in the result (columns: ${columns.map((c) => c.name).join(', ') || 'none'})`,
    );
  return found;
}

export interface SampleOptions {
  metricPrefix: string;
  /** undefined: every numeric column that is not a label column */
  valueColumns?: readonly string[];
  labelColumns: readonly string[];
  ts: number;
}

/** Turns a result into samples; throws ColumnError when a named column is missing. */
export function rowsToSamples(result: OdbcResult, options: SampleOptions): SampleInput[] {
  const labelCols = options.labelColumns.map((n) => findColumn(result.columns, n, 'label'));
  const labelNames = new Set(labelCols.map((c) => c.name));
  const valueCols = options.valueColumns
    ? options.valueColumns.map((n) => findColumn(result.columns, n, 'value'))
    : result.columns.filter((c) => NUMERIC_TYPES.has(c.dataType) && !labelNames.has(c.name));

  const samples: SampleInput[] = [];
  for (const row of result.rows) {
    const labels: Record<string, string> = {};
    for (const c of labelCols) {
      const v = row[c.name];
      if (v === null || v === undefined) continue;
      labels[c.name.toLowerCase()] = String(v).trim().slice(0, MAX_LABEL_VALUE);
    }
    for (const c of valueCols) {
      const value = toNumber(row[c.name]);
      if (value === undefined) continue;
      const sample: SampleInput = {
        metric: `${options.metricPrefix}.${metricSegment(c.name)}`,
        ts: options.ts,
        value,
      };
      if (labelCols.length > 0) sample.labels = { ...labels };
      samples.push(sample);
    }
  }
  return samples;
}
