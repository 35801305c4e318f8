import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { manifestJson, parseParams, PluginParamsError } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { db2Manifest, MAX_SQL } from './manifest.ts';
import { prepareDb2 } from './prepare.ts';

const base = {
  dsn: 'MAXDB76',
  user: 'secret:db2_user',
  password: 'secret:db2_password',
  sql: 'SELECT 1 FROM SYSIBM.SYSDUMMY1',
};

function issues(params: object): { path: string; message: string }[] {
  try {
    parseParams(db2Manifest, params);
  } catch (err) {
    if (err instanceof PluginParamsError) return err.issues;
    throw err;
  }
  return [];
}

describe('db2 parameters', () => {
  it('fills the defaults', () => {
    expect(parseParams(db2Manifest, base)).toMatchObject({
      dialect: 'db2',
      connection: 'dsn',
      parameters: [],
      allowWrites: false,
      labelColumns: [],
      metricPrefix: 'db2',
      rowLimit: 1000,
    });
  });

  it.each<[string, object, string, string]>([
    ['a literal password', { password: 'hunter2' }, 'password', 'never the secret itself'],
    ['a literal user', { user: 'maximo' }, 'user', 'never the secret itself'],
    [
      'credentials in the connection string',
      { connection: 'connectionString', connectionString: 'DATABASE=MAXDB76;UID=maximo' },
      'connectionString',
      'leave UID and PWD out',
    ],
    ['no DSN', { dsn: undefined }, 'dsn', 'a DSN is needed'],
    [
      'no connection string',
      { connection: 'connectionString' },
      'connectionString',
      'a connection string is needed',
    ],
    ['a DSN that adds keys', { dsn: 'MAXDB76;PWD=x' }, 'dsn', 'cannot contain'],
    ['a write', { sql: 'DELETE FROM MAXIMO.ESCSTATUS' }, 'sql', 'must start with SELECT, WITH or VALUES'],
    [
      'two statements',
      { sql: 'SELECT 1 FROM SYSIBM.SYSDUMMY1; SELECT 2 FROM SYSIBM.SYSDUMMY1' },
      'sql',
      'one statement only',
    ],
    ['too long a statement', { sql: `SELECT ${'1'.repeat(MAX_SQL)}` }, 'sql', ''],
    ['a reserved label', { labelColumns: ['HOST'] }, 'labelColumns.0', 'reserved'],
    ['a bad prefix', { metricPrefix: 'DB2 Stats' }, 'metricPrefix', ''],
  ])('refuses %s', (_name, change, path, message) => {
    const found = issues({ ...base, ...change });
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)!.message).toContain(message);
  });

  it('never repeats a refused literal secret', () => {
    expect(() => parseParams(db2Manifest, { ...base, password: 'hunter2' })).toThrow(PluginParamsError);
    expect(JSON.stringify(issues({ ...base, password: 'hunter2' }))).not.toContain('hunter2');
  });

  it('lets a write through with allowWrites', () => {
    expect(issues({ ...base, sql: 'INSERT INTO t VALUES (1)', allowWrites: true })).toEqual([]);
  });

  it('describes its fields for the workbench', () => {
    const json = manifestJson(db2Manifest) as {
      params: { properties: Record<string, { ui?: Record<string, unknown> }> };
    };
    expect(json.params.properties.sql!.ui).toMatchObject({ widget: 'monaco:sql' });
    expect(json.params.properties.password!.ui).toMatchObject({ secret: true });
    expect(json.params.properties.user!.ui).toMatchObject({ secret: true });
    expect(json.params.properties.dsn!.ui).toMatchObject({
      visibleWhen: { param: 'connection', equals: ['dsn'] },
    });
  });
});

describe('prepare', () => {
  it('keeps secrets as references and picks the read-only fence by dialect', () => {
    const db2 = prepareDb2(parseParams(db2Manifest, { ...base, sql: 'SELECT 1 FROM SYSIBM.SYSDUMMY1;' }));
    expect(db2).toMatchObject({
      base: 'DSN=MAXDB76',
      userRef: 'secret:db2_user',
      passwordRef: 'secret:db2_password',
      sql: 'SELECT 1 FROM SYSIBM.SYSDUMMY1',
      readOnly: 'rollback',
    });
    expect(prepareDb2(parseParams(db2Manifest, { ...base, dialect: 'generic' })).readOnly).toBe(
      'read-only-transaction',
    );
    expect(prepareDb2(parseParams(db2Manifest, { ...base, allowWrites: true })).readOnly).toBe('none');
  });

  it('refuses what validation would have refused, saying what and why', () => {
    const params = parseParams(db2Manifest, base);
    expect(() => prepareDb2({ ...params, sql: 'DROP TABLE t' })).toThrow(
      'db2: sql: read-only: the statement must start with SELECT',
    );
    expect(() => prepareDb2({ ...params, dsn: undefined })).toThrow('db2: connection: a DSN is needed');
  });
});

describe('loading', () => {
  it('does not load the ODBC driver when the plugin is imported, only when it connects', () => {
    const index = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `
      import { readFileSync } from 'node:fs';
      const loaded = () => /odbc\\.node|libodbc/.test(readFileSync('/proc/self/maps', 'utf8'));
      const { db2Plugin } = await import(${JSON.stringify(index)});
      const afterImport = loaded();
      await import('odbc');
      console.log(JSON.stringify({ id: db2Plugin.manifest.id, afterImport, afterOdbc: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ id: 'db2', afterImport: false, afterOdbc: true });
  });
});
