import { describe, expect, it } from 'vitest';
import { REDACTED, redactedJson, redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  const cases: [string, unknown, unknown][] = [
    ['plain values pass', { name: 'ops', port: 25, enabled: true }, { name: 'ops', port: 25, enabled: true }],
    ['a password is blanked', { username: 'mon', password: 'hunter2' }, { username: 'mon', password: REDACTED }],
    ['secret-sounding keys in any case', { hmacSecret: 'k', apiKey: 'k', api_key: 'k', Authorization: 'Bearer x', token: 't' },
      { hmacSecret: REDACTED, apiKey: REDACTED, api_key: REDACTED, Authorization: REDACTED, token: REDACTED }],
    ['a whole object under a secret key', { secretHeaders: { 'X-Auth': 'abc' } }, { secretHeaders: REDACTED }],
    ['null says "not set" and stays', { password: null }, { password: null }],
    ['a secret reference is not a secret', { password: 'secret:db2_password' }, { password: 'secret:db2_password' }],
    ['deep in arrays', { steps: [{ params: { user: 'secret:u', password: 'p' } }] }, { steps: [{ params: { user: 'secret:u', password: REDACTED } }] }],
    ['an esmon token in any text', { comment: 'key esm_i_AbCdEfGhIjKlMnOp leaked' }, { comment: `key ${REDACTED} leaked` }],
    ['a password in a URL', { url: 'https://bob:pa55@smtp.example.com/x' }, { url: `https://bob:${REDACTED}@smtp.example.com/x` }],
    ['a URL without one is left', { url: 'https://smtp.example.com:465/x' }, { url: 'https://smtp.example.com:465/x' }],
    ['names of secret fields are not secrets', { sealedFields: ['password', 'url'] }, { sealedFields: ['password', 'url'] }],
    ['scalars', 'plain', 'plain'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(redactSecrets(input)).toEqual(expected);
  });

  it('writes JSON with dates as ISO text and nothing for nothing', () => {
    expect(redactedJson({ at: new Date(0), token: 'x' })).toBe(`{"at":"1970-01-01T00:00:00.000Z","token":"${REDACTED}"}`);
    expect(redactedJson(null)).toBeNull();
    expect(redactedJson(undefined)).toBeNull();
  });
});
