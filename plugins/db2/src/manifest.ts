// The DB2 step's manifest: what the workbench draws and the server validates. Cheap to import:
// nothing here touches ODBC; the native addon loads on the agent when a query first runs.
import { LABEL_KEY, metricName, param, RESERVED_LABELS, secretRef, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';
import { DSN_NAME, hasCredentials } from './connection-string.ts';
import { checkStatement, StatementError } from './statement.ts';

export const MAX_SQL = 20_000;

const columnName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a column name: letters, digits and _');

export const db2Params = z
  .object({
    dialect: param(z.enum(['db2', 'generic']).default('db2'), {
      label: 'Dialect',
      help: 'db2: IBM Db2 (SYSIBM.SYSDUMMY1 for the connection test). generic: any other ODBC database that knows SET TRANSACTION READ ONLY.',
      widget: 'select',
    }),
    connection: param(z.enum(['dsn', 'connectionString']).default('dsn'), {
      label: 'Connect with',
      help: 'an ODBC data source configured on the host, or a driver connection string',
      widget: 'select',
    }),
    dsn: param(
      z.string().trim().min(1).max(128).regex(DSN_NAME, 'a DSN name cannot contain ; { } or =').optional(),
      {
        label: 'DSN',
        help: 'the ODBC data source name (odbc.ini, db2cli.ini or the Windows ODBC administrator)',
        placeholder: 'MAXDB76',
        visibleWhen: { param: 'connection', equals: ['dsn'] },
      },
    ),
    connectionString: param(
      z
        .string()
        .trim()
        .min(1)
        .max(2000)
        .refine((s) => !hasCredentials(s), 'leave UID and PWD out: give them as user and password secrets')
        .optional(),
      {
        label: 'Connection string',
        help: 'without credentials; the agent appends UID and PWD from the secrets',
        placeholder:
          'DRIVER={IBM DB2 ODBC DRIVER};DATABASE=MAXDB76;HOSTNAME=127.0.0.1;PORT=50000;PROTOCOL=TCPIP',
        visibleWhen: { param: 'connection', equals: ['connectionString'] },
      },
    ),
    user: param(secretRef.optional(), {
      label: 'User',
      help: 'the database user, e.g. secret:db2_user',
      secret: true,
    }),
    password: param(secretRef.optional(), {
      label: 'Password',
      help: 'its password, e.g. secret:db2_password',
      secret: true,
    }),
    sql: param(z.string().trim().min(1).max(MAX_SQL), {
      label: 'SQL',
      help: 'one statement; ? marks a bound parameter. Read-only unless writes are allowed.',
      widget: 'monaco:sql',
    }),
    parameters: param(
      z
        .array(z.union([z.string().max(4000), z.number().finite()]))
        .max(100)
        .default([]),
      {
        label: 'Parameters',
        help: 'values bound to the ? placeholders, in order; never pasted into the SQL',
        widget: 'list',
      },
    ),
    allowWrites: param(z.boolean().default(false), {
      label: 'Allow writes',
      help: 'run statements other than SELECT, WITH and VALUES, outside a read-only transaction',
      widget: 'checkbox',
    }),
    valueColumns: param(z.array(columnName).max(64).optional(), {
      label: 'Value columns',
      help: 'columns that become samples; left out: every numeric column that is not a label column',
      widget: 'list',
    }),
    labelColumns: param(
      z
        .array(
          columnName
            .regex(LABEL_KEY)
            .refine((c) => !RESERVED_LABELS.has(c.toLowerCase()), 'this name is reserved for a label'),
        )
        .max(16)
        .default([]),
      {
        label: 'Label columns',
        help: 'columns whose values label every sample of their row',
        widget: 'list',
      },
    ),
    metricPrefix: param(metricName.default('db2'), {
      label: 'Metric prefix',
      help: 'the first part of every sample name: prefix db2 and column ROWS_READ give db2.rows_read',
    }),
    rowLimit: param(z.number().int().min(1).max(100_000).default(1000), {
      label: 'Row limit',
      help: 'rows fetched at most; the rest are never read',
      widget: 'number',
    }),
    timeoutMs: param(z.number().int().min(100).max(300_000).optional(), {
      label: 'Timeout (ms)',
      help: 'the query is cancelled and its connection dropped after this; default: the step timeout',
      widget: 'number',
    }),
  })
  .superRefine((p, ctx) => {
    if (p.connection === 'dsn' && !p.dsn)
      ctx.addIssue({ code: 'custom', path: ['dsn'], message: 'a DSN is needed' });
    if (p.connection === 'connectionString' && !p.connectionString) {
      ctx.addIssue({ code: 'custom', path: ['connectionString'], message: 'a connection string is needed' });
    }
    try {
      checkStatement(p.sql, { allowWrites: p.allowWrites });
    } catch (err) {
      if (!(err instanceof StatementError)) throw err;
      ctx.addIssue({ code: 'custom', path: ['sql'], message: err.message });
    }
  });

export type Db2Params = z.infer<typeof db2Params>;

export const db2Manifest: PluginManifest<typeof db2Params> = {
  id: 'db2',
  version: '1.0.0',
  title: 'DB2 SQL query',
  description:
    'Runs a read-only SQL query through ODBC (IBM Db2 or another ODBC database) and turns numeric columns into samples.',
  category: 'database',
  platforms: ['linux', 'windows'],
  runsScripts: false,
  params: db2Params,
  outputs: [
    {
      metric: '<metricPrefix>.<column>',
      description: 'one sample per value column and row, labelled by the label columns',
    },
  ],
};
