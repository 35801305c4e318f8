// What stands before a password check: rate limits per client address and per account, and a
// back-off after failed logins, per account and address pair (5 failures, then 1 s, 2 s, 4 s … up
// to 15 min) and per account from every address (looser). The account-wide back-off and rate
// never apply to an address the account has logged in from before, so nobody can lock an admin
// out of every address by failing logins in their name.
import { forgetAt, lockRemainingMs, recordFailure, type BackoffPolicy, type FailureRecord } from './backoff.ts';
import { createRateLimiter, refusal, type RateSetting, type Refusal } from './limiter.ts';
import { createMemoryStore, type StateStore } from './state-store.ts';

export interface LoginGuard {
  /** A refusal when this attempt must not even be checked; otherwise the attempt is counted. */
  admit(email: string, address: string): Promise<Refusal | undefined>;
  failed(email: string, address: string): Promise<void>;
  succeeded(email: string, address: string): Promise<void>;
}

export interface LoginLimits {
  /** login attempts per client address */
  perAddress: RateSetting | null;
  /** login attempts per account, from addresses it has not logged in from */
  perAccount: RateSetting | null;
  /** failures of one account from one address before the back-off */
  backoffAfter: number;
  /** failures of one account from all addresses before the account-wide back-off */
  accountBackoffAfter: number;
  /** the longest back-off, ms */
  backoffMaxMs: number;
}

export interface LoginGuardOptions extends LoginLimits {
  now: () => number;
  /** keys tracked per store, see createMemoryStore */
  maxKeys: number;
}

const FIRST_LOCK_MS = 1_000;
const FORGET_FAILURES_MS = 24 * 3_600_000;
/** addresses remembered per account, most recent first, for this long after the last login */
const KNOWN_ADDRESSES = 8;
const KNOWN_FOR_MS = 30 * 86_400_000;

const seconds = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

export function createLoginGuard(options: LoginGuardOptions): LoginGuard {
  const { now, maxKeys } = options;
  const store = <S>(): StateStore<S> => createMemoryStore<S>({ maxKeys });
  const pairs = store<FailureRecord>();
  const accounts = store<FailureRecord>();
  const known = store<string[]>();
  const byAddress = createRateLimiter({ rate: options.perAddress, store: store<number>(), now });
  const byAccount = createRateLimiter({ rate: options.perAccount, store: store<number>(), now });
  const policy = (after: number): BackoffPolicy => ({ after, baseMs: FIRST_LOCK_MS, maxMs: options.backoffMaxMs, forgetMs: FORGET_FAILURES_MS });
  const pairPolicy = policy(options.backoffAfter);
  const accountPolicy = policy(options.accountBackoffAfter);
  const longest = seconds(options.backoffMaxMs);

  // the same normalisation as login itself: " Admin@X " and "admin@x" are one account
  const accountOf = (email: string) => email.trim().toLowerCase();
  const pairOf = (account: string, address: string) => JSON.stringify([account, address]);
  const fail = (records: StateStore<FailureRecord>, key: string, at: number, p: BackoffPolicy) =>
    records.update(key, at, (r) => {
      const next = recordFailure(r, at, p);
      return { state: next, expiresAt: forgetAt(next, at, p), result: undefined };
    });
  const forget = <S>(records: StateStore<S>, key: string, at: number) =>
    records.update(key, at, () => ({ state: undefined, expiresAt: at, result: undefined }));

  return {
    async admit(email, address) {
      const at = now();
      const account = accountOf(email);
      const pairWait = lockRemainingMs(await pairs.get(pairOf(account, address), at), at);
      if (pairWait > 0) {
        return refusal(
          'login-backoff',
          pairWait,
          `too many failed logins for this account from this address: logins are refused for a while, even with the right password (every further failure doubles the wait, up to ${longest})`,
        );
      }
      const isKnown = (await known.get(account, at))?.includes(address) ?? false;
      if (!isKnown) {
        const accountWait = lockRemainingMs(await accounts.get(account, at), at);
        if (accountWait > 0) {
          return refusal(
            'login-backoff-account',
            accountWait,
            `too many failed logins for this account: logins from addresses it has not logged in from are refused for a while, even with the right password (up to ${longest})`,
          );
        }
      }
      const addressWait = await byAddress(address);
      if (addressWait > 0) return refusal('login-address', addressWait, `too many login attempts from this address (at most ${options.perAddress?.text})`);
      if (!isKnown) {
        const accountWait = await byAccount(account);
        if (accountWait > 0) return refusal('login-account', accountWait, `too many login attempts for this account (at most ${options.perAccount?.text})`);
      }
      return undefined;
    },

    async failed(email, address) {
      const at = now();
      const account = accountOf(email);
      await fail(pairs, pairOf(account, address), at, pairPolicy);
      await fail(accounts, account, at, accountPolicy);
    },

    async succeeded(email, address) {
      const at = now();
      const account = accountOf(email);
      await forget(pairs, pairOf(account, address), at);
      await forget(accounts, account, at);
      await known.update(account, at, (list = []) => ({
        state: [address, ...list.filter((a) => a !== address)].slice(0, KNOWN_ADDRESSES),
        expiresAt: at + KNOWN_FOR_MS,
        result: undefined,
      }));
    },
  };
}
