// The agent loop through its seams: a real disk buffer in a temporary directory, a real local
// HTTP server answering from a script, and `sleep` handed in so no test waits for a clock.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog, tempDir } from '../test/buffer-fixture.ts';
import { startScriptedIngest, type ScriptedAnswer } from '../test/scripted-ingest.ts';
import { createAgent } from './agent.ts';
import { openDiskBuffer } from './buffer/disk-buffer.ts';
import { createGzipSender } from './transport.ts';

const hosts = (v: number) => [{ hostname: 'h', samples: [{ metric: 'm', ts: 1_700_000_000_000 + v, value: v }] }];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(script: ScriptedAnswer[], more: { dir?: string; selfHostname?: string; sleepForever?: boolean; configVersion?: () => string | undefined } = {}) {
  const server = await startScriptedIngest(script);
  closers.push(server.close);
  const dir = more.dir ?? (await tempDir());
  const log = recordingLog();
  const buffer = await openDiskBuffer({ dir, log });
  const waits: number[] = [];
  const fatal: string[] = [];
  let v = 0;
  const agent = createAgent({
    intervalMs: 1000,
    collect: async () => hosts(v++),
    buffer,
    send: createGzipSender({ server: server.url, key: 'esm_a_test' }),
    log,
    onFatal: (r) => fatal.push(r),
    sleep: (ms) => {
      waits.push(ms);
      return more.sleepForever ? new Promise<void>(() => {}) : Promise.resolve();
    },
    random: () => 0.5,
    ...(more.selfHostname ? { selfHostname: more.selfHostname } : {}),
    ...(more.configVersion ? { configVersion: more.configVersion } : {}),
  });
  return { server, agent, dir, log, waits, fatal };
}

/** Lets the event loop run until `done` (the delivery runs in the background of tick()). */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setImmediate(r));
}

const values = (batches: { hosts: { samples: { value: number }[] }[] }[]) => batches.map((b) => b.hosts[0]!.samples[0]!.value);

describe('the agent loop', () => {
  it('keeps batches while the server fails, then delivers them in order, once, waiting as told', async () => {
    const { server, agent, waits } = await setup([{ status: 503, headers: { 'retry-after': '7' } }, { status: 502 }]);
    for (let i = 0; i < 3; i++) await agent.tick();
    await agent.flush();
    expect(values(server.stored())).toEqual([0, 1, 2]);
    expect(new Set(server.stored().map((b) => b.batchId)).size).toBe(3);
    expect(server.received[0]!.batch.batchId).toBe(server.received[2]!.batch.batchId);
    expect(server.received.every((r) => r.encoding === 'gzip')).toBe(true);
    // Retry-After first, then full jitter of attempt 1 with random 0.5
    expect(waits).toEqual([7000, 1000]);
    expect(agent.stats()).toMatchObject({ sent: 3, sendErrors: 2, batches: 0 });
    await agent.stop();
  });

  it('sets aside a batch the server refuses for its content and goes on with the next', async () => {
    const { server, agent, dir, log } = await setup([{ status: 400, body: { error: { code: 'BAD_USER_INPUT', message: 'hosts[0].samples[0].ts: ts is before the year 2000' } } }]);
    await agent.tick();
    await agent.tick();
    await agent.flush();
    expect(values(server.stored())).toEqual([1]);
    expect(agent.stats()).toMatchObject({ rejectedBatches: 1, rejectedSamples: 1, batches: 0 });
    expect(await readdir(join(dir, 'rejected'))).toHaveLength(1);
    expect(log.lines.join('\n')).toMatch(/refused by the server, set aside in rejected\/: hosts\[0\]\.samples\[0\]\.ts: ts is before the year 2000/);
    await agent.stop();
  });

  it('stops for good on a refused key, keeping the batches on disk for the next start', async () => {
    const first = await setup([{ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'the token is not valid' } } }]);
    await first.agent.tick();
    await first.agent.flush();
    expect(first.fatal).toEqual(['the server refused the key: the token is not valid']);
    await first.agent.stop();
    expect(first.log.lines.at(-1)).toMatch(/stopped with 1 batch\(es\), 1 samples buffered/);
    const second = await setup([], { dir: first.dir });
    await second.agent.flush();
    expect(values(second.server.stored())).toEqual([0]);
    await second.agent.stop();
  });

  it('gives buffered batches one last try when stopped, without waiting', async () => {
    // a sleep that never ends on its own: only stop() ends the wait
    const { server, agent, waits } = await setup([{ status: 503 }], { sleepForever: true });
    await agent.tick();
    await waitFor(() => waits.length === 1);
    await agent.stop();
    expect(values(server.stored())).toEqual([0]);
    expect(waits).toHaveLength(1);
  });

  it('reports its own buffer and send figures as samples of its host', async () => {
    const { server, agent } = await setup([{ status: 503 }], { selfHostname: 'h' });
    await agent.tick();
    await agent.flush();
    await agent.tick();
    await agent.flush();
    const second = server.stored()[1]!;
    const self = Object.fromEntries(second.hosts[0]!.samples.filter((s) => s.metric.startsWith('esmon.')).map((s) => [`${s.metric}${s.labels ? JSON.stringify(s.labels) : ''}`, s.value]));
    expect(self).toMatchObject({
      'esmon.agent.buffer.batches': 0,
      'esmon.agent.buffer.dropped_samples_total{"reason":"full"}': 0,
      'esmon.agent.buffer.dropped_samples_total{"reason":"corrupt"}': 0,
      'esmon.agent.buffer.repaired_total': 0,
      'esmon.agent.send.errors_total': 1,
      'esmon.agent.send.rejected_total': 0,
    });
    expect(self['esmon.agent.buffer.bytes']).toBeGreaterThan(0);
    expect(second.hosts).toHaveLength(1);
    await agent.stop();
  });

  it('says with every batch which probe configuration it runs, once it has one', async () => {
    const running: { version?: string } = {};
    const { server, agent } = await setup([], { configVersion: () => running.version });
    await agent.tick();
    await agent.flush();
    running.version = 'a1b2c3d4e5f60718';
    await agent.tick();
    await agent.flush();
    const [before, after] = server.stored() as unknown as { agent: { version: string; configVersion?: string } }[];
    expect(before!.agent).not.toHaveProperty('configVersion');
    expect(after!.agent).toMatchObject({ configVersion: 'a1b2c3d4e5f60718' });
    expect(after!.agent.version).toMatch(/^\d+\.\d+\.\d+/);
    await agent.stop();
  });
});
