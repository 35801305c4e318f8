// What each answer of the server means for a batch (a table over classifyAnswer), and the bytes
// on the wire: a stored gzip body goes out as it is, against a real local HTTP server.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyAnswer, createGzipSender, type IngestAnswer, type SendResult } from './transport.ts';

const server = 'http://monitor.test:4000/';
const url = 'http://monitor.test:4000/api/v1/ingest';
const now = Date.parse('2026-11-20T12:00:00Z');
const error = (message: string) => ({ error: { code: 'X', message } });
const ack = { batchId: 'b-00000001', accepted: 3, duplicate: false };

describe('classifying the server’s answer', () => {
  it.each<[string, IngestAnswer, SendResult]>([
    ['stored', { status: 200, body: ack }, { kind: 'ok', ack }],
    ['200 from something else', { status: 200, body: '<html>' }, { kind: 'fatal', reason: `${url} answered 200 but not like an esmon server` }],
    ['nobody there', { status: 0, error: 'ECONNREFUSED' }, { kind: 'retry', reason: `cannot reach ${url}: ECONNREFUSED` }],
    ['bad key', { status: 401, body: error('the token is not valid') }, { kind: 'fatal', reason: 'the server refused the key: the token is not valid' }],
    ['key of another host', { status: 403, body: error('bound to host a') }, { kind: 'fatal', reason: 'the server refused the key: bound to host a' }],
    ['not esmon', { status: 404 }, { kind: 'fatal', reason: `${url} answered 404: is ${server} an esmon server?` }],
    ['invalid batch', { status: 400, body: error('hosts[0].samples[0].value: value must be a number') }, { kind: 'rejected', reason: 'hosts[0].samples[0].value: value must be a number' }],
    ['too large', { status: 413, body: error('body larger than 33554432 bytes') }, { kind: 'rejected', reason: 'body larger than 33554432 bytes' }],
    ['another 4xx', { status: 422 }, { kind: 'rejected', reason: 'HTTP 422' }],
    ['request timeout', { status: 408 }, { kind: 'retry', reason: 'server answered 408: HTTP 408' }],
    ['busy, with Retry-After', { status: 429, body: error('busy'), retryAfter: '3' }, { kind: 'retry', reason: 'server answered 429: busy', retryAfterMs: 3000 }],
    ['busy, without', { status: 429, body: error('busy') }, { kind: 'retry', reason: 'server answered 429: busy' }],
    ['unavailable, with a date', { status: 503, retryAfter: 'Fri, 20 Nov 2026 12:00:10 GMT' }, { kind: 'retry', reason: 'server answered 503: HTTP 503', retryAfterMs: 10_000 }],
    ['500 ignores Retry-After', { status: 500, retryAfter: '3' }, { kind: 'retry', reason: 'server answered 500: HTTP 500' }],
  ])('%s', (_case, answer, expected) => {
    expect(classifyAnswer(answer, server, now)).toEqual(expected);
  });
});

describe('sending a stored body', () => {
  it('posts the gzip bytes unchanged with content-encoding gzip and the key', async () => {
    const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const local = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ack));
      });
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    try {
      const body = gzipSync(JSON.stringify({ batchId: 'b-00000001', hosts: [] }));
      const send = createGzipSender({ server: `http://127.0.0.1:${(local.address() as AddressInfo).port}`, key: 'esm_a_k' });
      expect(await send(body)).toEqual({ kind: 'ok', ack });
      expect(seen[0]!.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/json', authorization: 'Bearer esm_a_k' });
      expect(Buffer.compare(seen[0]!.body, body)).toBe(0);
    } finally {
      local.close();
    }
  });
});
