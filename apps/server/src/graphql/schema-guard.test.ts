// Every root field and every object type declares who may use it, and the committed SDL is the
// printed one. A new field without an auth rule, or a schema change without reprinting, fails here.
import { readFileSync } from 'node:fs';
import { isObjectType, type GraphQLFieldMap } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSdl, sdlPath } from './print-schema.ts';
import { schema } from './schema.ts';

type PothosExtensions = { pothosOptions?: { authScopes?: unknown } };
const scopesOf = (ext: unknown) => (ext as PothosExtensions | undefined)?.pothosOptions?.authScopes;

describe('the GraphQL schema', () => {
  it('is committed in schema/schema.graphql exactly as printed (run npm run generate)', () => {
    expect(readFileSync(sdlPath, 'utf8')).toBe(printedSdl());
  });

  it('gives every query, mutation and subscription field an auth rule', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const missing: string[] = [];
    for (const root of roots) {
      const fields: GraphQLFieldMap<unknown, unknown> = root?.getFields() ?? {};
      for (const [name, field] of Object.entries(fields)) {
        if (!scopesOf(field.extensions)) missing.push(`${root!.name}.${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lets the anonymous reach only login and the one-time enrolment of an agent', () => {
    const open: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const [name, field] of Object.entries(root?.getFields() ?? {})) {
        if ((scopesOf(field.extensions) as { public?: boolean }).public) open.push(`${root!.name}.${name}`);
      }
    }
    expect(open.sort()).toEqual(['Mutation.enrollAgent', 'Mutation.login']);
  });

  it('gives every object type an auth rule of its own (connections and edges inherit their field’s)', () => {
    const generated = /(Connection|Edge)$|^PageInfo$|^(Query|Mutation|Subscription)$|^__/;
    const missing = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !generated.test(t.name))
      .filter((t) => !scopesOf(t.extensions))
      .map((t) => t.name);
    expect(missing).toEqual([]);
  });
});
