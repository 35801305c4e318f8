// The ODBC transport seam: the few calls the plugin makes, as types, and the real implementation
// over the npm `odbc` package. The package is a native addon, so it is imported on first connect
// and never by the manifest (the workbench and server import manifests only).
import type { Connection as NativeConnection } from 'odbc';

/** A column as the driver describes it; `dataType` is the ODBC SQL type code. */
export interface OdbcColumn {
  name: string;
  dataType: number;
}

/** Rows as objects keyed by column name, plus the column list (empty for statements without a result). */
export interface OdbcResult {
  rows: Record<string, unknown>[];
  columns: OdbcColumn[];
  /** rows affected by INSERT, UPDATE or DELETE, when the driver says */
  count: number;
}

export interface OdbcQueryOptions {
  /** becomes SQL_ATTR_QUERY_TIMEOUT (whole seconds; 0 = none) */
  timeoutSeconds: number;
  /** at most this many rows are fetched */
  maxRows: number;
}

export interface OdbcConnection {
  /** false once the driver has seen the connection die */
  readonly connected: boolean;
  query(
    sql: string,
    parameters: readonly (string | number)[],
    options: OdbcQueryOptions,
  ): Promise<OdbcResult>;
  /** turns autocommit off until commit or rollback */
  beginTransaction(): Promise<void>;
  /** rolls back and turns autocommit on again */
  rollback(): Promise<void>;
  /** asks the driver to cancel what runs on the connection (SQLCancel) */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export type OdbcConnect = (
  connectionString: string,
  options: { loginTimeoutSeconds: number },
) => Promise<OdbcConnection>;

/** An ODBC error as the `odbc` package throws it: one entry per diagnostic record. */
export interface OdbcDiagnostics {
  odbcErrors?: { state?: string; message?: string }[];
}

/** The real transport: the `odbc` package, loaded on first use. */
export const connectOdbc: OdbcConnect = async (connectionString, options) => {
  const { default: odbc } = await import('odbc');
  const native = await odbc.connect({ connectionString, loginTimeout: options.loginTimeoutSeconds });
  return wrapConnection(native);
};

function wrapConnection(native: NativeConnection): OdbcConnection {
  return {
    get connected() {
      // odbc 2.6 declares connected() a method, but it is a getter
      return Boolean(Reflect.get(native, 'connected'));
    },
    async query(sql, parameters, options) {
      // a cursor fetches maxRows rows and stops, however many the query would return
      const cursor = await native.query(sql, [...parameters], {
        cursor: true,
        fetchSize: options.maxRows,
        timeout: options.timeoutSeconds,
      });
      try {
        const result = await cursor.fetch<Record<string, unknown>>();
        return {
          rows: [...result],
          columns: result.columns.map((c) => ({ name: c.name, dataType: c.dataType })),
          count: result.count,
        };
      } finally {
        await cursor.close();
      }
    },
    beginTransaction: () => native.beginTransaction(),
    rollback: () => native.rollback(),
    cancel: () => native.cancel(),
    close: () => native.close(),
  };
}
