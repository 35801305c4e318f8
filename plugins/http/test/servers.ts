// Real local servers for the http plugin's tests: plain HTTP, and HTTPS with a self-signed
// certificate made by openssl in a temporary folder, valid for a known number of days.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext } from '@esmon/schema';
import { stepContext } from '@esmon/schema/testing';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LocalServer {
  /** base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse) => void;

async function listen(server: http.Server, scheme: string, seen: SeenRequest[]): Promise<LocalServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function recording(handler: Handler, seen: SeenRequest[]): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(r);
      handler(r, res);
    });
  };
}

export function startHttpServer(handler: Handler): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  return listen(http.createServer(recording(handler, seen)), 'http', seen);
}

export interface Certificate {
  key: string;
  cert: string;
}

/** A self-signed certificate for localhost and 127.0.0.1 that expires `days` days from now. */
export function selfSignedCertificate(days: number): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'esmon-http-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        String(days),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startHttpsServer(certificate: Certificate, handler: Handler): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  return listen(https.createServer(certificate, recording(handler, seen)), 'https', seen);
}

/** The shared test context, with the real clock (certificates expire in real time) and these secrets. */
export function liveContext(
  secrets: Record<string, string> = {},
  over: Partial<StepContext> = {},
): StepContext {
  return stepContext({
    now: () => Date.now(),
    secret: (ref) => (Object.hasOwn(secrets, ref) ? secrets[ref] : undefined),
    ...over,
  });
}
