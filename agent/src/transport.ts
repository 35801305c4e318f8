// Talking to POST /api/v1/ingest. Two parts: `post` carries bytes and brings back what the server
// said (the seam tests replace with a real local server), and `classifyAnswer` decides what that
// means for the batch: stored, retry later (server away, overloaded, failing), rejected (its
// content is refused: retrying cannot help) or fatal (the key is refused, or the URL is not an
// esmon server).
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { IngestAck, IngestBatch } from '@esmon/schema';
import { parseRetryAfter } from './backoff.ts';
import { httpPost as nodeHttpPost, jsonOf, type HttpAnswer, type HttpPost } from './http-post.ts';

const gzipAsync = promisify(gzip);

export type SendResult =
  | { kind: 'ok'; ack: IngestAck }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'rejected'; reason: string }
  | { kind: 'fatal'; reason: string };

/** What the server answered; status 0 when nobody did (`error` says why). */
export interface IngestAnswer {
  status: number;
  body?: unknown;
  retryAfter?: string;
  error?: string;
}

/** Sends one request body with extra headers (e.g. content-encoding) and brings back the answer. */
export type PostIngest = (body: Uint8Array, headers: Record<string, string>) => Promise<IngestAnswer>;
/** Sends a batch already encoded as gzip JSON (as the buffer stores it). */
export type SendGzip = (gzipJson: Uint8Array) => Promise<SendResult>;
/** Sends a batch. */
export type Send = (batch: IngestBatch) => Promise<SendResult>;

export interface TransportOptions {
  server: string;
  key: string;
  timeoutMs?: number;
  /** node:http by default (see http-post.ts) */
  httpPost?: HttpPost;
}

export const ingestUrl = (server: string) => new URL('/api/v1/ingest', server).href;

export function createHttpPost({ server, key, timeoutMs = 15_000, httpPost = nodeHttpPost }: TransportOptions): PostIngest {
  const url = ingestUrl(server);
  return async (body, headers) => {
    let res: HttpAnswer;
    try {
      res = await httpPost(url, { headers: { 'content-type': 'application/json', ...headers, authorization: `Bearer ${key}` }, body, timeoutMs });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      return { status: 0, error: e.code ?? e.message ?? String(err) };
    }
    const retryAfter = res.headers['retry-after'];
    return { status: res.status, body: jsonOf(res), ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
  };
}

function errorMessage(body: unknown, status: number): string {
  const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
  return message ?? `HTTP ${status}`;
}

/** What an answer means for the batch; `now` dates an HTTP-date Retry-After. */
export function classifyAnswer(answer: IngestAnswer, server: string, now: number): SendResult {
  const url = ingestUrl(server);
  const { status, body } = answer;
  if (status === 0) return { kind: 'retry', reason: `cannot reach ${url}: ${answer.error ?? 'no answer'}` };
  if (status >= 200 && status < 300) {
    const ack = body as IngestAck | undefined;
    if (!ack || typeof ack.accepted !== 'number') return { kind: 'fatal', reason: `${url} answered ${status} but not like an esmon server` };
    return { kind: 'ok', ack };
  }
  const reason = errorMessage(body, status);
  if (status === 401 || status === 403) return { kind: 'fatal', reason: `the server refused the key: ${reason}` };
  if (status === 404 || status === 405) return { kind: 'fatal', reason: `${url} answered ${status}: is ${server} an esmon server?` };
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(answer.retryAfter, now) : undefined;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'rejected', reason };
  return { kind: 'retry', reason: `server answered ${status}: ${reason}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Sends stored gzip bodies as they are. */
export function createGzipSender(options: TransportOptions & { post?: PostIngest; now?: () => number }): SendGzip {
  const post = options.post ?? createHttpPost(options);
  const now = options.now ?? Date.now;
  return async (gzipJson) => classifyAnswer(await post(gzipJson, { 'content-encoding': 'gzip' }), options.server, now());
}

/** Encodes and sends one batch (for callers without a buffer). */
export function createTransport(options: TransportOptions): Send {
  const send = createGzipSender(options);
  return async (batch) => send(await gzipBatch(batch));
}

export const gzipBatch = (batch: IngestBatch): Promise<Buffer> => gzipAsync(JSON.stringify(batch));
