// What the store benchmarks share: a fresh PostgreSQL database (on BENCH_DATABASE_URL,
// TEST_DATABASE_URL or the local server), dropped afterwards; CPU time of processes read from
// /proc; percentiles; and the final JSON line.
import { readdirSync, readFileSync } from 'node:fs';
import { createPostgresTestDatabase } from '@esmon/db/testing';

export const LOCAL_PG = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** BENCH_KEEP_DATABASE=1 keeps it (its URL printed) to look at the data and plans afterwards. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? LOCAL_PG;
  const database = await createPostgresTestDatabase();
  if (!process.env.BENCH_KEEP_DATABASE) return database;
  return { url: database.url, drop: async () => console.error(`kept database ${database.url}`) };
}

const TICK = 100; // USER_HZ on Linux

function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // after "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14)
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) a process has used. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return (Number(f[11]) + Number(f[12])) / TICK;
}

/**
 * CPU seconds used by PostgreSQL: every running server process, plus what the postmaster has
 * collected from backends that already exited (so the figure never goes down when a connection
 * closes between two readings).
 */
export function postgresCpuSeconds(): number {
  const procs = new Map<string, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.includes('(postgres)') || stat.includes('(postmaster)')) procs.set(entry, statFields(entry));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  for (const f of procs.values()) {
    total += Number(f[11]) + Number(f[12]);
    if (!procs.has(f[1]!)) total += Number(f[13]) + Number(f[14]); // the postmaster: its exited children
  }
  return total / TICK;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export function printFigures(figures: Record<string, unknown>): void {
  console.log(JSON.stringify(figures));
}
