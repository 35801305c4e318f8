// The http probe step plugin. The real transport loads on first use, so importing the plugin
// (the workbench reads its manifest) pulls in no networking code.
import type { Plugin } from '@esmon/schema';
import { checkHttp } from './check.ts';
import type { HttpTransport } from './exchange.ts';
import { executeHttp } from './execute.ts';
import { manifest, type httpParams, type HttpParamsInput } from './manifest.ts';
import { prepareHttp, type HttpPrepared } from './prepare.ts';

export type { HttpHop, HttpHopResult, HttpTransport } from './exchange.ts';
export { manifest, type HttpParams, type HttpParamsInput } from './manifest.ts';
export type { HttpPrepared } from './prepare.ts';

export interface CreateHttpPluginOptions {
  /** replaces node:http/node:https, e.g. with recorded hops in tests */
  transport?: HttpTransport;
}

const nodeTransport: HttpTransport = async (hop) => (await import('./node-transport.ts')).requestHop(hop);

/** The plugin as the contract sees it; `prepare` also takes parameters with their defaults left out. */
export type HttpPlugin = Plugin<typeof httpParams, HttpPrepared> & {
  manifest: typeof manifest;
  prepare(params: HttpParamsInput): HttpPrepared;
};

export function createHttpPlugin({ transport = nodeTransport }: CreateHttpPluginOptions = {}): HttpPlugin {
  return {
    manifest,
    prepare: prepareHttp,
    execute: (prepared, ctx) => executeHttp(prepared, ctx, transport),
    check: (prepared, ctx) => checkHttp(prepared, ctx, transport),
  };
}

export const http = createHttpPlugin();
