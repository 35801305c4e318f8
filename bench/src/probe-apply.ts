// npm run bench:probe-apply — how soon a probe changed on the server runs on the agent, and
// whether the change costs a run. The agent is the single executable (as bench:agent runs it),
// enrolled against a server on PGlite, with bench:agent's five probes every 10 s.
//
// Live: BENCH_CHANGES (default 20) updates of one probe (its timeout, so its series stays the
// same), a few seconds apart; each change's latency runs from the moment the updateProbe
// mutation is sent to the agent's own log line saying it applied the new configuration (both
// clocks are this machine's). Baseline, in the same run: the way agents without live
// reconfiguration apply a change (Telegraf on Windows, a restarted service): stop the agent,
// start it again, and time the same way to its first applied configuration. For both, the
// probe's stored series is then checked for missed 10 s slots around the changes.
import { setTimeout as sleep } from 'node:timers/promises';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gql, tempDir, type Proc } from '../../e2e/src/processes.ts';
import { round, printFigures } from './bench-db.ts';
import { startAgent, startServer, type EsmonServer } from './agent/esmon.ts';
import { startBinary } from './alert-latency/prometheus-processes.ts';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);
const PROBE_NAME = 'bench: esmon server port';
const INTERVAL_MS = 10_000;

const log = (line: string) => console.log(line);
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Waits for the agent's next "probe configuration … (server)" line after `offset`; its timestamp. */
async function appliedAt(proc: Proc, offset: number, timeoutMs = 60_000): Promise<{ at: number; offset: number }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const out = proc.output();
    const m = /^(\S+) esmon-agent: probe configuration \S+ \(server\)/m.exec(out.slice(offset));
    if (m) return { at: Date.parse(m[1]!), offset: offset + m.index + m[0].length };
    if (Date.now() > end) throw new Error(`the agent did not apply the change within ${timeoutMs / 1000} s:\n${out.slice(-3000)}`);
    await sleep(20);
  }
}

async function probeId(server: EsmonServer): Promise<string> {
  const r = await gql<{ probes: { id: string; name: string }[] }>(server.url, '{ probes { id name } }', {}, server.token);
  const p = r.data?.probes.find((x) => x.name === PROBE_NAME);
  if (!p) throw new Error(`no probe "${PROBE_NAME}": ${JSON.stringify(r.errors)}`);
  return p.id;
}

async function changeProbe(server: EsmonServer, id: string, timeoutSeconds: number): Promise<void> {
  const d = { name: PROBE_NAME, steps: [{ id: 'connect', plugin: 'tcp', params: { host: '127.0.0.1', port: server.port } }], intervalSeconds: 10, timeoutSeconds };
  const r = await gql(server.url, 'mutation ($id: ID!, $d: JSON!) { updateProbe(id: $id, definition: $d) { version } }', { id, d }, server.token);
  if (r.errors) throw new Error(`updateProbe: ${JSON.stringify(r.errors)}`);
}

/** Slots of the probe's series in [from, to] that have no sample. */
async function missedSlots(server: EsmonServer, from: number, to: number): Promise<number> {
  const r = await gql<{ samples: { points: { ts: string }[] }[] }>(
    server.url,
    'query ($s: String!, $f: DateTime!, $t: DateTime!) { samples(selector: $s, from: $f, to: $t, maxPoints: 20000, aggregation: last) { points { ts } } }',
    { s: `tcp.up{host="bench-agent",port="${server.port}"}`, f: new Date(from).toISOString(), t: new Date(to).toISOString() },
    server.token,
  );
  const times = (r.data?.samples[0]?.points ?? []).map((p) => Date.parse(p.ts));
  if (times.length < 2) throw new Error(`too few samples of the probe to judge gaps: ${JSON.stringify(r.errors ?? times)}`);
  return times.slice(1).reduce((missed, t, i) => missed + Math.max(0, Math.round((t - times[i]!) / INTERVAL_MS) - 1), 0);
}

const dir = await tempDir('esmon-bench-apply-');
const stops: (() => Promise<unknown>)[] = [];
try {
  const server = await startServer(dir);
  stops.push(() => server.proc.stop());
  const started = await startAgent(server, dir, log);
  if (started.runtime !== 'single-executable') throw new Error('the single executable did not start (see above): this bench restarts it');
  let agent = started.proc;
  const binary = agent.child.spawnfile;
  stops.push(() => agent.stop());
  const id = await probeId(server);
  let seen = await appliedAt(agent, 0);
  log(`agent running; changing probe ${id} ${CHANGES} times live, then ${RESTARTS} times by restarting the agent`);
  await sleep(2 * INTERVAL_MS + 1000); // two runs before the first change

  const liveFrom = Date.now();
  const live: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const sent = Date.now();
    await changeProbe(server, id, i % 2 === 0 ? 4 : 5);
    seen = await appliedAt(agent, seen.offset);
    live.push(seen.at - sent);
    await sleep(1500 + Math.random() * 3000);
  }
  await sleep(2 * INTERVAL_MS + 2000); // let the runs after the last change arrive
  const liveMissed = await missedSlots(server, liveFrom - INTERVAL_MS, Date.now() - INTERVAL_MS);
  log(`live: ${CHANGES} changes over ${round((Date.now() - liveFrom) / 1000, 0)} s, applied in p50 ${percentile(live, 50)} ms, max ${Math.max(...live)} ms; ${liveMissed} missed 10 s slot(s)`);

  const restartFrom = Date.now();
  const restarted: number[] = [];
  const args = ['run', '--config', join(dir, 'agent'), '--interval', '10s'];
  for (let i = 0; i < RESTARTS; i++) {
    const sent = Date.now();
    await changeProbe(server, id, i % 2 === 0 ? 4 : 5);
    await agent.stop();
    agent = startBinary(binary, args, dir);
    restarted.push((await appliedAt(agent, 0)).at - sent);
    await sleep(INTERVAL_MS + Math.random() * INTERVAL_MS);
  }
  await sleep(2 * INTERVAL_MS + 2000);
  const restartMissed = await missedSlots(server, restartFrom - INTERVAL_MS, Date.now() - INTERVAL_MS);
  log(`restart: ${RESTARTS} changes, applied in p50 ${percentile(restarted, 50)} ms, max ${Math.max(...restarted)} ms; ${restartMissed} missed 10 s slot(s)`);

  printFigures({
    liveChanges: CHANGES,
    liveApplyMsP50: percentile(live, 50),
    liveApplyMsP99: percentile(live, 99),
    liveApplyMsMax: Math.max(...live),
    liveMissedSlots: liveMissed,
    restartChanges: RESTARTS,
    restartApplyMsP50: percentile(restarted, 50),
    restartApplyMsMax: Math.max(...restarted),
    restartMissedSlots: restartMissed,
    restartOverLiveP50: round(percentile(restarted, 50) / percentile(live, 50), 1),
    goalApplyMs: 5000,
    liveWithinGoal: Math.max(...live) <= 5000,
  });
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
