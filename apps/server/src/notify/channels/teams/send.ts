// One POST of a Teams message, and what its answer means. Workflows answer 202 once the flow is
// started: whether the flow then posts the card is not reported back, so 2xx is all we can know.
// Legacy Office 365 connectors answer 200 "1" on success, and wrap many of Teams' own refusals
// (413 too large, 429 throttled, 400 channel gone) in a 200 whose body is the error text
// (MicrosoftDocs/msteams-docs#1810, #7425): there a 200 without "1" is a failure.
//
// The URL is a credential: it never appears in an outcome, even where an error message would
// quote it (fetch's "Failed to parse URL from …", a receiver echoing its path).
import { httpOutcome, networkOutcome, readSome, retryAfterToMs, type SendContext, type SendOutcome } from '../../channel.ts';
import type { Flavour } from './config.ts';

const HEADERS = {
  // legacy connectors read a body without a charset as UTF-16, which halves the size they take
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'esmon',
};

export async function postMessage(
  url: string,
  payload: unknown,
  flavour: Flavour,
  ctx: SendContext,
  timeoutSeconds?: number,
): Promise<SendOutcome> {
  // the configured limit only ever shortens the dispatcher's own
  const limitMs = timeoutSeconds ? Math.min(ctx.timeoutMs, timeoutSeconds * 1000) : ctx.timeoutMs;
  const signal = limitMs < ctx.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(limitMs)]) : ctx.signal;
  try {
    // no redirects: the URL is the credential, and a redirected POST may arrive as a GET elsewhere;
    // a 3xx is an answer to fix in the configuration
    const res = await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(payload), signal, redirect: 'manual' });
    const retryAfter = res.headers.get('retry-after');
    if (flavour === 'legacy' && res.status === 200) return redact(legacyOutcome((await readSome(res, 4096)).trim(), retryAfter, ctx.now()), url);
    if (res.ok) {
      // delivered once the status says so: a body still dribbling in must not make it a failure
      void res.body?.cancel().catch(() => undefined);
      return httpOutcome(res.status, '');
    }
    return redact(httpOutcome(res.status, (await readSome(res, 4096).catch(() => '')).trim(), retryAfter, ctx.now()), url);
  } catch (err) {
    return redact(networkOutcome(err, { signal, timeoutMs: limitMs }), url);
  }
}

/** A legacy connector's 200: "1" is delivered; anything else is the error Teams gave it. */
export function legacyOutcome(body: string, retryAfter: string | null, now: number): SendOutcome {
  if (body === '1') return { ok: true, status: 200 };
  // "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId …"
  const wrapped = /HTTP error (\d{3})/i.exec(body)?.[1] ?? /\b(429|5\d\d)\b/.exec(body)?.[1];
  const inner = wrapped === undefined ? undefined : Number(wrapped);
  // throttled or a server error inside Teams pass; a refused card or a removed channel stay refused
  const retryable = inner !== undefined && (inner === 408 || inner === 429 || inner >= 500);
  const retryAfterMs = retryable ? retryAfterToMs(retryAfter, now) : undefined;
  const error = body ? `HTTP 200 but not delivered: ${body.slice(0, 300)}` : 'HTTP 200 with an empty body instead of "1"';
  return { ok: false, retryable, error, status: 200, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** The outcome with every part of the URL that is its signature taken out of the error. */
export function redact(outcome: SendOutcome, url: string): SendOutcome {
  if (outcome.ok) return outcome;
  const u = URL.canParse(url) ? new URL(url) : null;
  // a query value as long as a signature (sig=…) is one; short ones (api-version=…) are not
  const params = u ? [...u.searchParams.values()].filter((v) => v.length >= 16) : [];
  const secrets = [url, u?.href, u && u.pathname + u.search, u?.pathname, u?.search, ...params]
    .filter((s): s is string => typeof s === 'string' && s.length > 1)
    .sort((a, b) => b.length - a.length);
  let error = outcome.error;
  for (const s of secrets) error = error.split(s).join('<webhook URL>');
  return { ...outcome, error };
}
