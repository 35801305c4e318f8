// Boots the real server on port 0 against a real database (PostgreSQL when TEST_DATABASE_URL is
// set, else PGlite) and gives tests a GraphQL client and an ingest client.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { openTestDatabase, type TestDatabase } from '@esmon/db/testing';
import { createApiKey, createUser } from '../src/auth/accounts.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../src/main.ts';

export const ADMIN = { email: 'admin@localhost', password: 'admin-password-1' };

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; details?: { path: string; message: string }[] } }[];
}

export interface TestServer extends RunningServer {
  testDb: TestDatabase;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  login(email?: string, password?: string): Promise<string>;
  userToken(role: 'viewer' | 'analyst' | 'admin'): Promise<string>;
  agentKey(hostname: string): Promise<string>;
  integrationKey(role: 'viewer' | 'analyst' | 'admin'): Promise<string>;
  /** Stops the server (not the database) and starts a new one on the same database. */
  restart(): Promise<void>;
  ingest(body: unknown, key: string | undefined, opts?: { gzip?: boolean; raw?: string | Buffer; headers?: Record<string, string> }): Promise<{ status: number; body: any; retryAfter?: string }>;
}

/** `options.now`: the clock of the rate limits and the login back-off, for tests that move it. */
export async function startTestServer(env: Record<string, string> = {}, options: Pick<StartServerOptions, 'now'> = {}): Promise<TestServer> {
  const testDb = await openTestDatabase({ migrated: false });
  // keys of the test's own: the server never writes secret.key or signing.key into the working directory
  const config = loadConfig({
    PORT: '0',
    ESMON_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'silent',
    ESMON_SECRET_KEY: randomBytes(32).toString('base64'),
    ESMON_SIGNING_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  let server = await startServer({ config, log: createLogger(config.LOG_LEVEL), db: testDb, ...options });
  let users = 0;

  const gql: TestServer['gql'] = async (query, variables, token) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };

  const login: TestServer['login'] = async (email = ADMIN.email, password = ADMIN.password) => {
    const r = await gql<{ login: { token: string } }>(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: email, p: password },
    );
    if (!r.data?.login) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
    return r.data.login.token;
  };

  const self: TestServer = {
    ...server,
    testDb,
    gql,
    login,
    async userToken(role) {
      const email = `${role}${++users}@example.test`;
      await createUser(testDb.prisma, { email, password: 'password-123', role });
      return login(email, 'password-123');
    },
    async agentKey(hostname) {
      return (await createApiKey(testDb.prisma, { kind: 'agent', name: `agent ${hostname}`, hostname })).secret;
    },
    async integrationKey(role) {
      return (await createApiKey(testDb.prisma, { kind: 'integration', name: `int ${role}`, role })).secret;
    },
    async ingest(body, key, opts = {}) {
      const json = opts.raw ?? JSON.stringify(body);
      const payload = opts.gzip ? gzipSync(json) : json;
      const res = await fetch(`${server.url}/api/v1/ingest`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...opts.headers,
        },
        body: typeof payload === 'string' ? payload : new Uint8Array(payload),
      });
      return { status: res.status, body: await res.json().catch(() => undefined), retryAfter: res.headers.get('retry-after') ?? undefined };
    },
    async restart() {
      await server.close();
      server = await startServer({ config, log: createLogger(config.LOG_LEVEL), db: testDb, ...options });
      const { close: _close, ...fresh } = server;
      Object.assign(self, fresh);
    },
    close: async () => {
      await server.close();
      await testDb.close();
    },
  };
  return self;
}

let batchSeq = 0;
/** A well-formed batch of `n` samples of `metric` for one host, ending now. */
export function batchFor(hostname: string, n = 3, metric = 'os.cpu.usage', batchId = `test-batch-${process.pid}-${++batchSeq}`) {
  const now = Date.now();
  return {
    batchId,
    hosts: [{ hostname, samples: Array.from({ length: n }, (_, i) => ({ metric, ts: now - (n - i) * 1000, value: i + 0.5 })) }],
  };
}

/** Collects what a bus channel carries (e.g. `s.bus.subscribe('mutesChanged')`) until stop(). */
export function collect<T>(events: AsyncIterable<T>): { items: T[]; stop(): void } {
  const items: T[] = [];
  const iterator = events[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) items.push(next.value);
  })();
  return { items, stop: () => void iterator.return?.() };
}
