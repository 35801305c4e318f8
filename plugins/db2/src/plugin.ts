// The DB2 step plugin, built around its ODBC transport: the agent uses `db2Plugin` (the real `odbc`
// package, loaded on first connect); tests and recordings hand createDb2Plugin another `connect`.
import type { Plugin } from '@esmon/schema';
import { checkDb2 } from './check.ts';
import { executeDb2 } from './execute.ts';
import { db2Manifest, type db2Params } from './manifest.ts';
import { connectOdbc, type OdbcConnect } from './odbc.ts';
import { PoolSet, type PoolOptions } from './pool.ts';
import { prepareDb2, type Db2Prepared } from './prepare.ts';

export interface Db2PluginOptions {
  connect?: OdbcConnect;
  pool?: Partial<PoolOptions>;
}

/** Small on purpose: probes query one at a time; the second connection covers a slow run overlapping the next. */
export const DEFAULT_POOL: PoolOptions = { max: 2, idleMs: 120_000 };

type Db2PluginBase = Plugin<typeof db2Params, Db2Prepared>;
export type Db2Plugin = Db2PluginBase & Required<Pick<Db2PluginBase, 'check' | 'close'>>;

export function createDb2Plugin(options: Db2PluginOptions = {}): Db2Plugin {
  const connect = options.connect ?? connectOdbc;
  const pools = new PoolSet(connect, { ...DEFAULT_POOL, ...options.pool });
  return {
    manifest: db2Manifest,
    prepare: prepareDb2,
    execute: (prepared, ctx) => executeDb2(prepared, ctx, pools),
    check: (prepared, ctx) => checkDb2(prepared, ctx, connect),
    close: () => pools.close(),
  };
}

export const db2Plugin = createDb2Plugin();
