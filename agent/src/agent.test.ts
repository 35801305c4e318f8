// The agent loop through its function-typed seams: `send` and `sleep` are handed in, as main
// hands in the real transport.
import { describe, expect, it } from 'vitest';
import type { IngestBatch } from '@esmon/schema';
import { backoffMs, createAgent } from './agent.ts';
import type { SendResult } from './transport.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const hosts = (v: number) => [{ hostname: 'h', samples: [{ metric: 'm', ts: 1_700_000_000_000 + v, value: v }] }];

function scripted(results: SendResult['kind'][]) {
  const seen: IngestBatch[] = [];
  const send = async (b: IngestBatch): Promise<SendResult> => {
    seen.push(b);
    const kind = results.shift() ?? 'ok';
    if (kind === 'ok') return { kind, ack: { batchId: b.batchId, accepted: 1, duplicate: false } };
    if (kind === 'retry') return { kind, reason: 'down' };
    return { kind, reason: kind } as SendResult;
  };
  return { send, seen };
}

describe('the agent loop', () => {
  it('keeps batches while the server is away and delivers them in order, once, when it returns', async () => {
    const { send, seen } = scripted(['retry', 'retry', 'ok', 'ok', 'ok']);
    const waits: number[] = [];
    let v = 0;
    const agent = createAgent({ intervalMs: 1000, collect: async () => hosts(v++), send, log: quiet, onFatal: () => {}, sleep: async (ms) => void waits.push(ms) });
    await agent.tick();
    await agent.tick();
    await agent.tick();
    await agent.flush();
    const delivered = seen.slice(2).map((b) => b.hosts[0]!.samples[0]!.value);
    expect(delivered).toEqual([0, 1, 2]);
    expect(new Set(seen.map((b) => b.batchId)).size).toBe(3);
    expect(seen[0]!.batchId).toBe(seen[2]!.batchId);
    expect(waits.length).toBe(2);
    expect(agent.stats).toMatchObject({ sent: 3, buffered: 0, dropped: 0 });
  });

  it('drops a batch the server rejects as invalid, and stops for good on a refused key', async () => {
    const { send } = scripted(['rejected', 'fatal']);
    const fatal: string[] = [];
    const agent = createAgent({ intervalMs: 1000, collect: async () => hosts(1), send, log: quiet, onFatal: (r) => fatal.push(r), sleep: async () => {} });
    await agent.tick();
    await agent.flush();
    expect(agent.stats.rejected).toBe(1);
    await agent.tick();
    await agent.flush();
    expect(fatal).toEqual(['fatal']);
  });

  it('bounds the buffer by dropping the oldest batches, and counts them', async () => {
    const { send } = scripted(Array(100).fill('retry'));
    let v = 0;
    const agent = createAgent({ intervalMs: 1000, collect: async () => hosts(v++), send, log: quiet, onFatal: () => {}, maxBufferedSamples: 3, sleep: () => new Promise(() => {}) });
    for (let i = 0; i < 5; i++) await agent.tick();
    expect(agent.stats).toMatchObject({ buffered: 3, dropped: 2 });
  });

  it('backs off exponentially with jitter, capped at a minute', () => {
    expect(backoffMs(0, () => 0.5)).toBe(1000);
    expect(backoffMs(3, () => 0.5)).toBe(8000);
    expect(backoffMs(20, () => 0.5)).toBe(60_000);
    expect(backoffMs(2, () => 0)).toBe(3200);
  });
});
