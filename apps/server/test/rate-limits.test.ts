// Rate limits and the login back-off against the real server, with small limits and a clock the
// test moves: the request over a limit is answered 429 with Retry-After and RATE_LIMITED, runs
// nothing, is counted once on /metrics; other keys, users and addresses go on; the limit lifts
// after its interval. Client addresses come from X-Forwarded-For (ESMON_TRUST_PROXY=1) here, and
// a second server shows the header is ignored without that setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { createUser } from '../src/auth/accounts.ts';
import { batchFor, startTestServer, type TestServer } from './harness.ts';

const LIMITS = {
  ESMON_TRUST_PROXY: '1',
  ESMON_RATE_LIMIT_INGEST: '3/1m', // a token every 20 s
  ESMON_RATE_LIMIT_INGEST_ANONYMOUS: '2/1m',
  ESMON_RATE_LIMIT_GRAPHQL: '5/1m', // every 12 s
  ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS: '30/1m',
  ESMON_RATE_LIMIT_WEBSOCKET: '2/1m',
  ESMON_RATE_LIMIT_LOGIN: '10/1m', // every 6 s
  ESMON_RATE_LIMIT_LOGIN_ACCOUNT: '10/1m',
  ESMON_LOGIN_BACKOFF_AFTER: '3',
  ESMON_LOGIN_BACKOFF_ACCOUNT_AFTER: '6',
};
const PASSWORD = 'password-123';
const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
}

