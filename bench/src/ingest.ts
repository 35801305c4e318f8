// npm run bench:ingest — the agent protocol end to end into PostgreSQL, against the physical limit
// of the same store: a raw binary COPY of the same rows into an identical table, in the same run.
//
// The server runs as its own process (so its CPU can be read); CLIENTS concurrent clients POST
// pre-encoded JSON batches (HOSTS_PER_BATCH hosts × METRICS metrics each) for HOSTS hosts until
// SAMPLES samples are acknowledged. Prints samples/s, CPU-seconds per million samples (server +
// PostgreSQL), p50/p99 acknowledgement latency, the COPY rate and the ratio ours/COPY.
// Knobs (environment): BENCH_SAMPLES, BENCH_HOSTS, BENCH_METRICS, BENCH_HOSTS_PER_BATCH, BENCH_CLIENTS;
// BENCH_SERVER_NODE_OPTIONS (e.g. --import=a-profiler.mjs) is passed to the server process.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { openDatabase } from '@esmon/db';
import { createApiKey } from '../../apps/server/src/auth/accounts.ts';
import { encodeSampleRows } from '../../apps/server/src/store/copy-binary.ts';
import { freePort, runTs, serverCli, waitUntil } from '../../e2e/src/processes.ts';
import { cpuSeconds, freshPostgres, percentile, postgresCpuSeconds, printFigures, round } from './bench-db.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SAMPLES = env('BENCH_SAMPLES', 2_000_000);
const HOSTS = env('BENCH_HOSTS', 200);
const METRICS = env('BENCH_METRICS', 50);
const HOSTS_PER_BATCH = env('BENCH_HOSTS_PER_BATCH', 40);
const CLIENTS = env('BENCH_CLIENTS', 8);

const metricNames = Array.from({ length: METRICS }, (_, m) => `bench.metric_${m}`);
const perRound = HOSTS * METRICS;
const rounds = Math.ceil(SAMPLES / perRound);
const start = Date.now() - (rounds + 1) * 10_000;

/** Every batch body, pre-encoded so the clients spend their CPU on sending, not on JSON. */
function buildBodies(): string[] {
  const bodies: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const ts = start + r * 10_000;
    for (let g = 0; g < HOSTS; g += HOSTS_PER_BATCH) {
      const hosts = [];
      for (let h = g; h < Math.min(HOSTS, g + HOSTS_PER_BATCH); h++) {
        hosts.push({
          hostname: `bench-${h}`,
          samples: metricNames.map((metric, m) => ({ metric, labels: { core: String(m % 4) }, ts, value: (h * 7 + m * 13 + r) % 100 + 0.25 })),
        });
      }
      bodies.push(JSON.stringify({ batchId: `bench-${r}-${g}`, hosts }));
    }
  }
  return bodies;
}

