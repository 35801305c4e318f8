// One-time agent enrolment: an admin's token becomes one agent key, once, for one host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { startTestServer, type TestServer } from './harness.ts';

const CREATE = 'mutation ($h: String, $ttl: Int) { createEnrollmentToken(hostname: $h, ttlMinutes: $ttl) { token expiresAt } }';
const ENROLL = 'mutation ($t: String!, $h: String!) { enrollAgent(token: $t, hostname: $h) { key hostname } }';

describe(`agent enrolment (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  afterAll(async () => {
    await s?.close();
  });

  const token = async (hostname?: string, ttl = 60) => {
    const r = await s.gql<{ createEnrollmentToken: { token: string } }>(CREATE, { h: hostname, ttl }, admin);
    expect(r.errors).toBeUndefined();
    return r.data!.createEnrollmentToken.token;
  };

  it('trades a token once for an agent key that ingests for its host only', async () => {
    const t = await token();
    expect(t.startsWith('esm_e_')).toBe(true);
    const first = await s.gql<{ enrollAgent: { key: string; hostname: string } }>(ENROLL, { t, h: 'enrolled-01' });
    expect(first.errors).toBeUndefined();
    const { key } = first.data!.enrollAgent;
    expect(key.startsWith('esm_a_')).toBe(true);
    const again = await s.gql(ENROLL, { t, h: 'enrolled-02' });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const own = await s.ingest({ batchId: `enrol-${process.pid}-1`, hosts: [{ hostname: 'enrolled-01', samples: [{ metric: 'x.y', ts: Date.now(), value: 1 }] }] }, key);
    expect(own.status).toBe(200);
    const other = await s.ingest({ batchId: `enrol-${process.pid}-2`, hosts: [{ hostname: 'someone-else', samples: [{ metric: 'x.y', ts: Date.now(), value: 1 }] }] }, key);
    expect(other.status).toBe(403);
    // only the hash is stored
    const rows = await s.testDb.sql.query<{ token_hash: string }>('SELECT token_hash FROM enrollment_tokens');
    expect(rows.every((r) => !r.token_hash.includes(t))).toBe(true);
  });

  it('refuses a token bound to another host, an expired one, and two agents racing with one', async () => {
    const bound = await token('db-07');
    expect((await s.gql(ENROLL, { t: bound, h: 'db-08' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await s.gql(ENROLL, { t: bound, h: 'db-07' })).errors).toBeUndefined();

    const expired = await token(undefined, 1);
    await s.testDb.sql.query(`UPDATE enrollment_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    expect((await s.gql(ENROLL, { t: expired, h: 'late-01' })).errors?.[0]?.message).toBe(
      'the enrolment token is unknown, used, expired or for another host',
    );

    const shared = await token();
    const results = await Promise.all([s.gql(ENROLL, { t: shared, h: 'race-1' }), s.gql(ENROLL, { t: shared, h: 'race-2' })]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
  });

  it('lets only admins make tokens', async () => {
    const analyst = await s.userToken('analyst');
    expect((await s.gql(CREATE, { ttl: 5 }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.gql(CREATE, { ttl: 0 }, admin)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
