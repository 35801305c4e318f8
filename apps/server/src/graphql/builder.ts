// The one Pothos builder. Every field carries an auth rule (scope-auth); the schema test fails
// for a root field or object type without one.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { getDatamodel, type PothosPrismaTypes } from '@esmon/db';
import { canIngest, hasRole } from '../auth/principal.ts';
import type { GraphQLContext } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PothosPrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  AuthScopes: {
    /** anyone, the anonymous included (login only) */
    public: boolean;
    /** a logged-in person */
    user: boolean;
    viewer: boolean;
    analyst: boolean;
    admin: boolean;
    /** agent keys for their own host, analysts and admins */
    ingest: boolean;
    /** an agent key: its own host's configuration */
    agent: boolean;
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: {
    // the client is only read through the context; the DMMF gives the model types
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
  },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      user: ctx.principal.kind === 'user',
      viewer: hasRole(ctx.principal, 'viewer'),
      analyst: hasRole(ctx.principal, 'analyst'),
      admin: hasRole(ctx.principal, 'admin'),
      ingest: canIngest(ctx.principal),
      agent: ctx.principal.kind === 'agent',
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.principal.kind === 'anonymous'
        ? new GraphQLError('log in first: send Authorization: Bearer <token>', { extensions: { code: 'UNAUTHENTICATED' } })
        : new GraphQLError('not allowed for your role', { extensions: { code: 'FORBIDDEN' } }),
  },
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'number' ? new Date(value) : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 string or milliseconds since the epoch', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant: ISO-8601 on output; ISO-8601 or epoch milliseconds on input',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast: ValueNode) =>
    parseDate(ast.kind === Kind.STRING ? ast.value : ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

function literalToValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToValue);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToValue(f.value)]));
    default:
      throw new GraphQLError('JSON literals cannot hold variables or enums', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value (label sets, configuration objects)',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literalToValue,
});

builder.queryType({ authScopes: { public: true } });
builder.mutationType({ authScopes: { public: true } });
builder.subscriptionType({ authScopes: { public: true } });
