// Every root field as every principal against the running server (HTTP for queries and mutations,
// graphql-ws for subscriptions), compared with the reviewed decisions of access-matrix.ts; and the
// matrix holds exactly the schema's root fields.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { schema } from '../src/graphql/schema.ts';
import { accessMatrix, mayUse, missingDecision, PRINCIPALS, type Principal } from './access-matrix.ts';
import { DUMMY_STRING, operationFor, outcomeOf, PAST_AUTH, REFUSALS, rootFields, type AnswerError } from './access-operation.ts';
import { batchFor, startTestServer, type TestServer } from './harness.ts';
import { wsClient } from './live-client.ts';

/** Replacements for dummies a field would refuse as a wrong credential (UNAUTHENTICATED, which says
 *  nothing about who may call it): empty ones fail validation before any credential is checked. */
const ARGUMENTS: Record<string, Record<string, unknown>> = {
  'Mutation.login': { password: '' },
  'Mutation.enrollAgent': { token: '' },
};
/** Fields that end the caller's session: they get a fresh token of the principal. */
const ENDS_SESSION = new Set(['Mutation.logout']);
/** The order of the queries and mutations: the most powerful last, so nothing an allowed mutation
 *  might change (the dummies name nothing) can weaken a check that comes after it. */
const ORDER: Principal[] = ['anonymous', 'agent', 'integration:viewer', 'viewer', 'integration:analyst', 'analyst', 'integration:admin', 'admin'];
/** How long an allowed subscription must stay open without an error; a refusal is awaited longer. */
const OPEN_MS = 1000;
const REFUSAL_WAIT_MS = 10_000;
/** What an allowed field may answer: its value, a subscription still open, or an input error. */
const ALLOWED: readonly string[] = ['value', 'open', ...PAST_AUTH];

interface Check {
  field: string;
  principal: Principal;
  outcome: string;
}

function mint(s: TestServer, principal: Principal): Promise<string | undefined> {
  switch (principal) {
    case 'anonymous':
      return Promise.resolve(undefined);
    case 'agent':
      // bound to the host the dummy hostname names, so an ingest of dummies is for its own host
      return s.agentKey(DUMMY_STRING);
    case 'viewer':
    case 'analyst':
    case 'admin':
      return s.userToken(principal);
    case 'integration:viewer':
      return s.integrationKey('viewer');
    case 'integration:analyst':
      return s.integrationKey('analyst');
    case 'integration:admin':
      return s.integrationKey('admin');
  }
}

const nameOf = (field: string) => field.slice(field.indexOf('.') + 1);

/** Runs `run` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

/** A socket the server closed: graphql-ws's 4401 and 4403 are refusals at connect time. */
function closeOutcome(e: unknown): string {
  const { code, reason } = e as { code?: number; reason?: string };
  if (code === 4401) return 'UNAUTHENTICATED';
  if (code === 4403) return 'FORBIDDEN';
  return `socket closed: ${code ?? ''} ${reason ?? String(e)}`;
}

/** Subscribes and settles on the first answer: an event ('value'), an error's code, or 'open' when
 *  nothing came within `waitMs`. */
function subscribeOutcome(client: Client, field: string, now: Date, waitMs: number): Promise<string> {
  const op = operationFor(schema, field, { now, args: ARGUMENTS[field] });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string, unsubscribe: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      // only a live subscription is ended here: after an error the server completes it itself, and
      // releasing it twice makes graphql-ws count a lock too few and close the shared socket
      if (unsubscribe) end();
    };
    const timer = setTimeout(() => settle('open', true), waitMs);
    const end = client.subscribe(op, {
      next: (r) => (r.errors ? settle(outcomeOf(r.errors as AnswerError[], nameOf(field)), false) : settle('value', true)),
      error: (e) => settle(Array.isArray(e) ? outcomeOf(e as AnswerError[], nameOf(field)) : closeOutcome(e), false),
      complete: () => settle('completed without an event', false),
    });
  });
}

function verdict({ field, principal, outcome }: Check): string | undefined {
  const may = mayUse(field, principal);
  const refused = REFUSALS.includes(outcome);
  if (may && refused) return `${field} as ${principal}: the matrix allows it, the server refused it (${outcome})`;
  if (!may && !refused) {
    return `${field} as ${principal}: the matrix refuses it, the server answered ${outcome === 'value' ? 'with its value' : outcome}: close the hole in the field's authScopes, or change the decision`;
  }
  if (may && !ALLOWED.includes(outcome)) return `${field} as ${principal}: allowed, but the answer is "${outcome}", neither its value nor an input error`;
  return undefined;
}

describe(`the access matrix (${testDatabaseKind()})`, () => {
  it('has a decision for every root field of the schema, and none for a field the schema lacks', () => {
    const fields = rootFields(schema);
    const stale = Object.keys(accessMatrix).filter((f) => !fields.includes(f));
    expect([
      ...fields.filter((f) => !(f in accessMatrix)).map(missingDecision),
      ...stale.map((f) => `${f} is in accessMatrix (apps/server/test/access-matrix.ts) but not in the schema: remove it`),
    ]).toEqual([]);
  });

  describe('against the running server', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer();
      // a host with series and gauges, so lists hold objects whose own auth rules run
      expect((await s.ingest(batchFor(DUMMY_STRING), await s.agentKey(DUMMY_STRING))).status).toBe(200);
    });
    afterAll(async () => {
      await s?.close();
    });

    it(`answers every root field as the matrix decides, for each of ${PRINCIPALS.length} principals`, async () => {
      const now = new Date();
      const fields = rootFields(schema);
      const decided = fields.filter((f) => f in accessMatrix);
      const subscriptions = decided.filter((f) => f.startsWith('Subscription.'));
      const operations = decided.filter((f) => !f.startsWith('Subscription.'));
      const checks: Check[] = [];

      // subscriptions change nothing: every principal at once, one connection each
      await Promise.all(PRINCIPALS.map(async (principal) => {
        const client = wsClient(s.url, await mint(s, principal));
        await Promise.all(subscriptions.map(async (field) => {
          const waitMs = mayUse(field, principal) ? OPEN_MS : REFUSAL_WAIT_MS;
          checks.push({ field, principal, outcome: await subscribeOutcome(client, field, now, waitMs) });
        }));
        await client.dispose();
      }));

      for (const principal of ORDER) {
        const token = await mint(s, principal);
        await eachLimited(operations, 8, async (field) => {
          const op = operationFor(schema, field, { now, args: ARGUMENTS[field] });
          const r = await s.gql(op.query, op.variables, ENDS_SESSION.has(field) ? await mint(s, principal) : token);
          checks.push({ field, principal, outcome: outcomeOf(r.errors, nameOf(field)) });
        });
      }

      const denied = checks.filter((c) => REFUSALS.includes(c.outcome)).length;
      // subscriptions left out: whether a first event beats the window depends on the machine's load
      const withValue = checks.filter((c) => c.outcome === 'value' && !c.field.startsWith('Subscription.')).length;
      console.log(JSON.stringify({
        accessMatrix: { fields: decided.length, principals: PRINCIPALS.length, checks: checks.length, allowed: checks.length - denied, denied, answeredWithValue: withValue },
      }));
      const mismatches = checks.map(verdict).filter((v): v is string => v !== undefined).sort();
      const problems = [...fields.filter((f) => !(f in accessMatrix)).map(missingDecision), ...mismatches];
      expect(problems).toEqual([]);
      expect(checks).toHaveLength(decided.length * PRINCIPALS.length);
    }, 120_000);
  });
});
