import { describe, expect, it } from 'vitest';
import { createCors } from './cors.ts';

const OPS = 'https://ops.example.test';

describe('createCors', () => {
  const cors = createCors([OPS, 'http://localhost:5173']);

  it.each([
    // method, origin, Access-Control-Request-Method, expected kind/status, Access-Control-Allow-Origin
    ['POST', OPS, undefined, 'pass', OPS],
    ['GET', 'http://localhost:5173', undefined, 'pass', 'http://localhost:5173'],
    ['POST', 'https://evil.example.test', undefined, 'pass', undefined],
    ['POST', `${OPS}.evil.test`, undefined, 'pass', undefined],
    ['POST', 'http://ops.example.test', undefined, 'pass', undefined],
    ['POST', 'null', undefined, 'pass', undefined],
    ['POST', undefined, undefined, 'pass', undefined],
    ['OPTIONS', OPS, 'POST', 204, OPS],
    ['OPTIONS', 'https://evil.example.test', 'POST', 403, undefined],
    // OPTIONS without a requested method is no preflight: the route answers it
    ['OPTIONS', OPS, undefined, 'pass', OPS],
  ] as const)('%s from %s (preflight for %s)', (method, origin, requestMethod, expected, allowOrigin) => {
    const answer = cors({ method, origin, requestMethod });
    expect(answer.kind === 'preflight' ? answer.status : answer.kind).toBe(expected);
    expect(answer.headers['access-control-allow-origin']).toBe(allowOrigin);
    expect(answer.headers.vary).toBe('Origin');
    expect(answer.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  it('answers an allowed preflight with the methods and headers the API takes', () => {
    expect(cors({ method: 'OPTIONS', origin: OPS, requestMethod: 'POST' }).headers).toMatchObject({
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, content-encoding, accept',
    });
  });

  it('allows nobody, and varies on nothing, with an empty list', () => {
    const none = createCors([]);
    expect(none({ method: 'POST', origin: OPS })).toEqual({ kind: 'pass', headers: {} });
    expect(none({ method: 'OPTIONS', origin: OPS, requestMethod: 'POST' })).toMatchObject({ kind: 'preflight', status: 403, headers: {} });
  });
});
