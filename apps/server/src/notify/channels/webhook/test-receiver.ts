// For the channels' tests: a real HTTP receiver on a free local port that records each request
// (raw body bytes included, for signature checks) and answers as the test says.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SendContext } from '../../channel.ts';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How the receiver answers a request. */
export type Answer = (req: Received, res: ServerResponse) => void;

/** Never answers: a hung receiver. */
export const hang: Answer = () => undefined;

export const answerStatus =
  (status: number, body = '', headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, headers).end(body);
  };

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A receiver on `port` (a free one when 0): a test may bring one back where a channel points. */
export async function startReceiver(answer: Answer = answerStatus(200, 'ok'), port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function deadUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}

export function sendContext(timeoutMs = 5000, now = () => Date.now()): SendContext {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs, now };
}
