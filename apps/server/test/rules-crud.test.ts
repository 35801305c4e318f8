// Rules over the running server: create, read, update, delete; versions, diff and rollback;
// optimistic concurrency; validation with paths and positions; dependencies; who may do what;
// and the default rules made once at first start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import type { RuleChangedEvent } from '../src/events/bus.ts';
import { DEFAULT_RULES, DEFAULT_RULES_SETTING, ensureDefaultRules } from '../src/rules/defaults.ts';
import { batchFor, startTestServer, type GqlResult, type TestServer } from './harness.ts';

const RULE = `id name description expression kind threshold { metric fn window percentile } comparator
  levels { severity threshold recovery } forSeconds keepFiringSeconds noDataPolicy evalIntervalSeconds
  scope dependsOn labels annotations enabled version createdAt updatedAt`;
const PAYLOAD = `rule { ${RULE} } warnings { severity message line column }`;
const CREATE = `mutation ($input: RuleInput!, $comment: String) { createRule(input: $input, comment: $comment) { ${PAYLOAD} } }`;
const UPDATE = `mutation ($id: ID!, $input: RuleInput!, $v: Int, $comment: String) {
  updateRule(id: $id, input: $input, expectedVersion: $v, comment: $comment) { ${PAYLOAD} } }`;
const ENABLE = `mutation ($id: ID!, $on: Boolean!) { setRuleEnabled(id: $id, enabled: $on) { rule { enabled version } } }`;
const ROLLBACK = `mutation ($id: ID!, $v: Int!, $c: String) { rollbackRule(id: $id, version: $v, comment: $c) { rule { ${RULE} } } }`;
const DELETE = 'mutation ($id: ID!) { deleteRule(id: $id) }';
const GET = `query ($id: ID!) { rule(id: $id) { ${RULE} versions { version } } }`;
const VERSIONS =
  'query ($id: ID!) { ruleVersions(ruleId: $id) { version definition author comment createdAt } }';
const DIFF =
  'query ($id: ID!, $from: Int!, $to: Int!) { ruleDiff(ruleId: $id, from: $from, to: $to) { field before after } }';

const cpuInput = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  threshold: { metric: 'os.cpu.usage{core=""}', fn: 'avg', window: '5m' },
  levels: [
    { severity: 'warning', threshold: 80, recovery: 75 },
    { severity: 'critical', threshold: 90, recovery: 85 },
  ],
  forSeconds: 300,
  annotations: { summary: 'CPU usage on {{host}} is {{value}} %' },
  ...over,
});
const conditionInput = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  expression: 'nodata(os.uptime.seconds, "3m")',
  levels: [{ severity: 'critical' }],
  noDataPolicy: 'ok',
  ...over,
});

const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

