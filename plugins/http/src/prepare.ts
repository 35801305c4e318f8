// Parameters → the exact request and the rules that judge its answer, built once per probe.
import { parseParams } from '@esmon/schema';
import { headerSecret, manifest, type HttpParams, type HttpParamsInput } from './manifest.ts';

/** A header as sent: a plain value, or a secret reference resolved on the agent at execute time. */
export type PreparedHeader =
  { name: string; value: string } | { name: string; scheme?: string; secretRef: string };

export interface HttpPrepared {
  url: string;
  /** the URL without query string, fragment or userinfo: what the `url` label shows */
  label: string;
  method: HttpParams['method'];
  headers: PreparedHeader[];
  body?: string;
  timeoutMs: number;
  /** inclusive [low, high] status ranges */
  expectStatus: [number, number][];
  bodyRegex?: RegExp;
  jsonPath?: string;
  followRedirects: boolean;
  tlsVerify: boolean;
}

/** The label form of a URL: query strings carry tokens and unbounded cardinality, so they stay out. */
export function urlLabel(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function prepareHeader([name, value]: [string, string]): PreparedHeader {
  const secret = headerSecret(value);
  return secret
    ? { name, ...(secret.scheme ? { scheme: secret.scheme } : {}), secretRef: secret.ref }
    : { name, value };
}

function parseStatusRange(text: string): [number, number] {
  const [lo, hi = lo] = text.split('-').map(Number);
  return [lo!, hi!];
}

/**
 * Builds the request. Validates again (the agent may hand over stored parameters), so it throws
 * PluginParamsError naming each bad field; accepts the manifest's input form, defaults omitted.
 */
export function prepareHttp(input: HttpParamsInput): HttpPrepared {
  const p = parseParams(manifest, input);
  const url = new URL(p.url);
  return {
    url: url.href,
    label: urlLabel(url),
    method: p.method,
    headers: Object.entries(p.headers).map(prepareHeader),
    ...(p.body !== undefined ? { body: p.body } : {}),
    timeoutMs: p.timeoutMs,
    expectStatus: p.expectStatus.map(parseStatusRange),
    ...(p.bodyRegex !== undefined ? { bodyRegex: new RegExp(p.bodyRegex) } : {}),
    ...(p.jsonPath !== undefined ? { jsonPath: p.jsonPath } : {}),
    followRedirects: p.followRedirects,
    tlsVerify: p.tlsVerify,
  };
}
