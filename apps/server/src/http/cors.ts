// Cross-origin access to /graphql and /api/v1/ingest: only the exact origins of ESMON_CORS_ORIGINS
// (none by default: the workbench is same-origin and agents are not browsers). Answered here, in
// front of yoga and the ingest route, so both behave alike and a preflight costs no rate limit.

/** What a request asks of CORS: its Origin, and for a preflight the method and headers it wants. */
export interface CorsRequest {
  method: string;
  origin: string | undefined;
  requestMethod?: string | undefined;
}

export type CorsAnswer =
  /** not a CORS matter (no Origin) or an origin not allowed: answer the request as usual, without CORS headers */
  | { kind: 'pass'; headers: Record<string, string> }
  /** a preflight: answer it now, 204 when the origin is allowed, 403 when not */
  | { kind: 'preflight'; status: 204 | 403; headers: Record<string, string>; message?: string };

/** Methods and request headers the API's routes take (the Authorization bearer, JSON, gzip). */
const METHODS = 'GET, POST';
const HEADERS = 'authorization, content-type, content-encoding, accept';

export function createCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  // responses differ by Origin as soon as any origin is allowed: caches must keep them apart
  const vary: Record<string, string> = allowed.size > 0 ? { vary: 'Origin' } : {};
  return (req: CorsRequest): CorsAnswer => {
    const { origin } = req;
    const preflight = req.method === 'OPTIONS' && origin !== undefined && req.requestMethod !== undefined;
    const ok = origin !== undefined && allowed.has(origin);
    if (!preflight) return { kind: 'pass', headers: ok ? { ...vary, 'access-control-allow-origin': origin } : vary };
    if (!ok) {
      return { kind: 'preflight', status: 403, headers: vary, message: `origin ${origin} is not allowed: list it in ESMON_CORS_ORIGINS` };
    }
    return {
      kind: 'preflight',
      status: 204,
      headers: {
        ...vary,
        'access-control-allow-origin': origin,
        'access-control-allow-methods': METHODS,
        'access-control-allow-headers': HEADERS,
        'access-control-max-age': '600',
      },
    };
  };
}

export type Cors = ReturnType<typeof createCors>;
