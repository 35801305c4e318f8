// The esmon half of the alert-latency benchmark: a server process on a fresh PostgreSQL database
// under a steady background load, one rule `last(bench.flip, "1m") > 50`, and a series pushed
// across the threshold `flips` times at random phases. For each flip: from the start of the
// sample's POST to (a) the firing event on an `alertEvents` subscription (graphql-ws) and (b) the
// POST of a webhook notification channel, which a notification policy made at the start sends
// every alert to, one group per rule and host (as Alertmanager's side groups by flip), with no
// group wait: the whole notification path (alert event stored, routed, grouped, outbox, sent).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { openDatabase } from '@esmon/db';
import { prng } from '@esmon/schema/testing';
import { createApiKey } from '../../../apps/server/src/auth/accounts.ts';
import type { WebhookDocument } from '../../../apps/server/src/notify/channels/webhook/document.ts';
import { freePort, gql, loginToken, runTs, serverCli, waitUntil } from '../../../e2e/src/processes.ts';
import { freshPostgres } from '../bench-db.ts';

export interface EsmonResult {
  flips: number;
  fired: number;
  subscriptionMs: number[];
  webhookMs: number[];
  ackMs: number[];
  load: { samplesPerSecond: number; refused: number };
  metrics: Record<string, number>;
}

const PASSWORD = 'bench-password-1';
const RULE = 'bench flip';
const CHANNEL = 'bench webhook';

/** Events as they arrive, stamped on arrival; `next` waits for one matching after an index. */
class Arrivals<T extends { at: number }> {
  readonly items: T[] = [];
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  async next(from: number, match: (x: T) => boolean, timeoutMs: number): Promise<T | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.items.slice(from).find(match);
      if (found) return found;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/** One alert of a webhook channel's message (document version 1), stamped on arrival. */
interface Hit {
  at: number;
  kind: WebhookDocument['kind'];
  rule: string;
  hostname: string | null;
  state: 'firing' | 'resolved';
  /** when the alert fired (its incident began), ISO 8601 */
  since: string;
}

function webhookReceiver(): Promise<{ server: Server; url: string; hits: Arrivals<Hit> }> {
  const hits = new Arrivals<Hit>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const at = performance.now();
      const doc = JSON.parse(body) as WebhookDocument;
      for (const a of doc.alerts) hits.push({ at, kind: doc.kind, rule: a.rule.name, hostname: a.hostname, state: a.state, since: a.since });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits })));
}

