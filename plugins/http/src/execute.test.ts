import type { StepResult } from '@esmon/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, liveContext, type LocalServer } from '../test/servers.ts';
import { http, type HttpParamsInput } from './index.ts';

const SECRET = 's3cr3t-t0ken-4711';
const secrets = { 'secret:api_token': SECRET };

let server: LocalServer;
let other: LocalServer;
/** called when /slow arrives, so a test can abort exactly then */
let onSlow: () => void = () => {};

beforeAll(async () => {
  other = await startHttpServer((req, res) => res.end(JSON.stringify(req.headers)));
  server = await startHttpServer((req, res) => {
    const [path = '', query] = req.url.split('?');
    const redirect = (to: string, status = 302) => res.writeHead(status, { location: to }).end();
    const hops = /^\/redirect\/(\d+)$/.exec(path);
    const code = /^\/status\/(\d+)$/.exec(path);
    if (path === '/ok') return res.end('hello world');
    if (code) return res.writeHead(Number(code[1])).end(`status ${code[1]}`);
    if (hops)
      return Number(hops[1]) === 0
        ? res.end(`landed${query ? `?${query}` : ''}`)
        : redirect(`/redirect/${Number(hops[1]) - 1}`);
    if (path === '/see-other') return redirect('/echo', 303);
    if (path === '/temporary') return redirect('/echo', 307);
    if (path === '/elsewhere') return redirect(`${other.url}/`);
    if (path === '/ftp') return redirect('ftp://127.0.0.1/file');
    if (path === '/json')
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          health: 'green',
          heap: { used: 512 },
          items: [{ v: '7' }, { v: true }],
          name: 'x',
        }),
      );
    if (path === '/echo')
      return res.end(JSON.stringify({ method: req.method, body: req.body, headers: req.headers }));
    if (path === '/slow') return onSlow();
    if (path === '/half') return res.writeHead(200).write('partial');
    res.writeHead(404).end('not found');
  });
});

afterAll(async () => {
  await server.close();
  await other.close();
});

async function run(params: HttpParamsInput, ctx = liveContext(secrets)): Promise<StepResult> {
  return http.execute(http.prepare(params), ctx);
}

const value = (r: StepResult, metric: string) => r.samples.find((s) => s.metric === metric)?.value;

