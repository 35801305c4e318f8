// The agent's POST against real local servers: what it brings back, and how it fails.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../e2e/src/processes.ts';
import { httpPost, HttpTimeoutError, jsonOf } from './http-post.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/silent') return; // never answers
      res.writeHead(req.url === '/busy' ? 503 : 200, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ got: Buffer.concat(chunks).toString(), auth: req.headers.authorization, length: req.headers['content-length'] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('httpPost', () => {
  it('sends the body and headers, and brings back status, headers and body', async () => {
    const answer = await httpPost(`${base}/x`, { headers: { authorization: 'Bearer k' }, body: 'héllo', timeoutMs: 5_000 });
    expect(answer.status).toBe(200);
    expect(answer.headers['retry-after']).toBe('7');
    expect(jsonOf(answer)).toEqual({ got: 'héllo', auth: 'Bearer k', length: '6' });
    const busy = await httpPost(`${base}/busy`, { headers: {}, body: new Uint8Array([1, 2]), timeoutMs: 5_000 });
    expect(busy.status).toBe(503);
  });

  it('fails with the system error code when nobody listens', async () => {
    const port = await freePort();
    await expect(httpPost(`http://127.0.0.1:${port}/`, { headers: {}, body: '', timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives up after its timeout, and on its signal', async () => {
    const late = httpPost(`${base}/silent`, { headers: {}, body: '', timeoutMs: 200 });
    await expect(late).rejects.toBeInstanceOf(HttpTimeoutError);
    await expect(late).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'no answer within 0.2 s' });
    const stop = new AbortController();
    const stopped = httpPost(`${base}/silent`, { headers: {}, body: '', timeoutMs: 5_000, signal: stop.signal });
    stop.abort();
    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads a body that is not JSON as undefined', () => {
    expect(jsonOf({ status: 200, headers: {}, body: Buffer.from('<html>') })).toBeUndefined();
  });
});
