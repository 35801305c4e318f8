// The Prometheus 2.42 + Alertmanager 0.25 baseline of the alert-latency benchmark: how long from
// the moment an exporter starts serving a value over the threshold until Alertmanager's webhook
// reports the alert. One in-process exporter serves one gauge per flip (all 0); each flip switches
// its gauge to 100 at a seeded random instant inside a ~40 s window, so many flips run at once.
// Prometheus scrapes and evaluates every 10 s (`for: 0s`), Alertmanager groups by flip with
// group_wait 0s, and an in-process webhook records when each flip's firing alert arrives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { rm } from 'node:fs/promises';
import { prng } from '@esmon/schema/testing';
import { freePort, tempDir, waitUntil, type Proc } from '../../../e2e/src/processes.ts';
import {
  RULE_GROUPS,
  binaryVersion,
  findBinaries,
  startBinary,
  writeAlertmanagerConfig,
  writePrometheusConfig,
} from './prometheus-processes.ts';

export interface BaselineResult {
  prometheusVersion: string;
  alertmanagerVersion: string;
  flips: number;
  fired: number; // webhooks received for flips
  latenciesMs: number[]; // per flip: webhook arrival time − time the exporter started serving the new value
}

/** The flips' instants are spread over this window, which starts after the first scrape. */
export const FLIP_WINDOW_MS = 40_000;
/** How long after the window to wait for the last alerts before counting the rest as missed. */
export const GRACE_MS = 90_000;
const PROGRESS_EVERY_MS = 5_000;

/** The exporter: serves each gauge as 100 from its flip instant on, 0 before (or before the start). */
class FlipExporter {
  /** performance.now() at which each flip's gauge turns 100; undefined until the window starts. */
  changeAt: number[] | undefined;
  scrapes = 0;

  constructor(
    readonly flips: number,
    private readonly phasesMs: number[],
  ) {}

  start(now: number): void {
    this.changeAt = this.phasesMs.map((p) => now + p);
  }

  switched(now: number): number {
    return this.changeAt ? this.changeAt.filter((t) => t <= now).length : 0;
  }

