// One HTTP POST of a JSON body, turned into a SendOutcome: what every HTTP channel here (webhook,
// Gotify) does the same way. It never throws, it reads at most a little of an error answer, and it
// takes the channel's secrets out of whatever the receiver answered, because that answer lands in
// the delivery log and some receivers echo the request's headers back in their error pages.
import { httpOutcome, networkOutcome, readSome, type SendContext, type SendOutcome } from '../../channel.ts';

export interface PostOptions {
  /** the channel's own limit, when shorter than the dispatcher's */
  timeoutSeconds?: number | undefined;
  /** values that must not appear in an outcome (tokens, secret header values, keys) */
  secrets: readonly string[];
}

/** Enough of an error answer to say what went wrong; httpOutcome keeps 300 characters of it. */
const MAX_ERROR_BODY = 4096;

export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  ctx: SendContext,
  options: PostOptions,
): Promise<SendOutcome> {
  const ownMs = options.timeoutSeconds ? options.timeoutSeconds * 1000 : Infinity;
  const timeoutMs = Math.min(ctx.timeoutMs, ownMs);
  const signal =
    ownMs < ctx.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ownMs)]) : ctx.signal;
  let outcome: SendOutcome;
  try {
    // No redirects: a POST redirected becomes a GET on some hops, and a redirect to another host
    // would carry the secret headers there. A 3xx is an answer to fix in the configuration.
    const res = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    if (res.ok) {
      // Delivered once the status says so; a receiver dribbling its body must not make it a failure.
      void res.body?.cancel().catch(() => undefined);
      outcome = httpOutcome(res.status, '');
    } else {
      // scrubbed before httpOutcome cuts it, so no secret is left half-cut at the edge
      const text = scrub(await readSome(res, MAX_ERROR_BODY).catch(() => ''), options.secrets);
      outcome = httpOutcome(res.status, text, res.headers.get('retry-after'), ctx.now());
    }
  } catch (err) {
    outcome = networkOutcome(err, { signal, timeoutMs });
  }
  return outcome.ok ? outcome : { ...outcome, error: scrub(outcome.error, options.secrets) };
}

/**
 * Secrets replaced by "(secret)". A value such as "Bearer abc…" is also looked for by its parts,
 * since a receiver may echo only the credential; short parts are left alone, they would match
 * ordinary words.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  const needles = new Set<string>();
  for (const s of secrets) {
    if (s) needles.add(s);
    for (const part of s.split(/\s+/)) if (part.length >= 8) needles.add(part);
  }
  // longest first, so a whole value goes before one of its parts
  for (const n of [...needles].sort((a, b) => b.length - a.length)) text = text.split(n).join('(secret)');
  return text;
}