describe('http plugin against a local server', () => {
  it('reports a healthy page: up, status, size, timings, the url label', async () => {
    const r = await run({ url: `${server.url}/ok?token=abc#top` });
    expect(r).toMatchObject({ status: 'ok', output: 'hello world' });
    expect(r.error).toBeUndefined();
    expect(value(r, 'http.up')).toBe(1);
    expect(value(r, 'http.status_code')).toBe(200);
    expect(value(r, 'http.body_bytes')).toBe(11);
    for (const metric of ['http.duration_ms', 'http.connect_ms', 'http.ttfb_ms'])
      expect(value(r, metric)).toBeGreaterThanOrEqual(0);
    // an IP literal needs no name resolution, plain http no handshake
    expect(value(r, 'http.dns_ms')).toBeUndefined();
    expect(value(r, 'http.tls_ms')).toBeUndefined();
    expect(value(r, 'http.tls.cert_days_left')).toBeUndefined();
    expect(new Set(r.samples.map((s) => s.labels?.url))).toEqual(new Set([`${server.url}/ok`]));
  });

  it('times name resolution for a host name', async () => {
    const r = await run({ url: `http://localhost:${server.port}/ok` });
    expect(r.status).toBe('ok');
    expect(value(r, 'http.dns_ms')).toBeGreaterThanOrEqual(0);
  });

  it.each<[string, string[] | undefined, 'ok' | 'error', number, string | undefined]>([
    ['/status/204', undefined, 'ok', 1, undefined],
    ['/status/500', undefined, 'error', 0, 'status 500 is not 200-399'],
    ['/status/404', undefined, 'error', 0, 'status 404 is not 200-399'],
    ['/status/404', ['200', '404'], 'ok', 1, undefined],
    ['/status/503', ['200-299', '500-502'], 'error', 0, 'status 503 is not 200-299, 500-502'],
  ])('judges %s against %j', async (path, expectStatus, status, up, error) => {
    const r = await run({ url: `${server.url}${path}`, ...(expectStatus ? { expectStatus } : {}) });
    expect(r.status).toBe(status);
    expect(value(r, 'http.up')).toBe(up);
    expect(value(r, 'http.status_code')).toBe(Number(path.slice(-3)));
    expect(r.error).toBe(error);
  });

  it('follows redirects, up to five', async () => {
    const five = await run({ url: `${server.url}/redirect/5?x=1` });
    expect(five).toMatchObject({ status: 'ok', output: 'landed' });
    expect(value(five, 'http.status_code')).toBe(200);

    const six = await run({ url: `${server.url}/redirect/6` });
    expect(six).toMatchObject({ status: 'error', error: 'more than 5 redirects' });
    expect(value(six, 'http.up')).toBe(0);
    expect(value(six, 'http.status_code')).toBe(302);
  });

  it('reports the redirect itself when told not to follow', async () => {
    const r = await run({ url: `${server.url}/redirect/1`, followRedirects: false });
    expect(r.status).toBe('ok');
    expect(value(r, 'http.status_code')).toBe(302);
    const strict = await run({
      url: `${server.url}/redirect/1`,
      followRedirects: false,
      expectStatus: ['200'],
    });
    expect(strict).toMatchObject({ status: 'error', error: 'status 302 is not 200' });
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const post = {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
    } as const;
    const seeOther = JSON.parse((await run({ url: `${server.url}/see-other`, ...post })).output!);
    expect(seeOther).toMatchObject({ method: 'GET', body: '' });
    expect(seeOther.headers['content-type']).toBeUndefined();
    const temporary = JSON.parse((await run({ url: `${server.url}/temporary`, ...post })).output!);
    expect(temporary).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('refuses a redirect to another scheme', async () => {
    const r = await run({ url: `${server.url}/ftp` });
    expect(r).toMatchObject({ status: 'error', error: 'status 302 redirects to a ftp: URL' });
  });

  it('sends HEAD without reading a body into the output', async () => {
    const r = await run({ url: `${server.url}/ok`, method: 'HEAD' });
    expect(r.status).toBe('ok');
    expect(r.output).toBeUndefined();
    expect(value(r, 'http.body_bytes')).toBe(0);
  });

  it('matches the body against a regex', async () => {
    const hit = await run({ url: `${server.url}/ok`, bodyRegex: '^hello\\s\\w+$' });
    expect(hit.status).toBe('ok');
    expect(value(hit, 'http.regex_match')).toBe(1);

    const miss = await run({ url: `${server.url}/ok`, bodyRegex: 'goodbye' });
    expect(miss).toMatchObject({ status: 'error', error: 'the body does not match /goodbye/' });
    expect(value(miss, 'http.regex_match')).toBe(0);
    expect(value(miss, 'http.up')).toBe(0);
    expect(value(miss, 'http.status_code')).toBe(200);
  });

  it.each<[string, number]>([
    ['$.heap.used', 512],
    ['$.items[0].v', 7],
    ['$.items[1].v', 1],
    ['$.items[*].v', 7],
  ])('reads %s from a JSON body', async (jsonPath, expected) => {
    const r = await run({ url: `${server.url}/json`, jsonPath, bodyRegex: '"health":"green"' });
    expect(r.status).toBe('ok');
    expect(value(r, 'http.json_value')).toBe(expected);
    expect(JSON.parse(r.output!)).toMatchObject({ health: 'green' });
  });

  it.each([
    ['/json', '$.heap.free', 'jsonPath $.heap.free matched nothing'],
    ['/json', '$.name', 'jsonPath $.name: found string, not a number'],
    ['/json', '$.heap', 'jsonPath $.heap: found object, not a number'],
    ['/ok', '$.x', 'jsonPath $.x: the body is not JSON'],
    ['/json', '$.constructor', 'jsonPath $.constructor matched nothing'],
  ])('reports %s %s as an error, up still judged by status', async (path, jsonPath, error) => {
    const r = await run({ url: `${server.url}${path}`, jsonPath });
    expect(r).toMatchObject({ status: 'error', error });
    expect(value(r, 'http.json_value')).toBeUndefined();
    expect(value(r, 'http.up')).toBe(1);
  });

  it('times out on a server that never answers', async () => {
    const r = await run({ url: `${server.url}/slow`, timeoutMs: 300 });
    expect(r).toMatchObject({ status: 'timeout', error: 'no complete answer within 300 ms' });
    expect(value(r, 'http.up')).toBe(0);
    expect(value(r, 'http.duration_ms')).toBeGreaterThanOrEqual(0);
  });

  it('times out on a body that never ends, and honours the shorter step timeout', async () => {
    const r = await run(
      { url: `${server.url}/half`, timeoutMs: 60_000 },
      liveContext(secrets, { timeoutMs: 300 }),
    );
    expect(r).toMatchObject({ status: 'timeout', error: 'no complete answer within 300 ms' });
  });

  it("stops when the agent aborts the step's signal", async () => {
    const controller = new AbortController();
    onSlow = () => controller.abort();
    const r = await run({ url: `${server.url}/slow` }, liveContext(secrets, { signal: controller.signal }));
    expect(r).toMatchObject({ status: 'timeout', error: 'aborted by the agent' });
  });

  it('reports a refused connection as down', async () => {
    const closed = await startHttpServer(() => {});
    await closed.close();
    const r = await run({ url: `${closed.url}/` });
    expect(r.status).toBe('error');
    expect(r.error).toContain('ECONNREFUSED');
    expect(value(r, 'http.up')).toBe(0);
    expect(value(r, 'http.status_code')).toBeUndefined();
  });
});

describe('http plugin secrets', () => {
  const headers = { Authorization: 'Bearer secret:api_token', 'X-Trace': 'plain' };

  it('sends the resolved secret and never echoes it', async () => {
    const before = server.seen.length;
    const r = await run({ url: `${server.url}/echo`, headers, expectStatus: ['500'] });
    expect(server.seen[before]!.headers).toMatchObject({
      authorization: `Bearer ${SECRET}`,
      'x-trace': 'plain',
    });
    expect(r.status).toBe('error');
    expect(r.output).toContain('Bearer [secret]');
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('drops credentials on a redirect to another origin', async () => {
    const r = await run({ url: `${server.url}/elsewhere`, headers });
    expect(r.status).toBe('ok');
    const seenThere = other.seen.at(-1)!.headers;
    expect(seenThere['x-trace']).toBe('plain');
    expect(seenThere.authorization).toBeUndefined();
  });

  it('fails without sending when the agent does not know the secret', async () => {
    const before = server.seen.length;
    const r = await run({ url: `${server.url}/echo`, headers }, liveContext({}));
    expect(r).toMatchObject({
      status: 'error',
      error: 'header Authorization: secret:api_token is not set on this agent',
    });
    expect(value(r, 'http.up')).toBe(0);
    expect(server.seen.length).toBe(before);
  });

  it('keeps a malformed secret out of the error', async () => {
    const bad = 'line-one\r\nX-Injected: yes';
    const r = await run({ url: `${server.url}/echo`, headers }, liveContext({ 'secret:api_token': bad }));
    expect(r.status).toBe('error');
    expect(r.error).toContain('Authorization');
    expect(JSON.stringify(r)).not.toContain('line-one');
  });
});

describe('http check', () => {
  it('sums up a good answer and a bad one', async () => {
    expect(await http.check!(http.prepare({ url: `${server.url}/ok?q=1` }), liveContext())).toEqual({
      ok: true,
      message: expect.stringMatching(new RegExp(`^${server.url}/ok: status 200, \\d+ ms$`)),
    });
    const bad = await http.check!(http.prepare({ url: `${server.url}/status/503` }), liveContext());
    expect(bad).toEqual({
      ok: false,
      message: expect.stringMatching(/: status 503, \d+ ms: status 503 is not 200-399$/),
    });
  });
});
