// Configuration from the environment, validated once here and read nowhere else.
import { z } from 'zod';
import { emailAddress } from '@esmon/schema';

const seconds = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .positive(`${name} must be positive`)
    .default(fallback);

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration like `90s`, `10m`, `2h`, `14d`, `2w` (or plain seconds), parsed to seconds. */
const duration = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/.exec(v);
      if (!m || Number(m[1]) <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration like 90s, 10m, 2h, 14d or 2w (got "${v}")` });
        return z.NEVER;
      }
      return Number(m[1]) * UNITS[m[2] || 's']!;
    });

/** A whole number within [min, max], e.g. a limit. */
const count = (name: string, fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be ${min}–${max}`)
    .max(max, `${name} must be ${min}–${max}`)
    .default(fallback);

/** A switch: on/off (also true/false, 1/0, yes/no), parsed to a boolean. */
const toggle = (name: string, fallback: 'on' | 'off') =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const value = v.trim().toLowerCase();
      if (['on', 'true', '1', 'yes'].includes(value)) return true;
      if (['off', 'false', '0', 'no'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be on or off (got "${v}")` });
      return z.NEVER;
    });

/**
 * A variable that no longer exists. Set (to anything but an empty string, which configured
 * nothing), the configuration is refused rather than the setting silently ignored; the message
 * says what replaces it.
 */
const retired = (name: string, instead: string) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === '', `${name} is no longer supported; ${instead}. Unset it to start`)
    .transform(() => undefined);

/**
 * A rate limit: `30/1m` (30 at once, refilled at 30 a minute), `100/1s burst 20`, or `off`.
 * Parsed to { count, periodMs, burst, text }, or null for off.
 */
const rateLimit = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const text = v.trim();
      if (text === 'off') return null;
      const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*([smhd])(?:\s+burst\s+(\d+))?$/.exec(text);
      const count = Number(m?.[1]);
      const periodMs = Number(m?.[2] ?? 1) * UNITS[m?.[3] ?? 's']! * 1000;
      const burst = m?.[4] === undefined ? count : Number(m[4]);
      if (!m || !(count > 0) || !(periodMs > 0) || !(burst > 0)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a rate like 30/1m, 100/1s burst 20, or off (got "${v}")` });
        return z.NEVER;
      }
      return { count, periodMs, burst, text };
    });

/** How many proxies stand in front (X-Forwarded-For is believed that deep): off (0), on (1), or a number. */
const proxyHops = (name: string) =>
  z
    .string()
    .default('off')
    .transform((v, ctx) => {
      const value = v.trim().toLowerCase();
      if (['off', 'false', 'no', ''].includes(value)) return 0;
      if (['on', 'true', 'yes'].includes(value)) return 1;
      if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
      ctx.addIssue({ code: 'custom', message: `${name} must be off, on, or the number of proxies in front of the server (0–10) (got "${v}")` });
      return z.NEVER;
    });

/** A file path, or unset (an empty string is unset too). */
const optionalPath = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v : undefined));

/**
 * Origins allowed to call the API from a browser page of their own: comma-separated exact origins
 * (scheme://host[:port]). `*` is refused: the allow-list is the point.
 */
