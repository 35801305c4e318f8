// GraphQL abuse limits against the real server: every document the workbench and the agent send
// passes; deep, aliased, long, costly, directive-laden and batched ones are refused with a 400 and a
// message naming the limit, over HTTP and over graphql-ws alike; introspection and GraphiQL switch off.
//
// "Refused before any resolver or SQL runs" is counted, not assumed: a second app (createApp, the
// same HTTP surface startServer builds) serves the same test database through a handle that counts
// every statement: each Prisma operation (a $extends query hook) and each call on the raw Sql
// interface. That app runs none of the background loops (liveness, maintenance, evaluator, outbox
// live in startServer), so every count is a request's. An abusive document must cost exactly what a
// document that does not even parse costs (the rate limit's session lookup in front of yoga), and
// less than a valid operation with the same token, which builds a context and runs its resolver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { Database, PrismaClient, Sql } from '@esmon/db';
import { testDatabaseKind } from '@esmon/db/testing';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { graphqlGuards, useLimits, type GraphQLLimits, type LimitName } from '../src/graphql/operation-limits.ts';
import { schema } from '../src/graphql/schema.ts';
import { createLogger } from '../src/log.ts';
import { startTestServer, type GqlResult, type TestServer } from './harness.ts';
import { subscribe, wsClient } from './live-client.ts';
import { longestArray, realDocuments } from './real-documents.ts';

const defaults = graphqlGuards(loadConfig({})).limits;

// the host page draws one aliased range query per metric of its largest chart
const documents = realDocuments({ rangeQuery: [{ metrics: longestArray('apps/workbench/src/pages/host/charts.ts', 'metrics') }] });

/** What armor measures of a document (depth, aliases, tokens, cost, directives), through the server's own plugin. */
function measure(query: string): Record<LimitName, number> & { errors: string[] } {
  const figures: Record<LimitName, number> = { depth: 0, aliases: 0, tokens: 0, cost: 0, directives: 0 };
  const unlimited: GraphQLLimits = { maxDepth: 1e6, maxAliases: 1e6, maxTokens: 1e6, maxCost: 1e12, maxDirectives: 1e6 };
  const yoga = createYoga({
    schema,
    parserAndValidationCache: false,
    plugins: [useLimits(unlimited, { hideSuggestions: false, onMeasured: (limit, n) => void (figures[limit] = Math.max(figures[limit], n)) })],
  });
  const enveloped = yoga.getEnveloped({});
  const errors = (enveloped.validate(enveloped.schema, enveloped.parse(query)) as readonly Error[]).map((e) => e.message);
  return { ...figures, errors };
}

// abusive documents, each otherwise valid: without the limits the server would run them
const deep = (levels: number) => `{ hosts(first: 1) { edges { node { ${'agent { host { '.repeat(levels)}id${' } }'.repeat(levels)} } } } }`;
const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
const long = (fields: number) => `{ me { ${'id '.repeat(fields)}} }`;
const COSTLY = '{ alerts(first: 100) { edges { node { id history(first: 100) { id at kind toState message } } } } }';
const directives = (n: number) => `{ me { ${'id @include(if: true) '.repeat(n)}} }`;

type Errors = NonNullable<GqlResult['errors']>;
const codes = (errors: Errors | undefined) => (errors ?? []).map((e) => e.extensions?.code);

/** Refusals at parse or validation: none may meet a real document. */
const REFUSED = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX', 'INTROSPECTION_DISABLED'];

/**
 * A value for each declared variable that its type refuses (JSON takes anything): the operation
 * stops at variable coercion, after parse and validation, so nothing runs.
 */
function unusableVariables(query: string): Record<string, unknown> {
  const op = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return Object.fromEntries((op.variableDefinitions ?? []).map((v) => [v.variable.name.value, { unusable: true }]));
}

/**
 * Sends every real document to the server without a token and with unusable variables: it gets past
 * parse and validation, then stops at variable coercion or at the fields' authorization (anonymous
 * may only log in), so nothing runs, no mutation changes anything and no subscription stays open.
 */
async function expectAllAccepted(s: TestServer): Promise<void> {
  for (const doc of documents) {
    const r = await s.gql(doc.query, unusableVariables(doc.query));
    const refused = (r.errors ?? []).filter((e) => REFUSED.includes(String(e.extensions?.code)));
    expect(refused, doc.source).toEqual([]);
    // answered by GraphQL past validation (an error: coercion or authorization), not refused in
    // front of it (401, 429)
    expect([200, 400], `${doc.source}: HTTP ${r.status}`).toContain(r.status);
    expect(r.errors?.length, doc.source).toBeGreaterThan(0);
  }
}

