// Metric and label naming rules, shared by the server (validation) and the agent (collection).
import { z } from 'zod';

/** Dotted lower-case metric names: `os.cpu.usage`, `maximo.jvm.heap.used`. */
export const METRIC_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
export const LABEL_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 1123 host names plus `_`, which Windows NetBIOS names allow. */
export const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const limits = {
  metricName: 200,
  labelKey: 100,
  labelValue: 1024,
  labelsPerSeries: 32,
  hostname: 253,
} as const;

/** Keys reserved because the server sets them itself, or because they name JavaScript internals. */
export const RESERVED_LABELS = new Set(['host', '__name__', '__proto__', 'constructor', 'prototype']);

export const metricName = z
  .string()
  .min(1, 'metric name is empty')
  .max(limits.metricName, `metric name longer than ${limits.metricName} characters`)
  .regex(METRIC_NAME, 'metric name must be dotted lower-case words, e.g. os.cpu.usage');

export const hostname = z
  .string()
  .min(1, 'hostname is empty')
  .max(limits.hostname, `hostname longer than ${limits.hostname} characters`)
  .regex(HOSTNAME, 'hostname may hold letters, digits, ".", "-" and "_" only');

/** A NUL or a lone UTF-16 surrogate: text PostgreSQL refuses (text columns and jsonb alike). */
const UNSTORABLE = /[\0\p{Cs}]/u;
/** True when the database can store the text as is (a refusal there would be a 5xx, retried forever). */
export const storableText = (s: string): boolean => !UNSTORABLE.test(s);
export const UNSTORABLE_TEXT = 'must be Unicode text without NUL characters or lone surrogates';

export const labelValue = z
  .string()
  .max(limits.labelValue, `label value longer than ${limits.labelValue} characters`)
  .refine(storableText, `label value ${UNSTORABLE_TEXT}`);

/** zod drops an own `__proto__` key from a record without a word (JSON.parse makes one): refuse it
 * like the other reserved names, so `{"__proto__": "x"}` is not silently stored as no label. */
const noProtoKey = z.unknown().superRefine((v, ctx) => {
  if (typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, '__proto__')) {
    ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'label name is reserved' });
  }
});

export const labels = noProtoKey.pipe(
  z
    .record(
      z
        .string()
        .max(limits.labelKey, `label name longer than ${limits.labelKey} characters`)
        .regex(LABEL_KEY, 'label name must match [A-Za-z_][A-Za-z0-9_]*')
        .refine((k) => !RESERVED_LABELS.has(k), 'label name is reserved'),
      labelValue,
    )
    .refine(
      (l) => Object.keys(l).length <= limits.labelsPerSeries,
      `more than ${limits.labelsPerSeries} labels`,
    ),
);

export type Labels = Record<string, string>;

/** Canonical text of a label set (keys sorted): the identity of a series within a host. */
export function canonicalLabels(l: Labels): string {
  const keys = Object.keys(l).sort();
  return keys.map((k) => `${k}=${JSON.stringify(l[k])}`).join(',');
}

/** Email addresses as login names: one @, no spaces; `admin@localhost` is valid. */
export const emailAddress = z
  .string()
  .trim()
  .max(320, 'email longer than 320 characters')
  .regex(/^[^\s@]+@[^\s@]+$/, 'email must look like name@host');
