// The ingest hot path's check of one sample: exactly the rules of `sampleInput` (ingest.ts),
// written by hand because zod costs several microseconds per sample and a batch holds thousands.
// It only ever says "valid as is" — anything else goes to zod, which names the problem — and a
// property test holds it to zod's verdict on valid, broken and random samples.
import { LABEL_KEY, limits, METRIC_NAME, RESERVED_LABELS, storableText } from './naming.ts';

/** Timestamps are integer milliseconds since the epoch, from 2000-01-01 to 2100-01-01. */
export const MIN_TS = Date.UTC(2000, 0, 1);
export const MAX_TS = Date.UTC(2100, 0, 1);

// names repeat across samples and batches: remember the ones already checked (bounded)
const goodMetrics = new Set<string>();
const goodLabelKeys = new Set<string>();
const remember = (set: Set<string>, v: string) => {
  if (set.size >= 50_000) set.clear();
  set.add(v);
};

function metricOk(m: unknown): boolean {
  if (typeof m !== 'string') return false;
  if (goodMetrics.has(m)) return true;
  if (m.length === 0 || m.length > limits.metricName || !METRIC_NAME.test(m)) return false;
  remember(goodMetrics, m);
  return true;
}

function labelsOk(l: unknown): boolean {
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return false;
  let n = 0;
  for (const k in l) {
    if (!Object.prototype.hasOwnProperty.call(l, k)) return false;
    if (++n > limits.labelsPerSeries) return false;
    if (!goodLabelKeys.has(k)) {
      if (k.length > limits.labelKey || !LABEL_KEY.test(k) || RESERVED_LABELS.has(k)) return false;
      remember(goodLabelKeys, k);
    }
    const v = (l as Record<string, unknown>)[k];
    if (typeof v !== 'string' || v.length > limits.labelValue || !storableText(v)) return false;
  }
  return true;
}

/** True when zod would accept the sample unchanged (no unknown keys to strip). */
export function checkSample(s: unknown): boolean {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return false;
  let keys = 0;
  for (const k in s) {
    if (!Object.prototype.hasOwnProperty.call(s, k)) return false;
    if (k !== 'metric' && k !== 'ts' && k !== 'value' && k !== 'labels') return false;
    keys++;
  }
  const o = s as { metric?: unknown; labels?: unknown; ts?: unknown; value?: unknown };
  if (keys < 3 || !metricOk(o.metric)) return false;
  if (o.labels !== undefined && !labelsOk(o.labels)) return false;
  if (keys === 4 && o.labels === undefined) return false;
  const ts = o.ts;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < MIN_TS || ts > MAX_TS) return false;
  return typeof o.value === 'number' && Number.isFinite(o.value);
}
