import { describe, expect, it } from 'vitest';
import { emailChannel } from './index.ts';
import { parseAddress, portOf, type EmailConfig } from './config.ts';
import { selfSignedCert } from './smtp-test-server.ts';

const base = { host: 'smtp.example.com', security: 'starttls', from: 'Esmon <alerts@example.com>', to: ['ops@example.com'] };

/** The issues of a refused configuration, as "path: message". */
function refusal(input: unknown): string[] {
  const r = emailChannel.config.safeParse(input);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('email config', () => {
  it('accepts a minimal configuration and defaults the port by security', () => {
    const c = emailChannel.config.parse(base) as EmailConfig;
    expect(portOf(c)).toBe(587);
    expect(portOf({ ...c, security: 'tls' })).toBe(465);
    expect(portOf({ ...c, security: 'none' })).toBe(25);
    expect(portOf({ ...c, port: 2525 })).toBe(2525);
  });

  it('lists the password as its only secret', () => {
    expect(emailChannel.secretFields).toEqual(['password']);
  });

  it.each([
    ['ops@example.com', { address: 'ops@example.com' }],
    ['Esmon Alerts <alerts@example.com>', { name: 'Esmon Alerts', address: 'alerts@example.com' }],
    ['"Ops, night shift" <night+ops@example.co.uk>', { name: 'Ops, night shift', address: 'night+ops@example.co.uk' }],
    ['<root@localhost>', { address: 'root@localhost' }],
    ['ops@bücher.example', { address: 'ops@bücher.example' }],
  ])('reads %s as an address', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it.each(['no-at-sign', 'a@b@c.com', 'a..b@example.com', '.a@example.com', 'a@-bad.example', 'a@exa mple.com', 'Ops <ops@example.com', 'a, b@example.com', 'Name "x" <a@example.com>', 'ops@example.com\r\nBcc: x@evil.test'])(
    'refuses %j as an address',
    (text) => {
      expect(parseAddress(text)).toBeNull();
    },
  );

  it('refuses a bad recipient, naming the field and the entry', () => {
    const issues = refusal({ ...base, to: ['ops@example.com', 'bob@'] });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^to\.1: to must be an email address .*"bob@"/);
  });

  it('refuses a line break in from (header injection)', () => {
    const issues = refusal({ ...base, from: 'Esmon <alerts@example.com>\r\nBcc: everyone@example.com' });
    expect(issues).toEqual(['from: from must not contain a line break']);
  });

  it('refuses a line break in a cc address and in the user name', () => {
    expect(refusal({ ...base, cc: ['a@example.com\nb@example.com'] })).toEqual(['cc.0: cc must not contain a line break']);
    expect(refusal({ ...base, username: 'me\r\nRSET', password: 'x' })[0]).toMatch(/^username: username must not contain line breaks/);
  });

  it('refuses port 0 and 65536', () => {
    expect(refusal({ ...base, port: 0 })).toEqual(['port: port must be between 1 and 65535']);
    expect(refusal({ ...base, port: 65536 })).toEqual(['port: port must be between 1 and 65535']);
    expect(refusal({ ...base, port: 25.5 })[0]).toMatch(/^port: port must be a whole number/);
  });

  it('refuses an empty or oversized recipient list', () => {
    expect(refusal({ ...base, to: [] })).toEqual(['to: to needs at least one recipient']);
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@example.com`);
    expect(refusal({ ...base, to: many })).toEqual(['to: to holds at most 50 recipients']);
  });

  it('refuses an unknown security mode, a bad host and unknown fields', () => {
    expect(refusal({ ...base, security: 'ssl' })[0]).toMatch(/^security: security must be one of none, starttls, tls/);
    expect(refusal({ ...base, host: 'smtp example.com' })[0]).toMatch(/^host: host must be a host name/);
    expect(refusal({ ...base, hots: 'x' })[0]).toMatch(/unknown field\(s\): hots/);
  });

  it('wants a username and a password together', () => {
    expect(refusal({ ...base, username: 'esmon' })).toEqual(['password: password is required with a username']);
    expect(refusal({ ...base, password: 'secret' })).toEqual(['username: username is required with a password']);
    expect(emailChannel.config.safeParse({ ...base, username: 'esmon', password: 'secret' }).success).toBe(true);
  });

  it('takes a PEM certificate as ca and refuses other text', () => {
    const { cert } = selfSignedCert();
    expect(emailChannel.config.safeParse({ ...base, ca: cert }).success).toBe(true);
    expect(refusal({ ...base, ca: 'not a certificate' })[0]).toMatch(/^ca: ca must hold one or more PEM certificates/);
    const broken = cert.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    expect(refusal({ ...base, ca: broken })[0]).toMatch(/^ca: ca certificate 1 of 1 does not parse/);
  });
});