describe(`rules CRUD over GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  let analyst: string;
  let analystEmail: string;
  const events: RuleChangedEvent[] = [];
  let stopListening: () => void;

  beforeAll(async () => {
    s = await startTestServer();
    viewer = await s.userToken('viewer');
    analyst = await s.userToken('analyst');
    analystEmail = (await s.gql('{ me { email } }', {}, analyst)).data!.me.email;
    await s.ingest(batchFor('crud-host', 2, 'os.cpu.usage'), await s.integrationKey('analyst'));
    const subscription = s.bus.subscribe('ruleChanged');
    stopListening = () => void subscription.return?.();
    void (async () => {
      for await (const e of subscription) events.push(e);
    })();
  });
  afterAll(async () => {
    stopListening?.();
    await s?.close();
  });

  async function created(input: Record<string, unknown>, comment?: string) {
    const r = await s.gql(CREATE, { input, comment }, analyst);
    if (!r.data?.createRule) throw new Error(JSON.stringify(r.errors));
    return r.data.createRule as { rule: Record<string, any>; warnings: any[] };
  }

  it('creates, lists, reads, updates and deletes a rule, announcing each change', async () => {
    const { rule, warnings } = await created(cpuInput('CRUD cpu'), 'first cut');
    expect(warnings).toEqual([]);
    expect(rule).toMatchObject({
      name: 'CRUD cpu',
      description: null,
      expression: 'avg(os.cpu.usage{core=""}, "5m")',
      kind: 'value',
      threshold: { metric: 'os.cpu.usage{core=""}', fn: 'avg', window: '5m', percentile: null },
      comparator: '>',
      levels: [
        { severity: 'warning', threshold: 80, recovery: 75 },
        { severity: 'critical', threshold: 90, recovery: 85 },
      ],
      forSeconds: 300,
      keepFiringSeconds: 0,
      noDataPolicy: 'nodata',
      evalIntervalSeconds: 30,
      scope: {},
      dependsOn: [],
      labels: {},
      annotations: { summary: 'CPU usage on {{host}} is {{value}} %' },
      enabled: true,
      version: 1,
    });
    const condition = (await created(conditionInput('crud Offline'))).rule;
    expect(condition).toMatchObject({
      kind: 'condition',
      threshold: null,
      levels: [{ severity: 'critical', threshold: null, recovery: null }],
    });

    const listed = await s.gql('query ($q: String) { rules(search: $q) { name } }', { q: 'CRUD' }, viewer);
    expect(listed.data!.rules).toEqual([{ name: 'CRUD cpu' }, { name: 'crud Offline' }]);
    // LIKE wildcards are searched for literally
    expect(
      (await s.gql('query ($q: String) { rules(search: $q) { name } }', { q: 'cr_d%' }, viewer)).data!.rules,
    ).toEqual([]);
    const got = await s.gql(GET, { id: rule.id }, viewer);
    expect(got.data!.rule).toMatchObject({ id: rule.id, name: 'CRUD cpu', versions: [{ version: 1 }] });

    const updated = await s.gql(
      UPDATE,
      { id: rule.id, input: cpuInput('CRUD cpu', { forSeconds: 600, labels: { team: 'ops' } }), v: 1 },
      analyst,
    );
    expect(updated.data!.updateRule.rule).toMatchObject({
      version: 2,
      forSeconds: 600,
      labels: { team: 'ops' },
    });
    const disabled = await s.gql(ENABLE, { id: rule.id, on: false }, analyst);
    expect(disabled.data!.setRuleEnabled.rule).toEqual({ enabled: false, version: 3 });
    const enabledOnly = await s.gql(
      'query ($q: String) { rules(search: $q, enabled: false) { name } }',
      { q: 'crud' },
      viewer,
    );
    expect(enabledOnly.data!.rules).toEqual([{ name: 'CRUD cpu' }]);
    // an update that leaves enabled out keeps the rule disabled
    const kept = await s.gql(
      UPDATE,
      { id: rule.id, input: cpuInput('CRUD cpu', { forSeconds: 900 }) },
      analyst,
    );
    expect(kept.data!.updateRule.rule).toMatchObject({ version: 4, enabled: false });

    const deleted = await s.gql(DELETE, { id: rule.id }, analyst);
    expect(deleted.data).toEqual({ deleteRule: rule.id });
    const gone = await s.gql(GET, { id: rule.id }, viewer);
    expect(codeOf(gone)).toBe('NOT_FOUND');
    expect(codeOf(await s.gql(DELETE, { id: rule.id }, analyst))).toBe('NOT_FOUND');
    const id = Number(rule.id);
    expect(events).toEqual(
      expect.arrayContaining([
        { ruleId: id, deleted: false },
        { ruleId: Number(condition.id), deleted: false },
        { ruleId: id, deleted: true },
      ]),
    );
    expect(events.filter((e) => e.ruleId === id)).toHaveLength(5);
  });

  it('warns about metrics no agent has sent, with their place', async () => {
    const { warnings } = await created({
      name: 'queue depth',
      expression: 'max(app.queue.depth, "10m") > 1000',
      levels: [{ severity: 'warning' }],
    });
    expect(warnings).toEqual([
      { severity: 'warning', message: 'unknown metric "app.queue.depth"', line: 1, column: 5 },
    ]);
  });

  it('keeps every version: listed newest first, compared field by field, rolled back as a new version', async () => {
    const { rule } = await created(cpuInput('versioned'), 'first cut');
    await s.gql(
      UPDATE,
      {
        id: rule.id,
        input: cpuInput('versioned', { forSeconds: 60, labels: { team: 'ops' } }),
        comment: 'quicker',
      },
      analyst,
    );
    await s.gql(ENABLE, { id: rule.id, on: false }, analyst);

    const versions = (await s.gql(VERSIONS, { id: rule.id }, viewer)).data!.ruleVersions;
    expect(versions.map((v: any) => [v.version, v.author, v.comment])).toEqual([
      [3, analystEmail, null],
      [2, analystEmail, 'quicker'],
      [1, analystEmail, 'first cut'],
    ]);
    expect(versions[2].definition).toMatchObject({
      name: 'versioned',
      forSeconds: 300,
      labels: {},
      enabled: true,
    });
    expect((await s.gql(GET, { id: rule.id }, viewer)).data!.rule.versions).toEqual([
      { version: 3 },
      { version: 2 },
      { version: 1 },
    ]);

    const diff = await s.gql(DIFF, { id: rule.id, from: 1, to: 2 }, viewer);
    expect(diff.data!.ruleDiff).toEqual([
      { field: 'forSeconds', before: 300, after: 60 },
      { field: 'labels', before: {}, after: { team: 'ops' } },
    ]);
    expect(
      (await s.gql(DIFF, { id: rule.id, from: 3, to: 1 }, viewer)).data!.ruleDiff.map((c: any) => c.field),
    ).toEqual(['forSeconds', 'labels', 'enabled']);
    expect(codeOf(await s.gql(DIFF, { id: rule.id, from: 1, to: 9 }, viewer))).toBe('NOT_FOUND');

    const rolled = await s.gql(ROLLBACK, { id: rule.id, v: 1 }, analyst);
    expect(rolled.data!.rollbackRule.rule).toMatchObject({
      version: 4,
      forSeconds: 300,
      labels: {},
      enabled: true,
    });
    const after = (await s.gql(VERSIONS, { id: rule.id }, viewer)).data!.ruleVersions;
    expect(after[0]).toMatchObject({
      version: 4,
      comment: 'rolled back to version 1',
      definition: versions[2].definition,
    });
    expect((await s.gql(DIFF, { id: rule.id, from: 1, to: 4 }, viewer)).data!.ruleDiff).toEqual([]);
    expect(codeOf(await s.gql(ROLLBACK, { id: rule.id, v: 99 }, analyst))).toBe('NOT_FOUND');
    expect(codeOf(await s.gql(VERSIONS, { id: 999_999 }, viewer))).toBe('NOT_FOUND');
  });

  it('switches a rule between the threshold form and an expression', async () => {
    const { rule } = await created(cpuInput('switched'));
    const input = {
      ...cpuInput('switched'),
      threshold: null,
      expression: 'max(os.cpu.usage{core=""}, "1m") - 10',
    };
    const written = (await s.gql(UPDATE, { id: rule.id, input }, analyst)).data!.updateRule.rule;
    expect(written).toMatchObject({
      threshold: null,
      expression: 'max(os.cpu.usage{core=""}, "1m") - 10',
      kind: 'value',
      version: 2,
    });
    const back = (
      await s.gql(UPDATE, { id: rule.id, input: cpuInput('switched', { expression: null }) }, analyst)
    ).data!.updateRule.rule;
    expect(back).toMatchObject({
      threshold: { fn: 'avg' },
      expression: 'avg(os.cpu.usage{core=""}, "5m")',
      version: 3,
    });
  });

  it('saves nothing when nothing changes', async () => {
    const { rule } = await created(cpuInput('unchanged'));
    const again = await s.gql(UPDATE, { id: rule.id, input: cpuInput('unchanged'), v: 1 }, analyst);
    expect(again.data!.updateRule.rule.version).toBe(1);
    expect((await s.gql(ENABLE, { id: rule.id, on: true }, analyst)).data!.setRuleEnabled.rule.version).toBe(
      1,
    );
  });

  it('refuses to overwrite a newer version (expectedVersion)', async () => {
    const { rule } = await created(cpuInput('contested'));
    await s.gql(UPDATE, { id: rule.id, input: cpuInput('contested', { forSeconds: 60 }), v: 1 }, analyst);
    const stale = await s.gql(
      UPDATE,
      { id: rule.id, input: cpuInput('contested', { forSeconds: 120 }), v: 1 },
      analyst,
    );
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors![0]!.message).toMatch(/is at version 2, not 1/);
    expect((await s.gql(GET, { id: rule.id }, viewer)).data!.rule).toMatchObject({
      version: 2,
      forSeconds: 60,
    });
  });

  it('lets exactly one of two concurrent saves of the same version win', async () => {
    const { rule } = await created(cpuInput('raced'));
    const results = await Promise.all(
      [60, 120].map((forSeconds) =>
        s.gql(UPDATE, { id: rule.id, input: cpuInput('raced', { forSeconds }), v: 1 }, analyst),
      ),
    );
    const won = results.filter((r) => r.data?.updateRule);
    const lost = results.filter((r) => codeOf(r) === 'CONFLICT');
    expect([won.length, lost.length]).toEqual([1, 1]);
    expect(lost[0]!.errors![0]!.message).toMatch(/is at version 2, not 1/);
    const now = (await s.gql(GET, { id: rule.id }, viewer)).data!.rule;
    expect(now).toMatchObject({
      version: 2,
      forSeconds: won[0]!.data!.updateRule.rule.forSeconds,
      versions: [{ version: 2 }, { version: 1 }],
    });
  });

  it('names the path and the place of every problem', async () => {
    const bad = await s.gql(
      CREATE,
      {
        input: { name: 'bad', expression: 'avgg(os.cpu.usage, "5m") > 1', levels: [{ severity: 'warning' }] },
      },
      analyst,
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toMatch(/^input\.expression: unknown function "avgg".* \(at 1:1\)$/);
    expect(bad.errors![0]!.extensions!.details).toEqual([
      { path: 'input.expression', message: expect.stringMatching(/unknown function "avgg".*\(at 1:1\)$/) },
    ]);

    const second = await s.gql(
      CREATE,
      {
        input: {
          name: 'bad',
          expression: 'avg(os.cpu.usage, "5m") > 1 and\n  avgg(os.mem.used_pct, "5m") > 2',
          levels: [{ severity: 'warning' }],
        },
      },
      analyst,
    );
    expect(second.errors![0]!.extensions!.details![0]!.message).toMatch(/\(at 2:3\)$/);

    const levels = await s.gql(
      CREATE,
      {
        input: cpuInput('bad', {
          comparator: '=>',
          levels: [
            { severity: 'warning', threshold: 90 },
            { severity: 'critical', threshold: 80 },
          ],
        }),
      },
      analyst,
    );
    expect(levels.errors![0]!.extensions!.details).toEqual([
      { path: 'input.comparator', message: expect.stringMatching(/expected one of/) },
    ]);
    const order = await s.gql(
      CREATE,
      {
        input: cpuInput('bad', {
          levels: [
            { severity: 'warning', threshold: 90 },
            { severity: 'critical', threshold: 80 },
          ],
        }),
      },
      analyst,
    );
    expect(order.errors![0]!.extensions!.details).toEqual([
      {
        path: 'input.levels[1].threshold',
        message: 'the critical threshold must be above the warning threshold 90',
      },
    ]);
    const annotation = await s.gql(
      CREATE,
      { input: cpuInput('bad', { annotations: { summary: '{{constructor}}' } }) },
      analyst,
    );
    expect(annotation.errors![0]!.extensions!.details![0]!.path).toBe('input.annotations.summary');
    expect((await s.gql('query { rules(search: "bad") { id } }', {}, viewer)).data!.rules).toEqual([]);
  });

  it('refuses a second rule of the same name', async () => {
    await created(cpuInput('Unique name'));
    const twice = await s.gql(CREATE, { input: cpuInput('Unique name') }, analyst);
    expect(codeOf(twice)).toBe('CONFLICT');
    expect(twice.errors![0]!.message).toBe('a rule named "Unique name" already exists');
    const other = (await created(cpuInput('Other name'))).rule;
    const renamed = await s.gql(UPDATE, { id: other.id, input: cpuInput('Unique name') }, analyst);
    expect(renamed.errors![0]).toMatchObject({
      message: 'a rule named "Unique name" already exists',
      extensions: { code: 'CONFLICT' },
    });
  });

  it('checks dependencies: existing rules, not itself, no cycle; and keeps a needed rule', async () => {
    const offline = (await created(conditionInput('dep offline'))).rule;
    const cpu = (await created(cpuInput('dep cpu', { dependsOn: [Number(offline.id)] }))).rule;
    expect(cpu.dependsOn).toEqual([Number(offline.id)]);

    const missing = await s.gql(
      CREATE,
      { input: cpuInput('dep missing', { dependsOn: [999_999] }) },
      analyst,
    );
    expect(missing.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: [{ path: 'input.dependsOn[0]', message: 'there is no rule 999999' }],
    });
    const self = await s.gql(
      UPDATE,
      { id: cpu.id, input: cpuInput('dep cpu', { dependsOn: [Number(cpu.id)] }) },
      analyst,
    );
    expect(self.errors![0]!.extensions!.details).toEqual([
      { path: 'input.dependsOn[0]', message: 'a rule cannot depend on itself' },
    ]);
    const cycle = await s.gql(
      UPDATE,
      { id: offline.id, input: conditionInput('dep offline', { dependsOn: [Number(cpu.id)] }) },
      analyst,
    );
    expect(codeOf(cycle)).toBe('BAD_USER_INPUT');
    expect(cycle.errors![0]!.message).toBe(
      'input.dependsOn[0]: depending on "dep cpu" makes a cycle: "dep offline" → "dep cpu" → "dep offline"',
    );

    const needed = await s.gql(DELETE, { id: offline.id }, analyst);
    expect(codeOf(needed)).toBe('CONFLICT');
    expect(needed.errors![0]!.message).toMatch(/"dep offline" cannot be deleted: "dep cpu" depend on it/);
    await s.gql(DELETE, { id: cpu.id }, analyst);
    expect((await s.gql(DELETE, { id: offline.id }, analyst)).data).toEqual({ deleteRule: offline.id });
  });

  it('lets viewers read, analysts change, and the anonymous nothing', async () => {
    const { rule } = await created(cpuInput('guarded'));
    const reads = [
      s.gql(GET, { id: rule.id }, viewer),
      s.gql('{ rules { id } }', {}, viewer),
      s.gql(VERSIONS, { id: rule.id }, viewer),
      s.gql(DIFF, { id: rule.id, from: 1, to: 1 }, viewer),
    ];
    for (const r of await Promise.all(reads)) expect(r.errors).toBeUndefined();

    const writes = (token?: string) => [
      s.gql(CREATE, { input: cpuInput('guarded 2') }, token),
      s.gql(UPDATE, { id: rule.id, input: cpuInput('guarded', { forSeconds: 1 }) }, token),
      s.gql(ENABLE, { id: rule.id, on: false }, token),
      s.gql(ROLLBACK, { id: rule.id, v: 1 }, token),
      s.gql(DELETE, { id: rule.id }, token),
    ];
    expect((await Promise.all(writes(viewer))).map(codeOf)).toEqual(Array(5).fill('FORBIDDEN'));
    expect((await Promise.all(writes(undefined))).map(codeOf)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codeOf(await s.gql('{ rules { id } }', {}))).toBe('UNAUTHENTICATED');
    expect((await s.gql(GET, { id: rule.id }, viewer)).data!.rule.version).toBe(1);

    const admin = await s.userToken('admin');
    expect((await s.gql(ENABLE, { id: rule.id, on: false }, admin)).data!.setRuleEnabled.rule).toEqual({
      enabled: false,
      version: 2,
    });
  });

  it('makes the default rules once: not again after they are deleted, not twice when two servers start', async () => {
    const prisma = s.testDb.prisma;
    const names = DEFAULT_RULES.map((r) => r.definition.name);
    // the server may have made them at start: begin from "never made"
    const reset = async () => {
      await prisma.setting.deleteMany({ where: { key: DEFAULT_RULES_SETTING } });
      await prisma.rule.deleteMany({ where: { name: { in: names } } });
    };
    await reset();
    expect(await ensureDefaultRules(prisma)).toEqual({ created: names });
    const rows = await prisma.rule.findMany({ where: { name: { in: names } }, include: { versions: true } });
    expect(rows).toHaveLength(4);
    const offline = rows.find((r) => r.name === 'Host offline')!;
    for (const row of rows) {
      expect(row.version).toBe(1);
      expect(row.versions).toEqual([
        expect.objectContaining({ version: 1, authorId: null, comment: 'default rule' }),
      ]);
      expect(row.dependsOn).toEqual(row.id === offline.id ? [] : [offline.id]);
    }
    const listed = await s.gql(
      'query { rules { name kind expression scope noDataPolicy levels { severity threshold recovery } } }',
      {},
      viewer,
    );
    const byName = new Map(listed.data!.rules.map((r: any) => [r.name, r]));
    expect(byName.get('Host offline')).toMatchObject({
      kind: 'condition',
      expression: 'nodata(os.uptime.seconds, "3m")',
      noDataPolicy: 'ok',
    });
    expect(byName.get('CPU usage')).toMatchObject({
      kind: 'value',
      expression: 'avg(os.cpu.usage{core=""}, "5m")',
    });
    expect(byName.get('Disk usage')).toMatchObject({
      scope: { groupBy: ['mount'] },
      levels: [{}, {}, { severity: 'very_critical', threshold: 98, recovery: 96 }],
    });

    expect(await ensureDefaultRules(prisma)).toEqual({ created: [] });
    for (const name of ['CPU usage', 'Memory usage', 'Disk usage', 'Host offline']) {
      const id = rows.find((r) => r.name === name)!.id;
      expect((await s.gql(DELETE, { id }, analyst)).errors).toBeUndefined();
    }
    expect(await ensureDefaultRules(prisma)).toEqual({ created: [] });
    expect(await prisma.rule.count({ where: { name: { in: names } } })).toBe(0);

    await reset();
    const both = await Promise.all([ensureDefaultRules(prisma), ensureDefaultRules(prisma)]);
    expect(both.map((r) => r.created.length).sort()).toEqual([0, 4]);
    expect(await prisma.rule.count({ where: { name: { in: names } } })).toBe(4);
  });
});
