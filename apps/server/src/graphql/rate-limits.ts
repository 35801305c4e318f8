// How GraphQL says "over the rate limit": code RATE_LIMITED, what was limited and when to retry in
// the error's extensions, HTTP 429 with Retry-After (whole seconds), before or during execution,
// and on a WebSocket upgrade.
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { VerifyClientCallbackAsync } from 'ws';
import type { ClientAddress } from '../limits/client-address.ts';
import type { Refusal } from '../limits/limiter.ts';

const extensionsOf = ({ limit, retryAfterSeconds }: Refusal) => ({ code: 'RATE_LIMITED', limit, retryAfterSeconds });

/** For a resolver or an operation: over HTTP, yoga answers 429 with the Retry-After header. */
export function rateLimitedError(refusal: Refusal, { overHttp = true } = {}): GraphQLError {
  const http = { status: 429, headers: { 'retry-after': String(refusal.retryAfterSeconds) } };
  return new GraphQLError(refusal.message, { extensions: { ...extensionsOf(refusal), ...(overHttp ? { http } : {}) } });
}

/** For a request refused before yoga sees it: a GraphQL response with one error. */
export function sendRateLimited(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ errors: [{ message: refusal.message, extensions: extensionsOf(refusal) }] });
  res.writeHead(429, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': String(refusal.retryAfterSeconds),
  });
  res.end(body);
}

/** Refuses a WebSocket upgrade over the connection limit with 429, Retry-After and the same body. */
export function limitWebSocketUpgrades(
  admit: (address: string | null) => Promise<Refusal | undefined>,
  addressOf: ClientAddress,
): VerifyClientCallbackAsync {
  return ({ req }, done) => {
    admit(addressOf(req)).then(
      (refusal) => {
        if (!refusal) return done(true);
        const body = JSON.stringify({ errors: [{ message: refusal.message, extensions: extensionsOf(refusal) }] });
        done(false, 429, body, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(refusal.retryAfterSeconds) });
      },
      () => done(false, 500),
    );
  };
}
