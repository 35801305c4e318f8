// The headers every response carries: HSTS (under TLS only), nosniff, no referrer, no framing, and
// a Content-Security-Policy. The workbench's policy runs no inline or eval'd script; GraphiQL's page
// (its own policy) runs exactly its two inline scripts, allowed by hash, and blob: workers.

export type PageKind = 'workbench' | 'graphiql';

export interface SecurityHeaderOptions {
  /** served over https: HSTS is sent, WebSockets are wss: */
  tls: boolean;
  /** the request's Host header: the WebSocket address the page may connect to */
  host: string | undefined;
  page: PageKind;
  /** sha256 sources ('sha256-…') of GraphiQL's inline scripts */
  graphiqlScriptHashes?: readonly string[];
}

/** A Host header we echo into the policy: a hostname or [IPv6], with an optional port; nothing else. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The Content-Security-Policy for `page`. Styles may be inline: Monaco (in the workbench and in
 * GraphiQL) injects its theme as <style> elements at run time. connect-src names the WebSocket
 * address of this very host besides 'self', for browsers that do not match ws: against 'self'.
 */
export function contentSecurityPolicy({ tls, host, page, graphiqlScriptHashes = [] }: SecurityHeaderOptions): string {
  const socket = host && HOST.test(host) ? [`${tls ? 'wss' : 'ws'}://${host}`] : [];
  const graphiql = page === 'graphiql';
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...(graphiql ? graphiqlScriptHashes.map((h) => `'${h}'`) : [])],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'", ...(graphiql ? ['data:'] : [])],
    ['connect-src', "'self'", ...socket],
    // the workbench's Monaco worker is a file of its own; GraphiQL turns its worker files into blob: URLs
    ['worker-src', "'self'", ...(graphiql ? ['blob:'] : [])],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** Every response's security headers. */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    ...(options.tls ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': contentSecurityPolicy(options),
  };
}
