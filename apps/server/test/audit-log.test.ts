// The audit log against the real server and database: every mutation leaves an entry with who,
// from where, what and how it went, configuration objects with their state before and after; no
// secret given to a mutation is ever written to it; only admins read it; an entry that cannot be
// written refuses the mutation, and old entries go with the maintenance run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { ADMIN, startTestServer, type GqlResult, type TestServer } from './harness.ts';

const ENTRY = 'id at actorKind actorId actorName address operation targetType targetId outcome details before after';
const LOG = `query ($f: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $f, first: $first, after: $after) { totalCount edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } } }`;

type Entry = Record<string, any>;
const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

const ruleInput = (name: string, forSeconds = 300) => ({
  name,
  threshold: { metric: 'os.cpu.usage', fn: 'avg', window: '5m' },
  levels: [{ severity: 'warning', threshold: 80, recovery: 75 }],
  forSeconds,
});
const CREATE_RULE = 'mutation ($i: RuleInput!) { createRule(input: $i) { rule { id } } }';
const UPDATE_RULE = 'mutation ($id: ID!, $i: RuleInput!) { updateRule(id: $id, input: $i) { rule { id } } }';
const DELETE_RULE = 'mutation ($id: ID!) { deleteRule(id: $id) }';

describe(`the audit log (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let admin: string;
  let analyst: string;
  let viewer: string;
  let ids: { admin: string; analyst: string; viewer: string };
  let emails: { analyst: string; viewer: string };

  const entries = async (filter: Record<string, unknown>, first = 100): Promise<Entry[]> => {
    const r = await s.gql(LOG, { f: filter, first }, admin);
    expect(r.errors).toBeUndefined();
    return r.data!.auditLog.edges.map((e: { node: Entry }) => e.node);
  };
  /** Every byte of the audit table, to look for secrets in. */
  const wholeTable = async () =>
    (await s.testDb.sql.query<{ t: string | null }>(`SELECT string_agg(row_to_json(a)::text, E'\\n') AS t FROM audit_log a`))[0]!.t ?? '';

  beforeAll(async () => {
    s = await startTestServer();
    [admin, analyst, viewer] = await Promise.all([s.login(), s.userToken('analyst'), s.userToken('viewer')]);
    const me = async (token: string) => (await s.gql('{ me { id email } }', {}, token)).data!.me as { id: string; email: string };
    const [a, b, c] = await Promise.all([me(admin), me(analyst), me(viewer)]);
    ids = { admin: a.id, analyst: b.id, viewer: c.id };
    emails = { analyst: b.email, viewer: c.email };
  });
  afterAll(async () => {
    await s?.close();
  });

  it('records a rule created, changed and deleted by an analyst, with who, where, what and before/after', async () => {
    const made = await s.gql(CREATE_RULE, { i: ruleInput('audit cpu') }, analyst);
    expect(made.errors).toBeUndefined();
    const id = made.data!.createRule.rule.id as string;
    expect((await s.gql(UPDATE_RULE, { id, i: ruleInput('audit cpu', 600) }, analyst)).errors).toBeUndefined();
    expect((await s.gql(DELETE_RULE, { id }, analyst)).errors).toBeUndefined();

    const [deleted, updated, created] = await entries({ targetType: 'Rule', targetId: id });
    expect([created, updated, deleted].map((e) => e!.operation)).toEqual(['createRule', 'updateRule', 'deleteRule']);
    for (const e of [created, updated, deleted]) {
      expect(e).toMatchObject({ actorKind: 'user', actorId: ids.analyst, actorName: emails.analyst, address: '127.0.0.1', targetType: 'Rule', targetId: id, outcome: 'ok' });
    }
    expect(created!.before).toBeNull();
    expect(created!.after).toMatchObject({ id: Number(id), name: 'audit cpu', version: 1, forSeconds: 300 });
    expect(updated!.before).toMatchObject({ version: 1, forSeconds: 300 });
    expect(updated!.after).toMatchObject({ version: 2, forSeconds: 600 });
    expect(deleted!.before).toMatchObject({ version: 2, forSeconds: 600 });
    expect(deleted!.after).toBeNull();
    expect(new Date(created!.at).getTime()).toBeLessThanOrEqual(new Date(deleted!.at).getTime());
  });

  it('records a refused mutation as FORBIDDEN, the anonymous as UNAUTHENTICATED, a failed one with its code', async () => {
    expect(codeOf(await s.gql(CREATE_RULE, { i: ruleInput('viewer try') }, viewer))).toBe('FORBIDDEN');
    expect(codeOf(await s.gql(DELETE_RULE, { id: '1' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.gql(DELETE_RULE, { id: '999999' }, analyst))).toBe('NOT_FOUND');
    expect(codeOf(await s.gql(CREATE_RULE, { i: { ...ruleInput('bad'), forSeconds: -5 } }, analyst))).toBe('BAD_USER_INPUT');

    const [refused] = await entries({ actorUserId: ids.viewer, operation: 'createRule' });
    expect(refused).toMatchObject({ actorKind: 'user', actorName: emails.viewer, outcome: 'FORBIDDEN', after: null });
    const deletes = await entries({ operation: 'deleteRule' });
    expect(deletes.find((e) => e.actorKind === 'anonymous')).toMatchObject({ actorId: null, actorName: null, targetId: '1', outcome: 'UNAUTHENTICATED' });
    expect(deletes.find((e) => e.targetId === '999999')).toMatchObject({ actorId: ids.analyst, outcome: 'NOT_FOUND', before: null, after: null });
    const creates = await entries({ actorUserId: ids.analyst, operation: 'createRule' });
    expect(creates[0]).toMatchObject({ outcome: 'BAD_USER_INPUT', targetId: null, after: null });
  });

  it('never writes a secret given to a mutation: channel secrets, passwords, keys, tokens', async () => {
    const secrets = {
      url: 'http://127.0.0.1:9/hook/PATH-SECRET-4f1c',
      header: 'Bearer HEADER-SECRET-77aa',
      hmac: 'HMAC-SECRET-0123456789abcdef',
      rotated: 'HMAC-ROTATED-fedcba9876543210',
      password: 'USER-PASSWORD-93b2x',
    };
    const channel = await s.gql(
      'mutation ($c: JSON!) { createNotificationChannel(name: "audited hook", type: "webhook", config: $c) { id } }',
      { c: { url: secrets.url, headers: { 'X-Team': 'ops' }, secretHeaders: { Authorization: secrets.header }, hmacSecret: secrets.hmac } },
      admin,
    );
    expect(channel.errors).toBeUndefined();
    const channelId = channel.data!.createNotificationChannel.id as string;
    const rotated = await s.gql(
      'mutation ($id: ID!, $c: JSON!) { updateNotificationChannel(id: $id, config: $c) { id } }',
      { id: channelId, c: { headers: { 'X-Team': 'noc' }, hmacSecret: secrets.rotated } },
      admin,
    );
    expect(rotated.errors).toBeUndefined();
    const key = await s.gql('mutation { createApiKey(input: { name: "audited key", kind: integration, role: viewer }) { secret apiKey { id } } }', {}, admin);
    const token = await s.gql('mutation { createEnrollmentToken(hostname: "audited-host") { token } }', {}, admin);
    const enrolled = await s.gql('mutation ($t: String!) { enrollAgent(token: $t, hostname: "audited-host") { key } }', { t: token.data!.createEnrollmentToken.token });
    const user = await s.gql(
      'mutation ($p: String!) { createUser(input: { email: "audited@example.test", password: $p, role: viewer }) { id } }',
      { p: secrets.password },
      admin,
    );
    for (const r of [key, token, enrolled, user]) expect(r.errors).toBeUndefined();

    // the entries are there, with the shape of the change and the names of the secret fields only
    const [update, create] = await entries({ targetType: 'NotificationChannel', targetId: channelId });
    expect(create).toMatchObject({ operation: 'createNotificationChannel', outcome: 'ok', before: null });
    expect(create!.after).toMatchObject({ name: 'audited hook', config: { headers: { 'X-Team': 'ops' } }, sealedFields: ['hmacSecret', 'secretHeaders', 'url'] });
    expect(update!.before.config).toEqual({ headers: { 'X-Team': 'ops' } });
    expect(update!.after).toMatchObject({ config: { headers: { 'X-Team': 'noc' } }, version: 2 });
    const [keyEntry] = await entries({ operation: 'createApiKey' });
    expect(keyEntry).toMatchObject({ targetType: 'ApiKey', targetId: key.data!.createApiKey.apiKey.id, after: { name: 'audited key', role: 'viewer' } });
    expect((await entries({ operation: 'enrollAgent' }))[0]).toMatchObject({ actorKind: 'anonymous', outcome: 'ok', details: { hostname: 'audited-host' } });

    const table = await wholeTable();
    const given = [
      ...Object.values(secrets),
      'PATH-SECRET-4f1c',
      key.data!.createApiKey.secret,
      token.data!.createEnrollmentToken.token,
      enrolled.data!.enrollAgent.key,
    ];
    for (const secret of given) expect(table, `the audit log holds ${secret}`).not.toContain(secret);
  });

  it('records logins, failed ones too, with the email and without the password', async () => {
    const good = await s.gql('mutation { login(email: "audited@example.test", password: "USER-PASSWORD-93b2x") { token } }');
    expect(good.errors).toBeUndefined();
    const bad = await s.gql('mutation { login(email: "audited@example.test", password: "WRONG-PASSWORD-5521") { token } }');
    expect(codeOf(bad)).toBe('UNAUTHENTICATED');

    const [failure, success] = await entries({ operation: 'login' }, 2);
    expect(success).toMatchObject({ actorKind: 'user', actorName: 'audited@example.test', targetType: 'User', outcome: 'ok', details: { email: 'audited@example.test' } });
    expect(success!.targetId).toBe(success!.actorId);
    expect(failure).toMatchObject({ actorKind: 'anonymous', actorId: null, targetId: null, outcome: 'UNAUTHENTICATED', details: { email: 'audited@example.test' } });
    const table = await wholeTable();
    for (const secret of ['USER-PASSWORD-93b2x', 'WRONG-PASSWORD-5521', ADMIN.password, good.data!.login.token]) expect(table).not.toContain(secret);
  });

  it('names API keys as they were, and shows before and after of a user and a retention change', async () => {
    const key = await s.integrationKey('analyst');
    const silence = await s.gql(
      'mutation { createSilence(input: { matchers: [{ name: "host", op: "=", value: "db1" }], durationMinutes: 30, comment: "patching" }) { id } }',
      {},
      key,
    );
    expect(silence.errors).toBeUndefined();
    const [entry] = await entries({ operation: 'createSilence' });
    expect(entry).toMatchObject({ actorKind: 'integration', actorName: 'int analyst', targetId: silence.data!.createSilence.id, after: { comment: 'patching' } });

    expect((await s.gql(`mutation { updateUser(id: "${ids.viewer}", role: analyst) { role } }`, {}, admin)).errors).toBeUndefined();
    const [promoted] = await entries({ operation: 'updateUser', targetId: ids.viewer });
    expect(promoted).toMatchObject({ actorId: ids.admin, before: { role: 'viewer' }, after: { role: 'analyst' } });
    expect(JSON.stringify(promoted)).not.toMatch(/passwordHash|scrypt\$/);
    await s.gql(`mutation { updateUser(id: "${ids.viewer}", role: viewer) { role } }`, {}, admin);

    expect((await s.gql('mutation { setRetentionPolicy(resolution: minute, keepDays: 30) { resolution } }', {}, admin)).errors).toBeUndefined();
    const [retention] = await entries({ targetType: 'RetentionPolicy', targetId: '1m' });
    expect(retention).toMatchObject({ before: { source: 'default' }, after: { source: 'admin', keepSeconds: 30 * 86400 } });
  });

  it('is for admins only, newest first, with working filters and pages', async () => {
    for (const token of [viewer, analyst]) expect(codeOf(await s.gql(LOG, {}, token))).toBe('FORBIDDEN');
    expect(codeOf(await s.gql(LOG, {}))).toBe('UNAUTHENTICATED');
    const k = await s.integrationKey('analyst');
    expect(codeOf(await s.gql(LOG, {}, k))).toBe('FORBIDDEN');

    const all = await entries({}, 500);
    const numbers = all.map((e) => Number(e.id));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(new Set(all.map((e) => e.operation))).toContain('login');

    const byAnalyst = await entries({ actorUserId: ids.analyst });
    expect(byAnalyst.length).toBeGreaterThan(0);
    expect(byAnalyst.every((e) => e.actorKind === 'user' && e.actorId === ids.analyst)).toBe(true);
    const deletes = await entries({ operation: 'deleteRule' });
    expect(deletes.length).toBeGreaterThan(0);
    expect(deletes.every((e) => e.operation === 'deleteRule')).toBe(true);

    const newest = new Date(all[0]!.at);
    expect(await entries({ from: new Date(newest.getTime() + 60_000).toISOString() })).toEqual([]);
    expect((await entries({ to: new Date(newest.getTime() + 60_000).toISOString() }, 500)).length).toBe(all.length);
    expect(codeOf(await s.gql(LOG, { f: { from: newest.toISOString(), to: new Date(0).toISOString() } }, admin))).toBe('BAD_USER_INPUT');

    const first = await s.gql(LOG, { first: 2 }, admin);
    const page = first.data!.auditLog;
    expect(page.totalCount).toBe(all.length);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await s.gql(LOG, { first: 2, after: page.pageInfo.endCursor }, admin);
    expect(Number(next.data!.auditLog.edges[0].node.id)).toBeLessThan(Number(page.edges[1].node.id));
  });

  it('refuses a mutation whose entry cannot be written, and says so in the log and /metrics', async () => {
    await s.testDb.sql.exec('ALTER TABLE audit_log RENAME TO audit_log_away');
    let refused: GqlResult;
    try {
      refused = await s.gql(CREATE_RULE, { i: ruleInput('unaudited') }, analyst);
    } finally {
      await s.testDb.sql.exec('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    expect(codeOf(refused)).toBe('BUSY');
    expect((await s.gql('{ rules { name } }', {}, analyst)).data!.rules.map((r: { name: string }) => r.name)).not.toContain('unaudited');
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/esmon_audit_write_failures_total\{stage="open"\} 1/);
  });

  it('keeps the change but leaves the outcome empty, loudly, when only closing the entry fails', async () => {
    await s.testDb.sql.exec(`CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log is read-only'; END $$;
      CREATE TRIGGER audit_refuse BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuse();`);
    let made: GqlResult;
    try {
      made = await s.gql(CREATE_RULE, { i: ruleInput('half audited') }, analyst);
    } finally {
      await s.testDb.sql.exec('DROP TRIGGER audit_refuse ON audit_log; DROP FUNCTION audit_refuse();');
    }
    expect(made.errors).toBeUndefined();
    const [entry] = await entries({ operation: 'createRule' });
    expect(entry).toMatchObject({ actorId: ids.analyst, outcome: null, targetId: null });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/esmon_audit_write_failures_total\{stage="close"\} 1/);
  });

  it('deletes entries older than ESMON_AUDIT_RETENTION (400 days) at the maintenance run', async () => {
    const [old] = await s.testDb.sql.query<{ id: number }>(
      `INSERT INTO audit_log (at, actor_kind, operation, outcome) VALUES (now() - interval '401 days', 'anonymous', 'login', 'ok') RETURNING id`,
    );
    const [kept] = await s.testDb.sql.query<{ id: number }>(
      `INSERT INTO audit_log (at, actor_kind, operation, outcome) VALUES (now() - interval '399 days', 'anonymous', 'login', 'ok') RETURNING id`,
    );
    await s.store.maintenance.run();
    const left = await s.testDb.sql.query<{ id: number }>('SELECT id FROM audit_log WHERE id = ANY($1::int[])', [[old!.id, kept!.id]]);
    expect(left.map((r) => r.id)).toEqual([kept!.id]);
  });
});
