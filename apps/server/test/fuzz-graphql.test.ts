// Fuzzing the main GraphQL mutations (fast-check, fixed seed) with arbitrary JSON and strings:
// each answer is a success or an expected error code (never INTERNAL_SERVER_ERROR or a stack),
// and a refused input stores nothing: each table grows by exactly the number of successes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { prng, randomRuleText } from '@esmon/schema/testing';
import { startTestServer, type TestServer } from './harness.ts';

const SEED = 20261207;
const ALLOWED = new Set([
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'BUSY',
]);

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\u202e',
  '\r\n',
  "' OR 1=1 --",
  '"; DROP TABLE rules; --',
  '$(rm -rf /)',
  '`id`',
  '../../etc/passwd',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  '(a+)+$',
  '[',
  '\\',
  'x'.repeat(100_000),
];
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(...NASTY));
/** Objects whose keys are JavaScript internals, as JSON.parse builds them (own properties). */
const protoObject = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.jsonValue({ maxDepth: 2 }))
  .map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(v)}}`));
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  text,
  protoObject,
  fc.constant(JSON.parse('{"a":'.repeat(60) + '1' + '}'.repeat(60))),
);
/** A valid base with one field replaced (or removed) by arbitrary JSON, or the whole of it arbitrary. */
const spoil = (base: () => Record<string, unknown>, fields: string[], value: fc.Arbitrary<unknown> = json) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(null).map(() => base()) },
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...fields), value).map(([f, v]) => ({ ...base(), [f]: v })),
    },
    { weight: 1, arbitrary: json },
  );

let n = 0;
const unique = (what: string) => `fuzz ${what} ${++n}`;

interface Target {
  query: string;
  role: 'admin' | 'analyst';
  tables: string[];
  runs: number;
  vars: fc.Arbitrary<Record<string, unknown>>;
}

const TARGETS: Record<string, Target> = {
  createRule: {
    query: 'mutation ($i: RuleInput!) { createRule(input: $i) { rule { id } } }',
    role: 'analyst',
    tables: ['rules', 'rule_versions'],
    runs: 80,
    vars: fc
      .oneof(
        spoil(
          () => ({
            name: unique('rule'),
            threshold: { metric: 'os.cpu.usage', fn: 'avg', window: '5m' },
            levels: [{ severity: 'warning', threshold: 80, recovery: 75 }],
          }),
          [
            'threshold',
            'levels',
            'labels',
            'annotations',
            'scope',
            'name',
            'noDataPolicy',
            'comparator',
            'dependsOn',
          ],
        ),
        fc
          .tuple(
            fc.oneof(
              text,
              fc.integer().map((seed) => randomRuleText(prng(seed), 3)),
            ),
            fc.constantFrom('labels', 'annotations', 'scope'),
          )
          .map(([expression, extra]) => ({
            name: unique('rule'),
            expression,
            levels: [{ severity: 'critical' }],
            [extra]: JSON.parse(
              '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
            ),
          })),
      )
      .map((i) => ({ i })),
  },
  createProbe: {
    query: 'mutation ($d: JSON!) { createProbe(definition: $d) { id } }',
    role: 'analyst',
    tables: ['probes', 'probe_versions'],
    runs: 80,
    vars: fc
      .oneof(
        spoil(
          () => ({
            name: unique('probe'),
            steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: 5432 } }],
            intervalSeconds: 30,
            timeoutSeconds: 5,
          }),
          ['steps', 'extract', 'targets', 'name', 'intervalSeconds'],
        ),
        fc
          .tuple(
            fc.constantFrom(
              'tcp',
              'http',
              'command',
              'systemctl',
              'wmi',
              'powershell',
              'db2',
              'jmx',
              '__proto__',
              'constructor',
            ),
            fc.oneof(
              json,
              fc.dictionary(
                fc.constantFrom(
                  'host',
                  'port',
                  'url',
                  'unit',
                  'command',
                  'args',
                  'script',
                  'query',
                  'class',
                  'properties',
                  'sql',
                  'database',
                ),
                json,
              ),
            ),
          )
          .map(([plugin, params]) => ({ name: unique('probe'), steps: [{ id: 's1', plugin, params }] })),
      )
      .map((d) => ({ d })),
  },
  createNotificationChannel: {
    query:
      'mutation ($n: String!, $t: String!, $c: JSON!, $tp: JSON) { createNotificationChannel(name: $n, type: $t, config: $c, templates: $tp) { id } }',
    role: 'admin',
    tables: ['notification_channels'],
    runs: 80,
    vars: fc.record({
      n: fc.oneof(
        text,
        fc.constant(null).map(() => unique('channel')),
      ),
      t: fc.oneof(fc.constantFrom('email', 'teams', 'webhook', 'gotify', 'log'), text),
      c: fc.oneof(
        json,
        fc.dictionary(
          fc.constantFrom(
            'url',
            'host',
            'port',
            'to',
            'from',
            'headers',
            'secretHeaders',
            'hmacSecret',
            'password',
            'level',
          ),
          json,
        ),
      ),
      tp: fc.option(fc.oneof(json, fc.dictionary(fc.constantFrom('subject', 'text', 'html', 'body'), text))),
    }),
  },
  createSilence: {
    query: 'mutation ($i: SilenceInput!) { createSilence(input: $i) { id } }',
    role: 'analyst',
    tables: ['silences'],
    runs: 80,
    vars: fc
      .record({
        comment: fc.oneof(text, fc.constant('patching')),
        durationMinutes: fc.oneof(
          fc.constant(60),
          fc.option(fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, 525_600_000))),
        ),
        // a valid matcher first, now and then, so that some silences are stored
        matchers: fc
          .tuple(
            fc.boolean(),
            fc.array(
              fc.record({
                name: fc.oneof(text, fc.constantFrom('rule', 'host', 'severity')),
                op: fc.oneof(fc.constantFrom('=', '!=', '=~', '!~'), text),
                value: text,
              }),
              { maxLength: 4 },
            ),
          )
          .map(([lead, rest]) => (lead ? [{ name: 'rule', op: '=', value: 'Disk full' }, ...rest] : rest)),
      })
      .map((i) => ({ i })),
  },
  createUser: {
    query: 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    role: 'admin',
    tables: ['users'],
    runs: 40,
    vars: fc
      .record({
        email: fc.oneof(
          text,
          text.map((t) => `${t}@example.test`),
          fc.constant(null).map(() => `${unique('user').replaceAll(' ', '-')}@example.test`),
        ),
        password: text,
        name: fc.option(text),
        role: fc.constantFrom('viewer', 'analyst', 'admin'),
      })
      .map((i) => ({ i })),
  },
  createApiKey: {
    query: 'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
    role: 'admin',
    tables: ['api_keys'],
    runs: 60,
    vars: fc
      .record({
        name: text,
        kind: fc.constantFrom('agent', 'integration'),
        hostname: fc.option(fc.oneof(text, fc.constant('fuzz-host'))),
        role: fc.option(fc.constantFrom('viewer', 'analyst', 'admin')),
      })
      .map((i) => ({ i })),
  },
};

// a class is a hundred requests or so: seconds, more on a loaded machine
describe(`GraphQL mutation fuzzing (${testDatabaseKind()})`, { timeout: 120_000 }, () => {
  let s: TestServer;
  const tokens: Record<string, string> = {};
  const cases: Record<string, number> = {};
  const answers: Record<string, Record<string, number>> = {};
  const rows = async (table: string) =>
    (await s.testDb.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    s = await startTestServer({ ESMON_RATE_LIMIT_GRAPHQL: 'off', ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS: 'off' });
    tokens.admin = await s.userToken('admin');
    tokens.analyst = await s.userToken('analyst');
  });
  afterAll(async () => {
    console.log(JSON.stringify({ fuzz: 'graphql', seed: SEED, cases, answers }));
    await s?.close();
  });

  it.each(Object.keys(TARGETS))(
    '%s: success or an expected error code, never a masked error; a refusal stores nothing',
    async (name) => {
      const { query, role, tables, runs, vars } = TARGETS[name]!;
      const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
      const before = await Promise.all(tables.map(rows));
      let successes = 0;
      const tally = (answers[name] ??= {});
      await fc.assert(
        fc.asyncProperty(vars, async (v) => {
          const r = await s.gql(query, v, tokens[role]);
          const codes = (r.errors ?? []).map((e) => String(e.extensions?.code));
          // graphql-js refuses a variable of the wrong shape before any resolver: HTTP 400, no code
          const coercion =
            r.status === 400 &&
            (r.errors ?? []).every(
              (e) => e.extensions?.code === undefined && /^Variable "\$\w+" /.test(e.message),
            );
          const label = !r.errors ? 'ok' : coercion ? '400 variable' : [...new Set(codes)].join('+');
          tally[label] = (tally[label] ?? 0) + 1;
          cases[name] = (cases[name] ?? 0) + 1;
          const shown = `${JSON.stringify(v).slice(0, 400)} → ${JSON.stringify(r).slice(0, 600)}`;
          expect(r.status, shown).toBeLessThan(500);
          if (!r.errors) {
            expect(r.data?.[name], shown).toBeTruthy();
            successes++;
            return;
          }
          expect(r.data?.[name] ?? null, shown).toBeNull();
          if (coercion) return;
          for (const e of r.errors) {
            expect(ALLOWED.has(String(e.extensions?.code)), shown).toBe(true);
            expect(e.message, shown).not.toMatch(/Unexpected error|\n\s+at |\.ts:\d+|prisma/i);
          }
        }),
        { seed: SEED, numRuns: runs, endOnFailure: true },
      );
      // every table of the mutation grew by one row per success (a version row per rule or probe)
      expect(await Promise.all(tables.map(rows))).toEqual(before.map((b) => b + successes));
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    120_000,
  );
});
