// Bridge values → samples, rows and the JSON output. Metric names and labels follow the schema's
// naming rules whatever an MBean is called: JMX names are free text, ours are not.
import { LABEL_KEY, limits, METRIC_NAME, RESERVED_LABELS, type Labels, type SampleInput } from '@esmon/schema';
import type { JmxRead, JmxReadResponse, JmxValue } from './protocol.ts';

/** Label values are cut here, well under the schema's limit: MBean key properties are names, not text. */
export const LABEL_VALUE_MAX = 256;

/** `jmx` + `HeapMemoryUsage.used` → `jmx.heapmemoryusage.used`: lower case, dots kept, other characters → `_`. */
export function metricFor(prefix: string, attributePath: string): string {
  const segments = attributePath
    .toLowerCase()
    .split('.')
    .map((s) => s.replace(/[^a-z0-9_]/g, '_') || '_');
  return [prefix, ...segments].join('.');
}

/** An ObjectName's key properties as labels: keys made label-safe, reserved ones suffixed with `_`. */
export function labelsFor(props: Record<string, string>): Labels {
  const labels: Labels = {};
  for (const [key, value] of Object.entries(props).slice(0, limits.labelsPerSeries)) {
    let k = key.replace(/[^A-Za-z0-9_]/g, '_').slice(0, limits.labelKey - 1);
    if (!/^[A-Za-z_]/.test(k)) k = `_${k}`;
    if (RESERVED_LABELS.has(k)) k = `${k}_`;
    if (LABEL_KEY.test(k)) labels[k] = value.slice(0, LABEL_VALUE_MAX);
  }
  return labels;
}

export interface StepParts {
  samples: SampleInput[];
  rows: Record<string, unknown>[];
  output: string;
}

/**
 * Numbers become samples; every value becomes a row (mbean, attribute, value and the labels), and
 * skipped values a row with a `note`. The output nests the values of exact (non-pattern) reads by
 * attribute path, for JSONPath extraction such as `$.HeapMemoryUsage.used`.
 */
export function partsFrom(response: JmxReadResponse, reads: readonly JmxRead[], prefix: string, ts: number): StepParts {
  const samples: SampleInput[] = [];
  const rows: Record<string, unknown>[] = [];
  const exact = new Set(reads.map((r) => r.mbean));
  // null prototypes: attribute names come from the MBean server, and `__proto__` must stay a key
  const output = Object.create(null) as Record<string, unknown>;
  for (const v of response.values) {
    const attribute = v.key ? `${v.attribute}.${v.key}` : v.attribute;
    const labels = labelsFor(v.props ?? {});
    rows.push({ ...labels, mbean: v.mbean, attribute, value: v.value });
    if (exact.has(v.mbean)) nest(output, attribute, v.value);
    if (typeof v.value !== 'number' || !Number.isFinite(v.value)) continue;
    const metric = metricFor(prefix, attribute);
    if (metric.length > limits.metricName || !METRIC_NAME.test(metric)) {
      rows.push({ mbean: v.mbean, attribute, note: `no sample: the metric name ${metric.slice(0, 60)}… is too long` });
      continue;
    }
    samples.push({ metric, labels, ts, value: v.value });
  }
  for (const n of response.notes ?? []) rows.push({ mbean: n.mbean, attribute: n.attribute, note: n.note });
  return { samples, rows, output: JSON.stringify(output) };
}

function nest(into: Record<string, unknown>, path: string, value: JmxValue['value']): void {
  const keys = path.split('.');
  let at = into;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = (at[k] = next !== null && typeof next === 'object' ? next : Object.create(null)) as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = value;
}
