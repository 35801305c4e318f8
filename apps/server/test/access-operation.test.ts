import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationFor, outcomeOf, rootFields, selectionFor, type AnswerError } from './access-operation.ts';

const schema = buildSchema(`
  scalar DateTime
  scalar JSON
  scalar Odd
  enum Role { admin viewer }
  input Sample { metric: String!, ts: DateTime!, labels: JSON }
  input Batch { id: String!, role: Role!, samples: [Sample!]!, note: String, limit: Int! = 5 }
  type Thing { count: Int!, id: ID!, owner: Owner }
  type Owner { name: String!, at: DateTime! }
  type Gauge { nested: Owner!, score(by: Int!): Float!, at: DateTime! }
  type PageInfo { hasNextPage: Boolean! }
  type ThingEdge { cursor: String!, node: Thing! }
  type ThingConnection { edges: [ThingEdge!]!, pageInfo: PageInfo! }
  type Query { thing(id: ID!, deep: Boolean): Thing, things(first: Int): ThingConnection!, gauge: Gauge!, names: [String!]!, odd(o: Odd!): Int! }
  type Mutation { push(batch: Batch!, dryRun: Boolean, at: [DateTime!]!): Int!, rate(x: Float!, n: Int!, b: Boolean!, j: JSON!): Thing! }
  type Subscription { ticks(thingId: ID!): Owner! }
`);
const now = new Date('2026-12-07T10:00:00.000Z');

describe('operationFor', () => {
  it.each([
    ['Query.thing', 'query ($id: ID!) { thing(id: $id) { __typename id } }', { id: '999999999' }],
    ['Query.things', 'query { things { __typename edges { node { __typename id } } } }', {}],
    ['Query.gauge', 'query { gauge { __typename at } }', {}],
    ['Query.names', 'query { names }', {}],
    [
      'Mutation.push',
      'mutation ($batch: Batch!, $at: [DateTime!]!) { push(batch: $batch, at: $at) }',
      { batch: { id: 'x', role: 'admin', samples: [{ metric: 'x', ts: now.toISOString() }] }, at: [now.toISOString()] },
    ],
    ['Mutation.rate', 'mutation ($x: Float!, $n: Int!, $b: Boolean!, $j: JSON!) { rate(x: $x, n: $n, b: $b, j: $j) { __typename id } }', { x: 1, n: 1, b: false, j: {} }],
    ['Subscription.ticks', 'subscription ($thingId: ID!) { ticks(thingId: $thingId) { __typename name } }', { thingId: '999999999' }],
  ])('%s → %s', (field, query, variables) => {
    expect(operationFor(schema, field, { now })).toEqual({ query, variables });
  });

  it('passes the given arguments instead of dummies, optional ones too', () => {
    expect(operationFor(schema, 'Query.thing', { now, args: { id: '', deep: true } })).toEqual({
      query: 'query ($id: ID!, $deep: Boolean) { thing(id: $id, deep: $deep) { __typename id } }',
      variables: { id: '', deep: true },
    });
  });

  it('says which scalar lacks a dummy and where to add one', () => {
    expect(() => operationFor(schema, 'Query.odd', { now })).toThrow(/scalar Odd: add one to dummyScalar in apps\/server\/test\/access-operation\.ts/);
  });

  it('refuses a field the schema does not have', () => {
    expect(() => operationFor(schema, 'Query.gone', { now })).toThrow('Query.gone is not a root field of the schema');
  });

  it('lists the root fields as Type.name', () => {
    expect(rootFields(schema)).toEqual(['Query.thing', 'Query.things', 'Query.gauge', 'Query.names', 'Query.odd', 'Mutation.push', 'Mutation.rate', 'Subscription.ticks']);
  });

  it('selects nothing of a list of leaves and a leaf without arguments of an object', () => {
    expect(selectionFor(schema.getQueryType()!.getFields().names!.type)).toBe('');
    expect(selectionFor(schema.getQueryType()!.getFields().gauge!.type)).toBe('{ __typename at }');
  });
});

describe('outcomeOf', () => {
  const err = (code: string | undefined, path?: string[]): AnswerError => ({ message: `m ${code}`, path, extensions: code ? { code } : {} });
  it.each<[string, AnswerError[] | undefined, string]>([
    ['no errors', undefined, 'value'],
    ['an empty list', [], 'value'],
    ['an input error on the field', [err('BAD_USER_INPUT', ['thing'])], 'BAD_USER_INPUT'],
    ['a refusal deeper in the field, after another error', [err('NOT_FOUND', ['thing']), err('FORBIDDEN', ['thing', 'id'])], 'FORBIDDEN'],
    ['an error of another field', [err('FORBIDDEN', ['other'])], 'value'],
    ['an error of the whole request', [err('UNAUTHENTICATED')], 'UNAUTHENTICATED'],
    ['a masked error', [{ message: 'Unexpected error.', path: ['thing'] }], 'no code: Unexpected error.'],
  ])('%s', (_, errors, outcome) => {
    expect(outcomeOf(errors, 'thing')).toBe(outcome);
  });
});
