// The transport against the real server (and a plain HTTP server that is not esmon).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort as closedPort } from '../src/processes.ts';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';
import { createTransport } from '../../agent/src/transport.ts';

const batch = (hostname: string, id: string) => ({
  batchId: id,
  hosts: [{ hostname, samples: [{ metric: 'os.cpu.usage', ts: Date.now(), value: 1 }] }],
});

describe('the agent transport', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer();
    key = await s.agentKey('t-1');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('delivers a gzip batch and reads the acknowledgement', async () => {
    const send = createTransport({ server: s.url, key });
    expect(await send(batch('t-1', 'transport-ok-1'))).toEqual({ kind: 'ok', ack: { batchId: 'transport-ok-1', accepted: 1, duplicate: false } });
  });

  it('treats a refused key as fatal, with the server’s reason', async () => {
    const send = createTransport({ server: s.url, key: 'esm_a_thisisnotarealkeyatall000000' });
    expect(await send(batch('t-1', 'transport-bad-1'))).toEqual({ kind: 'fatal', reason: 'the server refused the key: the token is not valid' });
  });

  it('drops a batch the server rejects, and retries when nobody answers', async () => {
    const send = createTransport({ server: s.url, key });
    const bad = await send({ ...batch('t-1', 'transport-nan-1'), hosts: [{ hostname: 't-1', samples: [{ metric: 'os.cpu.usage', ts: Date.now(), value: Number.NaN }] }] });
    expect(bad).toEqual({ kind: 'rejected', reason: 'hosts[0].samples[0].value: value must be a number' });
    const port = await closedPort();
    const down = createTransport({ server: `http://127.0.0.1:${port}`, key });
    expect(await down(batch('t-1', 'transport-down-1'))).toEqual({ kind: 'retry', reason: `cannot reach http://127.0.0.1:${port}/api/v1/ingest: ECONNREFUSED` });
  });

  it('says when the URL is not an esmon server', async () => {
    const other = createServer((_req, res) => res.writeHead(404).end('nope'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const result = await createTransport({ server: url, key })(batch('t-1', 'transport-404-1'));
    expect(result).toEqual({ kind: 'fatal', reason: `${url}/api/v1/ingest answered 404: is ${url} an esmon server?` });
    other.close();
  });
});
