// One exchange as the user sees it: the first request and the redirects it leads to. Credentials
// go to the origin the user named only; a redirect elsewhere loses them, as browsers do.
import type { HttpHop, HttpHopResult, HttpTransport } from './exchange.ts';
import { MAX_REDIRECTS } from './manifest.ts';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A header ready to send; `sensitive` ones (secrets, credentials) stay on the first origin. */
export interface OutgoingHeader {
  name: string;
  value: string;
  sensitive: boolean;
}

export interface FollowOptions {
  url: string;
  method: HttpHop['method'];
  headers: OutgoingHeader[];
  body?: string;
  followRedirects: boolean;
  tlsVerify: boolean;
  signal: AbortSignal;
  maxBodyBytes: number;
  transport: HttpTransport;
}

export interface FollowResult {
  /** every hop in order; the last one holds the final response or the error */
  hops: HttpHopResult[];
  /** why the exchange failed beyond the last hop's own error (a bad or endless redirect) */
  error?: string;
}

function headerRecord(headers: OutgoingHeader[]): Record<string, string> {
  return Object.fromEntries(headers.map((h) => [h.name, h.value]));
}

/** What a redirect does to the method: 303, and 301/302 after a POST, turn into a GET without body. */
function redirectedMethod(status: number, method: HttpHop['method']): HttpHop['method'] {
  if (method === 'HEAD') return 'HEAD';
  return status === 303 || (method === 'POST' && (status === 301 || status === 302)) ? 'GET' : method;
}

/** Sends the request and follows redirects up to MAX_REDIRECTS. */
export async function followExchange(o: FollowOptions): Promise<FollowResult> {
  const hops: HttpHopResult[] = [];
  let url = new URL(o.url);
  let { method, body, headers } = o;
  for (;;) {
    const hop = await o.transport({
      url: url.href,
      method,
      headers: headerRecord(headers),
      ...(body !== undefined ? { body } : {}),
      tlsVerify: o.tlsVerify,
      signal: o.signal,
      maxBodyBytes: o.maxBodyBytes,
    });
    hops.push(hop);
    const status = hop.response?.status ?? 0;
    if (!o.followRedirects || !REDIRECTS.has(status) || hop.response?.location === undefined) return { hops };
    if (hops.length > MAX_REDIRECTS) return { hops, error: `more than ${MAX_REDIRECTS} redirects` };
    let next: URL;
    try {
      next = new URL(hop.response.location, url);
    } catch {
      return { hops, error: `status ${status} redirects to an invalid URL` };
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      return { hops, error: `status ${status} redirects to a ${next.protocol} URL` };
    if (next.origin !== url.origin) headers = headers.filter((h) => !h.sensitive);
    const nextMethod = redirectedMethod(status, method);
    if (nextMethod !== method) {
      body = undefined;
      headers = headers.filter((h) => h.name.toLowerCase() !== 'content-type');
    }
    method = nextMethod;
    url = next;
  }
}
