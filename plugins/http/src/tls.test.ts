import type { StepResult } from '@esmon/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startHttpsServer, liveContext, type LocalServer } from '../test/servers.ts';
import { http, type HttpParamsInput } from './index.ts';

const DAYS = 30;
const SECRET = 'tls-s3cr3t-0815';

let server: LocalServer;

beforeAll(async () => {
  server = await startHttpsServer(selfSignedCertificate(DAYS), (req, res) => {
    if (req.url === '/down') return res.writeHead(503).end('maintenance');
    res.end('secure hello');
  });
});

afterAll(() => server.close());

async function run(params: HttpParamsInput): Promise<StepResult> {
  return http.execute(http.prepare(params), liveContext({ 'secret:api_token': SECRET }));
}

const value = (r: StepResult, metric: string) => r.samples.find((s) => s.metric === metric)?.value;

function expectCertDays(r: StepResult) {
  const days = value(r, 'http.tls.cert_days_left');
  expect(days).toBeDefined();
  expect(Math.abs(days! - DAYS)).toBeLessThanOrEqual(1);
}

describe('http plugin over TLS with a self-signed certificate', () => {
  it('reports the days the certificate has left when verification is off', async () => {
    const r = await run({ url: `https://localhost:${server.port}/`, tlsVerify: false });
    expect(r).toMatchObject({ status: 'ok', output: 'secure hello' });
    expect(value(r, 'http.up')).toBe(1);
    expectCertDays(r);
    for (const metric of [
      'http.dns_ms',
      'http.connect_ms',
      'http.tls_ms',
      'http.ttfb_ms',
      'http.duration_ms',
    ])
      expect(value(r, metric)).toBeGreaterThanOrEqual(0);
  });

  it('reaches an IP address the certificate names', async () => {
    const r = await run({ url: `${server.url}/`, tlsVerify: false });
    expect(r.status).toBe('ok');
    expectCertDays(r);
  });

  it('refuses the certificate when verifying, says why, still reports its expiry, and sends nothing', async () => {
    const before = server.seen.length;
    const r = await run({
      url: `https://localhost:${server.port}/`,
      headers: { Authorization: 'Bearer secret:api_token' },
    });
    expect(r).toMatchObject({
      status: 'error',
      error: 'TLS certificate not trusted: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    });
    expect(value(r, 'http.up')).toBe(0);
    expect(value(r, 'http.status_code')).toBeUndefined();
    expectCertDays(r);
    expect(server.seen.length).toBe(before);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('reports the certificate when the status check fails', async () => {
    const r = await run({ url: `https://localhost:${server.port}/down`, tlsVerify: false });
    expect(r).toMatchObject({ status: 'error', error: 'status 503 is not 200-399' });
    expect(value(r, 'http.up')).toBe(0);
    expectCertDays(r);
  });

  it('says when the certificate will expire in the check message', async () => {
    const c = await http.check!(
      http.prepare({ url: `https://localhost:${server.port}/`, tlsVerify: false }),
      liveContext(),
    );
    expect(c.ok).toBe(true);
    expect(c.message).toMatch(/status 200, \d+ ms, certificate expires in (29|30) days$/);
  });
});
