import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { ADMIN, startTestServer, type TestServer } from './harness.ts';

const UPDATE = 'mutation ($id: ID!, $role: Role, $disabled: Boolean, $name: String) { updateUser(id: $id, role: $role, disabled: $disabled, name: $name) { id email role disabled name } }';
const CREATE = 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }';

describe(`updating users (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  afterAll(async () => {
    await s?.close();
  });

  async function made(email: string, role = 'viewer'): Promise<string> {
    const r = await s.gql<{ createUser: { id: string } }>(CREATE, { i: { email, password: 'password-123', role } }, admin);
    expect(r.errors).toBeUndefined();
    return r.data!.createUser.id;
  }

  it('changes the role, which holds from the next request of a session already open', async () => {
    const id = await made('promoted@example.test');
    const token = await s.login('promoted@example.test', 'password-123');
    const createKey = 'mutation { createApiKey(input: { name: "k-promoted", kind: integration, role: viewer }) { secret } }';
    expect((await s.gql(createKey, {}, token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const r = await s.gql(UPDATE, { id, role: 'admin', name: 'Pro Moted' }, admin);
    expect(r.data?.updateUser).toMatchObject({ role: 'admin', name: 'Pro Moted', disabled: false });
    expect((await s.gql(createKey, {}, token)).errors).toBeUndefined();
    expect((await s.gql(UPDATE, { id, role: 'viewer', name: '' }, admin)).data?.updateUser).toMatchObject({ role: 'viewer', name: null });
  });

  it('disabling ends the sessions at once and refuses sign-in; enabling again lets the user back', async () => {
    const id = await made('leaver@example.test', 'analyst');
    const token = await s.login('leaver@example.test', 'password-123');
    expect((await s.gql(UPDATE, { id, disabled: true }, admin)).data?.updateUser).toMatchObject({ disabled: true, role: 'analyst' });
    const after = await s.gql('{ me { email } }', {}, token);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.message).toMatch(/disabled/);
    await expect(s.login('leaver@example.test', 'password-123')).rejects.toThrow(/invalid email or password/);
    await s.gql(UPDATE, { id, disabled: false }, admin);
    await expect(s.login('leaver@example.test', 'password-123')).resolves.toMatch(/^esm_s_/);
  });

  it('refuses to leave no enabled admin, and names what to do', async () => {
    const me = (await s.gql<{ me: { id: string } }>('{ me { id } }', {}, admin)).data!.me.id;
    // another admin exists from the first test only as a viewer now: the start admin is the last one
    for (const change of [{ role: 'analyst' }, { disabled: true }]) {
      const r = await s.gql(UPDATE, { id: me, ...change }, admin);
      expect(r.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(r.errors?.[0]?.message).toContain(`${ADMIN.email} is the last enabled admin`);
    }
    const still = await s.testDb.prisma.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    expect(still).toMatchObject({ role: 'admin', disabled: false });
    // with a second admin, the first may step down
    await made('second-admin@example.test', 'admin');
    expect((await s.gql(UPDATE, { id: me, role: 'analyst' }, admin)).data?.updateUser).toMatchObject({ role: 'analyst' });
    const second = await s.login('second-admin@example.test', 'password-123');
    expect((await s.gql(UPDATE, { id: me, role: 'admin' }, second)).data?.updateUser).toMatchObject({ role: 'admin' });
  });

  it('is for admins only, checks its input and names an unknown user', async () => {
    const id = await made('target@example.test');
    for (const role of ['viewer', 'analyst'] as const) {
      const token = await s.userToken(role);
      const r = await s.gql(UPDATE, { id, role: 'admin' }, token);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await s.gql(UPDATE, { id: '999999', disabled: true }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await s.gql(UPDATE, { id: 'x', disabled: true }, admin)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await s.gql(UPDATE, { id, name: 'n'.repeat(201) }, admin);
    expect(long.errors?.[0]?.message).toMatch(/name: at most 200/);
    const unchanged = await s.testDb.prisma.user.findUniqueOrThrow({ where: { email: 'target@example.test' } });
    expect(unchanged).toMatchObject({ role: 'viewer', disabled: false, name: null });
  });
});
