// The background load as its own process, so building and sending 20 000 samples/s never delays
// the process that times the flips. Reads BENCH_URL, BENCH_KEY, BENCH_LOAD; on SIGTERM it stops,
// waits for the answers in flight and prints its figures as one JSON line.
import { startBackgroundLoad } from './load.ts';

const stop = startBackgroundLoad({ url: process.env.BENCH_URL!, key: process.env.BENCH_KEY!, samplesPerSecond: Number(process.env.BENCH_LOAD) });
process.once('SIGTERM', () => {
  void stop().then((figures) => {
    console.log(JSON.stringify(figures));
    process.exit(0);
  });
});
