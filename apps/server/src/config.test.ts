import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 4000, ESMON_DATA_DIR: './data', LOG_LEVEL: 'info', ESMON_ADMIN_EMAIL: 'admin@localhost' });
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('lists every bad variable with a clear message', () => {
    const err = (() => {
      try {
        loadConfig({ PORT: 'http', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ESMON_ADMIN_PASSWORD: 'short' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain('PORT: PORT must be a number');
    expect(message).toContain('DATABASE_URL: DATABASE_URL must start with postgresql://');
    expect(message).toContain('LOG_LEVEL:');
    expect(message).toContain('ESMON_ADMIN_PASSWORD must be at least 8 characters');
  });

  it('reads store durations in seconds and refuses bad or contradictory ones', () => {
    expect(loadConfig({})).toMatchObject({
      ESMON_RETENTION_RAW: 14 * 86400,
      ESMON_RETENTION_1M: 90 * 86400,
      ESMON_RETENTION_1H: 730 * 86400,
      ESMON_INGEST_MAX_AGE: 7 * 86400,
      ESMON_INGEST_MAX_FUTURE: 600,
      ESMON_INGEST_QUEUE_SAMPLES: 1_000_000,
      ESMON_NOTIFY_SEND_TIMEOUT: 30,
    });
    expect(loadConfig({ ESMON_RETENTION_RAW: '2w', ESMON_COMPACT_AFTER: '90m', ESMON_MAINTENANCE_INTERVAL: '30' })).toMatchObject({
      ESMON_RETENTION_RAW: 14 * 86400,
      ESMON_COMPACT_AFTER: 5400,
      ESMON_MAINTENANCE_INTERVAL: 30,
    });
    expect(() => loadConfig({ ESMON_RETENTION_1M: 'forever' })).toThrow(/ESMON_RETENTION_1M must be a duration like 90s/);
    expect(() => loadConfig({ ESMON_RETENTION_RAW: '3d' })).toThrow(/ESMON_INGEST_MAX_AGE must be shorter than ESMON_RETENTION_RAW/);
    expect(() => loadConfig({ ESMON_INGEST_QUEUE_SAMPLES: '10' })).toThrow(/at least 10000/);
  });

  it('calls a host stale after half the offline time unless told, and never after it is offline', () => {
    expect(loadConfig({})).toMatchObject({ ESMON_HOST_OFFLINE_AFTER: 60, ESMON_HOST_STALE_AFTER: 30 });
    expect(loadConfig({ ESMON_HOST_OFFLINE_AFTER: '300' })).toMatchObject({ ESMON_HOST_STALE_AFTER: 150 });
    expect(loadConfig({ ESMON_HOST_STALE_AFTER: '20', ESMON_HOST_OFFLINE_AFTER: '120' })).toMatchObject({ ESMON_HOST_STALE_AFTER: 20 });
    expect(loadConfig({ ESMON_HOST_STALE_AFTER: '' })).toMatchObject({ ESMON_HOST_STALE_AFTER: 30 });
    expect(() => loadConfig({ ESMON_HOST_STALE_AFTER: '90' })).toThrow(/ESMON_HOST_STALE_AFTER must be shorter than ESMON_HOST_OFFLINE_AFTER/);
    expect(() => loadConfig({ ESMON_HOST_STALE_AFTER: 'soon' })).toThrow(/ESMON_HOST_STALE_AFTER must be a number of seconds/);
  });

  it('refuses the retired ESMON_ALERT_WEBHOOKS, saying what replaces it', () => {
    const err = (() => {
      try {
        loadConfig({ ESMON_ALERT_WEBHOOKS: 'http://hooks.example.test/alerts', PORT: 'http' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    // listed beside the other bad variables, under its own name
    expect(message).toContain('PORT: PORT must be a number');
    expect(message).toMatch(/^ {2}ESMON_ALERT_WEBHOOKS: ESMON_ALERT_WEBHOOKS is no longer supported; /m);
    expect(message).toContain('createNotificationChannel, type "webhook"');
    expect(message).toContain('setNotificationPolicy');
    expect(message).toContain('README "Notifications"');
    // set but empty configured nothing before, and still starts
    expect(loadConfig({ ESMON_ALERT_WEBHOOKS: '' }).ESMON_ALERT_WEBHOOKS).toBeUndefined();
    expect(() => loadConfig({ ESMON_ALERT_WEBHOOKS: ' , ' })).toThrow(ConfigError);
  });

  it('reads the GraphQL limits and switches, refusing values that make no sense', () => {
    expect(loadConfig({})).toMatchObject({
      ESMON_GRAPHQL_MAX_DEPTH: 12,
      ESMON_GRAPHQL_MAX_ALIASES: 20,
      ESMON_GRAPHQL_MAX_TOKENS: 1000,
      ESMON_GRAPHQL_MAX_COST: 50_000,
      ESMON_GRAPHQL_MAX_DIRECTIVES: 10,
      ESMON_GRAPHQL_MAX_BATCH: 0,
      ESMON_GRAPHQL_INTROSPECTION: true,
      ESMON_GRAPHIQL: true,
    });
    expect(loadConfig({ ESMON_GRAPHQL_MAX_DEPTH: '20', ESMON_GRAPHQL_MAX_BATCH: '5', ESMON_GRAPHQL_INTROSPECTION: 'off', ESMON_GRAPHIQL: 'false' })).toMatchObject({
      ESMON_GRAPHQL_MAX_DEPTH: 20,
      ESMON_GRAPHQL_MAX_BATCH: 5,
      ESMON_GRAPHQL_INTROSPECTION: false,
      ESMON_GRAPHIQL: false,
    });
    expect(loadConfig({ ESMON_GRAPHQL_INTROSPECTION: 'ON', ESMON_GRAPHIQL: '1' })).toMatchObject({ ESMON_GRAPHQL_INTROSPECTION: true, ESMON_GRAPHIQL: true });
    expect(() => loadConfig({ ESMON_GRAPHQL_MAX_DEPTH: 'deep' })).toThrow(/ESMON_GRAPHQL_MAX_DEPTH must be a whole number/);
    expect(() => loadConfig({ ESMON_GRAPHQL_MAX_COST: '2.5' })).toThrow(/ESMON_GRAPHQL_MAX_COST must be a whole number/);
    // GraphiQL's own introspection query has 183 tokens
    expect(() => loadConfig({ ESMON_GRAPHQL_MAX_TOKENS: '50' })).toThrow(/ESMON_GRAPHQL_MAX_TOKENS must be 200–100000/);
    expect(() => loadConfig({ ESMON_GRAPHQL_MAX_BATCH: '-1' })).toThrow(/ESMON_GRAPHQL_MAX_BATCH must be 0–50/);
    expect(() => loadConfig({ ESMON_GRAPHQL_INTROSPECTION: 'maybe' })).toThrow(/ESMON_GRAPHQL_INTROSPECTION must be on or off \(got "maybe"\)/);
  });

  it('reads rate limits as N/period (burst N unless given), or off, and how far to trust X-Forwarded-For', () => {
    expect(loadConfig({})).toMatchObject({
      ESMON_TRUST_PROXY: 0,
      ESMON_RATE_LIMIT_INGEST: { count: 6000, periodMs: 60_000, burst: 6000, text: '6000/1m' },
      ESMON_RATE_LIMIT_LOGIN: { count: 30, periodMs: 60_000, burst: 30 },
      ESMON_LOGIN_BACKOFF_AFTER: 5,
      ESMON_LOGIN_BACKOFF_MAX: 900,
    });
    const c = loadConfig({
      ESMON_RATE_LIMIT_INGEST: 'off',
      ESMON_RATE_LIMIT_GRAPHQL: '100/1s burst 20',
      ESMON_RATE_LIMIT_LOGIN: '5 / m',
      ESMON_RATE_LIMIT_WEBSOCKET: '90/1.5h',
      ESMON_TRUST_PROXY: 'on',
    });
    expect(c.ESMON_RATE_LIMIT_INGEST).toBeNull();
    expect(c.ESMON_RATE_LIMIT_GRAPHQL).toEqual({ count: 100, periodMs: 1_000, burst: 20, text: '100/1s burst 20' });
    expect(c.ESMON_RATE_LIMIT_LOGIN).toMatchObject({ count: 5, periodMs: 60_000, burst: 5 });
    expect(c.ESMON_RATE_LIMIT_WEBSOCKET).toMatchObject({ count: 90, periodMs: 5_400_000 });
    expect(c.ESMON_TRUST_PROXY).toBe(1);
    expect(loadConfig({ ESMON_TRUST_PROXY: '2' }).ESMON_TRUST_PROXY).toBe(2);
    expect(loadConfig({ ESMON_TRUST_PROXY: 'false' }).ESMON_TRUST_PROXY).toBe(0);
    for (const bad of ['30', '30/', '0/1m', '30/0s', '30/1m burst 0', '30 per minute', '-1/1m']) {
      expect(() => loadConfig({ ESMON_RATE_LIMIT_LOGIN: bad }), bad).toThrow(`ESMON_RATE_LIMIT_LOGIN must be a rate like 30/1m, 100/1s burst 20, or off (got "${bad}")`);
    }
    expect(() => loadConfig({ ESMON_TRUST_PROXY: 'yes please' })).toThrow(/ESMON_TRUST_PROXY must be off, on, or the number of proxies/);
    expect(() => loadConfig({ ESMON_LOGIN_BACKOFF_AFTER: '0' })).toThrow(/ESMON_LOGIN_BACKOFF_AFTER must be at least 1/);
    expect(() => loadConfig({ ESMON_RATE_LIMIT_MAX_KEYS: '10' })).toThrow(/ESMON_RATE_LIMIT_MAX_KEYS must be at least 100/);
  });
});
