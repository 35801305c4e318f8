import { describe, expect, it } from 'vitest';
import { createLoginGuard, type LoginLimits } from './login-guard.ts';

const perMinute = (count: number) => ({ count, periodMs: 60_000, burst: count, text: `${count}/1m` });
const limits: LoginLimits = {
  perAddress: perMinute(1000),
  perAccount: perMinute(1000),
  backoffAfter: 3,
  accountBackoffAfter: 6,
  backoffMaxMs: 8_000,
};

function setup(overrides: Partial<LoginLimits> = {}) {
  let clock = 1_000_000;
  const guard = createLoginGuard({ ...limits, ...overrides, now: () => clock, maxKeys: 1_000 });
  /** an attempt that fails when admitted; the refusal's limit and Retry-After, or 'checked' */
  const attempt = async (email: string, address: string, outcome: 'fail' | 'succeed' = 'fail') => {
    const refused = await guard.admit(email, address);
    if (refused) return `${refused.limit} ${refused.retryAfterSeconds}s`;
    await (outcome === 'fail' ? guard.failed(email, address) : guard.succeeded(email, address));
    return 'checked';
  };
  return { guard, attempt, advance: (ms: number) => (clock += ms) };
}

describe('the login guard', () => {
  it('backs off an account from one address: 1 s, 2 s, 4 s, capped, even for the right password', async () => {
    const { attempt, advance } = setup();
    const seen: string[] = [];
    for (const wait of [0, 0, 0, 0, 1_000, 0, 2_000, 4_000, 8_000, 8_000]) {
      advance(wait);
      seen.push(await attempt('admin@x', '10.0.0.1'));
    }
    expect(seen).toEqual([
      'checked', 'checked', 'checked', // the third failure locks for 1 s
      'login-backoff 1s',
      'checked', // after 1 s; its failure locks for 2 s
      'login-backoff 2s',
      'checked', 'checked', 'checked', 'checked', // 4 s, then 8 s, the cap
    ]);
    expect(await attempt('admin@x', '10.0.0.1', 'succeed')).toBe('login-backoff 8s');
    advance(8_000);
    expect(await attempt('admin@x', '10.0.0.1', 'succeed')).toBe('checked');
    // a success resets: three more failures before the next lock
    expect([await attempt('admin@x', '10.0.0.1'), await attempt('admin@x', '10.0.0.1'), await attempt('admin@x', '10.0.0.1')]).toEqual(['checked', 'checked', 'checked']);
    expect(await attempt('admin@x', '10.0.0.1')).toBe('login-backoff 1s');
  });

  it('one account is one account, however its email is written', async () => {
    const { attempt } = setup();
    for (const email of ['Admin@X', ' admin@x', 'ADMIN@x ']) await attempt(email, '10.0.0.1');
    expect(await attempt('admin@x', '10.0.0.1')).toBe('login-backoff 1s');
  });

  it('failures from one address do not lock the account from another, nor another account', async () => {
    const { attempt } = setup();
    for (let i = 0; i < 3; i++) await attempt('admin@x', '10.0.0.1');
    expect(await attempt('admin@x', '10.0.0.1')).toBe('login-backoff 1s');
    expect(await attempt('admin@x', '10.0.0.2', 'succeed')).toBe('checked');
    expect(await attempt('other@x', '10.0.0.1', 'succeed')).toBe('checked');
  });

  it('many addresses failing lock the account, except from addresses it logged in from before', async () => {
    const { attempt, advance } = setup();
    expect(await attempt('admin@x', '10.0.0.99', 'succeed')).toBe('checked'); // the admin's own workstation
    for (let i = 0; i < 6; i++) await attempt('admin@x', `203.0.113.${i}`);
    expect(await attempt('admin@x', '203.0.113.200', 'succeed')).toBe('login-backoff-account 1s');
    expect(await attempt('admin@x', '10.0.0.99', 'succeed')).toBe('checked');
    advance(1_000);
    expect(await attempt('admin@x', '203.0.113.200', 'succeed')).toBe('checked');
  });

  it('limits the attempts per address and per account, right or wrong', async () => {
    const { attempt, advance } = setup({ perAddress: perMinute(2), perAccount: perMinute(3) });
    expect(await attempt('a@x', '10.0.0.1', 'succeed')).toBe('checked');
    expect(await attempt('b@x', '10.0.0.1', 'succeed')).toBe('checked');
    expect(await attempt('c@x', '10.0.0.1', 'succeed')).toBe('login-address 30s');
    expect(await attempt('c@x', '10.0.0.2', 'succeed')).toBe('checked');
    // per account, from addresses it never logged in from
    expect(await attempt('d@x', '10.0.1.1')).toBe('checked');
    expect(await attempt('d@x', '10.0.1.2')).toBe('checked');
    expect(await attempt('d@x', '10.0.1.3')).toBe('checked');
    expect(await attempt('d@x', '10.0.1.4')).toBe('login-account 20s');
    advance(20_000);
    expect(await attempt('d@x', '10.0.1.6', 'succeed')).toBe('checked');
    // its address is known now: the account's rate no longer applies there, the address's does
    expect(await attempt('d@x', '10.0.1.5')).toBe('login-account 20s');
    expect(await attempt('d@x', '10.0.1.6', 'succeed')).toBe('checked');
    expect(await attempt('d@x', '10.0.1.6', 'succeed')).toBe('login-address 30s');
  });

  it('a refused attempt is not a failure: waiting out the lock is enough', async () => {
    const { attempt, advance } = setup();
    for (let i = 0; i < 3; i++) await attempt('admin@x', '10.0.0.1');
    for (let i = 0; i < 20; i++) expect(await attempt('admin@x', '10.0.0.1')).toBe('login-backoff 1s');
    advance(1_000);
    expect(await attempt('admin@x', '10.0.0.1', 'succeed')).toBe('checked');
  });
});
