import { describe, expect, it } from 'vitest';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { limitError, noIntrospection, type LimitName } from './operation-limits.ts';

describe('limitError', () => {
  it.each<[LimitName, number, string, string]>([
    ['depth', 12, 'Syntax Error: Query depth limit of 12 exceeded, found 44.', 'the operation is nested 44 levels deep; this server allows 12 (ESMON_GRAPHQL_MAX_DEPTH)'],
    ['aliases', 20, 'Syntax Error: Aliases limit of 20 exceeded, found 50.', 'the operation uses 50 aliases; this server allows 20 (ESMON_GRAPHQL_MAX_ALIASES)'],
    ['cost', 50000, 'Syntax Error: Query Cost limit of 50000 exceeded, found 321912.5.', 'the operation has an estimated cost of 321913; this server allows 50000 (ESMON_GRAPHQL_MAX_COST)'],
    ['directives', 10, 'Syntax Error: Directives limit of 10 exceeded, found 50.', 'the operation uses 50 directives; this server allows 10 (ESMON_GRAPHQL_MAX_DIRECTIVES)'],
    ['tokens', 1000, 'Syntax Error: Token limit of 1000 exceeded.', 'the operation is longer than the 1000 tokens this server accepts (ESMON_GRAPHQL_MAX_TOKENS)'],
    // armor's wording changed: the limit and the setting are still named
    ['depth', 12, 'Query validation error.', "the operation exceeds this server's depth limit of 12 (ESMON_GRAPHQL_MAX_DEPTH)"],
  ])('%s over %d, armor said "%s"', (limit, max, armor, message) => {
    const error = limitError(limit, max, armor);
    expect(error.message).toBe(`${message}: split it into smaller operations`);
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, max });
  });
});

describe('noIntrospection', () => {
  const schema = buildSchema('type Query { host: Host } type Host { id: ID! name: String }');
  const errors = (query: string) => validate(schema, parse(query), [...specifiedRules, noIntrospection]).map((e) => e.message);

  it.each([
    ['{ __schema { types { name fields { name } } } }', ['"__schema" cannot be queried']],
    ['{ __type(name: "Host") { name } }', ['"__type" cannot be queried']],
    ['{ host { id } a: __type(name: "Host") { name } b: __schema { queryType { name } } }', ['"__type" cannot be queried']],
    ['query Q { ...F } fragment F on Query { __schema { types { ...T } } } fragment T on __Type { name fields { name } }', ['"__schema" cannot be queried']],
    ['{ __typename host { __typename id } }', []],
  ])('%s', (query, expected) => {
    expect(errors(query)).toEqual(expected.map((e) => `introspection is turned off on this server (ESMON_GRAPHQL_INTROSPECTION=off): ${e}`));
  });
});
