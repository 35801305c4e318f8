import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './security-headers.ts';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

describe('contentSecurityPolicy', () => {
  it.each([
    // tls, host, page, connect-src, script-src, worker-src
    [false, 'localhost:4000', 'workbench', "connect-src 'self' ws://localhost:4000", "script-src 'self'", "worker-src 'self'"],
    [true, 'esmon.example.com', 'workbench', "connect-src 'self' wss://esmon.example.com", "script-src 'self'", "worker-src 'self'"],
    [true, '[::1]:8443', 'workbench', "connect-src 'self' wss://[::1]:8443", "script-src 'self'", "worker-src 'self'"],
    [false, undefined, 'workbench', "connect-src 'self'", "script-src 'self'", "worker-src 'self'"],
    [false, 'a b', 'workbench', "connect-src 'self'", "script-src 'self'", "worker-src 'self'"],
    [false, "x; script-src 'unsafe-inline'", 'workbench', "connect-src 'self'", "script-src 'self'", "worker-src 'self'"],
    [false, 'localhost', 'graphiql', "connect-src 'self' ws://localhost", "script-src 'self' 'sha256-A' 'sha256-B'", "worker-src 'self' blob:"],
  ] as const)('tls %s, host %s, %s page', (tls, host, page, connect, script, worker) => {
    const policy = contentSecurityPolicy({ tls, host, page, graphiqlScriptHashes: ['sha256-A', 'sha256-B'] });
    expect(directive(policy, 'connect-src')).toBe(connect);
    expect(directive(policy, 'script-src')).toBe(script);
    expect(directive(policy, 'worker-src')).toBe(worker);
    expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(directive(policy, 'script-src')).not.toContain('unsafe-inline');
  });

  it('is the documented policy for the workbench', () => {
    expect(contentSecurityPolicy({ tls: true, host: 'esmon.example.com', page: 'workbench' })).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self' wss://esmon.example.com; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});

describe('securityHeaders', () => {
  it('sends HSTS only under TLS', () => {
    expect(securityHeaders({ tls: true, host: 'h', page: 'workbench' })['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(securityHeaders({ tls: false, host: 'h', page: 'workbench' })).not.toHaveProperty('strict-transport-security');
  });

  it('forbids sniffing, referrers and framing', () => {
    expect(securityHeaders({ tls: false, host: 'h', page: 'graphiql' })).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
  });
});
