// Silences through the running server: create, list by state, edit, expire (by hand and by
// itself), delete; the checks on matchers and times; who may do what; the mute cache is told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { collect, startTestServer, type TestServer } from './harness.ts';

const FIELDS = 'id matchers { name op value } startsAt endsAt comment createdBy active state';
const create = `mutation ($input: SilenceInput!) { createSilence(input: $input) { ${FIELDS} } }`;
const update = `mutation ($id: ID!, $input: SilenceInput!) { updateSilence(id: $id, input: $input) { ${FIELDS} } }`;
const expire = `mutation ($id: ID!) { expireSilence(id: $id) { ${FIELDS} } }`;
const remove = 'mutation ($id: ID!) { deleteSilence(id: $id) }';
const list = `query ($state: String) { silences(state: $state) { ${FIELDS} } }`;
const one = `query ($id: ID!) { silence(id: $id) { ${FIELDS} } }`;

const MIN = 60_000;
const diskOnWeb = [
  { name: 'rule', op: '=', value: 'Disk full' },
  { name: 'host', op: '=~', value: 'web-.*' },
];

describe(`silences over GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  let analyst: string;
  let mutes: { items: unknown[]; stop(): void };

  beforeAll(async () => {
    s = await startTestServer();
    viewer = await s.userToken('viewer');
    analyst = await s.userToken('analyst');
    mutes = collect(s.bus.subscribe('mutesChanged'));
  });
  afterAll(async () => {
    mutes?.stop();
    await s?.close();
  });

  async function created(input: Record<string, unknown>) {
    const r = await s.gql(create, { input: { matchers: diskOnWeb, comment: 'patching', durationMinutes: 60, ...input } }, analyst);
    expect(r.errors).toBeUndefined();
    return r.data!.createSilence;
  }

  it('lets an analyst create a silence that starts now, and records who', async () => {
    const before = mutes.items.length;
    const silence = await created({ comment: '  CHG-1234 disk resize  ' });
    expect(silence).toMatchObject({ matchers: diskOnWeb, comment: 'CHG-1234 disk resize', active: true, state: 'active' });
    expect(silence.createdBy).toMatch(/^analyst\d+@example\.test$/);
    expect(Date.parse(silence.endsAt) - Date.parse(silence.startsAt)).toBe(60 * MIN);
    expect(mutes.items.length).toBe(before + 1);
    const fetched = await s.gql(one, { id: silence.id }, viewer);
    expect(fetched.data!.silence).toEqual(silence);
  });

  it('creates a pending silence from startsAt and endsAt, and lists silences by state', async () => {
    const startsAt = new Date(Date.now() + 60 * MIN).toISOString();
    const endsAt = new Date(Date.now() + 120 * MIN).toISOString();
    const pending = await created({ startsAt, endsAt, durationMinutes: null });
    expect(pending).toMatchObject({ startsAt, endsAt, active: false, state: 'pending' });
    const ids = async (state?: string) => ((await s.gql(list, { state }, viewer)).data!.silences as { id: string }[]).map((x) => x.id);
    expect(await ids('pending')).toContain(pending.id);
    expect(await ids('active')).not.toContain(pending.id);
    expect(await ids()).toContain(pending.id);
    const bad = await s.gql(list, { state: 'sleeping' }, viewer);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/^state: one of pending, active, expired/);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no end', { durationMinutes: null }, 'input.endsAt: give endsAt or durationMinutes'],
    ['two ends', { endsAt: new Date(Date.now() + 60 * MIN).toISOString() }, 'input: give endsAt or durationMinutes, not both'],
    ['an end before the start', { startsAt: '2099-01-02T00:00:00Z', endsAt: '2099-01-01T00:00:00Z', durationMinutes: null }, 'input.endsAt: must be after startsAt'],
    ['an end in the past', { startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-01-02T00:00:00Z', durationMinutes: null }, 'input.endsAt: the silence would already be over'],
    ['a zero duration', { durationMinutes: 0 }, 'input.durationMinutes: must be at least 1'],
    ['more than a year', { durationMinutes: 366 * 24 * 60 }, 'input.durationMinutes: a silence lasts at most a year'],
    ['an empty comment', { comment: '   ' }, 'input.comment: comment is empty: say why'],
    ['no matchers', { matchers: [] }, 'input.matchers: a silence needs at least one matcher'],
    ['a bad regex', { matchers: [{ name: 'host', op: '=~', value: 'web-(' }] }, 'input.matchers[0].value: host=~"web-(" is not a valid regular expression'],
    ['a bad name', { matchers: [{ name: 'my label', op: '=', value: 'x' }] }, 'input.matchers[0].name: a matcher name is "rule", "host" or a label name'],
    ['an unknown operator', { matchers: [{ name: 'env', op: '~', value: 'x' }] }, 'input.matchers[0].op'],
    ['matchers that match everything', { matchers: [{ name: 'env', op: '!=', value: 'prod' }] }, 'input.matchers: at least one matcher must need a non-empty value'],
  ])('refuses %s with a clear message', async (_name, input, message) => {
    const r = await s.gql(create, { input: { matchers: diskOnWeb, comment: 'x', durationMinutes: 60, ...input } }, analyst);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toContain(message);
  });

  it('lets viewers read but not change; anonymous callers are asked to log in', async () => {
    const silence = await created({});
    for (const [query, vars] of [
      [create, { input: { matchers: diskOnWeb, comment: 'x', durationMinutes: 5 } }],
      [update, { id: silence.id, input: { matchers: diskOnWeb, comment: 'x', durationMinutes: 5 } }],
      [expire, { id: silence.id }],
      [remove, { id: silence.id }],
    ] as const) {
      expect((await s.gql(query, vars, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await s.gql(list, {}, viewer)).data!.silences.length).toBeGreaterThan(0);
    expect((await s.gql(list, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await s.gql(one, { id: silence.id }, viewer)).data!.silence.state).toBe('active');
  });

  it('edits a silence, keeping its start unless given', async () => {
    const silence = await created({});
    const matchers = [{ name: 'mount', op: '=', value: '/var' }];
    const r = await s.gql(update, { id: silence.id, input: { matchers, comment: 'longer', durationMinutes: 180 } }, analyst);
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateSilence).toMatchObject({ id: silence.id, matchers, comment: 'longer', startsAt: silence.startsAt, state: 'active' });
    expect(Date.parse(r.data!.updateSilence.endsAt) - Date.parse(silence.startsAt)).toBe(180 * MIN);
    const missing = await s.gql(update, { id: '999999', input: { matchers, comment: 'x', durationMinutes: 5 } }, analyst);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('expires a silence once; a second expiry or an edit afterwards is a conflict', async () => {
    const silence = await created({});
    const before = mutes.items.length;
    const r = await s.gql(expire, { id: silence.id }, analyst);
    expect(r.errors).toBeUndefined();
    expect(r.data!.expireSilence).toMatchObject({ id: silence.id, active: false, state: 'expired', startsAt: silence.startsAt });
    expect(mutes.items.length).toBe(before + 1);
    const again = await s.gql(expire, { id: silence.id }, analyst);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toBe(`silence ${silence.id} has already expired`);
    const edit = await s.gql(update, { id: silence.id, input: { matchers: diskOnWeb, comment: 'x', durationMinutes: 5 } }, analyst);
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await s.gql(list, { state: 'expired' }, viewer)).data!.silences.map((x: any) => x.id)).toContain(silence.id);
  });

  it('expiring a pending silence ends it before it starts', async () => {
    const pending = await created({ startsAt: new Date(Date.now() + 60 * MIN).toISOString() });
    const r = await s.gql(expire, { id: pending.id }, analyst);
    expect(r.data!.expireSilence.state).toBe('expired');
    expect(r.data!.expireSilence.startsAt).toBe(r.data!.expireSilence.endsAt);
  });

  it('expires by itself once endsAt has passed', async () => {
    const silence = await created({});
    // move the silence into the past as if its hour had gone by
    await s.testDb.prisma.silence.update({
      where: { id: Number(silence.id) },
      data: { startsAt: new Date(Date.now() - 120 * MIN), endsAt: new Date(Date.now() - 60 * MIN) },
    });
    const r = await s.gql(one, { id: silence.id }, viewer);
    expect(r.data!.silence).toMatchObject({ active: false, state: 'expired' });
    const active = (await s.gql(list, { state: 'active' }, viewer)).data!.silences.map((x: any) => x.id);
    expect(active).not.toContain(silence.id);
    expect((await s.gql(expire, { id: silence.id }, analyst)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('deletes a silence; deleting it again is NOT_FOUND', async () => {
    const silence = await created({});
    expect((await s.gql(remove, { id: silence.id }, analyst)).data!.deleteSilence).toBe(true);
    expect((await s.gql(one, { id: silence.id }, viewer)).data!.silence).toBeNull();
    const again = await s.gql(remove, { id: silence.id }, analyst);
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(again.errors?.[0]?.message).toBe(`no silence ${silence.id}`);
  });

  it('records no user for silences created with an integration key', async () => {
    const key = await s.integrationKey('analyst');
    const r = await s.gql(create, { input: { matchers: diskOnWeb, comment: 'from a script', durationMinutes: 5 } }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.createSilence.createdBy).toBeNull();
  });
});
