import { manifestJson, PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { http, type HttpParamsInput } from './index.ts';

function issues(params: unknown): string[] {
  const r = http.manifest.params.safeParse(params);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('http parameters', () => {
  it('fills defaults and prepares the exact request', () => {
    const p = http.prepare({
      url: 'https://Example.com:8443/health?token=abc#frag',
      headers: { Authorization: 'Bearer secret:api_token', Accept: 'application/json' },
    });
    expect(p).toEqual({
      url: 'https://example.com:8443/health?token=abc#frag',
      label: 'https://example.com:8443/health',
      method: 'GET',
      headers: [
        { name: 'Authorization', scheme: 'Bearer', secretRef: 'secret:api_token' },
        { name: 'Accept', value: 'application/json' },
      ],
      timeoutMs: 10_000,
      expectStatus: [[200, 399]],
      followRedirects: true,
      tlsVerify: true,
    });
  });

  it('parses status ranges, the regex and the JSONPath', () => {
    const p = http.prepare({
      url: 'http://10.0.0.1/',
      expectStatus: ['200', '300-302', ' 401 '],
      bodyRegex: 'ok|fine',
      jsonPath: '$.a[0]',
    });
    expect(p.expectStatus).toEqual([
      [200, 200],
      [300, 302],
      [401, 401],
    ]);
    expect(p.bodyRegex).toEqual(/ok|fine/);
    expect(p.jsonPath).toBe('$.a[0]');
  });

  it.each<[string, unknown, string]>([
    ['a missing URL', {}, 'url: '],
    ['no URL at all', { url: 'example.com/health' }, 'url: not a URL such as https://example.com/health'],
    ['another scheme', { url: 'ftp://example.com/' }, 'url: ftp: URLs are not supported: http or https only'],
    ['a file URL', { url: 'file:///etc/passwd' }, 'url: file: URLs are not supported'],
    [
      'credentials in the URL',
      { url: 'https://admin:hunter2@example.com/' },
      'url: credentials do not belong in the URL',
    ],
    ['an unknown method', { url: 'http://a/', method: 'DELETE' }, 'method: '],
    [
      'a plain Authorization header',
      { url: 'http://a/', headers: { authorization: 'Bearer hunter2' } },
      'headers.authorization: authorization must be a secret reference',
    ],
    [
      'a plain Cookie header',
      { url: 'http://a/', headers: { Cookie: 'sid=1' } },
      'headers.Cookie: Cookie must be a secret reference',
    ],
    ['a bad header name', { url: 'http://a/', headers: { 'X Bad': '1' } }, 'headers.X Bad: a header name'],
    [
      'a header value with a line break',
      { url: 'http://a/', headers: { 'X-A': 'a\r\nX-B: b' } },
      'headers.X-A: a header value on one line',
    ],
    ['a body on a GET', { url: 'http://a/', body: 'x' }, 'body: only a POST request carries a body'],
    ['a tiny timeout', { url: 'http://a/', timeoutMs: 5 }, 'timeoutMs: '],
    [
      'a bad status',
      { url: 'http://a/', expectStatus: ['2xx'] },
      'expectStatus.0: a status code or range such as 200 or 200-399',
    ],
    [
      'a status out of range',
      { url: 'http://a/', expectStatus: ['600'] },
      'expectStatus.0: a status code or range',
    ],
    [
      'a reversed range',
      { url: 'http://a/', expectStatus: ['399-200'] },
      'expectStatus.0: a range runs from the lower code to the higher one',
    ],
    ['no status', { url: 'http://a/', expectStatus: [] }, 'expectStatus: '],
    [
      'a regex that does not compile',
      { url: 'http://a/', bodyRegex: '(' },
      'bodyRegex: the regular expression does not compile',
    ],
    ['a regex longer than 256', { url: 'http://a/', bodyRegex: 'a'.repeat(257) }, 'bodyRegex: '],
    [
      'a JSONPath outside the subset',
      { url: 'http://a/', jsonPath: '$..value' },
      'jsonPath: a JSONPath such as',
    ],
    ['an unknown parameter', { url: 'http://a/', verify: false }, ': Unrecognized key'],
  ])('refuses %s', (_case, params, message) => {
    expect(issues(params).join('\n')).toContain(message);
  });

  it.each(['secret:api_token', 'Bearer secret:api_token', 'Basic secret:basic.auth'])(
    'accepts the Authorization reference %j',
    (value) => {
      expect(issues({ url: 'http://a/', headers: { Authorization: value } })).toEqual([]);
    },
  );

  it('prepare names every bad field without echoing values', () => {
    try {
      http.prepare({
        url: 'https://admin:hunter2@example.com/',
        headers: { Authorization: 'hunter2' },
      } as HttpParamsInput);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PluginParamsError);
      expect((err as PluginParamsError).issues.map((i) => i.path)).toEqual(['url', 'headers.Authorization']);
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('describes itself for the workbench', () => {
    const json = manifestJson(http.manifest) as {
      id: string;
      category: string;
      params: { properties: Record<string, { ui?: { label: string; widget?: string } }> };
    };
    expect(json).toMatchObject({
      id: 'http',
      category: 'network',
      platforms: ['linux', 'windows'],
      runsScripts: false,
    });
    expect(json.params.properties.headers!.ui).toMatchObject({ label: 'Headers', widget: 'keyvalue' });
    expect(json.params.properties.expectStatus!.ui).toMatchObject({ widget: 'list' });
    expect(Object.keys(json.params.properties)).toEqual([
      'url',
      'method',
      'headers',
      'body',
      'timeoutMs',
      'expectStatus',
      'bodyRegex',
      'jsonPath',
      'followRedirects',
      'tlsVerify',
    ]);
  });
});