  render(now: number): string {
    const lines = ['# HELP esmon_bench_flip 0 until the flip, 100 from then on.', '# TYPE esmon_bench_flip gauge'];
    for (let i = 0; i < this.flips; i++) {
      const on = this.changeAt !== undefined && this.changeAt[i]! <= now;
      lines.push(`esmon_bench_flip{flip="${i}",group="${i % RULE_GROUPS}"} ${on ? 100 : 0}`);
    }
    return `${lines.join('\n')}\n`;
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const now = performance.now(); // the instant the values are read is the instant they are served
    if (req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    this.scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(this.render(now));
  };
}

interface WebhookAlert {
  status?: string;
  labels?: Record<string, string>;
}

/** The webhook receiver: the first arrival of a firing alert per flip label. */
class WebhookReceiver {
  readonly arrivals = new Map<number, number>();
  posts = 0;
  unexpected = 0;

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.posts++;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts?: WebhookAlert[] };
        for (const alert of body.alerts ?? []) {
          const flip = Number(alert.labels?.flip);
          if (alert.status !== 'firing' || alert.labels?.alertname !== 'BenchFlip' || !Number.isInteger(flip)) {
            if (alert.status === 'firing') this.unexpected++;
            continue;
          }
          if (!this.arrivals.has(flip)) this.arrivals.set(flip, arrived);
        }
        res.writeHead(200).end();
      } catch {
        this.unexpected++;
        res.writeHead(400).end();
      }
    });
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const ready = (url: string) => async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPrometheusBaseline(opts: {
  flips: number;
  seed: number;
  log?: (line: string) => void;
}): Promise<BaselineResult | { skipped: string }> {
  const log = opts.log ?? (() => {});
  const bins = findBinaries();
  if ('missing' in bins) return { skipped: bins.missing };
  let prometheusVersion: string;
  let alertmanagerVersion: string;
  try {
    [prometheusVersion, alertmanagerVersion] = await Promise.all([binaryVersion(bins.prometheus), binaryVersion(bins.alertmanager)]);
  } catch (err) {
    return { skipped: `cannot run the binaries: ${(err as Error).message}` };
  }
  log(`prometheus: ${bins.prometheus} ${prometheusVersion}, alertmanager: ${bins.alertmanager} ${alertmanagerVersion}`);

  const random = prng(opts.seed);
  const exporter = new FlipExporter(
    opts.flips,
    Array.from({ length: opts.flips }, () => random() * FLIP_WINDOW_MS),
  );
  const receiver = new WebhookReceiver();
  const exporterServer = createServer(exporter.handle);
  const webhookServer = createServer(receiver.handle);
  const procs: Proc[] = [];
  const dirs: string[] = [];
  try {
    const exporterPort = await listen(exporterServer);
    const webhookPort = await listen(webhookServer);

    const amDir = await tempDir('esmon-bench-alertmanager-');
    dirs.push(amDir);
    const amPort = await freePort();
    const amUrl = `http://127.0.0.1:${amPort}`;
    const amConfig = await writeAlertmanagerConfig(amDir, `http://127.0.0.1:${webhookPort}/alerts`);
    const am = startBinary(
      bins.alertmanager,
      [
        `--config.file=${amConfig}`,
        `--storage.path=${amDir}/data`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      amDir,
    );
    procs.push(am);

    const promDir = await tempDir('esmon-bench-prometheus-');
    dirs.push(promDir);
    const promPort = await freePort();
    const promUrl = `http://127.0.0.1:${promPort}`;
    const promConfig = await writePrometheusConfig(promDir, { exporter: exporterPort, alertmanager: amPort });
    const prom = startBinary(
      bins.prometheus,
      [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${promDir}/data`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      promDir,
    );
    procs.push(prom);

    await waitUntil('alertmanager ready', ready(amUrl), 30_000, am);
    await waitUntil('prometheus ready', ready(promUrl), 60_000, prom);
    log(`prometheus: ready on ${promUrl}, alertmanager on ${amUrl}; waiting for the first scrape`);
    await waitUntil('first scrape', async () => (exporter.scrapes > 0 ? true : undefined), 3 * 10_000, prom);

    const started = performance.now();
    exporter.start(started);
    log(`prometheus: ${opts.flips} flips within ${FLIP_WINDOW_MS / 1000} s, waiting up to ${(FLIP_WINDOW_MS + GRACE_MS) / 1000} s`);
    const deadline = started + FLIP_WINDOW_MS + GRACE_MS;
    let lastLog = started;
    while (receiver.arrivals.size < opts.flips && performance.now() < deadline) {
      await sleep(200);
      for (const p of procs) {
        if (p.child.exitCode !== null) throw new Error(`${p === prom ? 'prometheus' : 'alertmanager'} exited early:\n${p.output()}`);
      }
      const now = performance.now();
      if (now - lastLog >= PROGRESS_EVERY_MS) {
        lastLog = now;
        log(`prometheus: ${receiver.arrivals.size}/${opts.flips} fired (${exporter.switched(now)} switched, ${Math.round((now - started) / 1000)} s)`);
      }
    }
    log(`prometheus: ${receiver.arrivals.size}/${opts.flips} fired in ${Math.round((performance.now() - started) / 1000)} s (${receiver.posts} webhook posts)`);
    if (receiver.unexpected > 0) log(`prometheus: ${receiver.unexpected} unexpected webhook alerts ignored`);

    const latenciesMs: number[] = [];
    for (let i = 0; i < opts.flips; i++) {
      const arrived = receiver.arrivals.get(i);
      if (arrived !== undefined) latenciesMs.push(arrived - exporter.changeAt![i]!);
    }
    return { prometheusVersion, alertmanagerVersion, flips: opts.flips, fired: latenciesMs.length, latenciesMs };
  } finally {
    // Prometheus first, so it does not log failed sends to an Alertmanager that is already gone
    for (const p of procs.reverse()) await p.stop();
    await Promise.all([close(exporterServer), close(webhookServer)]);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
