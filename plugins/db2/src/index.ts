// @esmon/plugin-db2: SQL queries through ODBC (IBM Db2 on Maximo hosts, or any ODBC database).
export { db2Manifest, db2Params, type Db2Params } from './manifest.ts';
export { createDb2Plugin, db2Plugin, DEFAULT_POOL, type Db2Plugin, type Db2PluginOptions } from './plugin.ts';
export type { Db2Prepared } from './prepare.ts';
export type { OdbcConnect, OdbcConnection, OdbcResult, OdbcColumn } from './odbc.ts';
