// npm run bench:first-sample — how long from `npm start` on a fresh data directory (embedded
// database, nothing generated yet counts too) until GraphQL shows this machine's first CPU sample.
// Runs the real command N times (default 3) and prints the figures; the last line is JSON.
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { freePort, latestCpu, loginToken, repoRoot, tempDir, waitUntil } from '../../e2e/src/processes.ts';

const runs = Number(process.argv[2] ?? 3);
const PASSWORD = 'bench-admin-password';
const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '-');

async function once(): Promise<{ listeningMs: number; firstSampleMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), ESMON_DATA_DIR: await tempDir('esmon-bench-'), ESMON_ADMIN_PASSWORD: PASSWORD, DATABASE_URL: '' };
  const started = performance.now();
  // its own process group, so Ctrl-C (SIGINT) reaches npm, turbo and node alike
  const child = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: 'ignore' });
  try {
    await waitUntil('listening', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 60_000);
    const listeningMs = performance.now() - started;
    const token = await loginToken(url, 'admin@localhost', PASSWORD);
    await waitUntil('first sample', () => latestCpu(url, token, host), 60_000);
    return { listeningMs, firstSampleMs: performance.now() - started };
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => child.once('exit', r));
  }
}

const results = [];
for (let i = 0; i < runs; i++) {
  const r = await once();
  results.push(r);
  console.log(`run ${i + 1}: server answering after ${(r.listeningMs / 1000).toFixed(2)} s, first os.cpu.usage sample visible after ${(r.firstSampleMs / 1000).toFixed(2)} s`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures = {
  runs,
  npm_start_to_listening_ms_median: Math.round(median(results.map((r) => r.listeningMs))),
  npm_start_to_first_cpu_sample_ms_median: Math.round(median(results.map((r) => r.firstSampleMs))),
  npm_start_to_first_cpu_sample_ms_max: Math.round(Math.max(...results.map((r) => r.firstSampleMs))),
  goal_ms: 15_000,
};
console.log(JSON.stringify(figures));
