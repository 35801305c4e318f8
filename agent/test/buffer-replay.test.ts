// The agent against the REAL esmon server: batches collected while the server cannot be reached
// wait on disk across a restart of the agent, then arrive exactly once, even when one of them
// had already reached the server before the agent could record the acknowledgement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort as closedPort } from '../../e2e/src/processes.ts';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';
import { createAgent } from '../src/agent.ts';
import { openDiskBuffer } from '../src/buffer/disk-buffer.ts';
import { createGzipSender } from '../src/transport.ts';
import { recordingLog, tempDir } from './buffer-fixture.ts';

const HOST = 'replay-1';
const PER_BATCH = 5;
/** esmon.agent.* samples the agent adds to each batch (self-metrics.ts) */
const SELF = 7;

describe('buffered batches reach the real server exactly once', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startTestServer();
    key = await s.agentKey(HOST);
  });
  afterAll(async () => {
    await s?.close();
  });

  const rows = async (metric: string) => {
    const r = await s.testDb.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id WHERE h.hostname = $1 AND se.metric = $2`,
      [HOST, metric],
    );
    return r[0]!.n;
  };

  it('through an outage and an agent restart', async () => {
    const dir = await tempDir();
    const base = Date.now() - 120_000;
    let tick = 0;
    const collect = async () => {
      const i = tick++;
      return [{ hostname: HOST, samples: Array.from({ length: PER_BATCH }, (_, j) => ({ metric: 'test.replay', ts: base + i * 1000 + j, value: i })) }];
    };
    const fatal: string[] = [];
    // each tick a second later: two ticks in one millisecond would give their self-metrics the same
    // (series, ts), and the server keeps one sample per series and instant
    let clock = Date.now() - 60_000;
    const now = () => (clock += 1000);
    const start = async (server: string) => {
      const log = recordingLog();
      const buffer = await openDiskBuffer({ dir, log });
      const agent = createAgent({
        intervalMs: 1000, collect, buffer, log, selfHostname: HOST, onFatal: (r) => void fatal.push(r), now,
        send: createGzipSender({ server, key }),
        // the wait after a failure ends only when the agent stops: no clock in this test
        sleep: () => new Promise<void>(() => {}),
      });
      return { agent, buffer, log };
    };

    // the server cannot be reached: four batches wait on disk, and stay there when the agent stops
    const down = await start(`http://127.0.0.1:${await closedPort()}`);
    for (let i = 0; i < 4; i++) await down.agent.tick();
    await down.agent.stop();
    expect(down.agent.stats()).toMatchObject({ batches: 4, samples: 4 * (PER_BATCH + SELF) });
    expect(down.log.lines.join('\n')).toMatch(/cannot reach .*ECONNREFUSED/);
    expect(await rows('test.replay')).toBe(0);

    // the oldest reaches the server, but the agent dies before recording that: sent again later
    const peek = await openDiskBuffer({ dir, log: recordingLog() });
    const oldest = (await peek.oldest())!;
    expect(await createGzipSender({ server: s.url, key })(oldest.gzip)).toMatchObject({ kind: 'ok', ack: { accepted: PER_BATCH + SELF, duplicate: false } });
    await peek.close();

    // restarted against the real server: everything goes out, oldest first, plus a new batch
    const up = await start(s.url);
    expect(up.buffer.stats().batches).toBe(4);
    await up.agent.tick();
    await up.agent.flush();
    // the batch the server already had was acknowledged as a duplicate, storing nothing
    expect(up.agent.stats()).toMatchObject({ sent: 4 * (PER_BATCH + SELF), batches: 0, droppedSamples: 0, repairedSamples: 0 });
    await up.agent.stop();
    expect(fatal).toEqual([]);
    expect(await rows('test.replay')).toBe(5 * PER_BATCH);
    expect(await rows('esmon.agent.buffer.batches')).toBe(5);
    const values = await s.testDb.sql.query<{ value: number }>(
      `SELECT sa.value FROM samples sa JOIN series se ON se.id = sa.series_id WHERE se.metric = 'test.replay' ORDER BY sa.ts`,
    );
    expect(values.map((v) => Number(v.value))).toEqual([0, 1, 2, 3, 4].flatMap((i) => Array(PER_BATCH).fill(i)));
  });
});
