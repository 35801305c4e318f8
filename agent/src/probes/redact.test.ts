import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.ts';

describe('redaction for traces', () => {
  const r = createRedactor(['hunter2', 'hunter22']);

  it.each([
    ['a resolved secret anywhere in text', 'login hunter2 ok', 'login [secret] ok'],
    ['the longer of two overlapping secrets whole', 'pw=hunter22', 'pw=[secret]'],
    [
      'the password of a URL',
      'GET https://bob:pa55@host/x and ftp://u:p@h',
      'GET https://bob:[redacted]@host/x and ftp://u:[redacted]@h',
    ],
    ['nothing else', 'https://host/x?user=bob', 'https://host/x?user=bob'],
  ])('text: %s', (_name, input, output) => {
    expect(r.text(input)).toBe(output);
  });

  it.each<[string, unknown, unknown]>([
    [
      'credential-like keys, but not secret references',
      { password: 'x', apiKey: 'k', user: 'secret:db_user', dbPassword: 'secret:db_pw', port: 1 },
      {
        password: '[redacted]',
        apiKey: '[redacted]',
        user: 'secret:db_user',
        dbPassword: 'secret:db_pw',
        port: 1,
      },
    ],
    [
      'header lists',
      [
        { name: 'Authorization', value: 'Bearer t' },
        { name: 'Accept', value: 'a' },
      ],
      [
        { name: 'Authorization', value: '[redacted]' },
        { name: 'Accept', value: 'a' },
      ],
    ],
    [
      'what JSON cannot carry',
      {
        a: undefined,
        f: () => 1,
        n: Number.NaN,
        b: 10n,
        d: new Date(0),
        buf: Buffer.from('abc'),
        re: /x/g,
        m: new Map([['k', 1]]),
        s: new Set([1]),
      },
      { n: 'NaN', b: '10', d: '1970-01-01T00:00:00.000Z', buf: '[3 bytes]', re: '/x/g', m: { k: 1 }, s: [1] },
    ],
    ['secrets inside values', { sql: "connect using 'hunter2'" }, { sql: "connect using '[secret]'" }],
  ])('json: %s', (_name, input, output) => {
    expect(r.json(input)).toEqual(output);
  });

  it('survives cycles and depth', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(r.json(a)).toEqual({ name: 'a', self: '[circular]' });
    expect(JSON.stringify(r.json(deep))).toContain('"[too deep]"');
  });
});
