// The agent's durable buffer end to end, with real processes: a long server outage loses nothing
// and stores nothing twice; an agent killed with SIGKILL during an outage sends its buffer after a
// restart; a torn or corrupt last record is cut, counted and reported, and the rest still arrives.
// E2E_OUTAGE_SECONDS shortens the long outage locally (default 120, the two minutes).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sql } from '@esmon/db';
import { testDatabaseKind } from '@esmon/db/testing';
import { mockFleet } from '../../agent/src/mock.ts';
import { damageNewestRecord, readBufferRecords, readBufferState, unsentRecords, watchBufferRecords, type BufferRecord } from '../src/agent-buffer.ts';
import { agentCli, runTs, tempDir, waitUntil, type Proc } from '../src/processes.ts';
import { createServerOnDatabase, type ServerOnDatabase } from '../src/server-on-database.ts';

const OUTAGE_SECONDS = Number(process.env.E2E_OUTAGE_SECONDS ?? 120);
/** The load: about 1000 samples a second from one agent. */
const TARGET_RATE = 1000;
const MOCK_INTERVAL_MS = 700;

/** Samples one tick of `hosts` mock hosts holds, counted from the simulated fleet itself. */
const samplesPerTick = (hosts: number) => mockFleet(hosts).tick(0).reduce((n, h) => n + h.samples.length, 0);

/** The fewest mock hosts that reach `rate` samples a second at `intervalMs`. */
function mockHostsFor(rate: number, intervalMs: number): number {
  let hosts = 1;
  while ((samplesPerTick(hosts) * 1000) / intervalMs < rate) hosts++;
  return hosts;
}

const MOCK_HOSTS = `h.hostname LIKE 'mock-%'`;
const FROM_SAMPLES = 'FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id';
const TS_MS = 'round(extract(epoch FROM sa.ts) * 1000)::float8';

/** Stored samples per instant for the mock hosts: ts (ms) → count. */
async function storedTicks(sql: Sql): Promise<Map<number, number>> {
  const rows = await sql.query<{ ts: number; n: number }>(`SELECT ${TS_MS} AS ts, count(*)::int AS n ${FROM_SAMPLES} WHERE ${MOCK_HOSTS} GROUP BY sa.ts ORDER BY sa.ts`);
  return new Map(rows.map((r) => [Number(r.ts), r.n]));
}

async function storedBatches(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql.query<{ batch_id: string; sample_count: number }>('SELECT batch_id, sample_count FROM ingest_batches');
  return new Map(rows.map((r) => [r.batch_id, r.sample_count]));
}