describe('the workbench and the agent documents', () => {
  it('are all read, and every one fits every limit with room', () => {
    // a sanity floor: the reader found the pages' documents (80 when written), not a handful
    expect(documents.length).toBeGreaterThan(60);
    expect(new Set(documents.map((d) => d.client))).toEqual(new Set(['workbench', 'agent']));
    const largest = { depth: 0, aliases: 0, tokens: 0, cost: 0, directives: 0 };
    const where: Record<string, string> = {};
    for (const doc of documents) {
      const m = measure(doc.query);
      expect(m.errors, `${doc.source} is not valid against the schema`).toEqual([]);
      for (const limit of Object.keys(largest) as LimitName[]) {
        if (m[limit] > largest[limit]) [largest[limit], where[limit]] = [m[limit], doc.source];
      }
      expect(m.depth, doc.source).toBeLessThanOrEqual(defaults.maxDepth);
      expect(m.aliases, doc.source).toBeLessThanOrEqual(defaults.maxAliases);
      expect(m.tokens, doc.source).toBeLessThanOrEqual(defaults.maxTokens);
      expect(m.cost, doc.source).toBeLessThanOrEqual(defaults.maxCost);
      expect(m.directives, doc.source).toBeLessThanOrEqual(defaults.maxDirectives);
    }
    // room to grow: the largest uses at most half of each limit (a third of the cost)
    expect(largest.depth * 2).toBeLessThanOrEqual(defaults.maxDepth);
    expect(largest.aliases * 2).toBeLessThanOrEqual(defaults.maxAliases);
    expect(largest.tokens * 2).toBeLessThanOrEqual(defaults.maxTokens);
    expect(largest.cost * 3).toBeLessThanOrEqual(defaults.maxCost);
    console.info('largest real documents', JSON.stringify({ largest, where, limits: defaults, documents: documents.length }));
  });

  it('measures what the abusive documents of this file have, so each trips the limit it is meant to', () => {
    expect(measure(deep(20)).depth).toBe(44);
    expect(measure(aliased(50))).toMatchObject({ aliases: 50, errors: [] });
    expect(measure(aliased(50)).tokens).toBeLessThan(defaults.maxTokens);
    expect(measure(long(5000)).tokens).toBe(5005);
    expect(measure(COSTLY)).toMatchObject({ errors: [] });
    expect(measure(COSTLY).cost).toBeGreaterThan(defaults.maxCost);
    expect(measure(COSTLY).depth).toBeLessThanOrEqual(defaults.maxDepth);
    expect(measure(directives(50))).toMatchObject({ directives: 50, errors: [] });
    expect(measure(directives(50)).tokens).toBeLessThan(defaults.maxTokens);
  });
});

