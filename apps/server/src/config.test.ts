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
});
