// Every rate limit of the server, built once from the configuration: ingest and GraphQL per key or
// user (per client address without one), new WebSocket connections per address, and the login
// guard. Each refusal is counted once, under the route it was made on.
import type { AuthResult } from '../auth/authenticate.ts';
import { sourceOf } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import { addressKey } from './client-address.ts';
import { createRateLimiter, refusal, type RateLimiter, type RateSetting, type Refusal } from './limiter.ts';
import { createLoginGuard } from './login-guard.ts';
import { createMemoryStore } from './state-store.ts';

export type LimitSettings = Pick<
  Config,
  | 'ESMON_RATE_LIMIT_INGEST'
  | 'ESMON_RATE_LIMIT_INGEST_ANONYMOUS'
  | 'ESMON_RATE_LIMIT_GRAPHQL'
  | 'ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS'
  | 'ESMON_RATE_LIMIT_WEBSOCKET'
  | 'ESMON_RATE_LIMIT_LOGIN'
  | 'ESMON_RATE_LIMIT_LOGIN_ACCOUNT'
  | 'ESMON_RATE_LIMIT_MAX_KEYS'
  | 'ESMON_LOGIN_BACKOFF_AFTER'
  | 'ESMON_LOGIN_BACKOFF_ACCOUNT_AFTER'
  | 'ESMON_LOGIN_BACKOFF_MAX'
>;

/** Where a request was refused, the `route` label of esmon_rate_limited_total. */
export type LimitedRoute = 'ingest' | 'graphql' | 'graphql-ws' | 'login';

/**
 * Counts one request of `auth` from `address` (the client's IP): against the key's or user's
 * bucket when it authenticated, else against the address's. A refusal when over the limit.
 */
export type PrincipalGate = (auth: AuthResult, address: string | null) => Promise<Refusal | undefined>;

export interface Limits {
  ingest: PrincipalGate;
  graphql: PrincipalGate;
  /** GraphQL operations sent over a WebSocket: the same buckets as HTTP, counted as graphql-ws */
  graphqlWs: PrincipalGate;
  /** a new WebSocket connection from `address` */
  websocket(address: string | null): Promise<Refusal | undefined>;
  login: LoginLimiter;
}

/** The login guard (limits/login-guard.ts) over client IPs. */
export interface LoginLimiter {
  admit(email: string, address: string | null): Promise<Refusal | undefined>;
  failed(email: string, address: string | null): Promise<void>;
  succeeded(email: string, address: string | null): Promise<void>;
}

export interface CreateLimitsOptions {
  now: () => number;
  /** called once for each refused request (metrics) */
  onRefused: (route: LimitedRoute) => void;
}

const who = (auth: AuthResult) => (auth.ok && auth.principal.kind === 'user' ? 'user' : 'key');

export function createLimits(config: LimitSettings, { now, onRefused }: CreateLimitsOptions): Limits {
  const limiter = (rate: RateSetting | null): RateLimiter =>
    createRateLimiter({ rate, store: createMemoryStore<number>({ maxKeys: config.ESMON_RATE_LIMIT_MAX_KEYS }), now });
  const counted = (route: LimitedRoute, r: Refusal | undefined) => {
    if (r) onRefused(route);
    return r;
  };

  const principalGate = (
    what: string,
    byPrincipal: { rate: RateSetting | null; limit: string },
    byAddress: { rate: RateSetting | null; limit: string },
  ) => {
    const principals = limiter(byPrincipal.rate);
    const addresses = limiter(byAddress.rate);
    return async (auth: AuthResult, address: string | null): Promise<Refusal | undefined> => {
      if (auth.ok && auth.principal.kind !== 'anonymous') {
        const wait = await principals(sourceOf(auth.principal));
        return wait > 0 ? refusal(byPrincipal.limit, wait, `too many ${what} for this ${who(auth)} (at most ${byPrincipal.rate?.text})`) : undefined;
      }
      const wait = await addresses(addressKey(address));
      const without = auth.ok ? 'without credentials' : 'with a refused token';
      return wait > 0 ? refusal(byAddress.limit, wait, `too many ${what} ${without} from this address (at most ${byAddress.rate?.text})`) : undefined;
    };
  };

  const ingest = principalGate(
    'ingest requests',
    { rate: config.ESMON_RATE_LIMIT_INGEST, limit: 'ingest-key' },
    { rate: config.ESMON_RATE_LIMIT_INGEST_ANONYMOUS, limit: 'ingest-address' },
  );
  const graphql = principalGate(
    'GraphQL requests',
    { rate: config.ESMON_RATE_LIMIT_GRAPHQL, limit: 'graphql-principal' },
    { rate: config.ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS, limit: 'graphql-address' },
  );
  const connections = limiter(config.ESMON_RATE_LIMIT_WEBSOCKET);
  const login = createLoginGuard({
    perAddress: config.ESMON_RATE_LIMIT_LOGIN,
    perAccount: config.ESMON_RATE_LIMIT_LOGIN_ACCOUNT,
    backoffAfter: config.ESMON_LOGIN_BACKOFF_AFTER,
    accountBackoffAfter: config.ESMON_LOGIN_BACKOFF_ACCOUNT_AFTER,
    backoffMaxMs: config.ESMON_LOGIN_BACKOFF_MAX * 1000,
    maxKeys: config.ESMON_RATE_LIMIT_MAX_KEYS,
    now,
  });

  return {
    ingest: async (auth, address) => counted('ingest', await ingest(auth, address)),
    graphql: async (auth, address) => counted('graphql', await graphql(auth, address)),
    graphqlWs: async (auth, address) => counted('graphql-ws', await graphql(auth, address)),
    websocket: async (address) => {
      const wait = await connections(addressKey(address));
      const r = wait > 0 ? refusal('websocket-address', wait, `too many new WebSocket connections from this address (at most ${config.ESMON_RATE_LIMIT_WEBSOCKET?.text})`) : undefined;
      return counted('graphql-ws', r);
    },
    login: {
      admit: async (email, address) => counted('login', await login.admit(email, addressKey(address))),
      failed: (email, address) => login.failed(email, addressKey(address)),
      succeeded: (email, address) => login.succeeded(email, addressKey(address)),
    },
  };
}
