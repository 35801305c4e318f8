// Runs the prepared request within the step's deadline and turns what happened into samples.
// Failure is data: a refused connection or a wrong status is `http.up 0` with the reason in
// `error`, and whatever was measured (timings, the certificate's expiry) is reported anyway.
import {
  jsonPathValues,
  numericValue,
  type SampleInput,
  type StepContext,
  type StepResult,
} from '@esmon/schema';
import type { HttpHopResult, HttpTransport } from './exchange.ts';
import { followExchange, type OutgoingHeader } from './follow.ts';
import { CREDENTIAL_HEADERS } from './manifest.ts';
import type { HttpPrepared } from './prepare.ts';

/** Body bytes kept for the regex, JSONPath and the step output; larger bodies are counted only. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const DAY_MS = 86_400_000;

type Sample = (metric: string, value: number) => SampleInput;

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function resolveHeaders(
  prepared: HttpPrepared,
  ctx: StepContext,
): { headers: OutgoingHeader[]; secrets: string[] } | { error: string } {
  const headers: OutgoingHeader[] = [];
  const secrets: string[] = [];
  for (const h of prepared.headers) {
    if ('value' in h) {
      headers.push({ name: h.name, value: h.value, sensitive: CREDENTIAL_HEADERS.has(h.name.toLowerCase()) });
      continue;
    }
    const secret = ctx.secret(h.secretRef);
    if (secret === undefined) return { error: `header ${h.name}: ${h.secretRef} is not set on this agent` };
    secrets.push(secret);
    headers.push({ name: h.name, value: h.scheme ? `${h.scheme} ${secret}` : secret, sensitive: true });
  }
  return { headers, secrets };
}

function jsonValue(body: string, path: string): { value: number } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { error: `jsonPath ${path}: the body is not JSON` };
  }
  const [first] = jsonPathValues(doc, path);
  if (first === undefined) return { error: `jsonPath ${path} matched nothing` };
  const value = numericValue(first);
  return value === undefined
    ? { error: `jsonPath ${path}: found ${first === null ? 'null' : typeof first}, not a number` }
    : { value };
}

function timingSamples(hops: HttpHopResult[], sample: Sample): SampleInput[] {
  const sum = (pick: (h: HttpHopResult) => number | undefined) => {
    const parts = hops.map(pick).filter((v): v is number => v !== undefined);
    return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
  };
  const phases: [string, number | undefined][] = [
    ['http.duration_ms', sum((h) => h.timings.totalMs)],
    ['http.dns_ms', sum((h) => h.timings.dnsMs)],
    ['http.connect_ms', sum((h) => h.timings.connectMs)],
    ['http.tls_ms', sum((h) => h.timings.tlsMs)],
    ['http.ttfb_ms', sum((h) => h.timings.ttfbMs)],
  ];
  return phases
    .filter((p): p is [string, number] => p[1] !== undefined)
    .map(([metric, ms]) => sample(metric, round(ms, 3)));
}

/** Replaces every resolved secret in text that leaves the agent (a server may echo headers back). */
function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('[secret]'), text);
}

function statusText(ranges: [number, number][]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(', ');
}

/** Status, regex and JSONPath checks on the final response: its samples and what failed. */
function judgeResponse(
  prepared: HttpPrepared,
  response: NonNullable<HttpHopResult['response']>,
  sample: Sample,
): { up: boolean; samples: SampleInput[]; errors: string[] } {
  const samples = [
    sample('http.status_code', response.status),
    sample('http.body_bytes', response.bodyBytes),
  ];
  const errors: string[] = [];
  const statusOk = prepared.expectStatus.some(([lo, hi]) => response.status >= lo && response.status <= hi);
  if (!statusOk) errors.push(`status ${response.status} is not ${statusText(prepared.expectStatus)}`);
  let matched = true;
  if (prepared.bodyRegex) {
    matched = prepared.bodyRegex.test(response.body);
    samples.push(sample('http.regex_match', matched ? 1 : 0));
    if (!matched) errors.push(`the body does not match /${prepared.bodyRegex.source}/`);
  }
  if (prepared.jsonPath !== undefined) {
    const json = jsonValue(response.body, prepared.jsonPath);
    if ('value' in json) samples.push(sample('http.json_value', json.value));
    else errors.push(json.error);
  }
  // a JSONPath that finds no number is an error of the step, not the service being down
  return { up: statusOk && matched, samples, errors };
}

export async function executeHttp(
  prepared: HttpPrepared,
  ctx: StepContext,
  transport: HttpTransport,
): Promise<StepResult> {
  const ts = Math.round(ctx.now());
  const labels = { url: prepared.label };
  const sample: Sample = (metric, value) => ({ metric, labels, ts, value });
  const resolved = resolveHeaders(prepared, ctx);
  if ('error' in resolved) {
    return { status: 'error', samples: [sample('http.up', 0)], error: resolved.error, durationMs: 0 };
  }

  const timeoutMs = Math.min(prepared.timeoutMs, ctx.timeoutMs);
  const { hops, error: followError } = await followExchange({
    url: prepared.url,
    method: prepared.method,
    headers: resolved.headers,
    ...(prepared.body !== undefined ? { body: prepared.body } : {}),
    followRedirects: prepared.followRedirects,
    tlsVerify: prepared.tlsVerify,
    signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
    maxBodyBytes: MAX_BODY_BYTES,
    transport,
  });
  const first = hops[0]!;
  const last = hops[hops.length - 1]!;
  const timedOut = last.error?.code === 'ABORT_ERR';
  const judged = last.response ? judgeResponse(prepared, last.response, sample) : undefined;
  const hopError = timedOut
    ? ctx.signal.aborted
      ? 'aborted by the agent'
      : `no complete answer within ${timeoutMs} ms`
    : last.error?.message;
  const errors = [hopError, followError, ...(judged?.errors ?? [])].filter((e) => e !== undefined);

  const samples = [
    sample('http.up', judged?.up && !followError ? 1 : 0),
    ...timingSamples(hops, sample),
    ...(judged?.samples ?? []),
  ];
  // the certificate of the host the URL names, even when a redirect, the status or verification fails
  if (prepared.url.startsWith('https:') && first.certValidTo !== undefined) {
    samples.push(sample('http.tls.cert_days_left', round((first.certValidTo - ts) / DAY_MS, 2)));
  }
  const output = last.response && prepared.method !== 'HEAD' ? last.response.body.trim() : undefined;
  return {
    status: timedOut ? 'timeout' : errors.length ? 'error' : 'ok',
    samples,
    ...(output !== undefined ? { output: redact(output, resolved.secrets) } : {}),
    ...(errors.length ? { error: redact(errors.join('; '), resolved.secrets) } : {}),
    durationMs: round(
      hops.reduce((t, h) => t + h.timings.totalMs, 0),
      3,
    ),
  };
}
