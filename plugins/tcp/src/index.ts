// The tcp probe step plugin. The real transport loads on first use, so importing the plugin
// (the workbench reads its manifest) pulls in no networking code.
import type { Plugin } from '@esmon/schema';
import { checkTcp } from './check.ts';
import type { TcpTransport } from './exchange.ts';
import { executeTcp } from './execute.ts';
import { manifest, type tcpParams, type TcpParamsInput } from './manifest.ts';
import { prepareTcp, type TcpPrepared } from './prepare.ts';

export type { TcpExchangeResult, TcpRequest, TcpTransport } from './exchange.ts';
export { manifest, type TcpParams, type TcpParamsInput } from './manifest.ts';
export type { TcpPrepared } from './prepare.ts';

export interface CreateTcpPluginOptions {
  /** replaces node:net, e.g. with recorded exchanges in tests */
  transport?: TcpTransport;
}

const nodeTransport: TcpTransport = async (request) =>
  (await import('./node-transport.ts')).connectTcp(request);

/** The plugin as the contract sees it; `prepare` also takes parameters with their defaults left out. */
export type TcpPlugin = Plugin<typeof tcpParams, TcpPrepared> & {
  manifest: typeof manifest;
  prepare(params: TcpParamsInput): TcpPrepared;
};

export function createTcpPlugin({ transport = nodeTransport }: CreateTcpPluginOptions = {}): TcpPlugin {
  return {
    manifest,
    prepare: prepareTcp,
    execute: (prepared, ctx) => executeTcp(prepared, ctx, transport),
    check: (prepared, ctx) => checkTcp(prepared, ctx, transport),
  };
}

export const tcp = createTcpPlugin();