export async function runEsmonFlips(opts: { flips: number; seed: number; loadPerSecond: number; log: (line: string) => void }): Promise<EsmonResult> {
  const random = prng(opts.seed);
  const database = await freshPostgres();
  const hook = await webhookReceiver();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = runTs(serverCli, ['serve'], {
    PORT: String(port),
    DATABASE_URL: database.url,
    ESMON_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    ESMON_MAINTENANCE_INTERVAL: '1h',
    // the background load (one key, ~40 batches/s) is under the default limit; off, so a larger BENCH_LOAD is too
    ESMON_RATE_LIMIT_INGEST: 'off',
    // the channel's URL is sealed at rest: a key of the run's own, not DATA_DIR/secret.key in the checkout
    ESMON_SECRET_KEY: randomBytes(32).toString('base64'),
    NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS,
  });
  const db = await openDatabase({ url: database.url });
  let stopLoad: (() => Promise<{ samplesPerSecond: number; refused: number }>) | undefined;
  try {
    await waitUntil('esmon server', async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined), 60_000, server);
    const key = (await createApiKey(db.prisma, { kind: 'integration', name: 'bench', role: 'analyst' })).secret;
    const token = await loginToken(url, 'admin@localhost', PASSWORD);
    const channel = await gql(
      url,
      'mutation ($n: String!, $c: JSON!) { createNotificationChannel(name: $n, type: "webhook", config: $c) { id } }',
      { n: CHANNEL, c: { url: hook.url } },
      token,
    );
    if (!channel.data) throw new Error(`createNotificationChannel: ${JSON.stringify(channel.errors)}`);
    const policy = await gql(
      url,
      'mutation ($p: JSON) { setNotificationPolicy(policy: $p) }',
      { p: { routes: [{ channels: [CHANNEL], groupBy: ['rule', 'host'], groupWaitSeconds: 0, groupIntervalSeconds: 1 }] } },
      token,
    );
    if (!policy.data) throw new Error(`setNotificationPolicy: ${JSON.stringify(policy.errors)}`);
    const created = await gql<{ createRule: { rule: { id: string } } }>(
      url,
      `mutation ($i: RuleInput!) { createRule(input: $i) { rule { id } } }`,
      { i: { name: RULE, expression: 'last(bench.flip, "1m")', comparator: '>', levels: [{ severity: 'critical', threshold: 50 }] } },
      token,
    );
    if (!created.data) throw new Error(`createRule: ${JSON.stringify(created.errors)}`);
    const ruleId = created.data.createRule.rule.id;

    const events = new Arrivals<{ at: number; toState: string; id: string }>();
    const client = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
    const unsubscribe = client.subscribe<{ alertEvents: { id: string; toState: string } }>(
      { query: 'subscription ($f: AlertEventFilter) { alertEvents(filter: $f) { id toState } }', variables: { f: { ruleIds: [ruleId] } } },
      {
        next: (v) => v.data && events.push({ at: performance.now(), toState: v.data.alertEvents.toState, id: v.data.alertEvents.id }),
        error: (e) => opts.log(`subscription error: ${JSON.stringify(e)}`),
        complete: () => undefined,
      },
    );

    const load = runTs(new URL('./load-main.ts', import.meta.url).pathname, [], { BENCH_URL: url, BENCH_KEY: key, BENCH_LOAD: String(opts.loadPerSecond) });
    stopLoad = async () => {
      await load.stop(30_000);
      const last = load.output().trim().split('\n').at(-1) ?? '';
      try {
        return JSON.parse(last) as { samplesPerSecond: number; refused: number };
      } catch {
        throw new Error(`the load process ended without figures: ${load.output().slice(-2000)}`);
      }
    };
    opts.log(`esmon: background load of ${opts.loadPerSecond} samples/s running; warming up 5 s`);
    await sleep(5000);

    // one series per flip, as on the Prometheus side: each crosses once, so flapping detection
    // (more than 6 changes in 20 minutes) never holds a notification
    const host = (i: number) => `flip-${i}`;
    let seq = 0;
    const post = async (hosts: { hostname: string; value: number }[]) => {
      const ts = Date.now();
      const body = JSON.stringify({
        batchId: `flip-batch-${++seq}`,
        hosts: hosts.map((h) => ({ hostname: h.hostname, samples: [{ metric: 'bench.flip', ts, value: h.value }] })),
      });
      const t0 = performance.now();
      const res = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
      if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      return { t0, ts, ack: performance.now() - t0 };
    };
    // every series starts below the threshold
    await post(Array.from({ length: opts.flips }, (_, i) => ({ hostname: host(i), value: 0 })));
    await sleep(1000);

    const result: EsmonResult = { flips: opts.flips, fired: 0, subscriptionMs: [], webhookMs: [], ackMs: [], load: { samplesPerSecond: 0, refused: 0 }, metrics: {} };
    for (let i = 0; i < opts.flips; i++) {
      await sleep(random() * 250); // a random phase against the load's rhythm
      const seenEvents = events.items.length;
      const seenHooks = hook.hits.items.length;
      const { t0, ts, ack } = await post([{ hostname: host(i), value: 100 }]);
      result.ackMs.push(ack);
      const event = await events.next(seenEvents, (e) => e.toState === 'firing', 10_000);
      // this flip's alert, firing since this very sample (a message about anything else, such as
      // a flip host going offline, is not what is measured)
      const since = new Date(ts).toISOString();
      const hit = await hook.hits.next(
        seenHooks,
        (h) => h.kind === 'firing' && h.state === 'firing' && h.rule === RULE && h.hostname === host(i) && h.since === since,
        10_000,
      );
      if (event) {
        result.fired++;
        result.subscriptionMs.push(event.at - t0);
      }
      if (hit) result.webhookMs.push(hit.at - t0);
      if ((i + 1) % 25 === 0) opts.log(`esmon: ${i + 1}/${opts.flips} flips`);
    }
    opts.log(`esmon: ${result.webhookMs.length}/${opts.flips} flips reached the webhook channel`);
    result.load = await stopLoad();
    stopLoad = undefined;
    unsubscribe();
    await client.dispose();
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const m = /^(esmon_eval_[a-z_]+|esmon_ingest_batches_total\{result="busy"\}) (\S+)$/.exec(line);
      if (m) result.metrics[m[1]!] = Number(m[2]);
    }
    return result;
  } finally {
    if (stopLoad) await stopLoad();
    await server.stop();
    await db.close();
    hook.server.close();
    await database.drop();
  }
}
