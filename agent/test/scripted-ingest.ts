// A real local HTTP server standing where the esmon server would, answering from a script
// (status, body, headers) and then 200 with an esmon-shaped acknowledgement. For the agent's own
// behaviour under failures the real server cannot be told to produce on cue; the real server is
// used wherever its answer matters (test/buffer-replay.test.ts, e2e).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { IngestBatch } from '@esmon/schema';

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startScriptedIngest(script: ScriptedAnswer[] = []) {
  const received: { batch: IngestBatch; status: number; encoding?: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const batch = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as IngestBatch;
      const next = script.shift();
      const status = next?.status ?? 200;
      received.push({ batch, status, ...(req.headers['content-encoding'] ? { encoding: req.headers['content-encoding'] } : {}) });
      const accepted = batch.hosts.reduce((n, h) => n + h.samples.length, 0);
      const body = next ? (next.body ?? { error: { code: 'SCRIPTED', message: `scripted ${status}` } }) : { batchId: batch.batchId, accepted, duplicate: false };
      res.writeHead(status, { 'content-type': 'application/json', ...next?.headers }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** The batches answered 200, in order. */
    stored: () => received.filter((r) => r.status === 200).map((r) => r.batch),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