const corsOrigins = (name: string) =>
  z
    .string()
    .default('')
    .transform((v, ctx) => {
      const origins = v.split(',').map((o) => o.trim()).filter(Boolean);
      for (const origin of origins) {
        if (origin === '*') {
          ctx.addIssue({ code: 'custom', message: `${name} must list exact origins; * (any site) is refused: name each origin, e.g. https://ops.example.com` });
          return z.NEVER;
        }
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
          ctx.addIssue({ code: 'custom', message: `${name}: "${origin}" is not an origin; write scheme://host[:port] with no path or trailing slash, e.g. https://ops.example.com` });
          return z.NEVER;
        }
      }
      return origins;
    });

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be 0–65535')
    .max(65535, 'PORT must be 0–65535')
    .default(4000),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'DATABASE_URL must start with postgresql:// (unset it to use the embedded database)',
    }),
  ESMON_DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ESMON_ADMIN_EMAIL: emailAddress.default('admin@localhost'),
  ESMON_ADMIN_PASSWORD: z
    .string()
    .min(8, 'ESMON_ADMIN_PASSWORD must be at least 8 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ESMON_SESSION_TTL: seconds('ESMON_SESSION_TTL', 12 * 3600),
  /** X-Forwarded-For is believed only through this many proxies (default: not at all) */
  ESMON_TRUST_PROXY: proxyHops('ESMON_TRUST_PROXY'),
  /** rate limits (see limits/limits.ts); each key, account or address has its own bucket */
  ESMON_RATE_LIMIT_INGEST: rateLimit('ESMON_RATE_LIMIT_INGEST', '6000/1m'),
  ESMON_RATE_LIMIT_INGEST_ANONYMOUS: rateLimit('ESMON_RATE_LIMIT_INGEST_ANONYMOUS', '60/1m'),
  ESMON_RATE_LIMIT_GRAPHQL: rateLimit('ESMON_RATE_LIMIT_GRAPHQL', '1200/1m'),
  ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS: rateLimit('ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS', '300/1m'),
  ESMON_RATE_LIMIT_WEBSOCKET: rateLimit('ESMON_RATE_LIMIT_WEBSOCKET', '600/1m'),
  ESMON_RATE_LIMIT_LOGIN: rateLimit('ESMON_RATE_LIMIT_LOGIN', '30/1m'),
  ESMON_RATE_LIMIT_LOGIN_ACCOUNT: rateLimit('ESMON_RATE_LIMIT_LOGIN_ACCOUNT', '10/1m'),
  /** keys (addresses, API keys, accounts) tracked per limit; past it the least recently seen is forgotten */
  ESMON_RATE_LIMIT_MAX_KEYS: z.coerce
    .number({ error: 'ESMON_RATE_LIMIT_MAX_KEYS must be a number' })
    .int('ESMON_RATE_LIMIT_MAX_KEYS must be a whole number')
    .min(100, 'ESMON_RATE_LIMIT_MAX_KEYS must be at least 100')
    .default(50_000),
  /** failed logins of one account from one address before each further one doubles a wait */
  ESMON_LOGIN_BACKOFF_AFTER: z.coerce.number({ error: 'ESMON_LOGIN_BACKOFF_AFTER must be a number' }).int().min(1, 'ESMON_LOGIN_BACKOFF_AFTER must be at least 1').default(5),
  /** the same for one account from every address (addresses it logged in from before are exempt) */
  ESMON_LOGIN_BACKOFF_ACCOUNT_AFTER: z.coerce.number({ error: 'ESMON_LOGIN_BACKOFF_ACCOUNT_AFTER must be a number' }).int().min(1, 'ESMON_LOGIN_BACKOFF_ACCOUNT_AFTER must be at least 1').default(20),
  ESMON_LOGIN_BACKOFF_MAX: duration('ESMON_LOGIN_BACKOFF_MAX', '15m'),
  ESMON_HOST_OFFLINE_AFTER: seconds('ESMON_HOST_OFFLINE_AFTER', 60),
  /** seconds of silence before an online host is shown stale; unset: half of ESMON_HOST_OFFLINE_AFTER */
  ESMON_HOST_STALE_AFTER: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number({ error: 'ESMON_HOST_STALE_AFTER must be a number of seconds' }).positive('ESMON_HOST_STALE_AFTER must be positive').optional(),
  ),
  /** timer evaluations run this far behind the clock, so samples still in flight are counted */
  ESMON_EVAL_GRACE: duration('ESMON_EVAL_GRACE', '15s'),
  /** at most this many points per series are kept in memory for rule windows */
  ESMON_EVAL_MAX_POINTS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  ESMON_ALERT_WEBHOOKS: retired(
    'ESMON_ALERT_WEBHOOKS',
    'alerts reach a webhook through a notification channel now: create one (createNotificationChannel, type "webhook", config { url }) ' +
      'and route alerts to it (setNotificationPolicy), as README "Notifications" describes',
  ),
  /**
   * 32 bytes in base64: the key that seals notification channels' secrets at rest. Unset: made
   * once as DATA_DIR/secret.key. Several server instances of one installation need the same key.
   */
  ESMON_SECRET_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, 'ESMON_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)'),
  /**
   * the Ed25519 key that signs probe definitions for agents: its 32-byte seed in base64. Unset: made
   * once as DATA_DIR/signing.key. Several server instances of one installation need the same key.
   */
  ESMON_SIGNING_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v.trim(), 'base64').length === 32, 'ESMON_SIGNING_KEY must be a 32-byte Ed25519 seed in base64 (openssl rand -base64 32)'),
  /** the workbench's address as people reach it, for links in notifications (default: this server's) */
  ESMON_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'ESMON_PUBLIC_URL must be an http(s) URL' }).optional(),
  /** "off": this server sends no notifications (another one does, or a test drives the outbox) */
  ESMON_NOTIFY_DISPATCHER: z.enum(['on', 'off']).default('on'),
  /** one delivery attempt's time limit; a delivery whose server died mid-send is retried after twice this (at most +30 s) */
  ESMON_NOTIFY_SEND_TIMEOUT: duration('ESMON_NOTIFY_SEND_TIMEOUT', '30s'),
  /** "off" turns the rule evaluator off (e.g. a server that only ingests) */
  ESMON_EVALUATOR: z.enum(['on', 'off']).default('on'),
  ESMON_WORKBENCH_DIR: z.string().optional(),
  ESMON_RETENTION_RAW: duration('ESMON_RETENTION_RAW', '14d'),
  ESMON_RETENTION_1M: duration('ESMON_RETENTION_1M', '90d'),
  ESMON_RETENTION_1H: duration('ESMON_RETENTION_1H', '730d'),
  ESMON_INGEST_MAX_AGE: duration('ESMON_INGEST_MAX_AGE', '7d'),
  ESMON_INGEST_MAX_FUTURE: duration('ESMON_INGEST_MAX_FUTURE', '10m'),
  ESMON_INGEST_QUEUE_SAMPLES: z.coerce
    .number({ error: 'ESMON_INGEST_QUEUE_SAMPLES must be a number' })
    .int('ESMON_INGEST_QUEUE_SAMPLES must be a whole number')
    .min(10_000, 'ESMON_INGEST_QUEUE_SAMPLES must be at least 10000')
    .default(1_000_000),
  ESMON_COMPACT_AFTER: duration('ESMON_COMPACT_AFTER', '2h'),
  ESMON_MAINTENANCE_INTERVAL: duration('ESMON_MAINTENANCE_INTERVAL', '60s'),
  /** audit log entries older than this are deleted by the maintenance run */
  ESMON_AUDIT_RETENTION: duration('ESMON_AUDIT_RETENTION', '400d'),
  /**
   * GraphQL abuse limits per operation (graphql/operation-limits.ts), set to leave the workbench's
   * and the agent's largest documents room (test/graphql-limits.test.ts checks every one). At
   * least 200 tokens: GraphiQL's introspection query has 183.
   */
  ESMON_GRAPHQL_MAX_DEPTH: count('ESMON_GRAPHQL_MAX_DEPTH', 12, 2, 100),
  ESMON_GRAPHQL_MAX_ALIASES: count('ESMON_GRAPHQL_MAX_ALIASES', 20, 0, 1000),
  ESMON_GRAPHQL_MAX_TOKENS: count('ESMON_GRAPHQL_MAX_TOKENS', 1000, 200, 100_000),
  ESMON_GRAPHQL_MAX_COST: count('ESMON_GRAPHQL_MAX_COST', 50_000, 100, 10_000_000),
  ESMON_GRAPHQL_MAX_DIRECTIVES: count('ESMON_GRAPHQL_MAX_DIRECTIVES', 10, 0, 1000),
  /** operations in one JSON-array request; 0 refuses batches */
  ESMON_GRAPHQL_MAX_BATCH: count('ESMON_GRAPHQL_MAX_BATCH', 0, 0, 50),
  /** off: __schema and __type are refused (the workbench needs neither) */
  ESMON_GRAPHQL_INTROSPECTION: toggle('ESMON_GRAPHQL_INTROSPECTION', 'on'),
  /** off: no GraphiQL page on GET /graphql */
  ESMON_GRAPHIQL: toggle('ESMON_GRAPHIQL', 'on'),
  /** PEM certificate (chain) and private key files: both set, the server speaks https and wss only */
  ESMON_TLS_CERT: optionalPath,
  ESMON_TLS_KEY: optionalPath,
  /** browser origins other than the server's own allowed to call /graphql and /api/v1/ingest */
  ESMON_CORS_ORIGINS: corsOrigins('ESMON_CORS_ORIGINS'),
})
  .refine((c) => (c.ESMON_TLS_CERT === undefined) === (c.ESMON_TLS_KEY === undefined), {
    path: ['ESMON_TLS_CERT'],
    message: 'ESMON_TLS_CERT and ESMON_TLS_KEY go together: set both (certificate and key files) for https, or neither for plain http',
  })
  .refine((c) => c.ESMON_INGEST_MAX_AGE < c.ESMON_RETENTION_RAW, {
    path: ['ESMON_INGEST_MAX_AGE'],
    message: 'ESMON_INGEST_MAX_AGE must be shorter than ESMON_RETENTION_RAW (older samples would be dropped at once)',
  })
  .refine((c) => c.ESMON_HOST_STALE_AFTER === undefined || c.ESMON_HOST_STALE_AFTER < c.ESMON_HOST_OFFLINE_AFTER, {
    path: ['ESMON_HOST_STALE_AFTER'],
    message: 'ESMON_HOST_STALE_AFTER must be shorter than ESMON_HOST_OFFLINE_AFTER (a host is stale before it is offline)',
  })
  .transform((c) => ({ ...c, ESMON_HOST_STALE_AFTER: c.ESMON_HOST_STALE_AFTER ?? c.ESMON_HOST_OFFLINE_AFTER / 2 }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
