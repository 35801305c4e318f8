import { describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, parsePostgresUrl, redactUrl } from '../src/open-database.ts';

describe('opening a database', () => {
  it('refuses a malformed or non-PostgreSQL DATABASE_URL without echoing secrets', () => {
    expect(() => parsePostgresUrl('not a url')).toThrow(/not a valid URL/);
    expect(() => parsePostgresUrl('mysql://root:hunter2@db/x')).toThrow('DATABASE_URL must start with postgresql:// or postgres:// (got mysql://…)');
    expect(redactUrl(parsePostgresUrl('postgresql://esmon:hunter2@db:5432/esmon'))).toBe('postgresql://esmon:***@db:5432/esmon');
  });

  it('names the unreachable server, password redacted', async () => {
    const err = await openDatabase({ url: 'postgresql://esmon:hunter2@127.0.0.1:1/esmon' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as Error).message).toMatch(/^cannot reach PostgreSQL at postgresql:\/\/esmon:\*\*\*@127\.0\.0\.1:1\/esmon: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
