// npm run bench:alert-latency — how fast a threshold crossing becomes an alert, esmon against
// Prometheus 2.42 + Alertmanager 0.25 in the same run.
//
// esmon: a server process on a fresh PostgreSQL database under BENCH_LOAD samples/s (default
// 20 000) of background ingest; a series is pushed across a threshold BENCH_FLIPS times (default
// 200) at random phases; p50/p99 from the start of the sample's POST to the firing event on an
// `alertEvents` subscription and to the server's webhook POST.
// Prometheus + Alertmanager (Debian packages prometheus, prometheus-alertmanager): scrape and
// evaluation interval 10 s, `for: 0s`, group_wait 0s; the same number of flips, from the moment
// the exporter serves the new value to Alertmanager's webhook. Skipped, and said so, when the
// packages are not installed.
import { percentile, printFigures, round } from './bench-db.ts';
import { runEsmonFlips } from './alert-latency/esmon.ts';
import { EVALUATION_INTERVAL_S, SCRAPE_INTERVAL_S } from './alert-latency/prometheus-processes.ts';
import { runPrometheusBaseline } from './alert-latency/prometheus.ts';

const FLIPS = Number(process.env.BENCH_FLIPS ?? 200);
const LOAD = Number(process.env.BENCH_LOAD ?? 20_000);
const SEED = Number(process.env.BENCH_SEED ?? 1);

const p = (xs: number[], q: number) => (xs.length ? round(percentile(xs, q), 1) : null);

const esmon = await runEsmonFlips({ flips: FLIPS, seed: SEED, loadPerSecond: LOAD, log: (l) => console.log(l) });
console.log(
  `esmon: ${esmon.fired}/${esmon.flips} flips fired under ${esmon.load.samplesPerSecond} samples/s background load (${esmon.load.refused} samples refused)`,
);
console.log(`  POST → alertEvents subscription: p50 ${p(esmon.subscriptionMs, 50)} ms, p99 ${p(esmon.subscriptionMs, 99)} ms (goal p99 ≤ 50 ms)`);
console.log(`  POST → webhook receiver:         p50 ${p(esmon.webhookMs, 50)} ms, p99 ${p(esmon.webhookMs, 99)} ms`);
console.log(`  POST acknowledged:               p50 ${p(esmon.ackMs, 50)} ms, p99 ${p(esmon.ackMs, 99)} ms`);

const prom = await runPrometheusBaseline({ flips: FLIPS, seed: SEED, log: (l) => console.log(l) });
const figures: Record<string, unknown> = {
  flips: FLIPS,
  background_load_samples_per_s: esmon.load.samplesPerSecond,
  background_load_refused_samples: esmon.load.refused,
  esmon_fired: esmon.fired,
  esmon_subscription_p50_ms: p(esmon.subscriptionMs, 50),
  esmon_subscription_p99_ms: p(esmon.subscriptionMs, 99),
  esmon_webhook_p50_ms: p(esmon.webhookMs, 50),
  esmon_webhook_p99_ms: p(esmon.webhookMs, 99),
  esmon_ack_p50_ms: p(esmon.ackMs, 50),
  esmon_eval_lag_seconds_last: esmon.metrics.esmon_eval_lag_seconds ?? null,
  esmon_eval_skipped_total: esmon.metrics.esmon_eval_skipped_total ?? null,
  goal_subscription_p99_ms: 50,
};
if ('skipped' in prom) {
  console.log(`prometheus + alertmanager: skipped (${prom.skipped})`);
  figures.prometheus_skipped = prom.skipped;
} else {
  const pw = (q: number) => p(prom.latenciesMs, q);
  console.log(
    `prometheus ${prom.prometheusVersion} + alertmanager ${prom.alertmanagerVersion}: ${prom.fired}/${prom.flips} fired; value served → webhook p50 ${pw(50)} ms, p99 ${pw(99)} ms`,
  );
  const ratio = (q: number) => {
    const a = p(prom.latenciesMs, q);
    const b = p(esmon.webhookMs, q);
    return a !== null && b !== null && b > 0 ? round(a / b, 0) : null;
  };
  console.log(`  esmon's webhook is ${ratio(50)}× faster at p50 and ${ratio(99)}× at p99`);
  Object.assign(figures, {
    prometheus_version: prom.prometheusVersion,
    alertmanager_version: prom.alertmanagerVersion,
    prometheus_scrape_and_eval_interval_s: Math.max(SCRAPE_INTERVAL_S, EVALUATION_INTERVAL_S),
    prometheus_fired: prom.fired,
    prometheus_webhook_p50_ms: pw(50),
    prometheus_webhook_p99_ms: pw(99),
    prometheus_over_esmon_webhook_p50_ratio: ratio(50),
    prometheus_over_esmon_webhook_p99_ratio: ratio(99),
  });
}
printFigures(figures);