describe(`the agent's buffer through outages, crashes and damage (${testDatabaseKind()})`, () => {
  const procs: Proc[] = [];
  const servers: ServerOnDatabase[] = [];
  const dirs: string[] = [];

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop(5_000)));
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function newServer(): Promise<ServerOnDatabase> {
    const server = await createServerOnDatabase();
    servers.push(server);
    await server.start();
    return server;
  }

  async function newAgentDir(): Promise<string> {
    const dir = await tempDir('esmon-e2e-agent-');
    dirs.push(dir);
    return dir;
  }

  function startAgent(args: string[], key: string): Proc {
    const agent = runTs(agentCli, ['run', ...args], { ESMON_AGENT_KEY: key });
    procs.push(agent);
    return agent;
  }

  const untilAcked = (dir: string, seq: number, timeoutMs: number, agent: Proc) =>
    waitUntil(`the agent's acknowledgements up to batch ${seq}`, async () => ((await readBufferState(dir)).acked >= seq ? true : undefined), timeoutMs, agent);

  const untilBuffered = (dir: string, batches: number, agent: Proc) =>
    waitUntil(`${batches} batches buffered`, async () => {
      const unsent = await unsentRecords(dir);
      return unsent.length >= batches ? unsent : undefined;
    }, 30_000, agent);

  const lastSeq = async (dir: string) => Math.max(0, ...(await readBufferRecords(dir)).map((r) => r.seq));

  it(`a server outage of ${OUTAGE_SECONDS}s at ≈${TARGET_RATE} samples/s: every sample arrives exactly once`, async () => {
    const hosts = mockHostsFor(TARGET_RATE, MOCK_INTERVAL_MS);
    const perTick = samplesPerTick(hosts);
    const server = await newServer();
    const key = await server.createKey({ kind: 'integration', role: 'analyst' });
    const dir = await newAgentDir();
    const watch = watchBufferRecords(dir);
    const agent = startAgent(['--server', server.url, '--mock', String(hosts), '--interval', `${MOCK_INTERVAL_MS}ms`, '--data-dir', dir], key);
    await untilAcked(dir, 5, 30_000, agent);

    expect(await server.stop()).toBe(0);
    const down = Date.now();
    await waitUntil('the end of the outage', async () => (Date.now() - down >= OUTAGE_SECONDS * 1000 ? true : undefined), OUTAGE_SECONDS * 1000 + 10_000, agent);
    const bufferedInOutage = (await unsentRecords(dir)).length;
    expect(bufferedInOutage).toBeGreaterThan(0);
    await server.start();
    const back = Date.now();
    const backlog = await lastSeq(dir);
    await untilAcked(dir, backlog, 180_000, agent);
    const drainMs = Date.now() - back;
    // and live again afterwards
    await untilAcked(dir, backlog + 3, 30_000, agent);
    expect(await agent.stop()).toBe(0);
    const records = [...(await watch.stop()).values()].sort((a, b) => a.seq - b.seq);

    // the agent: every batch it made was acknowledged, none refused, dropped or repaired
    const state = await readBufferState(dir);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: state.acked }, (_, i) => i + 1));
    expect(records.every((r) => r.samples === perTick)).toBe(true);
    expect(state.counters).toEqual({ droppedBatches: 0, droppedSamples: 0, repairedBatches: 0, repairedSamples: 0, rejectedBatches: 0, rejectedSamples: 0 });
    expect(await readdir(join(dir, 'rejected'))).toEqual([]);
    expect(agent.output()).not.toMatch(/refused by the server|stopped with \d+ batch/);

    expect(await server.stop()).toBe(0);
    const { ticks, batches, series, rows } = await server.read(async (sql) => ({
      ticks: await storedTicks(sql),
      batches: await storedBatches(sql),
      series: await sql.query<{ n: number; first: number; last: number }>(
        `SELECT count(*)::int AS n, min(${TS_MS}) AS first, max(${TS_MS}) AS last ${FROM_SAMPLES} WHERE ${MOCK_HOSTS} GROUP BY se.id`,
      ),
      rows: (await sql.query<{ rows: number; distinct: number }>(`SELECT count(*)::int AS rows, count(DISTINCT (sa.series_id, sa.ts))::int AS distinct ${FROM_SAMPLES} WHERE ${MOCK_HOSTS}`))[0]!,
    }));

    // the server: each tick the agent took is stored whole, from the first to the last, and nothing else
    const tickTimes = records.map((r) => r.createdAt);
    expect([...ticks.keys()]).toEqual(tickTimes);
    expect([...ticks.values()].every((n) => n === perTick)).toBe(true);
    expect(series).toHaveLength(perTick);
    for (const s of series) expect(s).toEqual({ n: records.length, first: tickTimes[0], last: tickTimes.at(-1) });
    expect(new Map(records.map((r) => [r.batchId, r.samples]))).toEqual(batches);
    const produced = records.length * perTick;
    expect(rows.rows).toBe(produced);
    expect(rows.distinct).toBe(rows.rows);
    const inOutage = records.filter((r) => r.createdAt >= down && r.createdAt < back).length;
    console.log(
      `[agent-reliability ${testDatabaseKind()}] ${hosts} mock hosts, ${perTick} samples every ${MOCK_INTERVAL_MS} ms (${Math.round((perTick * 1000) / MOCK_INTERVAL_MS)}/s): ` +
        `${records.length} ticks, ${produced} samples produced, ${rows.rows} stored, ${rows.rows - rows.distinct} duplicates, ` +
        `${batches.size} batches stored once each, 0 rejected; outage ${((back - down) / 1000).toFixed(1)} s (${inOutage} ticks, ${bufferedInOutage} batches buffered), ` +
        `drained ${(drainMs / 1000).toFixed(1)} s after the server came back`,
    );
  }, OUTAGE_SECONDS * 1000 + 300_000);

  it('an agent killed with SIGKILL during an outage sends its buffer after a restart', async () => {
    const server = await newServer();
    const key = await server.createKey({ kind: 'integration', role: 'analyst' });
    const dir = await newAgentDir();
    const args = ['--server', server.url, '--mock', '3', '--interval', '500ms', '--data-dir', dir];
    const first = startAgent(args, key);
    await untilAcked(dir, 3, 30_000, first);
    expect(await server.stop()).toBe(0);
    await untilBuffered(dir, 4, first);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    const beforeKill = await unsentRecords(dir);

    const second = startAgent(args, key);
    const samples = beforeKill.reduce((n, r) => n + r.samples, 0);
    await waitUntil('the restarted agent reads its buffer', async () => (second.output().includes(`(${beforeKill.length} batch(es), ${samples} samples from before)`) ? true : undefined), 30_000, second);
    await untilBuffered(dir, beforeKill.length + 1, second); // collecting again, still buffering
    await server.start();
    const backlog = await lastSeq(dir);
    await untilAcked(dir, backlog, 120_000, second);
    expect(await second.stop()).toBe(0);
    expect(second.output()).not.toContain('repaired buffer segment');

    expect(await server.stop()).toBe(0);
    const { ticks, batches } = await server.read(async (sql) => ({ ticks: await storedTicks(sql), batches: await storedBatches(sql) }));
    for (const r of beforeKill) {
      expect(ticks.get(r.createdAt), `tick ${new Date(r.createdAt).toISOString()} from before the kill`).toBe(r.samples);
      expect(batches.get(r.batchId)).toBe(r.samples);
    }
    expect((await readBufferState(dir)).counters).toMatchObject({ droppedSamples: 0, repairedSamples: 0, rejectedSamples: 0 });
    console.log(`[agent-reliability ${testDatabaseKind()}] SIGKILL: ${beforeKill.length} batches (${samples} samples) buffered at the kill, all stored after the restart`);
  }, 180_000);

  it.each(['truncate', 'flip'] as const)('a damaged last record (%s) is cut, counted and reported; the rest arrives', async (how) => {
    const server = await newServer();
    const hostname = `e2e-damage-${how}`;
    const key = await server.createKey({ kind: 'agent', hostname });
    const dir = await newAgentDir();
    // a real host, not --mock: only then does the agent ship its own esmon.agent.* metrics
    const args = ['--server', server.url, '--hostname', hostname, '--interval', '1s', '--data-dir', dir];
    const first = startAgent(args, key);
    await untilAcked(dir, 2, 30_000, first);
    expect(await server.stop()).toBe(0);
    await untilBuffered(dir, 3, first);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toMatch(/stopped with \d+ batch\(es\), \d+ samples buffered/);

    const buffered = await unsentRecords(dir);
    const damaged = await damageNewestRecord(dir, how);
    expect(damaged.seq).toBe(buffered.at(-1)!.seq);
    const intact: BufferRecord[] = buffered.slice(0, -1);
    const segment = damaged.segment.split('/').at(-1)!;
    const kept = (await readBufferRecords(dir)).filter((r) => r.segment === damaged.segment).length;

    await server.start();
    const second = startAgent(args, key);
    const repaired = new RegExp(
      `repaired buffer segment ${segment}: cut \\d+ damaged byte\\(s\\) in 1 place\\(s\\); 1 unsent batch\\(es\\) lost \\(${damaged.samples} samples\\), ${kept} good batch\\(es\\) kept`,
    );
    await waitUntil('the repair logged', async () => (repaired.test(second.output()) ? true : undefined), 30_000, second);
    // everything intact, then new batches
    await untilAcked(dir, damaged.seq + 2, 60_000, second);
    expect(await second.stop()).toBe(0);
    expect((await readBufferState(dir)).counters).toMatchObject({ repairedBatches: 1, repairedSamples: damaged.samples, droppedSamples: 0, rejectedSamples: 0 });

    expect(await server.stop()).toBe(0);
    const { batches, lostTick, latest, newest } = await server.read(async (sql) => ({
      batches: await storedBatches(sql),
      lostTick: (await sql.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM_SAMPLES} WHERE h.hostname = $1 AND sa.ts = $2`, [hostname, new Date(damaged.createdAt)]))[0]!.n,
      latest: await sql.query<{ metric: string; reason: string | null; value: number }>(
        `SELECT DISTINCT ON (se.id) se.metric, se.labels->>'reason' AS reason, sa.value ${FROM_SAMPLES}
         WHERE h.hostname = $1 AND se.metric IN ('esmon.agent.buffer.repaired_total', 'esmon.agent.buffer.dropped_samples_total')
         ORDER BY se.id, sa.ts DESC`,
        [hostname],
      ),
      newest: (await sql.query<{ ts: number }>(`SELECT max(${TS_MS}) AS ts ${FROM_SAMPLES} WHERE h.hostname = $1`, [hostname]))[0]!.ts,
    }));
    for (const r of intact) expect(batches.get(r.batchId), `intact batch ${r.seq}`).toBe(r.samples);
    expect(batches.has(damaged.batchId)).toBe(false);
    expect(lostTick).toBe(0);
    expect(Number(newest)).toBeGreaterThan(damaged.createdAt);
    expect(latest).toEqual(
      expect.arrayContaining([
        { metric: 'esmon.agent.buffer.repaired_total', reason: null, value: 1 },
        { metric: 'esmon.agent.buffer.dropped_samples_total', reason: 'corrupt', value: damaged.samples },
      ]),
    );
    console.log(
      `[agent-reliability ${testDatabaseKind()}] ${how}: ${buffered.length} batches buffered, batch ${damaged.seq} (${damaged.samples} samples) damaged and reported lost, ` +
        `${intact.length} intact batches stored, repaired_total=1, dropped_samples_total{reason="corrupt"}=${damaged.samples}`,
    );
  }, 180_000);
});
