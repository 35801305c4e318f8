// The rules for headers an operator adds to a webhook request. Checked when the configuration is
// saved, so a bad header is an error on the form, naming it, rather than a failed delivery at 3 am
// (fetch refuses a name that is not a token or a value with a line break only when it sends).
import { z } from 'zod';

export const MAX_HEADERS = 20;
const MAX_NAME = 256;
const MAX_VALUE = 8192;

/** RFC 9110 token characters: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Hop-by-hop headers belong to one connection, not to the request; fetch manages them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Headers esmon sets itself: the framing (wrong values break the request), the body's type (it is
 * always JSON), and the X-Esmon-* headers a receiver relies on for idempotency and signatures.
 */
const MANAGED = new Set([
  'content-length',
  'host',
  'content-type',
  'x-esmon-notification',
  'x-esmon-timestamp',
  'x-esmon-signature',
]);

function nameProblem(name: string): string | undefined {
  if (!name) return 'a header needs a name';
  if (name.length > MAX_NAME) return `a header name is at most ${MAX_NAME} characters`;
  if (!TOKEN.test(name))
    return `"${name}" is not a header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces)`;
  const lower = name.toLowerCase();
  if (HOP_BY_HOP.has(lower)) return `${name} is a hop-by-hop header, managed by the connection`;
  if (MANAGED.has(lower)) return `${name} is set by esmon`;
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (/[\r\n\0]/.test(value)) return 'a header value cannot contain a line break or NUL';
  if (value.length > MAX_VALUE) return `a header value is at most ${MAX_VALUE} characters`;
  return undefined;
}

/** A record of headers; each problem is reported on the header's own path, e.g. headers.Host. */
export const headerRecord = z
  .record(z.string(), z.string())
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_HEADERS} headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const problem = nameProblem(name) ?? valueProblem(headers[name]!);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
      // fetch would merge "X-A" and "x-a" into one header with both values
      if (seen.has(name.toLowerCase()))
        ctx.addIssue({ code: 'custom', message: `${name} is given twice`, path: [name] });
      seen.add(name.toLowerCase());
    }
  })
  .default({});

/** Names given in both records: one would silently replace the other. */
export function sharedNames(a: Record<string, string>, b: Record<string, string>): string[] {
  const lower = new Set(Object.keys(a).map((n) => n.toLowerCase()));
  return Object.keys(b).filter((n) => lower.has(n.toLowerCase()));
}
