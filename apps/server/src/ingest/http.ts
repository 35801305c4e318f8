// POST /api/v1/ingest: the agent protocol. JSON, optionally gzip; the agent key in the
// Authorization header. Every refusal is JSON { error: { code, message, details? } } with the
// matching HTTP status, and nothing of a refused batch is stored. Over the rate limit (per key, or
// per client address without a valid one): 429 RATE_LIMITED with Retry-After, before the body is read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';
import { ingestLimits, parseIngestBatch, type FieldIssue } from '@esmon/schema';
import { describeAuthFailure, type Authenticate } from '../auth/authenticate.ts';
import type { ClientAddress } from '../limits/client-address.ts';
import type { Limits } from '../limits/limits.ts';
import type { Logger } from '../log.ts';
import type { IngestMetrics } from '../metrics.ts';
import { IngestBusyError } from '../store/sample-writer.ts';
import { IngestForbiddenError, IngestRejectedError, type Ingest } from './ingest-batch.ts';

export interface IngestRouteOptions {
  authenticate: Authenticate;
  ingest: Ingest;
  metrics: IngestMetrics;
  log: Logger;
  limits: Pick<Limits, 'ingest'>;
  clientAddress: ClientAddress;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldIssue[],
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads the body, gunzipping when asked, refusing more than `limit` bytes either way. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') {
    throw new HttpError(415, 'UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not supported (use gzip or none)`);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'TOO_LARGE', `body larger than ${limit} bytes`);
  const source = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        req.unpipe();
        req.resume();
        throw new HttpError(413, 'TOO_LARGE', `body larger than ${limit} bytes${encoding === 'gzip' ? ' once decompressed' : ''}`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'BAD_ENCODING', `body is not valid gzip: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks);
}

export function createIngestRoute({ authenticate, ingest, metrics, log, limits, clientAddress }: IngestRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      const auth = await authenticate(req.headers.authorization);
      const limited = await limits.ingest(auth, clientAddress(req));
      if (limited) {
        const { limit, retryAfterSeconds } = limited;
        throw new HttpError(429, 'RATE_LIMITED', limited.message, undefined, { 'retry-after': String(retryAfterSeconds) }, { limit, retryAfterSeconds });
      }
      if (!auth.ok) throw new HttpError(401, 'UNAUTHENTICATED', describeAuthFailure(auth.reason));
      if (auth.principal.kind === 'anonymous') throw new HttpError(401, 'UNAUTHENTICATED', describeAuthFailure('missing'));
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/json')) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      }
      const body = await readBody(req, ingestLimits.bodyBytes);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw new HttpError(400, 'BAD_JSON', `body is not valid JSON: ${(err as Error).message}`);
      }
      const checked = parseIngestBatch(parsed);
      if (!checked.ok) {
        const first = checked.issues[0]!;
        throw new HttpError(400, 'BAD_USER_INPUT', `${first.path || 'body'}: ${first.message}`, checked.issues);
      }
      const ack = await ingest(checked.batch, auth.principal).catch((err: unknown) => {
        if (err instanceof IngestForbiddenError) throw new HttpError(403, 'FORBIDDEN', err.message);
        if (err instanceof IngestRejectedError) throw new HttpError(400, 'BAD_USER_INPUT', err.message, err.issues);
        if (err instanceof IngestBusyError) {
          throw new HttpError(429, 'BUSY', err.message, undefined, { 'retry-after': String(err.retryAfterSeconds) });
        }
        throw err;
      });
      sendJson(res, 200, ack);
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.code === 'BUSY') metrics.ingestBatches.inc({ result: 'busy' });
        else if (!['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'].includes(err.code)) metrics.ingestBatches.inc({ result: 'rejected' });
        const error = { code: err.code, message: err.message, ...err.extra, ...(err.details ? { details: err.details } : {}) };
        sendJson(res, err.status, { error }, err.headers);
        return;
      }
      metrics.ingestBatches.inc({ result: 'failed' });
      log.error({ err }, 'ingest failed');
      sendJson(res, 503, { error: { code: 'UNAVAILABLE', message: 'the batch was not stored; retry later' } }, { 'retry-after': '5' });
    }
  };
}
