// The ingest batch: what the agent sends to POST /api/v1/ingest and integrators to the
// ingestSamples mutation. Samples are grouped by host; the batch id makes re-sends idempotent.
import { z } from 'zod';
import { hostname, labels, labelValue, metricName, storableText, UNSTORABLE_TEXT } from './naming.ts';
import { checkSample, MAX_TS, MIN_TS } from './sample-check.ts';

export const ingestLimits = {
  samplesPerBatch: 100_000,
  hostsPerBatch: 10_000,
  /** Upper bound of a request body after gzip decompression. */
  bodyBytes: 32 * 1024 * 1024,
} as const;


export const sampleInput = z.object({
  metric: metricName,
  labels: labels.optional(),
  ts: z
    .number({ error: 'ts must be a number of milliseconds since the epoch' })
    .int('ts must be whole milliseconds')
    .min(MIN_TS, 'ts is before the year 2000')
    .max(MAX_TS, 'ts is after the year 2100'),
  value: z.number({ error: 'value must be a number' }).finite('value must be a finite number'),
});

/** Free text the server stores: bounded, and without what PostgreSQL refuses (NUL, lone surrogates). */
const text = (max: number) => z.string().max(max).refine(storableText, UNSTORABLE_TEXT);

const hostFields = {
  hostname,
  os: text(100).optional(),
  osVersion: text(200).optional(),
  arch: text(50).optional(),
  ips: z.array(text(64)).max(64).optional(),
  labels: z.record(text(100), labelValue).optional(),
};

export const hostInput = z.object({ ...hostFields, samples: z.array(sampleInput).max(ingestLimits.samplesPerBatch) });

export const agentInfo = z.object({
  version: text(50),
  startedAt: z.number().int().optional(),
  bufferDepth: z.number().int().min(0).optional(),
  /** the probe configuration the agent runs: the server's hash of it (agentConfig.version) */
  configVersion: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9]+$/, 'configVersion may hold letters and digits only')
    .optional(),
});

/** The batch around its hosts (host schema given, so the fast path can reuse every other rule). */
function batchOf<H extends z.ZodType<{ hostname: string; samples: unknown[] }>>(host: H) {
  return z
    .object({
      batchId: z
        .string()
        .min(8, 'batchId must be at least 8 characters')
        .max(128, 'batchId longer than 128 characters')
        .regex(/^[A-Za-z0-9_.:-]+$/, 'batchId may hold letters, digits and _ . : - only'),
      agent: agentInfo.optional(),
      hosts: z.array(host).min(1, 'a batch needs at least one host').max(ingestLimits.hostsPerBatch),
    })
    .superRefine((batch, ctx) => {
      const seen = new Set<string>();
      batch.hosts.forEach((h, i) => {
        if (seen.has(h.hostname)) {
          ctx.addIssue({ code: 'custom', path: ['hosts', i, 'hostname'], message: `host ${h.hostname} appears twice in the batch` });
        }
        seen.add(h.hostname);
      });
      const total = batch.hosts.reduce((n, h) => n + h.samples.length, 0);
      if (total > ingestLimits.samplesPerBatch) {
        ctx.addIssue({ code: 'custom', path: ['hosts'], message: `more than ${ingestLimits.samplesPerBatch} samples in one batch` });
      }
    });
}

export const ingestBatch = batchOf(hostInput);
/** Every rule but the samples', which checkSamples() has already vouched for. */
const batchWithCheckedSamples = batchOf(z.object({ ...hostFields, samples: z.array(z.unknown()).max(ingestLimits.samplesPerBatch) }));

export type SampleInput = z.infer<typeof sampleInput>;
export type HostInput = z.infer<typeof hostInput>;
export type IngestBatch = z.infer<typeof ingestBatch>;

export interface IngestAck {
  batchId: string;
  /** samples written by this request (0 when the batch id was already stored) */
  accepted: number;
  duplicate: boolean;
}

/** One validation problem: where (e.g. `hosts[0].samples[12].value`) and what. */
export interface FieldIssue {
  path: string;
  message: string;
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** Validates a parsed body; returns the batch or the first issues, most specific first. */
export function parseIngestBatch(
  body: unknown,
): { ok: true; batch: IngestBatch } | { ok: false; issues: FieldIssue[] } {
  // the hot path: samples checked by hand (the same rules, ~10× faster than zod per sample);
  // anything it does not vouch for goes through zod, which names the problem
  if (samplesVouchedFor(body)) {
    const fast = batchWithCheckedSamples.safeParse(body);
    if (fast.success) return { ok: true, batch: fast.data as IngestBatch };
  }
  const result = ingestBatch.safeParse(body);
  if (result.success) return { ok: true, batch: result.data };
  const issues = result.error.issues.slice(0, 20).map((i) => ({ path: issuePath(i.path), message: i.message }));
  return { ok: false, issues };
}

function samplesVouchedFor(body: unknown): boolean {
  const hosts = (body as { hosts?: unknown } | null)?.hosts;
  if (!Array.isArray(hosts)) return false;
  for (const h of hosts) {
    const samples = (h as { samples?: unknown } | null)?.samples;
    if (!Array.isArray(samples)) return false;
    for (const s of samples) if (!checkSample(s)) return false;
  }
  return true;
}
