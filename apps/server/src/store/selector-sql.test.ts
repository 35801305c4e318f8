// selectorCondition against a real database: PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
import { openTestDatabase, type TestDatabase } from '@esmon/db/testing';
import { canonicalLabels, parseSelector } from '@esmon/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectorCondition } from './selector-sql.ts';

const INJECTION = "x'); DROP TABLE series; --";

const HOSTS = ['web-01', 'web-02', 'db-01'] as const;
const SERIES: Record<string, [host: (typeof HOSTS)[number], metric: string, labels: Record<string, string>]> = {
  cpu0_web1: ['web-01', 'os.cpu.usage', { cpu: '0' }],
  cpuTotal_web1: ['web-01', 'os.cpu.usage', { cpu: 'total' }],
  cpu0_web2: ['web-02', 'os.cpu.usage', { cpu: '0' }],
  cpuNone_web2: ['web-02', 'os.cpu.usage', {}],
  cpuEmpty_db1: ['db-01', 'os.cpu.usage', { cpu: '' }],
  var_web1: ['web-01', 'os.disk.used', { mount: '/var', device: 'sda1' }],
  opt_web1: ['web-01', 'os.disk.used', { mount: '/opt', device: 'loop0' }],
  root_db1: ['db-01', 'os.disk.used', { mount: '/', device: 'sdb1' }],
  varlog_db1: ['db-01', 'os.disk.used', { mount: '/var/log', device: 'sdb2' }],
  note_db1: ['db-01', 'app.note', { note: INJECTION }],
  quote_db1: ['db-01', 'app.note', { note: 'a"b\\c' }],
};
type Name = keyof typeof SERIES;

let db: TestDatabase;
const ids = new Map<string, number>();
const names = new Map<number, string>();

beforeAll(async () => {
  db = await openTestDatabase();
  const hostIds = new Map<string, number>();
  for (const hostname of HOSTS) {
    const [row] = await db.sql.query<{ id: number }>(
      'INSERT INTO hosts (hostname, updated_at) VALUES ($1, now()) RETURNING id',
      [hostname],
    );
    hostIds.set(hostname, row!.id);
  }
  for (const [name, [host, metric, labels]] of Object.entries(SERIES)) {
    const [row] = await db.sql.query<{ id: number }>(
      'INSERT INTO series (host_id, metric, labels, labels_key) VALUES ($1, $2, $3::jsonb, $4) RETURNING id',
      [hostIds.get(host), metric, JSON.stringify(labels), canonicalLabels(labels)],
    );
    ids.set(name, row!.id);
    names.set(row!.id, name);
  }
});

afterAll(async () => {
  await db?.close();
});

async function select(text: string): Promise<string[]> {
  const params: unknown[] = [];
  const condition = selectorCondition(parseSelector(text), params);
  const rows = await db.sql.query<{ id: number }>(
    `SELECT se.id FROM series se JOIN hosts h ON h.id = se.host_id WHERE ${condition}`,
    params,
  );
  return rows.map((r) => names.get(r.id)!).sort();
}

