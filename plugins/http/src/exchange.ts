// The seam between the executor and the network: one request/response hop. The executor owns
// redirects, deadlines and judging; a transport only moves bytes and reports what it saw, so a
// fake can replay a recorded hop. Types only: importing this loads no networking code.

export interface HttpHop {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  /** already resolved: secret references replaced by their values */
  headers: Record<string, string>;
  body?: string;
  tlsVerify: boolean;
  signal: AbortSignal;
  /** body bytes kept for the regex and JSONPath; the rest is counted, not kept */
  maxBodyBytes: number;
}

/** Phases that happened, in milliseconds; a phase that did not happen (no DNS for an IP) is absent. */
export interface HopTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  /** request start to response headers */
  ttfbMs?: number;
  totalMs: number;
}

export interface HttpHopResult {
  /** absent when no complete response arrived; `error` says why */
  response?: { status: number; location?: string; body: string; bodyBytes: number };
  /** `code` is Node's (ECONNREFUSED, ABORT_ERR, CERT_UNTRUSTED for a refused certificate, …) */
  error?: { message: string; code?: string };
  /** expiry of the server certificate (ms since the epoch) whenever a TLS handshake got that far */
  certValidTo?: number;
  timings: HopTimings;
}

export type HttpTransport = (hop: HttpHop) => Promise<HttpHopResult>;
