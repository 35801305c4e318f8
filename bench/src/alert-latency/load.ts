// A steady background ingest load for the alert-latency benchmark: every 100 ms a tick's share of
// `samplesPerSecond`, in batches of 500 samples (25 hosts × 20 metrics, one of them os.cpu.usage
// so the default CPU rule has work), sent without waiting for the previous tick's answers.
import { performance } from 'node:perf_hooks';

const HOSTS = 200;
const METRICS = ['os.cpu.usage', ...Array.from({ length: 19 }, (_, i) => `bench.load_${i}`)];
const HOSTS_PER_BATCH = 25;
const TICK_MS = 100;

export function startBackgroundLoad(opts: { url: string; key: string; samplesPerSecond: number }): () => Promise<{ samplesPerSecond: number; refused: number }> {
  const perTick = Math.round((opts.samplesPerSecond * TICK_MS) / 1000);
  const batches = Math.max(1, Math.round(perTick / (HOSTS_PER_BATCH * METRICS.length)));
  let nextHost = 0;
  let seq = 0;
  let accepted = 0;
  let refused = 0;
  const inflight = new Set<Promise<void>>();
  const started = performance.now();

  const send = (body: string, samples: number) => {
    const p = fetch(`${opts.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key}` },
      body,
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) accepted += samples;
        else refused += samples;
      })
      .catch(() => {
        refused += samples;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const timer = setInterval(() => {
    const ts = Date.now();
    for (let b = 0; b < batches; b++) {
      const hosts = [];
      for (let h = 0; h < HOSTS_PER_BATCH; h++) {
        const host = nextHost++ % HOSTS;
        hosts.push({
          hostname: `load-${host}`,
          samples: METRICS.map((metric, m) => ({ metric, ts, value: ((host * 7 + m * 13 + seq) % 70) + 0.5 })),
        });
      }
      send(JSON.stringify({ batchId: `load-batch-${++seq}`, hosts }), HOSTS_PER_BATCH * METRICS.length);
    }
  }, TICK_MS);

  return async () => {
    clearInterval(timer);
    await Promise.all([...inflight]);
    return { samplesPerSecond: Math.round(accepted / ((performance.now() - started) / 1000)), refused };
  };
}
