// Sends one batch to POST /api/v1/ingest (gzip JSON) and classifies the answer: stored, retry
// later (server away, overloaded, failing), rejected (bad data: retrying cannot help) or fatal
// (the key is refused, or the URL is not an esmon server).
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { IngestAck, IngestBatch } from '@esmon/schema';

const gzipAsync = promisify(gzip);

export type SendResult =
  | { kind: 'ok'; ack: IngestAck }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'rejected'; reason: string }
  | { kind: 'fatal'; reason: string };

export type Send = (batch: IngestBatch) => Promise<SendResult>;

export interface TransportOptions {
  server: string;
  key: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function errorMessage(body: unknown, status: number): string {
  const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
  return message ?? `HTTP ${status}`;
}

export function createTransport({ server, key, timeoutMs = 15_000, fetch: doFetch = fetch }: TransportOptions): Send {
  const url = new URL('/api/v1/ingest', server).href;
  return async (batch) => {
    const body = await gzipAsync(JSON.stringify(batch));
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).message;
      return { kind: 'retry', reason: `cannot reach ${url}: ${reason}` };
    }
    const parsed: unknown = await res.json().catch(() => undefined);
    if (res.ok) {
      const ack = parsed as IngestAck | undefined;
      if (!ack || typeof ack.accepted !== 'number') return { kind: 'fatal', reason: `${url} answered 200 but not like an esmon server` };
      return { kind: 'ok', ack };
    }
    const reason = errorMessage(parsed, res.status);
    if (res.status === 401 || res.status === 403) return { kind: 'fatal', reason: `the server refused the key: ${reason}` };
    if (res.status === 404 || res.status === 405) {
      return { kind: 'fatal', reason: `${url} answered ${res.status}: is ${server} an esmon server?` };
    }
    if (res.status === 400 || res.status === 413 || res.status === 415) return { kind: 'rejected', reason };
    const retryAfter = Number(res.headers.get('retry-after'));
    return { kind: 'retry', reason: `server answered ${res.status}: ${reason}`, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  };
}
