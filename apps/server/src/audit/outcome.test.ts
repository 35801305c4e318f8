import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { outcomeOf } from './outcome.ts';

describe('outcomeOf', () => {
  const cases: [string, unknown, string][] = [
    ['a coded GraphQL error', new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }), 'FORBIDDEN'],
    ['a user input error', new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } }), 'BAD_USER_INPUT'],
    ['an error without a code', new Error('boom'), 'INTERNAL'],
    ['a code that is not one', new GraphQLError('x', { extensions: { code: 'drop table; --' } }), 'INTERNAL'],
    ['not an error at all', 'string', 'INTERNAL'],
    ['nothing', null, 'INTERNAL'],
  ];
  it.each(cases)('%s', (_name, err, expected) => {
    expect(outcomeOf(err)).toBe(expected);
  });
});
