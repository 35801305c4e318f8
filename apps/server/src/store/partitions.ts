// Time partitions of the store's tables: created ahead of time and on demand (late or back-filled
// data inside the accepted window), listed, and dropped whole by retention. Partition bounds are
// UTC days or months, and the bound is spelled in the partition's name (samples_p20261122,
// samples_1h_p202611), so listing needs no catalog parsing.
import type { Sql } from '@esmon/db';

export type Period = 'day' | 'month';

export interface PartitionedTable {
  /** the partitioned parent */
  name: 'samples' | 'sample_chunks' | 'samples_1m' | 'samples_1h';
  period: Period;
}

export const STORE_TABLES = {
  raw: { name: 'samples', period: 'day' },
  chunks: { name: 'sample_chunks', period: 'day' },
  rollup1m: { name: 'samples_1m', period: 'day' },
  rollup1h: { name: 'samples_1h', period: 'month' },
} as const satisfies Record<string, PartitionedTable>;

export interface Partition {
  name: string;
  /** inclusive lower bound, ms */
  from: number;
  /** exclusive upper bound, ms */
  to: number;
}

export function periodStart(ms: number, period: Period): number {
  const d = new Date(ms);
  return period === 'day'
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function periodEnd(startMs: number, period: Period): number {
  const d = new Date(startMs);
  return period === 'day'
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function partitionOf(table: PartitionedTable, ms: number): Partition {
  const from = periodStart(ms, table.period);
  const stamp = new Date(from).toISOString().slice(0, table.period === 'day' ? 10 : 7).replaceAll('-', '');
  return { name: `${table.name}_p${stamp}`, from, to: periodEnd(from, table.period) };
}

const NAME = /^(.*)_p(\d{4})(\d{2})(\d{2})?$/;

function parsePartitionName(table: PartitionedTable, name: string): Partition | undefined {
  const m = NAME.exec(name);
  if (!m || m[1] !== table.name || (table.period === 'day') !== (m[4] !== undefined)) return undefined;
  return partitionOf(table, Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4] ?? 1)));
}

export class Partitions {
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly sql: Sql) {}

  /** The table's partitions, oldest first. */
  async list(table: PartitionedTable): Promise<Partition[]> {
    const rows = await this.sql.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
       WHERE p.relname = $1 AND n.nspname = current_schema()`,
      [table.name],
    );
    const parts = rows.flatMap((r) => parsePartitionName(table, r.name) ?? []).sort((a, b) => a.from - b.from);
    this.known.set(table.name, new Set(parts.map((p) => p.name)));
    return parts;
  }

  /** Makes sure a partition holds each of these instants; cheap when they all exist. */
  async ensure(table: PartitionedTable, instantsMs: Iterable<number>): Promise<void> {
    let known = this.known.get(table.name);
    if (!known) {
      await this.list(table);
      known = this.known.get(table.name)!;
    }
    const wanted = new Map<string, Partition>();
    for (const ms of instantsMs) {
      const p = partitionOf(table, ms);
      if (!known.has(p.name)) wanted.set(p.name, p);
    }
    for (const p of wanted.values()) {
      await this.create(table, p);
      known.add(p.name);
    }
  }

  /** Partitions from `fromMs`'s period through `toMs`'s, ahead of the data. */
  async ensureRange(table: PartitionedTable, fromMs: number, toMs: number): Promise<void> {
    const instants: number[] = [];
    for (let t = periodStart(fromMs, table.period); t <= toMs; t = periodEnd(t, table.period)) instants.push(t);
    await this.ensure(table, instants);
  }

  /** Drops the partitions whose whole range ends at or before `cutoffMs`; returns them. */
  async dropBefore(table: PartitionedTable, cutoffMs: number): Promise<Partition[]> {
    const expired = (await this.list(table)).filter((p) => p.to <= cutoffMs);
    for (const p of expired) await this.drop(table, p);
    return expired;
  }

  async drop(table: PartitionedTable, p: Partition): Promise<void> {
    await this.sql.exec(`DROP TABLE IF EXISTS "${p.name}"`);
    this.known.get(table.name)?.delete(p.name);
  }

  private async create(table: PartitionedTable, p: Partition): Promise<void> {
    const ddl =
      `CREATE TABLE IF NOT EXISTS "${p.name}" PARTITION OF "${table.name}" ` +
      `FOR VALUES FROM ('${new Date(p.from).toISOString()}') TO ('${new Date(p.to).toISOString()}')`;
    try {
      await this.sql.exec(ddl);
    } catch (err) {
      // another server created it between our check and our statement
      const code = (err as { code?: string }).code;
      if (code !== '42P07' && code !== '23505') throw err;
    }
  }
}