describe('rate limits', () => {
  let s: TestServer;
  let clock = Date.now();
  const advance = (seconds: number) => (clock += seconds * 1000);

  beforeAll(async () => {
    s = await startTestServer(LIMITS, { now: () => clock });
  });
  afterAll(async () => {
    await s?.close();
  });

  const graphql = async (query: string, variables: Record<string, unknown>, opts: { token?: string; from?: string } = {}): Promise<Answer> => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.from ? { 'x-forwarded-for': opts.from } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  };
  const login = (email: string, password: string, from: string) => graphql(LOGIN, { e: email, p: password }, { from });
  const tokenOf = async (email: string, from: string) => {
    const r = await login(email, PASSWORD, from);
    expect(r.body.data?.login?.token, JSON.stringify(r.body)).toBeTruthy();
    return r.body.data.login.token as string;
  };
  let users = 0;
  const newUser = async () => {
    const email = `rl-${++users}@example.test`;
    await createUser(s.testDb.prisma, { email, password: PASSWORD, role: 'viewer' });
    return email;
  };
  const refused = async (route: string) => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    return Number(new RegExp(`^esmon_rate_limited_total\\{route="${route}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };
  const samplesOf = async (hostname: string, metric: string) => {
    const r = await s.testDb.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id WHERE h.hostname = $1 AND se.metric = $2',
      [hostname, metric],
    );
    return r[0]!.n;
  };
  const sessionsOf = async (email: string) =>
    (await s.testDb.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions se JOIN users u ON u.id = se.user_id WHERE u.email = $1', [email]))[0]!.n;

  describe('ingest', () => {
    it('per key: the batch over the limit gets 429 and is not stored; other keys go on; it lifts after the interval', async () => {
      const [a, b] = [await s.agentKey('rl-ingest-a'), await s.agentKey('rl-ingest-b')];
      for (let i = 0; i < 3; i++) expect((await s.ingest(batchFor('rl-ingest-a'), a)).status).toBe(200);
      const before = await refused('ingest');
      const over = batchFor('rl-ingest-a', 4, 'rl.refused');
      const r = await s.ingest(over, a);
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBe('20');
      expect(r.body.error).toMatchObject({ code: 'RATE_LIMITED', limit: 'ingest-key', retryAfterSeconds: 20 });
      expect(r.body.error.message).toBe('too many ingest requests for this key (at most 3/1m); retry in 20 s');
      expect(await samplesOf('rl-ingest-a', 'rl.refused')).toBe(0);
      expect(await refused('ingest')).toBe(before + 1);

      expect((await s.ingest(batchFor('rl-ingest-b'), b)).status).toBe(200);
      advance(19);
      expect((await s.ingest(over, a)).retryAfter).toBe('1');
      advance(1);
      // one token came back: this batch (the refused one, never seen by the store) and no more
      const again = await s.ingest(over, a);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ accepted: 4, duplicate: false });
      expect(await samplesOf('rl-ingest-a', 'rl.refused')).toBe(4);
      expect((await s.ingest(batchFor('rl-ingest-a'), a)).status).toBe(429);
    });

    it('without a valid key: per client address, and a valid key from that address is not held back', async () => {
      const key = await s.agentKey('rl-ingest-c');
      const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
      expect((await s.ingest(batchFor('rl-ingest-c'), undefined, from('198.51.100.1'))).status).toBe(401);
      expect((await s.ingest(batchFor('rl-ingest-c'), 'esm_a_not-a-real-key-at-all-xxxx', from('198.51.100.1'))).status).toBe(401);
      const r = await s.ingest(batchFor('rl-ingest-c'), undefined, from('198.51.100.1'));
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBe('30');
      expect(r.body.error).toMatchObject({ code: 'RATE_LIMITED', limit: 'ingest-address' });
      expect(r.body.error.message).toMatch(/^too many ingest requests without credentials from this address \(at most 2\/1m\); retry in 30 s$/);
      expect((await s.ingest(batchFor('rl-ingest-c'), undefined, from('198.51.100.2'))).status).toBe(401);
      expect((await s.ingest(batchFor('rl-ingest-c'), key, from('198.51.100.1'))).status).toBe(200);
      advance(30);
      expect((await s.ingest(batchFor('rl-ingest-c'), undefined, from('198.51.100.1'))).status).toBe(401);
    });
  });

  describe('GraphQL', () => {
    it('per user: the request over the limit gets 429 and does not run; other users go on; it lifts after the interval', async () => {
      const [me, other] = [await newUser(), await newUser()];
      const token = await tokenOf(me, '192.0.2.10');
      const otherToken = await tokenOf(other, '192.0.2.10');
      for (let i = 0; i < 5; i++) expect((await graphql('{ me { email } }', {}, { token })).status).toBe(200);
      const before = await refused('graphql');
      // logout would revoke the token: refused, it must not have run
      const r = await graphql('mutation { logout }', {}, { token });
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBe('12');
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors).toEqual([
        {
          message: 'too many GraphQL requests for this user (at most 5/1m); retry in 12 s',
          extensions: { code: 'RATE_LIMITED', limit: 'graphql-principal', retryAfterSeconds: 12 },
        },
      ]);
      expect(await refused('graphql')).toBe(before + 1);
      expect((await graphql('{ me { email } }', {}, { token: otherToken })).body.data.me.email).toBe(other);
      advance(12);
      expect((await graphql('{ me { email } }', {}, { token })).body.data.me.email).toBe(me);
      expect((await graphql('{ me { email } }', {}, { token })).status).toBe(429);
    });

    it('anonymous: per client address', async () => {
      for (let i = 0; i < 30; i++) expect((await graphql('{ __typename }', {}, { from: '192.0.2.20' })).status).toBe(200);
      const r = await graphql('{ __typename }', {}, { from: '192.0.2.20' });
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBe('2');
      expect(r.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', limit: 'graphql-address', retryAfterSeconds: 2 });
      expect((await graphql('{ __typename }', {}, { from: '192.0.2.21' })).status).toBe(200);
      advance(2);
      expect((await graphql('{ __typename }', {}, { from: '192.0.2.20' })).status).toBe(200);
    });

    it('WebSocket: new connections per address are refused with 429 and Retry-After at the upgrade', async () => {
      const connect = (from: string) =>
        new Promise<{ status: number; retryAfter?: string; body?: string }>((resolve, reject) => {
          const ws = new WebSocket(`${s.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers: { 'x-forwarded-for': from } });
          ws.on('open', () => {
            ws.close();
            resolve({ status: 101 });
          });
          ws.on('unexpected-response', (_req, res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string, body }));
          });
          ws.on('error', (err) => reject(err));
        });
      const before = await refused('graphql-ws');
      expect((await connect('192.0.2.30')).status).toBe(101);
      expect((await connect('192.0.2.30')).status).toBe(101);
      const r = await connect('192.0.2.30');
      expect(r).toMatchObject({ status: 429, retryAfter: '30' });
      expect(JSON.parse(r.body!).errors[0]).toMatchObject({
        message: 'too many new WebSocket connections from this address (at most 2/1m); retry in 30 s',
        extensions: { code: 'RATE_LIMITED', limit: 'websocket-address', retryAfterSeconds: 30 },
      });
      expect(await refused('graphql-ws')).toBe(before + 1);
      expect((await connect('192.0.2.31')).status).toBe(101);
      advance(30);
      expect((await connect('192.0.2.30')).status).toBe(101);
    });

    it('WebSocket: each operation counts against the user, like an HTTP request', async () => {
      const email = await newUser();
      const token = await tokenOf(email, '192.0.2.40');
      const client: Client = createClient({
        url: `${s.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false, // one connection for every operation (lazy closes it after each)
      });
      const run = () =>
        new Promise<FormattedExecutionResult<Record<string, unknown>, unknown> | { refused: unknown }>((resolve) => {
          let result: FormattedExecutionResult<Record<string, unknown>, unknown> | undefined;
          client.subscribe({ query: '{ me { email } }' }, {
            next: (v) => (result = v),
            error: (e) => resolve({ refused: e }),
            complete: () => resolve(result!),
          });
        });
      try {
        for (let i = 0; i < 4; i++) expect(await run()).toEqual({ data: { me: { email } } });
        expect((await graphql('{ me { email } }', {}, { token })).status).toBe(200); // the fifth, over HTTP
        const r = (await run()) as { refused: unknown };
        expect(r.refused).toEqual([
          {
            message: 'too many GraphQL requests for this user (at most 5/1m); retry in 12 s',
            extensions: { code: 'RATE_LIMITED', limit: 'graphql-principal', retryAfterSeconds: 12 },
          },
        ]);
        advance(12);
        expect(await run()).toEqual({ data: { me: { email } } });
      } finally {
        await client.dispose();
      }
    });
  });

  describe('login', () => {
    it('backs off after failures, even for the right password, then lets the right one in and starts over', async () => {
      const email = await newUser();
      const from = '203.0.113.1';
      for (let i = 0; i < 3; i++) {
        const r = await login(email, 'wrong-password', from);
        expect(r.body.errors[0]).toMatchObject({ message: 'invalid email or password', extensions: { code: 'UNAUTHENTICATED' } });
      }
      const before = await refused('login');
      const r = await login(email, PASSWORD, from);
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBe('1');
      expect(r.body.data).toBeNull();
      expect(r.body.errors[0].message).toMatch(/^too many failed logins for this account from this address: .*even with the right password.*; retry in 1 s$/);
      expect(r.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', limit: 'login-backoff', retryAfterSeconds: 1 });
      expect(await sessionsOf(email)).toBe(0);
      expect(await refused('login')).toBe(before + 1);

      // another address is not held back
      expect((await login(email, PASSWORD, '203.0.113.2')).body.data.login.token).toBeTruthy();
      // the wait doubles with each further failure
      advance(1);
      expect((await login(email, 'wrong-password', from)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await login(email, PASSWORD, from)).retryAfter).toBe('2');
      advance(2);
      expect((await login(email, PASSWORD, from)).body.data.login.token).toBeTruthy();
      // the success reset the count: three failures again before the first, shortest wait
      for (let i = 0; i < 3; i++) expect((await login(email, 'wrong-password', from)).status).toBe(200);
      expect((await login(email, PASSWORD, from)).retryAfter).toBe('1');
      expect(await sessionsOf(email)).toBe(2);
    });

    it('failures from many addresses lock the account everywhere but where it logged in before', async () => {
      const email = await newUser();
      await tokenOf(email, '203.0.113.10'); // the owner's usual address
      for (let i = 0; i < 6; i++) await login(email, 'wrong-password', `203.0.113.${20 + i}`);
      const r = await login(email, PASSWORD, '203.0.113.99');
      expect(r.status).toBe(429);
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'login-backoff-account' });
      expect((await login(email, PASSWORD, '203.0.113.10')).body.data.login.token).toBeTruthy();
    });

    it('per address, counting each login field: aliases do not multiply the attempts', async () => {
      const [email, other] = [await newUser(), await newUser()];
      const from = '203.0.113.50';
      // eleven logins in one request: the eleventh is one too many for this address
      const fields = Array.from({ length: 11 }, (_, i) => `l${i}: login(email: "${email}", password: "${PASSWORD}") { token }`);
      const before = await refused('login');
      const r = await graphql(`mutation { ${fields.join(' ')} }`, {}, { from });
      expect(r.status, JSON.stringify(r.body)).toBe(429);
      expect(r.retryAfter).toBe('6');
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors[0]).toMatchObject({
        path: ['l10'],
        message: 'too many login attempts from this address (at most 10/1m); retry in 6 s',
        extensions: { code: 'RATE_LIMITED', limit: 'login-address', retryAfterSeconds: 6 },
      });
      expect(await sessionsOf(email)).toBe(10);
      expect(await refused('login')).toBe(before + 1);
      // another address is not held back; this one is, until a token comes back
      expect((await login(other, PASSWORD, '203.0.113.51')).body.data.login.token).toBeTruthy();
      expect((await login(other, PASSWORD, from)).status).toBe(429);
      advance(6);
      expect((await login(other, PASSWORD, from)).body.data.login.token).toBeTruthy();
    });
  });
});

describe('without ESMON_TRUST_PROXY', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ ESMON_RATE_LIMIT_GRAPHQL_ANONYMOUS: '2/1m' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('X-Forwarded-For is ignored: the socket address is the one limited', async () => {
    const statuses = [];
    for (const from of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