async function main() {
  const database = await freshPostgres();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = runTs(serverCli, ['serve'], {
    PORT: String(port),
    DATABASE_URL: database.url,
    ESMON_ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: 'warn',
    ESMON_MAINTENANCE_INTERVAL: '1h',
    ESMON_INGEST_QUEUE_SAMPLES: '2000000',
    // one key pushing as fast as the server acknowledges: the store is measured, not the rate limit
    ESMON_RATE_LIMIT_INGEST: 'off',
    NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS,
  });
  try {
    await waitUntil('server', async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined), 60_000, server);
    const db = await openDatabase({ url: database.url });
    const key = (await createApiKey(db.prisma, { kind: 'integration', name: 'bench', role: 'analyst' })).secret;
    process.stdout.write(`building ${rounds * Math.ceil(HOSTS / HOSTS_PER_BATCH)} batches of ${HOSTS_PER_BATCH * METRICS} samples … `);
    const bodies = buildBodies();
    console.log('done');

    const send = async (body: string) => {
      for (;;) {
        const res = await fetch(`${url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body,
        });
        const text = await res.text();
        if (res.status === 200) return JSON.parse(text) as { accepted: number };
        if (res.status === 429) {
          await sleep(Number(res.headers.get('retry-after') ?? 1) * 100);
          continue;
        }
        throw new Error(`ingest answered ${res.status}: ${text}`);
      }
    };
    // warm up: series and hosts created, caches filled, JIT warm (not measured)
    const warm = Math.ceil(HOSTS / HOSTS_PER_BATCH);
    for (const b of bodies.slice(0, warm)) await send(b);

    const latencies: number[] = [];
    let next = warm;
    let accepted = 0;
    const serverPid = server.child.pid!;
    const cpu0 = { server: cpuSeconds(serverPid), pg: postgresCpuSeconds() };
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const s = performance.now();
          // (not `accepted += await …`: that reads `accepted` before the await and loses other clients' counts)
          const ack = await send(body);
          accepted += ack.accepted;
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = { server: cpuSeconds(serverPid) - cpu0.server, pg: postgresCpuSeconds() - cpu0.pg };
    const oursRate = accepted / seconds;
    console.log(
      `esmon ingest: ${accepted} samples in ${seconds.toFixed(2)} s = ${Math.round(oursRate)} samples/s; ` +
        `CPU ${cpu.server.toFixed(1)} s server + ${cpu.pg.toFixed(1)} s PostgreSQL; ack p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );

    // the same rows, COPY'd raw into an identical partitioned table
    const rows = await db.sql.query<{ series_id: number; ts: number; value: number }>(
      'SELECT series_id, (extract(epoch FROM ts) * 1000)::float8 AS ts, value FROM samples',
    );
    const copyRows = { seriesIds: rows.map((r) => r.series_id), ts: rows.map((r) => Number(r.ts)), values: rows.map((r) => r.value), length: rows.length };
    const payload = encodeSampleRows(copyRows);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const parts = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'samples'::regclass`,
    );
    await client.query(`CREATE TABLE copy_target (LIKE samples INCLUDING DEFAULTS) PARTITION BY RANGE (ts)`);
    await client.query(`ALTER TABLE copy_target ADD PRIMARY KEY (series_id, ts)`);
    await client.query(`CREATE INDEX ON copy_target USING BRIN (ts)`);
    for (const p of parts.rows) await client.query(`CREATE TABLE copy_${p.name} PARTITION OF copy_target ${p.bound}`);
    const pg0 = postgresCpuSeconds();
    const c0 = performance.now();
    await client.query('BEGIN');
    const stream = client.query(copyFrom('COPY copy_target (series_id, ts, value) FROM STDIN (FORMAT binary)'));
    await pipeline(Readable.from([payload]), stream);
    await client.query('COMMIT');
    const copySeconds = (performance.now() - c0) / 1000;
    const copyPg = postgresCpuSeconds() - pg0;
    const copyRate = rows.length / copySeconds;
    console.log(`raw COPY: ${rows.length} rows in ${copySeconds.toFixed(2)} s = ${Math.round(copyRate)} rows/s; CPU ${copyPg.toFixed(1)} s PostgreSQL`);
    await client.end();
    await db.close();

    const figures = {
      samples: accepted,
      hosts: HOSTS,
      metrics_per_host: METRICS,
      samples_per_batch: HOSTS_PER_BATCH * METRICS,
      clients: CLIENTS,
      esmon_samples_per_s: Math.round(oursRate),
      esmon_cpu_s_per_million_samples: round(((cpu.server + cpu.pg) / accepted) * 1e6),
      esmon_server_cpu_s_per_million_samples: round((cpu.server / accepted) * 1e6),
      esmon_postgres_cpu_s_per_million_samples: round((cpu.pg / accepted) * 1e6),
      ack_latency_ms_p50: round(percentile(latencies, 50), 1),
      ack_latency_ms_p99: round(percentile(latencies, 99), 1),
      copy_rows_per_s: Math.round(copyRate),
      copy_postgres_cpu_s_per_million_rows: round((copyPg / rows.length) * 1e6),
      ratio_esmon_to_copy: round(oursRate / copyRate, 3),
      goal_ratio_min: 0.5,
      goal_samples_per_s_min: 50_000,
    };
    printFigures(figures);
  } finally {
    await server.stop();
    await database.drop();
  }
}

await main();
