// Every mutation is classified for the audit log (what it acts on, whether it is configuration),
// so a new one cannot slip in unconsidered; and the table names no mutation that is gone.
import { describe, expect, it } from 'vitest';
import { AUDIT_SPECS } from './audit-targets.ts';
import { schema } from './schema.ts';

const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();

describe('the audit table', () => {
  it('has an entry for every mutation (add one to AUDIT_SPECS in audit-targets.ts)', () => {
    expect(mutations.filter((m) => !Object.hasOwn(AUDIT_SPECS, m))).toEqual([]);
  });

  it('names only mutations that exist', () => {
    expect(Object.keys(AUDIT_SPECS).filter((m) => !mutations.includes(m))).toEqual([]);
  });

  it('takes ids from the arguments before the call and from the result of a creation', () => {
    expect(AUDIT_SPECS.updateRule!.id!({ id: '7' }, undefined)).toBe('7');
    expect(AUDIT_SPECS.createRule!.id!({}, undefined)).toBeUndefined();
    expect(AUDIT_SPECS.createRule!.id!({}, { ruleId: 9, warnings: [] })).toBe(9);
    expect(AUDIT_SPECS.createApiKey!.id!({}, { secret: 'esm_i_x', apiKey: { id: 4 } })).toBe(4);
    expect(AUDIT_SPECS.setRetentionPolicy!.id!({ resolution: '1m', keepDays: 3 }, undefined)).toBe('1m');
  });

  it('keeps the email of a login, never its password', () => {
    const details = AUDIT_SPECS.login!.details!({ email: 'a@b.test', password: 'pw-123456' });
    expect(details).toEqual({ email: 'a@b.test' });
  });
});
