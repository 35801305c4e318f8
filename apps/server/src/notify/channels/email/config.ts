// The email channel's stored configuration. Every text that ends up in an SMTP command or a mail
// header (host, username, addresses) is refused when it holds a line break or another control
// character: a CR/LF in `from` or a recipient would let whoever edits the channel add headers or
// recipients of their own (header injection). Messages name the field, so the channel editor can
// show them after the field's path.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

export const SECURITIES = ['none', 'starttls', 'tls'] as const;
export type Security = (typeof SECURITIES)[number];

/** The usual port of each mode: relay on 25, submission with STARTTLS on 587, implicit TLS on 465. */
export const DEFAULT_PORT: Record<Security, number> = { none: 25, starttls: 587, tls: 465 };

export interface Address {
  name?: string;
  address: string;
}

// No quoted local parts or domain literals: legal, but not worth their parsing for alert mail.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function domainOk(domain: string): boolean {
  return domain.length <= 253 && domain.split('.').every((l) => l.length <= 63 && LABEL.test(l));
}

/** "Esmon <alerts@example.com>", "\"Ops, night\" <ops@example.com>" or a bare address; null when not one. */
export function parseAddress(text: string): Address | null {
  if (CONTROL.test(text)) return null;
  const s = text.trim();
  const angled = /^(.*?)\s*<([^<>]*)>$/.exec(s);
  let name = angled ? angled[1]!.trim() : '';
  const address = angled ? angled[2]!.trim() : s;
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).trim();
  // quotes, brackets and backslashes inside a name would need escaping rules nobody needs here
  if (/["<>\\]/.test(name) || name.length > 100) return null;
  const at = address.lastIndexOf('@');
  if (at < 1 || address.length > 254) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local) || !domainOk(domain)) return null;
  return name ? { name, address } : { address };
}

export function formatAddress(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);

const address = (field: string) =>
  z.string({ error: `${field} must be an email address` }).superRefine((v, ctx) => {
    if (/[\r\n]/.test(v)) ctx.addIssue({ code: 'custom', message: `${field} must not contain a line break` });
    else if (!parseAddress(v)) ctx.addIssue({ code: 'custom', message: `${field} must be an email address such as ops@example.com or "Ops <ops@example.com>", not ${shown(v)}` });
  });

const oneLine = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .min(1, `${field} must not be empty`)
    .max(max, `${field} is at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), `${field} must not contain line breaks or control characters`);

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function caProblem(pem: string): string | null {
  const blocks = pem.match(PEM_CERT);
  if (!blocks) return 'ca must hold one or more PEM certificates (-----BEGIN CERTIFICATE----- …)';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `ca certificate ${i + 1} of ${blocks.length} does not parse`;
    }
  }
  return null;
}

export const emailConfigSchema = z
  .strictObject(
    {
      host: oneLine('host', 253).refine(
        (h) => isIP(h) !== 0 || domainOk(h),
        'host must be a host name or IP address, e.g. smtp.example.com',
      ),
      port: z
        .number({ error: 'port must be a number' })
        .int('port must be a whole number')
        .min(1, 'port must be between 1 and 65535')
        .max(65535, 'port must be between 1 and 65535')
        .optional(),
      security: z.enum(SECURITIES, { error: 'security must be one of none, starttls, tls' }),
      username: oneLine('username', 320).optional(),
      password: z.string({ error: 'password must be text' }).min(1, 'password must not be empty').max(1024, 'password is at most 1024 characters').optional(),
      from: address('from'),
      to: z.array(address('to'), { error: 'to must be a list of addresses' }).min(1, 'to needs at least one recipient').max(50, 'to holds at most 50 recipients'),
      cc: z.array(address('cc'), { error: 'cc must be a list of addresses' }).max(50, 'cc holds at most 50 recipients').optional(),
      tlsRejectUnauthorized: z.boolean({ error: 'tlsRejectUnauthorized must be true or false' }).optional(),
      ca: z
        .string({ error: 'ca must be PEM text' })
        .max(100_000, 'ca is at most 100000 characters')
        .superRefine((v, ctx) => {
          const problem = caProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
      timeoutSeconds: z
        .number({ error: 'timeoutSeconds must be a number' })
        .int('timeoutSeconds must be a whole number')
        .min(1, 'timeoutSeconds must be between 1 and 300')
        .max(300, 'timeoutSeconds must be between 1 and 300')
        .optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : undefined) },
  )
  .superRefine((c, ctx) => {
    // a user without a password (or the reverse) is a half-filled form, not a login
    if (c.username !== undefined && c.password === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'password is required with a username' });
    if (c.password !== undefined && c.username === undefined) ctx.addIssue({ code: 'custom', path: ['username'], message: 'username is required with a password' });
  });

export type EmailConfig = z.infer<typeof emailConfigSchema>;

export const portOf = (c: EmailConfig): number => c.port ?? DEFAULT_PORT[c.security];

/** The configuration's addresses, parsed (the schema has checked them, so none is null). */
export function addressesOf(c: EmailConfig): { from: Address; to: Address[]; cc: Address[] } {
  const parse = (s: string) => parseAddress(s) ?? { address: s.trim() };
  return { from: parse(c.from), to: c.to.map(parse), cc: (c.cc ?? []).map(parse) };
}
