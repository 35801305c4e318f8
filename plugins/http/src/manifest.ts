// The http plugin's manifest: one HTTP(S) request per run, judged by status code, a body regex
// and an optional JSONPath value. Cheap to import (no node:http): the workbench reads it.
import { JSON_PATH, param, SECRET_REF, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST'] as const;

/** A status code or an inclusive range of them, as the workbench's list widget edits them. */
const STATUS_RANGE = /^([1-5]\d\d)(?:-([1-5]\d\d))?$/;
/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** A header value that names a secret, optionally after an auth scheme: `secret:api_token`, `Bearer secret:api_token`. */
export function headerSecret(value: string): { scheme?: string; ref: string } | undefined {
  const m = /^(?:([A-Za-z][A-Za-z0-9._~+/-]*) )?(\S+)$/.exec(value);
  if (!m || !SECRET_REF.test(m[2]!)) return undefined;
  return m[1] === undefined ? { ref: m[2]! } : { scheme: m[1], ref: m[2]! };
}
/** Headers whose values are credentials: accepted only as secret references. */
export const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

export const MAX_REDIRECTS = 5;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const url = z
  .string()
  .trim()
  .max(2048)
  .superRefine((text, ctx) => {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL such as https://example.com/health' });
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: `${u.protocol} URLs are not supported: http or https only` });
    // a password in the URL would be stored, shown and logged with the probe
    if (u.username || u.password)
      ctx.addIssue({
        code: 'custom',
        message: 'credentials do not belong in the URL: use an Authorization header with secret:NAME',
      });
  });

const headers = z
  .record(
    z.string(),
    z
      .string()
      .max(8192)
      .regex(/^[^\r\n\0]*$/, 'a header value on one line'),
  )
  .superRefine((h, ctx) => {
    const names = Object.keys(h);
    if (names.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 headers' });
    for (const name of names) {
      // checked here rather than as the record's key schema, whose issue would only say "Invalid key"
      if (!HEADER_NAME.test(name))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: "a header name (letters, digits and !#$%&'*+.^_`|~-)",
        });
      else if (CREDENTIAL_HEADERS.has(name.toLowerCase()) && !headerSecret(h[name]!)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${name} must be a secret reference such as "Bearer secret:api_token" (never the credential itself)`,
        });
      }
    }
  });

const statusRange = z
  .string()
  .trim()
  .regex(STATUS_RANGE, 'a status code or range such as 200 or 200-399')
  .refine((r) => {
    // zod runs refinements after a failed regex too
    const [, lo, hi] = STATUS_RANGE.exec(r) ?? [];
    return hi === undefined || Number(lo) <= Number(hi);
  }, 'a range runs from the lower code to the higher one');

export const httpParams = z
  .object({
    url: param(url, {
      label: 'URL',
      help: 'http or https, without credentials; the url label drops the query string',
      placeholder: 'https://example.com/health',
    }),
    method: param(z.enum(HTTP_METHODS).default('GET'), { label: 'Method', widget: 'select' }),
    headers: param(headers.default({}), {
      label: 'Headers',
      widget: 'keyvalue',
      help: 'a value may be a secret reference (secret:NAME or "Bearer secret:NAME"), resolved on the agent; Authorization, Proxy-Authorization and Cookie must be one',
    }),
    body: param(z.string().max(65_536).optional(), {
      label: 'Body',
      visibleWhen: { param: 'method', equals: ['POST'] },
    }),
    timeoutMs: param(z.number().int().min(100).max(300_000).default(10_000), {
      label: 'Timeout (ms)',
      widget: 'number',
      help: 'for the whole exchange, redirects included',
    }),
    expectStatus: param(z.array(statusRange).min(1).max(20).default(['200-399']), {
      label: 'Expected status',
      widget: 'list',
      help: 'codes or ranges such as 200, 200-299 or 401',
    }),
    bodyRegex: param(
      z.string().min(1).max(256).refine(compiles, 'the regular expression does not compile').optional(),
      {
        label: 'Body must match',
        help: 'a JavaScript regular expression searched in the response body',
      },
    ),
    jsonPath: param(
      z.string().regex(JSON_PATH, 'a JSONPath such as $.status or $.items[0].value').optional(),
      {
        label: 'JSONPath value',
        help: 'reads a number (or true/false as 1/0) from a JSON body into http.json_value',
      },
    ),
    followRedirects: param(z.boolean().default(true), {
      label: 'Follow redirects',
      widget: 'checkbox',
      help: `at most ${MAX_REDIRECTS}; credentials are not sent to another origin`,
    }),
    tlsVerify: param(z.boolean().default(true), {
      label: 'Verify TLS certificate',
      widget: 'checkbox',
      help: 'off for self-signed certificates; their expiry is reported either way',
    }),
  })
  .strict()
  .refine((p) => p.body === undefined || p.method === 'POST', {
    path: ['body'],
    message: 'only a POST request carries a body',
  });
export type HttpParams = z.infer<typeof httpParams>;
export type HttpParamsInput = z.input<typeof httpParams>;

export const manifest = {
  // a literal, so the registry's list can derive its id union
  id: 'http' as const,
  version: '1.0.0',
  title: 'HTTP request',
  description:
    'Requests a URL and reports whether it answered as expected, how fast, and when its TLS certificate expires.',
  category: 'network',
  platforms: ['linux', 'windows'],
  runsScripts: false,
  params: httpParams,
  outputs: [
    { metric: 'http.up', description: '1 when the status is expected and the body matches, else 0' },
    { metric: 'http.status_code', description: 'status code of the final response' },
    { metric: 'http.duration_ms', description: 'the whole exchange, redirects included', unit: 'ms' },
    { metric: 'http.dns_ms', description: 'name resolution, summed over redirects', unit: 'ms' },
    { metric: 'http.connect_ms', description: 'TCP connect, summed over redirects', unit: 'ms' },
    { metric: 'http.tls_ms', description: 'TLS handshake, summed over redirects', unit: 'ms' },
    {
      metric: 'http.ttfb_ms',
      description: 'request start to response headers, summed over redirects',
      unit: 'ms',
    },
    { metric: 'http.body_bytes', description: 'size of the final response body', unit: 'bytes' },
    {
      metric: 'http.regex_match',
      description: '1 when the body matches bodyRegex, else 0 (with bodyRegex only)',
    },
    { metric: 'http.json_value', description: 'the number found at jsonPath (with jsonPath only)' },
    {
      metric: 'http.tls.cert_days_left',
      description: "days until the URL's own server certificate expires (https only)",
      unit: 'days',
    },
  ],
} satisfies PluginManifest<typeof httpParams>;
