// The migrated database must match schema.prisma: tables, columns, types, nullability, defaults
// present, primary keys, indexes and foreign keys. The schema engine that would diff them cannot
// be downloaded here, so this test is what keeps hand-written migrations honest.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../src/testing.ts';

interface DmmfField {
  name: string;
  dbName: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  isUpdatedAt: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string }[];
}
interface Dmmf {
  models: DmmfModel[];
  enums: { name: string; values: { name: string }[] }[];
  indexes: DmmfIndex[];
}

const dmmf = JSON.parse(
  readFileSync(new URL('../generated/dmmf.json', import.meta.url), 'utf8'),
) as Dmmf;
const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (f: DmmfField) => f.dbName ?? f.name;
const modelByName = new Map(dmmf.models.map((m) => [m.name, m]));

/** The PostgreSQL type Prisma Migrate would create for a field. */
function expectedType(f: DmmfField): string {
  if (f.kind === 'enum') return f.type;
  const native = f.nativeType?.[0];
  if (native === 'Timestamptz') return `timestamptz(${f.nativeType?.[1][0] ?? 3})`;
  const base: Record<string, string> = {
    Int: 'int4',
    BigInt: 'int8',
    String: 'text',
    Boolean: 'bool',
    Float: 'float8',
    DateTime: 'timestamp(3)',
    Json: 'jsonb',
    Bytes: 'bytea',
  };
  const t = base[f.type];
  if (!t) throw new Error(`no mapping for ${f.type}`);
  return t;
}

describe(`schema.prisma and the migrated database agree (${testDatabaseKind()})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('has exactly the tables of the schema', async () => {
    const rows = await db.sql.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND c.relname <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(dmmf.models.map(tableOf).sort());
  });

  it('has the enums with their values in order', async () => {
    const rows = await db.sql.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.values]));
    const expected = Object.fromEntries(dmmf.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it('has every column with its type, nullability and default', async () => {
    const rows = await db.sql.query<{
      table_name: string;
      column_name: string;
      type: string;
      not_null: boolean;
      has_default: boolean;
    }>(
      `SELECT c.relname AS table_name, a.attname AS column_name,
              format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              a.atthasdef AS has_default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0
         AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    const normalize = (t: string) =>
      t
        .replace('timestamp(3) with time zone', 'timestamptz(3)')
        .replace('timestamp(3) without time zone', 'timestamp(3)')
        .replace('integer', 'int4')
        .replace('bigint', 'int8')
        .replace('double precision', 'float8')
        .replace('boolean', 'bool')
        .replace(/^"(.*)"$/, '$1');
    const actual = rows
      .map((r) => `${r.table_name}.${r.column_name} ${normalize(r.type)} null=${!r.not_null} default=${r.has_default}`)
      .sort();
    const expected = dmmf.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind !== 'object')
          .map((f) => {
            const type = expectedType(f) + (f.isList ? '[]' : '');
            // Prisma creates scalar lists as nullable columns
            const nullable = f.isList || !f.isRequired;
            return `${tableOf(m)}.${columnOf(f)} ${type} null=${nullable} default=${f.hasDefaultValue}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has the primary keys, unique and plain indexes under Prisma’s names, with their methods', async () => {
    const rows = await db.sql.query<{
      name: string;
      table_name: string;
      columns: string[];
      is_unique: boolean;
      is_primary: boolean;
      method: string;
    }>(
      `SELECT i.relname AS name, t.relname AS table_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
              am.amname AS method,
              array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations' AND NOT t.relispartition`,
    );
    const actual = rows
      .map((r) => `${r.name} on ${r.table_name}(${r.columns.join(',')}) ${r.is_primary ? 'pk' : r.is_unique ? 'unique' : 'index'} ${r.method}`)
      .sort();
    const expected = dmmf.indexes
      .map((ix) => {
        const model = modelByName.get(ix.model)!;
        const table = tableOf(model);
        const cols = ix.fields.map((f) => columnOf(model.fields.find((mf) => mf.name === f.name)!));
        const suffix = ix.type === 'id' ? 'pkey' : ix.type === 'unique' ? 'key' : 'idx';
        const name = ix.dbName ?? (ix.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
        const kind = ix.type === 'id' ? 'pk' : ix.type === 'unique' ? 'unique' : 'index';
        return `${name} on ${table}(${cols.join(',')}) ${kind} ${(ix.algorithm ?? 'btree').toLowerCase()}`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has the foreign keys with their delete rules', async () => {
    const rows = await db.sql.query<{ name: string; def: string }>(
      `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
       JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'f'`,
    );
    const actual = rows.map((r) => `${r.name}: ${r.def}`).sort();
    const rule = (onDelete: string | undefined, required: boolean) => {
      const effective = onDelete ?? (required ? 'Restrict' : 'SetNull');
      return { Cascade: 'CASCADE', SetNull: 'SET NULL', Restrict: 'RESTRICT', NoAction: 'NO ACTION' }[effective];
    };
    const expected = dmmf.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            const target = modelByName.get(f.type)!;
            const from = f.relationFromFields!.map((n) => columnOf(m.fields.find((x) => x.name === n)!));
            const to = f.relationToFields!.map((n) => columnOf(target.fields.find((x) => x.name === n)!));
            const name = `${tableOf(m)}_${from.join('_')}_fkey`;
            const onDelete = rule(f.relationOnDelete, f.isRequired);
            const def = `FOREIGN KEY (${from.join(', ')}) REFERENCES ${tableOf(target)}(${to.join(', ')}) ON UPDATE CASCADE ON DELETE ${onDelete}`;
            return `${name}: ${def}`;
          }),
      )
      .sort();
    // PostgreSQL omits "ON DELETE RESTRICT"/"NO ACTION" defaults in its definition text
    const canonical = (s: string) => s.replace(' ON DELETE NO ACTION', '');
    expect(actual.map(canonical)).toEqual(expected.map(canonical));
  });
});
