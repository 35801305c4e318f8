import { manifestJson, PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { isHostOrIp } from './host.ts';
import { tcp } from './index.ts';
import { unescapeSend } from './prepare.ts';

function issues(params: unknown): string[] {
  const r = tcp.manifest.params.safeParse(params);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('tcp parameters', () => {
  it.each([
    'db01',
    'db01.example.com',
    'WIN_SRV-01.corp.local',
    'localhost',
    '10.0.0.5',
    '255.255.255.255',
    '::1',
    '2001:db8::17',
    '::ffff:10.0.0.1',
  ])('accepts the host %s', (host) => expect(isHostOrIp(host)).toBe(true));

  it.each([
    '',
    'a b',
    'http://db01',
    'db01:5432',
    '[::1]',
    '999.1.1.1',
    '10.1',
    '1.2.3',
    '-db01',
    'db01.',
    'a..b',
    'host/x',
    `${'a'.repeat(64)}.com`,
    '2001:db8:::1',
    'fe80::1%eth0',
    '::1]/x',
    '::1]:22',
    '::1]@evil.example',
  ])('refuses the host %j', (host) => expect(isHostOrIp(host)).toBe(false));

  it('fills defaults and prepares the exact exchange', () => {
    expect(
      tcp.prepare({ host: ' db01.example.com ', port: 25, send: 'EHLO esmon\\r\\n', expect: '^250' }),
    ).toEqual({
      host: 'db01.example.com',
      port: 25,
      timeoutMs: 5_000,
      send: 'EHLO esmon\r\n',
      expect: /^250/,
    });
  });

  it('turns only the documented escapes into characters', () => {
    expect(unescapeSend('a\\r\\n\\tb\\\\n\\x41')).toBe('a\r\n\tb\\n\\x41');
  });

  it.each<[string, unknown, string]>([
    ['a bad host', { host: 'a b', port: 80 }, 'host: a host name or IP address'],
    ['a missing port', { host: 'db01' }, 'port: '],
    ['port 0', { host: 'db01', port: 0 }, 'port: '],
    ['port 65536', { host: 'db01', port: 65_536 }, 'port: '],
    ['a fractional port', { host: 'db01', port: 80.5 }, 'port: '],
    ['a tiny timeout', { host: 'db01', port: 80, timeoutMs: 10 }, 'timeoutMs: '],
    ['an empty send', { host: 'db01', port: 80, send: '' }, 'send: '],
    [
      'a regex that does not compile',
      { host: 'db01', port: 80, expect: '[' },
      'expect: the regular expression does not compile',
    ],
    ['a regex longer than 256', { host: 'db01', port: 80, expect: 'a'.repeat(257) }, 'expect: '],
    ['an unknown parameter', { host: 'db01', port: 80, tls: true }, ': Unrecognized key'],
  ])('refuses %s', (_case, params, message) => {
    expect(issues(params).join('\n')).toContain(message);
  });

  it('prepare names every bad field', () => {
    expect(() => tcp.prepare({ host: 'a b', port: 0 })).toThrow(PluginParamsError);
    expect(() => tcp.prepare({ host: 'a b', port: 0 })).toThrow(/host: .*; port: /);
  });

  it('describes itself for the workbench', () => {
    const json = manifestJson(tcp.manifest) as {
      params: { properties: Record<string, { ui?: { label: string } }>; required?: string[] };
    };
    expect(json).toMatchObject({
      id: 'tcp',
      category: 'network',
      platforms: ['linux', 'windows'],
      runsScripts: false,
    });
    expect(Object.keys(json.params.properties)).toEqual(['host', 'port', 'timeoutMs', 'send', 'expect']);
    expect(json.params.properties.port!.ui).toMatchObject({ label: 'Port' });
  });
});