/** A database handle that counts every statement sent through it. */
function countingDatabase(db: Database): { db: Database; statements: () => number } {
  let n = 0;
  const prisma = db.prisma.$extends({
    query: {
      $allOperations({ args, query }) {
        n++;
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  const counted =
    <F extends (...args: any[]) => any>(fn: F) =>
    (...args: Parameters<F>): ReturnType<F> => {
      n++;
      return fn(...args);
    };
  const sql = {
    ...db.sql,
    query: counted(db.sql.query),
    exec: counted(db.sql.exec),
    copyFrom: counted(db.sql.copyFrom),
    transaction: counted(db.sql.transaction),
    withConnection: counted(db.sql.withConnection),
  } as Sql;
  return { db: { ...db, prisma, sql }, statements: () => n };
}

describe(`GraphQL abuse limits (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let token: string;
  let counting: { app: App; url: string; statements: () => number };
  /** What a request costs that yoga refuses at parse: everything in front of GraphQL, no more. */
  let baseline: { statements: number; codes: unknown[] };

  /** Another app on the test server's database and services, listening on its own port. */
  async function listen(db: Database, env: Record<string, string> = {}): Promise<{ app: App; url: string }> {
    const app = createApp({ db, bus: s.bus, store: s.store, log: createLogger('silent'), config: loadConfig(env), notify: s.notify, signer: s.signer });
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  }

  beforeAll(async () => {
    s = await startTestServer();
    token = await s.login();
    const { db, statements } = countingDatabase(s.testDb);
    counting = { ...(await listen(db)), statements };
    const unparsable = await counted({ query: '{ me { id ' });
    baseline = { statements: unparsable.statements, codes: codes(unparsable.json.errors) };
  });
  afterAll(async () => {
    await counting?.app.close();
    await s?.close();
  });

  /** POSTs a body to the counting app; returns the answer and the statements it cost. */
  async function counted(body: unknown): Promise<{ status: number; json: any; statements: number }> {
    const before = counting.statements();
    const res = await fetch(`${counting.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    return { status: res.status, json, statements: counting.statements() - before };
  }

  it('a valid operation costs more statements than one that does not parse: the counter sees the resolver', async () => {
    expect(baseline.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
    const r = await counted({ query: '{ me { id email } }' });
    expect(r.status).toBe(200);
    expect(r.json.data.me.email).toBe('admin@localhost');
    expect(r.statements).toBeGreaterThan(baseline.statements);
    console.info(`statements: unparsable document ${baseline.statements}, { me { id email } } ${r.statements}`);
  });

  const abusive: [string, unknown, RegExp][] = [
    ['20 levels of agent { host { … } }', { query: deep(20) }, /^the operation is nested 44 levels deep; this server allows 12 \(ESMON_GRAPHQL_MAX_DEPTH\)/],
    ['50 aliases', { query: aliased(50) }, /^the operation uses 50 aliases; this server allows 20 \(ESMON_GRAPHQL_MAX_ALIASES\)/],
    ['500 aliases (more tokens than 1000 allow)', { query: aliased(500) }, /^the operation is longer than the 1000 tokens this server accepts \(ESMON_GRAPHQL_MAX_TOKENS\)/],
    ['5000 fields', { query: long(5000) }, /^the operation is longer than the 1000 tokens this server accepts \(ESMON_GRAPHQL_MAX_TOKENS\)/],
    ['100 alerts × 100 events', { query: COSTLY }, /^the operation has an estimated cost of \d+; this server allows 50000 \(ESMON_GRAPHQL_MAX_COST\)/],
    ['50 @include directives', { query: directives(50) }, /^the operation uses 50 directives; this server allows 10 \(ESMON_GRAPHQL_MAX_DIRECTIVES\)/],
    ['a batch of two', [{ query: '{ me { id } }' }, { query: '{ me { email } }' }], /^batched operations are not accepted \(the body is a JSON array of 2\): send one operation per request/],
  ];

  it.each(abusive)('refuses %s with a 400 and a clear message, before any SQL', async (name, body, message) => {
    const r = await counted(body);
    const errors: Errors = r.json.errors;
    console.info(`abusive: ${name} → ${r.status} ${JSON.stringify(errors.map((e) => ({ message: e.message, code: e.extensions?.code })))}`);
    expect(r.status).toBe(400);
    expect(r.json.data).toBeUndefined();
    // 44 levels of agent { host } also cost more than allowed: both limits speak
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringMatching(message));
    expect(new Set(codes(errors))).toEqual(new Set([name === 'a batch of two' ? 'BATCH_REFUSED' : 'QUERY_TOO_COMPLEX']));
    expect(r.statements).toBe(baseline.statements);
  });

  it('refuses the same documents over graphql-ws, before any SQL, and the socket goes on serving', async () => {
    const client = wsClient(counting.url, token);
    let before = counting.statements();
    await expect(subscribe(client, '{ me { id ').next()).rejects.toThrow(/Syntax Error/);
    const wsBaseline = counting.statements() - before;
    before = counting.statements();
    const refused = [
      [deep(20), /nested 44 levels deep; this server allows 12/],
      [aliased(50), /uses 50 aliases; this server allows 20/],
      [long(5000), /longer than the 1000 tokens/],
      [COSTLY, /estimated cost of \d+; this server allows 50000/],
      [directives(50), /uses 50 directives; this server allows 10/],
      [`subscription { hostStatusChanged { hostId ${'__typename @include(if: true) '.repeat(20)}} }`, /uses 20 directives/],
    ] as const;
    for (const [query, message] of refused) {
      await expect(subscribe(client, query).next()).rejects.toThrow(message);
    }
    expect(counting.statements() - before).toBe(refused.length * wsBaseline);
    // the connection still answers a valid operation, which costs more
    before = counting.statements();
    const ok = subscribe<any>(client, '{ me { email } }');
    expect((await ok.next()).me.email).toBe('admin@localhost');
    expect(counting.statements() - before).toBeGreaterThan(wsBaseline);
    await client.dispose();
  });

  it('accepts every real document: the server parses and validates each in full', async () => {
    await expectAllAccepted(s);
  });

  it('takes the limits from the settings: set below the costliest real document, that one is refused', async () => {
    const costliest = documents.reduce((a, b) => (measure(b.query).cost > measure(a.query).cost ? b : a));
    expect(measure(costliest.query).cost).toBeGreaterThan(10_000);
    const tight = await listen(s.testDb, { ESMON_GRAPHQL_MAX_COST: '10000' });
    try {
      const res = await fetch(`${tight.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: costliest.query }),
      });
      const body = (await res.json()) as GqlResult;
      expect(res.status).toBe(400);
      expect(body.errors![0]!.message).toMatch(/^the operation has an estimated cost of \d+; this server allows 10000 \(ESMON_GRAPHQL_MAX_COST\)/);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 10000 });
    } finally {
      await tight.app.close();
    }
  });

  it('accepts small batches when ESMON_GRAPHQL_MAX_BATCH allows them, each operation still limited', async () => {
    const batching = await listen(s.testDb, { ESMON_GRAPHQL_MAX_BATCH: '2' });
    const post = async (body: unknown) => {
      const res = await fetch(`${batching.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    try {
      const two = await post([{ query: '{ me { email } }' }, { query: deep(20) }]);
      expect(two.status).toBe(200);
      expect(two.json[0]).toEqual({ data: { me: { email: 'admin@localhost' } } });
      expect(codes(two.json[1].errors)).toContain('QUERY_TOO_COMPLEX');
      const three = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }, { query: '{ me { id } }' }]);
      expect(three.status).toBe(400);
      expect(three.json.errors[0].message).toBe('at most 2 operations are accepted in one batch, got 3 (ESMON_GRAPHQL_MAX_BATCH)');
    } finally {
      await batching.app.close();
    }
  });

  it('suggests field names while introspection is on', async () => {
    const r = await s.gql('{ hostz { id } }', {}, token);
    expect(r.errors![0]!.message).toBe('Cannot query field "hostz" on type "Query". Did you mean "host" or "hosts"?');
  });

  it('keeps GraphiQL and its introspection query working while both are on (the default)', async () => {
    const page = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('esmon GraphQL');
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true });
    const r = await s.gql(query, {}, token);
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect((r.data as any).__schema.queryType.name).toBe('Query');
  });
});

describe(`introspection and GraphiQL off (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer({ ESMON_GRAPHQL_INTROSPECTION: 'off', ESMON_GRAPHIQL: 'off' });
    token = await s.login();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses __schema and __type with a 400 saying introspection is off, over HTTP and graphql-ws', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Host") { name fields { name } } }', getIntrospectionQuery()]) {
      const r = await s.gql(query, {}, token);
      expect(r.status).toBe(400);
      expect(r.data).toBeUndefined();
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]!.message).toMatch(/^introspection is turned off on this server \(ESMON_GRAPHQL_INTROSPECTION=off\): "__(schema|type)" cannot be queried$/);
      expect(codes(r.errors)).toEqual(['INTROSPECTION_DISABLED']);
    }
    const client = wsClient(s.url, token);
    await expect(subscribe(client, '{ __schema { types { name } } }').next()).rejects.toThrow(/introspection is turned off/);
    await client.dispose();
  });

  it('hides field suggestions, which would name the schema bit by bit', async () => {
    const r = await s.gql('{ hostz { id } }', {}, token);
    expect(r.errors![0]!.message).toBe('Cannot query field "hostz" on type "Query". [Suggestion hidden]');
  });

  it('still answers __typename, which urql adds to every selection', async () => {
    const r = await s.gql('{ __typename me { __typename id email } }', {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ __typename: 'Query', me: { __typename: 'User', id: expect.any(String), email: 'admin@localhost' } });
  });

  it('accepts every real document: the workbench needs no introspection (graphcache has no schema)', async () => {
    await expectAllAccepted(s);
  });

  it('serves no GraphiQL page and no GraphiQL assets', async () => {
    const page = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('esmon GraphQL');
    expect(page.status).toBeGreaterThanOrEqual(400);
    const asset = await fetch(`${s.url}/graphiql/assets/yoga-graphiql.es.js`);
    expect(asset.headers.get('content-type') ?? '').not.toMatch(/javascript/);
  });
});
