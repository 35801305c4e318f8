import { describe, expect, it } from 'vitest';
import { hostInScope, hostScopeSchema, ruleScopeSchema } from './scope.ts';

const web = { id: 3, hostname: 'maximo-web-01', labels: { env: 'prod', role: 'web' } };

describe('rule and maintenance scope', () => {
  it.each([
    [{}, true],
    [{ hostIds: [3, 4] }, true],
    [{ hostIds: [4] }, false],
    [{ labels: { env: 'prod' } }, true],
    [{ labels: { env: 'test' } }, false],
    [{ labels: { constructor: 'x' } }, false],
    [{ hostnamePattern: 'maximo-*' }, true],
    [{ hostnamePattern: 'MAXIMO-WEB-0?' }, true],
    [{ hostnamePattern: 'maximo' }, false],
    [{ hostnamePattern: 'maximo-*', labels: { role: 'db' } }, false],
  ])('%j covers maximo-web-01: %s', (scope, covered) => {
    expect(hostInScope(hostScopeSchema.parse(scope), web)).toBe(covered);
  });

  it('refuses patterns that are not globs, unknown keys and bad label names', () => {
    expect(hostScopeSchema.safeParse({ hostnamePattern: '(a+)+$' }).success).toBe(false);
    expect(hostScopeSchema.safeParse({ hosts: [1] }).success).toBe(false);
    expect(ruleScopeSchema.safeParse({ groupBy: ['mount point'] }).success).toBe(false);
    expect(ruleScopeSchema.parse({ groupBy: ['mount'] })).toEqual({ groupBy: ['mount'] });
  });
});
