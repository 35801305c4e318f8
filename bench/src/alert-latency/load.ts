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
  let nextGroup = 0;
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

  // bodies are built once, with placeholders for the batch id and the timestamp: the load costs
  // the machine (two cores, shared with the server and PostgreSQL) as little CPU as possible
  const groups = Math.ceil(HOSTS / HOSTS_PER_BATCH);
  const templates = Array.from({ length: groups }, (_, g) => {
    const hosts = [];
    for (let h = 0; h < HOSTS_PER_BATCH; h++) {
      const host = (g * HOSTS_PER_BATCH + h) % HOSTS;
      hosts.push({
        hostname: `load-${host}`,
        samples: METRICS.map((metric, m) => ({ metric, ts: '__TS__', value: ((host * 7 + m * 13) % 70) + 0.5 })),
      });
    }
    return JSON.stringify({ batchId: '__ID__', hosts });
  });

  const timer = setInterval(() => {
    const ts = String(Date.now());
    for (let b = 0; b < batches; b++) {
      const body = templates[nextGroup++ % groups]!.replace('__ID__', `load-batch-${++seq}`).replaceAll('"__TS__"', ts);
      send(body, HOSTS_PER_BATCH * METRICS.length);
    }
  }, TICK_MS);

  return async () => {
    clearInterval(timer);
    await Promise.all([...inflight]);
    return { samplesPerSecond: Math.round(accepted / ((performance.now() - started) / 1000)), refused };
  };
}
