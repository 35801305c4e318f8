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
});
