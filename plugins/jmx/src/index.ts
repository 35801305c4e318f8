// The JMX probe step plugin. The bridge (a Java process) is created lazily through an injectable
// factory on the first run, so importing this module, as the server and workbench do, starts nothing.
import type { Plugin } from '@esmon/schema';
import type { JmxBridgeOptions } from './bridge.ts';
import { checkJmx } from './check.ts';
import { executeJmx } from './execute.ts';
import { jmxManifest, type jmxParams, type JmxParamsInput } from './manifest.ts';
import { prepareJmx, type JmxPrepared } from './prepare.ts';
import type { JmxTransport } from './protocol.ts';

export { jmxManifest, jmxParams, jmxReadSchema, type JmxParams, type JmxParamsInput } from './manifest.ts';
export { prepareJmx, type JmxPrepared } from './prepare.ts';
export type { JmxBridgeOptions } from './bridge.ts';
export { JavaUnavailableError, JmxTimeoutError, type JmxRead, type JmxReadRequest, type JmxReadResponse, type JmxTransport, type ReadJmx } from './protocol.ts';

export interface CreateJmxPluginOptions {
  /** the transport factory; default a JmxBridge made with `bridge` */
  transport?: () => JmxTransport | Promise<JmxTransport>;
  /** where the default bridge finds java, javac and its sources (a bundled agent sets sourceDir) */
  bridge?: JmxBridgeOptions;
}

/** The plugin as the contract sees it; `prepare` also takes parameters with their defaults left out. */
export type JmxPlugin = Plugin<typeof jmxParams, JmxPrepared> & {
  prepare(params: JmxParamsInput): JmxPrepared;
  close(): Promise<void>;
};

export function createJmxPlugin(options: CreateJmxPluginOptions = {}): JmxPlugin {
  const create = options.transport ?? (() => defaultTransport(options.bridge));
  let transport: Promise<JmxTransport> | undefined;
  const get = (): Promise<JmxTransport> =>
    (transport ??= Promise.resolve()
      .then(create)
      .catch((err: unknown) => {
        transport = undefined;
        throw err;
      }));
  const read = async (...args: Parameters<JmxTransport['read']>) => (await get()).read(...args);

  return {
    manifest: jmxManifest,
    prepare: prepareJmx,
    execute: (prepared, ctx) => executeJmx({ prepared, ctx, read }),
    check: (prepared, ctx) => checkJmx({ prepared, ctx, read }),
    async close() {
      const t = transport;
      transport = undefined;
      if (t) await (await t).close();
    },
  };
}

async function defaultTransport(options: JmxBridgeOptions = {}): Promise<JmxTransport> {
  // loaded here, not at the top: the bridge module is the agent's alone
  const { JmxBridge } = await import('./bridge.ts');
  return new JmxBridge(options);
}

export const jmxPlugin = createJmxPlugin();
