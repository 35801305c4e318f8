// The real transport: node:net/node:tls sockets we open ourselves, so the phases can be timed
// from socket events and the peer certificate read even when it is refused. The TLS handshake
// never rejects by itself; we check `authorized` and only then write the request, so headers
// (secrets included) never reach a server whose certificate failed verification.
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { HopTimings, HttpHop, HttpHopResult, HttpTransport } from './exchange.ts';
import { networkError } from '@esmon/schema';

const CERT_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'host name does not match the certificate',
};

interface Marks {
  start: number;
  lookup?: number;
  connect?: number;
  secure?: number;
  response?: number;
}

function timingsOf(m: Marks, end: number): HopTimings {
  const t: HopTimings = { totalMs: end - m.start };
  if (m.lookup !== undefined) t.dnsMs = m.lookup - m.start;
  if (m.connect !== undefined) t.connectMs = m.connect - (m.lookup ?? m.start);
  if (m.secure !== undefined && m.connect !== undefined) t.tlsMs = m.secure - m.connect;
  if (m.response !== undefined) t.ttfbMs = m.response - m.start;
  return t;
}

function certificateError(code: string): { message: string; code: string } {
  return {
    code: 'CERT_UNTRUSTED',
    message: `TLS certificate not trusted: ${CERT_ERRORS[code] ?? code} (${code})`,
  };
}

function openSocket(url: URL): { socket: net.Socket; tls: boolean; host: string; port: number } {
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || (secure ? 443 : 80);
  if (!secure) return { socket: net.connect({ host, port }), tls: false, host, port };
  // rejectUnauthorized false so the certificate stays readable; see the header comment
  const options: tls.ConnectionOptions = {
    host,
    port,
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  };
  if (net.isIP(host) === 0) options.servername = host;
  return { socket: tls.connect(options), tls: true, host, port };
}

/** One HTTP exchange over a fresh connection; resolves with what happened, never rejects. */
export const requestHop: HttpTransport = (hop: HttpHop) =>
  new Promise<HttpHopResult>((resolve) => {
    const url = new URL(hop.url);
    const marks: Marks = { start: performance.now() };
    const { socket, tls: secure, host, port } = openSocket(url);
    let certValidTo: number | undefined;
    let settled = false;

    const finish = (r: Pick<HttpHopResult, 'response' | 'error'>) => {
      if (settled) return;
      settled = true;
      hop.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({
        ...r,
        ...(certValidTo === undefined ? {} : { certValidTo }),
        timings: timingsOf(marks, performance.now()),
      });
    };
    const fail = (err: Error & { code?: string }) => finish({ error: networkError(err) });
    function onAbort() {
      finish({ error: { code: 'ABORT_ERR', message: 'aborted' } });
    }

    const send = () => {
      let req: http.ClientRequest;
      try {
        req = http.request({
          createConnection: () => socket,
          host,
          port,
          defaultPort: secure ? 443 : 80,
          method: hop.method,
          path: url.pathname + url.search,
          headers: hop.headers,
        });
      } catch (err) {
        // a resolved secret with a line break, say; Node's message names the header, not the value
        return fail(err as Error);
      }
      req.on('error', fail);
      req.on('response', (res) => {
        marks.response = performance.now();
        const kept: Buffer[] = [];
        let keptBytes = 0;
        let bodyBytes = 0;
        res.on('data', (chunk: Buffer) => {
          bodyBytes += chunk.length;
          if (keptBytes >= hop.maxBodyBytes) return;
          const part = chunk.subarray(0, hop.maxBodyBytes - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        });
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete)
            return fail(
              Object.assign(new Error('the connection closed before the response was complete'), {
                code: 'ECONNRESET',
              }),
            );
          const location = res.headers.location;
          finish({
            response: {
              status: res.statusCode ?? 0,
              ...(location ? { location } : {}),
              body: Buffer.concat(kept).toString('utf8'),
              bodyBytes,
            },
          });
        });
      });
      req.end(hop.body);
    };

    socket.on('error', fail);
    socket.once('lookup', () => (marks.lookup = performance.now()));
    socket.once('connect', () => {
      marks.connect = performance.now();
      if (!secure) send();
    });
    socket.once('secureConnect', () => {
      marks.secure = performance.now();
      const s = socket as tls.TLSSocket;
      const validTo = Date.parse(s.getPeerCertificate().valid_to);
      if (Number.isFinite(validTo)) certValidTo = validTo;
      if (hop.tlsVerify && !s.authorized)
        return finish({ error: certificateError(String(s.authorizationError)) });
      send();
    });
    if (hop.signal.aborted) return onAbort();
    hop.signal.addEventListener('abort', onAbort, { once: true });
  });