describe('selectorCondition', () => {
  it.each<[string, Name[]]>([
    ['os.cpu.usage', ['cpu0_web1', 'cpuTotal_web1', 'cpu0_web2', 'cpuNone_web2', 'cpuEmpty_db1']],
    ['os.cpu.usage{}', ['cpu0_web1', 'cpuTotal_web1', 'cpu0_web2', 'cpuNone_web2', 'cpuEmpty_db1']],
    ['nope.metric', []],
    ['os.cpu.usage{host="web-01"}', ['cpu0_web1', 'cpuTotal_web1']],
    ['{host="web-01"}', ['cpu0_web1', 'cpuTotal_web1', 'var_web1', 'opt_web1']],
    ['{host!="web-01", host!="web-02"}', ['cpuEmpty_db1', 'root_db1', 'varlog_db1', 'note_db1', 'quote_db1']],
    ['{host=~"web-.*", cpu="0"}', ['cpu0_web1', 'cpu0_web2']],
    ['{host!~"web-0[12]", metric_less="",}', ['cpuEmpty_db1', 'root_db1', 'varlog_db1', 'note_db1', 'quote_db1']],
    ['{host=~"WEB-01"}', []],
    ['{host=~"web"}', []],
    ['{host=""}', []],
    // a missing label equals the empty string
    ['os.cpu.usage{cpu="0"}', ['cpu0_web1', 'cpu0_web2']],
    ['os.cpu.usage{cpu!="total"}', ['cpu0_web1', 'cpu0_web2', 'cpuNone_web2', 'cpuEmpty_db1']],
    ['os.cpu.usage{cpu=""}', ['cpuNone_web2', 'cpuEmpty_db1']],
    ['os.cpu.usage{cpu!=""}', ['cpu0_web1', 'cpuTotal_web1', 'cpu0_web2']],
    ['os.cpu.usage{cpu=~"|0"}', ['cpu0_web1', 'cpu0_web2', 'cpuNone_web2', 'cpuEmpty_db1']],
    ['os.cpu.usage{cpu!~".+"}', ['cpuNone_web2', 'cpuEmpty_db1']],
    ['os.cpu.usage{cpu=~".*"}', ['cpu0_web1', 'cpuTotal_web1', 'cpu0_web2', 'cpuNone_web2', 'cpuEmpty_db1']],
    ['{absent="x"}', []],
    // regular expressions are fully anchored, alternations included
    ['os.disk.used{mount=~"/(var|opt)"}', ['var_web1', 'opt_web1']],
    ['os.disk.used{mount=~"/var.*"}', ['var_web1', 'varlog_db1']],
    ['os.disk.used{mount=~"/v|/"}', ['root_db1']],
    ['os.disk.used{mount=~"var"}', []],
    ['os.disk.used{device!~"loop.*"}', ['var_web1', 'root_db1', 'varlog_db1']],
    ['os.disk.used{mount=~"[[:alpha:]/]+", device=~"sd[a-z]\\\\d"}', ['var_web1', 'root_db1', 'varlog_db1']],
    // all matchers must hold, duplicates included
    ['{cpu="0", cpu!="0"}', []],
    ['{cpu="0", cpu=~"[0-9]"}', ['cpu0_web1', 'cpu0_web2']],
    ['{host="web-01", mount="/var", device="sda1"}', ['var_web1']],
    ['os.disk.used{host="db-01", mount!="/"}', ['varlog_db1']],
    // values are data, never SQL
    [`{note="${INJECTION}"}`, ['note_db1']],
    [`{note=~"x'\\\\); DROP TABLE series; --"}`, ['note_db1']],
    [`{note!="${INJECTION}", note!=""}`, ['quote_db1']],
    ['{note="a\\"b\\\\c"}', ['quote_db1']],
    [`{host="${INJECTION}"}`, []],
  ])('%s', async (text, expected) => {
    expect(await select(text)).toEqual([...expected].sort());
  });

  it('keeps user text out of the SQL and continues the parameter numbering', async () => {
    const params: unknown[] = [ids.get('cpu0_web1')];
    const condition = selectorCondition(
      parseSelector(`app.note{note="${INJECTION}", host!~"${INJECTION.replace(')', '\\\\)')}", note!=""}`),
      params,
    );
    expect(condition).not.toMatch(/DROP|note|app\.note/);
    expect(condition).toContain('$2');
    expect(condition).not.toContain('$1');
    expect(params.length).toBeGreaterThan(1);
    const rows = await db.sql.query<{ id: number }>(
      `SELECT se.id FROM series se JOIN hosts h ON h.id = se.host_id WHERE se.id <> $1 AND ${condition}`,
      params,
    );
    expect(rows.map((r) => r.id)).toEqual([ids.get('note_db1')]);
    const [count] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM series');
    expect(count!.n).toBe(Object.keys(SERIES).length);
  });

  it('serves "=" with a non-empty value by containment, which the GIN index on labels can use', async () => {
    const params: unknown[] = [];
    const condition = selectorCondition(parseSelector('{mount="/var"}'), params);
    expect(condition).toBe('(se.labels @> $1::jsonb)');
    expect(params).toEqual(['{"mount":"/var"}']);
    const plan = await db.sql.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT se.id FROM series se WHERE ${condition}`, params);
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('series_labels_idx');
  });

  it('lets PostgreSQL reject a regular expression JavaScript accepted', async () => {
    // named groups are JavaScript-only; POSIX ARE rejects them
    await expect(select('os.disk.used{mount=~"(?<n>/var)"}')).rejects.toThrow(/invalid regular expression/);
    // SQLSTATE 2201B (invalid_regular_expression) on PostgreSQL and PGlite alike, for the caller to map
    await expect(select('{mount=~"(?<n>/var)"}')).rejects.toMatchObject({ code: '2201B' });
    await expect(select('{host!~"\\\\p{L}+"}')).rejects.toThrow(/invalid regular expression/);
    expect(await select('{host="web-02"}')).toEqual(['cpu0_web2', 'cpuNone_web2']);
  });

  it('refuses a selector with neither metric nor matchers', () => {
    expect(() => selectorCondition({ matchers: [] }, [])).toThrow(/needs a metric name or at least one matcher/);
  });
});
