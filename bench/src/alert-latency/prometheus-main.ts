// The Prometheus + Alertmanager baseline alone:
//   node --import tsx bench/src/alert-latency/prometheus-main.ts [flips=200]
// Prints progress, then p50/p99/max of "exporter serves the new value → webhook arrives"; the
// last line is JSON. Without the Debian packages it says so and exits 0 with a "skipped" figure.
import { percentile, printFigures, round } from '../bench-db.ts';
import { EVALUATION_INTERVAL_S, SCRAPE_INTERVAL_S } from './prometheus-processes.ts';
import { runPrometheusBaseline } from './prometheus.ts';

const flips = Number(process.argv[2] ?? 200);
if (!Number.isInteger(flips) || flips < 1) throw new Error(`flips must be a positive integer, not ${process.argv[2]}`);
const seed = 1;

const result = await runPrometheusBaseline({ flips, seed, log: (line) => console.log(line) });
if ('skipped' in result) {
  console.log(`prometheus baseline skipped: ${result.skipped}`);
  printFigures({ prometheus_skipped: result.skipped });
} else {
  const xs = result.latenciesMs;
  const ms = (p: number) => (xs.length ? round(percentile(xs, p), 0) : null);
  const min = xs.length ? round(Math.min(...xs), 0) : null;
  const max = xs.length ? round(Math.max(...xs), 0) : null;
  console.log(`prometheus ${result.prometheusVersion} + alertmanager ${result.alertmanagerVersion}: ${result.fired}/${result.flips} flips fired`);
  console.log(`value served → webhook: min ${min} ms, p50 ${ms(50)} ms, p99 ${ms(99)} ms, max ${max} ms`);
  printFigures({
    prometheus_version: result.prometheusVersion,
    alertmanager_version: result.alertmanagerVersion,
    prometheus_scrape_interval_s: SCRAPE_INTERVAL_S,
    prometheus_evaluation_interval_s: EVALUATION_INTERVAL_S,
    seed,
    flips: result.flips,
    fired: result.fired,
    missed: result.flips - result.fired,
    prometheus_min_ms: min,
    prometheus_p50_ms: ms(50),
    prometheus_p99_ms: ms(99),
    prometheus_max_ms: max,
  });
}
