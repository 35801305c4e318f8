import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { hashToken } from '../src/auth/secrets.ts';
import { ADMIN, batchFor, startTestServer, type TestServer } from './harness.ts';

describe(`authentication and roles (${testDatabaseKind()})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates the admin from ESMON_ADMIN_PASSWORD on first start, password hashed', async () => {
    const admin = await s.testDb.prisma.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    expect(admin.role).toBe('admin');
    expect(admin.passwordHash).toMatch(/^scrypt\$/);
    expect(admin.passwordHash).not.toContain(ADMIN.password);
  });

  it('refuses every anonymous query, mutation and subscription other than login', async () => {
    for (const q of ['{ me { email } }', '{ hosts(first: 1) { edges { node { hostname } } } }', '{ agents { edges { node { id } } } }', '{ users { email } }', '{ apiKeys { id } }', '{ series { id } }', '{ samples(seriesId: "1", from: 0, to: 1) { points { value } } }', '{ storage { table } }', '{ retentionPolicies { keepDays } }', '{ validateRule(expression: "1 > 0") { valid } }', '{ host(id: "1") { hostname } }']) {
      const r = await s.gql(q);
      expect(r.errors?.[0]?.extensions?.code, q).toBe('UNAUTHENTICATED');
      expect(Object.values(r.data ?? {}).every((v) => v === null), q).toBe(true);
    }
    const m = await s.gql('mutation { ingestSamples(batch: { batchId: "anon-00001", hosts: [] }) { accepted } }');
    expect(m.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const logout = await s.gql('mutation { logout }');
    expect(logout.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a wrong password and an unknown email with the same message', async () => {
    const wrong = await s.gql('mutation { login(email: "admin@localhost", password: "nope") { token } }');
    const unknown = await s.gql('mutation { login(email: "ghost@localhost", password: "nope") { token } }');
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe('invalid email or password');
    expect(unknown.errors?.[0]?.message).toBe('invalid email or password');
  });

  it('issues a bearer token stored only as its hash, and logout revokes it', async () => {
    const token = await s.login();
    expect(token).toMatch(/^esm_s_/);
    const me = await s.gql('{ me { email role } }', {}, token);
    expect(me.data).toEqual({ me: { email: ADMIN.email, role: 'admin' } });
    const stored = await s.testDb.prisma.session.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await s.gql('mutation { logout }', {}, token)).data).toEqual({ logout: true });
    const after = await s.gql('{ me { email } }', {}, token);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(after.errors?.[0]?.message).toMatch(/revoked/);
  });

  it('refuses an expired session and a malformed header with 401', async () => {
    const token = await s.login();
    await s.testDb.prisma.session.update({ where: { tokenHash: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await s.gql('{ me { email } }', {}, token);
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
    const malformed = await s.gql('{ me { email } }', {}, 'not-a-token');
    expect(malformed.status).toBe(401);
    expect(malformed.errors?.[0]?.message).toMatch(/Bearer/);
  });

  it('lets a viewer read but not write, an analyst ingest, and only an admin manage keys and users', async () => {
    const viewer = await s.userToken('viewer');
    const analyst = await s.userToken('analyst');
    expect((await s.gql('{ hosts(first: 1) { edges { node { id } } } }', {}, viewer)).errors).toBeUndefined();
    const ingest = 'mutation ($b: IngestBatchInput!) { ingestSamples(batch: $b) { accepted } }';
    const batch = { batchId: 'role-check-0001', hosts: [{ hostname: 'role-host', samples: [{ metric: 'os.cpu.usage', ts: Date.now(), value: 1 }] }] };
    expect((await s.gql(ingest, { b: batch }, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.gql(ingest, { b: batch }, analyst)).data).toEqual({ ingestSamples: { accepted: 1 } });
    const createKey = 'mutation { createApiKey(input: { name: "k", kind: integration, role: viewer }) { secret } }';
    expect((await s.gql(createKey, {}, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.gql('{ users { email } }', {}, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('creates keys whose secret is shown once and works at once; revocation takes effect at once', async () => {
    const admin = await s.login();
    const created = await s.gql<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string; host: { hostname: string } } } }>(
      'mutation { createApiKey(input: { name: "edge", kind: agent, hostname: "edge-1" }) { secret apiKey { id prefix host { hostname } } } }',
      {},
      admin,
    );
    const { secret, apiKey } = created.data!.createApiKey;
    expect(secret).toMatch(/^esm_a_/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.host.hostname).toBe('edge-1');
    const listed = await s.gql('{ apiKeys { id prefix } }', {}, admin);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await s.ingest(batchFor('edge-1'), secret)).status).toBe(200);
    await s.gql('mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, admin);
    const refused = await s.ingest(batchFor('edge-1'), secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'the token has been revoked' });
  });

  it('refuses an expired integration key, and records when a key was last used', async () => {
    const key = await s.integrationKey('analyst');
    const ok = await s.ingest(batchFor('exp-host'), key);
    expect(ok.status).toBe(200);
    const row = await s.testDb.prisma.apiKey.findUniqueOrThrow({ where: { secretHash: hashToken(key) } });
    await expect.poll(async () => (await s.testDb.prisma.apiKey.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
    await s.testDb.prisma.apiKey.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refused = await s.ingest(batchFor('exp-host'), key);
    expect(refused).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'the token has expired; log in again or use a new key' } } });
  });

  it('validates key and user input with clear errors', async () => {
    const admin = await s.login();
    const noHost = await s.gql('mutation { createApiKey(input: { name: "x", kind: agent }) { secret } }', {}, admin);
    expect(noHost.errors?.[0]).toMatchObject({ message: 'an agent key needs the hostname it is bound to', extensions: { code: 'BAD_USER_INPUT' } });
    const badHost = await s.gql('mutation { createApiKey(input: { name: "x", kind: agent, hostname: "a b" }) { secret } }', {}, admin);
    expect(badHost.errors?.[0]?.message).toMatch(/^input\.hostname: /);
    const shortPw = await s.gql('mutation { createUser(input: { email: "x@localhost", password: "short", role: viewer }) { id } }', {}, admin);
    expect(shortPw.errors?.[0]).toMatchObject({ message: 'input.password: password must be at least 8 characters' });
    const dup = await s.gql(`mutation { createUser(input: { email: "${ADMIN.email}", password: "long-enough", role: viewer }) { id } }`, {}, admin);
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
