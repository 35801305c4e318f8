// Transport and browser security against the real server: https and wss with a certificate made
// here (openssl) and a client trusting only it; plain http to that port gets nothing; HSTS only
// under TLS; the security headers and Content-Security-Policies on the workbench, GraphiQL and the
// API; CORS for allowed and other origins; configuration and certificate errors.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startServer } from '../src/main.ts';
import { batchFor, startTestServer, type TestServer } from './harness.ts';
import { subscribe } from './live-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'esmon-transport-'));
const file = (name: string) => join(dir, name);

/** A self-signed P-256 certificate for localhost and 127.0.0.1, valid one day. */
function makeCertificate(name: string): { cert: string; key: string } {
  const cert = file(`${name}.crt`);
  const key = file(`${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert, key };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request over http or https (trusting `ca`), answered in full. */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}): Promise<Reply> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const gqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const json = { 'content-type': 'application/json' };

/** The CSP's directives by name. */
function directives(policy: string | string[] | undefined): Map<string, string[]> {
  const text = String(policy ?? '');
  return new Map(text.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

// a stand-in workbench build: tests do not depend on `vite build` having run
const workbenchDir = join(dir, 'workbench');
mkdirSync(join(workbenchDir, 'assets'), { recursive: true });
writeFileSync(join(workbenchDir, 'index.html'), '<!doctype html><title>esmon</title><script type="module" src="/assets/app.js"></script>');
writeFileSync(join(workbenchDir, 'assets', 'app.js'), 'export {};');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`transport over TLS (${testDatabaseKind()})`, () => {
  const pair = makeCertificate('server');
  const ca = readFileSync(pair.cert, 'utf8');
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ ESMON_TLS_CERT: pair.cert, ESMON_TLS_KEY: pair.key, ESMON_WORKBENCH_DIR: workbenchDir });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers GraphQL over https to a client trusting the certificate, with HSTS', async () => {
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const login = await send(`${s.url}/graphql`, {
      method: 'POST', ca, headers: json,
      body: gqlBody('mutation { login(email: "admin@localhost", password: "admin-password-1") { token } }'),
    });
    expect(login.status).toBe(200);
    expect(JSON.parse(login.body).data.login.token).toMatch(/./);
    expect(login.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    // the workbench too: HSTS is on every response, and its WebSocket address is wss:
    const index = await send(`${s.url}/`, { ca });
    expect(index.status).toBe(200);
    expect(index.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(directives(index.headers['content-security-policy']).get('connect-src')).toEqual(["'self'", `wss://${new URL(s.url).host}`]);
  });

  it('refuses a client that does not trust the certificate', async () => {
    await expect(send(`${s.url}/healthz`)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('gives plain http on the TLS port no answer', async () => {
    await expect(send(`${s.url.replace('https:', 'http:')}/healthz`)).rejects.toThrow();
  });

  it('carries a subscription over wss, the events arriving as batches are ingested over https', async () => {
    const token = await (async () => {
      const r = await send(`${s.url}/graphql`, { method: 'POST', ca, headers: json, body: gqlBody('mutation { login(email: "admin@localhost", password: "admin-password-1") { token } }') });
      return JSON.parse(r.body).data.login.token as string;
    })();
    const key = await s.agentKey('tls-1');
    const hostId = String((await s.testDb.prisma.host.findUniqueOrThrow({ where: { hostname: 'tls-1' } })).id);
    const client = createClient({
      url: `${s.url.replace('https:', 'wss:')}/graphql`,
      // the ws package takes the trusted CA as a third argument
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { ca });
        }
      },
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const q = subscribe<any>(client, 'subscription ($id: ID!) { samplesAdded(hostId: $id) { hostname } }', { id: hostId });
    const event = await q.nextPoking(async () => {
      const r = await send(`${s.url}/api/v1/ingest`, { method: 'POST', ca, headers: { ...json, authorization: `Bearer ${key}` }, body: JSON.stringify(batchFor('tls-1')) });
      expect(r.status).toBe(200);
    });
    expect(event.samplesAdded.hostname).toBe('tls-1');
    q.close();
    await client.dispose();
  });

  it('gives no other origin CORS access when ESMON_CORS_ORIGINS is unset', async () => {
    const r = await send(`${s.url}/graphql`, { method: 'POST', ca, headers: { ...json, origin: 'https://evil.example.test' }, body: gqlBody('{ __typename }') });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send(`${s.url}/graphql`, { method: 'OPTIONS', ca, headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe(`browser security headers and CORS over http (${testDatabaseKind()})`, () => {
  const allowed = 'https://ops.example.test';
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ ESMON_CORS_ORIGINS: `${allowed}, http://localhost:5173`, ESMON_WORKBENCH_DIR: workbenchDir });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('serves the workbench with the security headers, no HSTS, and a policy without inline or eval script', async () => {
    const r = await send(`${s.url}/hosts/7`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('/assets/app.js');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    const csp = directives(r.headers['content-security-policy']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", `ws://${new URL(s.url).host}`]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    // the scripts the page loads are files: the policy holds for them too
    const asset = await send(`${s.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-security-policy']).toBe(r.headers['content-security-policy']);
  });

  it('never echoes a Host header that is not a host into the policy', async () => {
    const r = await send(`${s.url}/`, { headers: { host: "evil.test; script-src 'unsafe-inline'" } });
    const csp = directives(r.headers['content-security-policy']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it("serves GraphiQL's page under its own policy: exactly its inline scripts, by hash", async () => {
    const r = await send(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.body).toContain('/graphiql/assets/yoga-graphiql.umd.js');
    expect(r.body).not.toMatch(/unpkg\.com|githubusercontent/);
    const inline = [...r.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
    expect(inline.length).toBeGreaterThan(0);
    const csp = directives(r.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'", ...inline]);
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('puts the headers on API answers too (JSON, errors, health)', async () => {
    for (const r of [
      await send(`${s.url}/graphql`, { method: 'POST', headers: json, body: gqlBody('{ __typename }') }),
      await send(`${s.url}/api/v1/ingest`, { method: 'POST', headers: json, body: '{}' }),
      await send(`${s.url}/healthz`),
      await send(`${s.url}/nothing/here.js`),
    ]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(directives(r.headers['content-security-policy']).get('script-src')).toEqual(["'self'"]);
    }
  });

  it('lets a listed origin read GraphQL and ingest answers, and no other', async () => {
    const fromAllowed = await send(`${s.url}/graphql`, { method: 'POST', headers: { ...json, origin: allowed }, body: gqlBody('{ __typename }') });
    expect(fromAllowed.status).toBe(200);
    expect(fromAllowed.headers['access-control-allow-origin']).toBe(allowed);
    expect(fromAllowed.headers.vary).toMatch(/Origin/);
    expect(fromAllowed.headers['access-control-allow-credentials']).toBeUndefined();

    const fromOther = await send(`${s.url}/graphql`, { method: 'POST', headers: { ...json, origin: 'https://evil.example.test' }, body: gqlBody('{ __typename }') });
    expect(fromOther.headers['access-control-allow-origin']).toBeUndefined();
    // a prefix or a different scheme or port is another origin
    for (const origin of [`${allowed}.evil.test`, allowed.replace('https:', 'http:'), `${allowed}:8443`, 'null']) {
      const r = await send(`${s.url}/graphql`, { method: 'POST', headers: { ...json, origin }, body: gqlBody('{ __typename }') });
      expect(r.headers['access-control-allow-origin'], origin).toBeUndefined();
    }

    const key = await s.agentKey('cors-1');
    const ingest = await send(`${s.url}/api/v1/ingest`, { method: 'POST', headers: { ...json, origin: 'http://localhost:5173', authorization: `Bearer ${key}` }, body: JSON.stringify(batchFor('cors-1')) });
    expect(ingest.status).toBe(200);
    expect(ingest.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const ingestOther = await send(`${s.url}/api/v1/ingest`, { method: 'POST', headers: { ...json, origin: 'https://evil.example.test', authorization: `Bearer ${key}` }, body: JSON.stringify(batchFor('cors-1')) });
    expect(ingestOther.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers preflights of listed origins only', async () => {
    for (const path of ['/graphql', '/api/v1/ingest']) {
      const ok = await send(`${s.url}${path}`, { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
      expect(ok.status, path).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe(allowed);
      expect(ok.headers['access-control-allow-methods']).toBe('GET, POST');
      expect(ok.headers['access-control-allow-headers']).toMatch(/authorization/);
      expect(ok.headers['access-control-allow-headers']).toMatch(/content-type/);

      const refused = await send(`${s.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' } });
      expect(refused.status, path).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-methods']).toBeUndefined();
      expect(JSON.parse(refused.body).error.message).toContain('ESMON_CORS_ORIGINS');
    }
    // the workbench's routes are never cross-origin
    const page = await send(`${s.url}/`, { headers: { origin: allowed } });
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('takes no session from a cookie: authentication is the Authorization header alone', async () => {
    const token = await s.login();
    const withHeader = await send(`${s.url}/graphql`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: gqlBody('{ me { email } }') });
    expect(JSON.parse(withHeader.body).data.me.email).toBe('admin@localhost');
    for (const cookie of [`token=${token}`, `authorization=Bearer ${token}`, `esmon.session=${token}`]) {
      const r = await send(`${s.url}/graphql`, { method: 'POST', headers: { ...json, cookie }, body: gqlBody('{ me { email } }') });
      const body = JSON.parse(r.body);
      expect(body.data?.me ?? null).toBeNull();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('transport configuration errors', () => {
  const base = { ESMON_ADMIN_PASSWORD: 'admin-password-1' };

  it.each([
    [{ ESMON_TLS_CERT: '/etc/esmon/cert.pem' }, /ESMON_TLS_CERT and ESMON_TLS_KEY go together/],
    [{ ESMON_TLS_KEY: '/etc/esmon/key.pem' }, /ESMON_TLS_CERT and ESMON_TLS_KEY go together/],
    [{ ESMON_CORS_ORIGINS: '*' }, /ESMON_CORS_ORIGINS must list exact origins; \* .*is refused/],
    [{ ESMON_CORS_ORIGINS: 'https://a.example.test, *' }, /\* .*is refused/],
    [{ ESMON_CORS_ORIGINS: 'https://a.example.test/' }, /"https:\/\/a\.example\.test\/" is not an origin/],
    [{ ESMON_CORS_ORIGINS: 'ops.example.test' }, /"ops\.example\.test" is not an origin/],
    [{ ESMON_CORS_ORIGINS: 'ftp://ops.example.test' }, /is not an origin/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('takes exact origins, trimmed', () => {
    expect(loadConfig({ ...base, ESMON_CORS_ORIGINS: ' https://a.example.test ,http://localhost:5173,' }).ESMON_CORS_ORIGINS).toEqual(['https://a.example.test', 'http://localhost:5173']);
    expect(loadConfig(base).ESMON_CORS_ORIGINS).toEqual([]);
  });

  // the files are checked before the database is opened: these starts fail without one
  const start = (env: Record<string, string>) => {
    const config = loadConfig({ ...base, PORT: '0', LOG_LEVEL: 'silent', ESMON_DATA_DIR: file('data'), ...env });
    return startServer({ config, log: createLogger('silent') });
  };

  it('names the certificate or key file that cannot be read, is not PEM, or does not match', async () => {
    const a = makeCertificate('a');
    const b = makeCertificate('b');
    await expect(start({ ESMON_TLS_CERT: file('missing.crt'), ESMON_TLS_KEY: a.key })).rejects.toThrow(`ESMON_TLS_CERT: cannot read ${file('missing.crt')} (ENOENT)`);
    await expect(start({ ESMON_TLS_CERT: a.cert, ESMON_TLS_KEY: file('missing.key') })).rejects.toThrow(`ESMON_TLS_KEY: cannot read ${file('missing.key')} (ENOENT)`);
    await expect(start({ ESMON_TLS_CERT: a.key, ESMON_TLS_KEY: a.key })).rejects.toThrow(`ESMON_TLS_CERT: ${a.key} is not a PEM certificate`);
    await expect(start({ ESMON_TLS_CERT: a.cert, ESMON_TLS_KEY: a.cert })).rejects.toThrow(`ESMON_TLS_KEY: ${a.cert} is not an unencrypted PEM private key`);
    await expect(start({ ESMON_TLS_CERT: a.cert, ESMON_TLS_KEY: b.key })).rejects.toThrow(`ESMON_TLS_KEY: ${b.key} is not the key of the certificate in ESMON_TLS_CERT (${a.cert})`);
  });
});
