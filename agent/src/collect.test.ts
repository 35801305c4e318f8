// Real collection on this machine (Linux here): the metric set and its validity.
import { describe, expect, it } from 'vitest';
import { parseIngestBatch } from '@esmon/schema';
import { collectSystem, hostFacts, hostInput } from './collect.ts';

describe('system collection', () => {
  it('collects CPU, memory, disk, network and uptime as valid samples', async () => {
    const [{ samples, failures }, facts] = await Promise.all([collectSystem(Date.now()), hostFacts()]);
    expect(failures).toEqual([]);
    const metrics = new Set(samples.map((s) => s.metric));
    for (const m of ['os.cpu.usage', 'os.load.1', 'os.mem.used_pct', 'os.swap.total', 'os.disk.used_pct', 'os.uptime.seconds']) {
      expect(metrics, m).toContain(m);
    }
    expect(samples.filter((s) => s.metric === 'os.cpu.usage' && s.labels?.core).length).toBeGreaterThan(0);
    expect(samples.find((s) => s.metric === 'os.disk.used_pct')?.labels).toHaveProperty('mount');
    expect(facts.os).toBe(process.platform);
    const result = parseIngestBatch({ batchId: 'collect-test-1', hosts: [hostInput('this-host', facts, samples)] });
    expect(result.ok ? 'valid' : result.issues).toBe('valid');
  });
});
