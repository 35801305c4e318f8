// The composition root: configuration → database (migrated) → admin → app → listening server.
import type { AddressInfo } from 'node:net';
import { migrate, openDatabase, type Database } from '@esmon/db';
import { createApp } from './app.ts';
import { ensureAdmin } from './auth/accounts.ts';
import { loadProbeSigner, type ProbeSigner } from './auth/signing-key.ts';
import { ensureDefaultRules } from './rules/defaults.ts';
import { channelTypes } from './notify/channels/index.ts';
import type { Outbox } from './notify/outbox.ts';
import { createNotificationPipeline, ensureDefaultChannels, wakeOnAlertEvents } from './notify/pipeline.ts';
import { createNotifyServices, type NotifyServices } from './notify/services.ts';
import type { Config } from './config.ts';
import { loadTlsFiles } from './http/tls.ts';
import { createEventBus, type EventBus } from './events/bus.ts';
import { startLiveness } from './ingest/liveness.ts';
import type { Logger } from './log.ts';
import { createEvaluator, type Evaluator } from './evaluator/evaluator.ts';
import { createStore, type Store } from './store/store.ts';

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  bus: EventBus;
  store: Store;
  evaluator: Evaluator;
  notify: NotifyServices;
  outbox: Outbox;
  /** signs probe definitions for agents; its public key is what they pin */
  signer: ProbeSigner;
  close(): Promise<void>;
}

export interface StartServerOptions {
  config: Config;
  log: Logger;
  /** Called once with a generated admin password, to show it to the person starting the server. */
  onGeneratedPassword?: (email: string, password: string) => void;
  /** An already-open database (tests); otherwise opened from the config. */
  db?: Database;
  /** the clock of the rate limits and the login back-off (tests move it); Date.now by default */
  now?: () => number;
}

export async function startServer({ config, log, onGeneratedPassword, db: given, now }: StartServerOptions): Promise<RunningServer> {
  // a bad certificate or key stops the start before anything else is opened
  const tls = config.ESMON_TLS_CERT && config.ESMON_TLS_KEY ? await loadTlsFiles(config.ESMON_TLS_CERT, config.ESMON_TLS_KEY) : undefined;
  const db = given ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.ESMON_DATA_DIR }));
  log.info({ database: db.describe }, 'database open');
  let signer: ProbeSigner;
  try {
    const { applied } = await migrate(db.sql);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    const admin = await ensureAdmin(db.prisma, config.ESMON_ADMIN_EMAIL, config.ESMON_ADMIN_PASSWORD);
    if (admin.created) log.info({ email: admin.email }, 'admin user created');
    if (admin.generatedPassword) onGeneratedPassword?.(admin.email, admin.generatedPassword);
    // a new install alerts out of the box: CPU, memory, disk, host offline (once, never again)
    const defaults = await ensureDefaultRules(db.prisma);
    if (defaults.created.length > 0) log.info({ rules: defaults.created }, 'default rules created');
    const channels = await ensureDefaultChannels(db.sql);
    if (channels.length > 0) log.info({ channels }, 'default notification channels created');
    // agents pin this key: made once (or given), never replaced behind their back
    signer = await loadProbeSigner({ env: config.ESMON_SIGNING_KEY, dataDir: config.ESMON_DATA_DIR });
    log.info({ keyId: signer.keyId, from: config.ESMON_SIGNING_KEY ? 'ESMON_SIGNING_KEY' : 'signing.key' }, 'probe signing key');
  } catch (err) {
    if (!given) await db.close();
    throw err;
  }
  const bus = createEventBus();
  const store = createStore(db.sql, log, config);
  // partitions for today and the next days exist before the first sample arrives; compaction and
  // retention (possibly hours of work after a long stop) run on the maintenance timer, not here
  await store.maintenance.prepare();
  const evaluator = createEvaluator({
    sql: db.sql,
    prisma: db.prisma,
    bus,
    log,
    graceMs: config.ESMON_EVAL_GRACE * 1000,
    maxPoints: config.ESMON_EVAL_MAX_POINTS,
  });
  // listening to the bus before the port opens: no committed batch goes unevaluated
  if (config.ESMON_EVALUATOR === 'on') await evaluator.start();
  let listeningAt = '';
  const notify = createNotifyServices({
    types: channelTypes(log),
    secretKey: config.ESMON_SECRET_KEY,
    dataDir: config.ESMON_DATA_DIR,
    publicUrl: () => config.ESMON_PUBLIC_URL ?? listeningAt,
  });
  const app = createApp({ db, bus, store, log, config, evaluation: () => evaluator.stats(), notify, signer, ...(tls ? { tls } : {}), ...(now ? { now } : {}) });
  // the audit log's retention rides on the store's maintenance runs
  store.maintenance.also('audit log retention', async (t) => {
    const pruned = await app.services.audit.prune(new Date(t - config.ESMON_AUDIT_RETENTION * 1000));
    if (pruned > 0) log.info({ pruned }, 'deleted audit log entries older than ESMON_AUDIT_RETENTION');
  });
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.PORT, config.HOST, () => resolve());
  });
  const outbox = createNotificationPipeline({ sql: db.sql, notify, log, sendTimeoutMs: config.ESMON_NOTIFY_SEND_TIMEOUT * 1000 });
  notify.onWake(() => outbox.wake());
  const stopWaking = wakeOnAlertEvents(bus, outbox);
  if (config.ESMON_NOTIFY_DISPATCHER === 'on') outbox.start();
  const stopLiveness = startLiveness({
    sql: db.sql,
    bus,
    log,
    staleAfterMs: config.ESMON_HOST_STALE_AFTER * 1000,
    offlineAfterMs: config.ESMON_HOST_OFFLINE_AFTER * 1000,
  });
  const { port } = app.server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  listeningAt = url;
  log.info({ url }, 'esmon server listening');
  store.maintenance.start();
  return {
    url,
    port,
    db,
    bus,
    store,
    evaluator,
    notify,
    outbox,
    signer,
    close: async () => {
      stopLiveness();
      stopWaking();
      await outbox.stop();
      await store.maintenance.stop();
      await app.close();
      await store.writer.drain();
      await evaluator.stop();
      if (!given) await db.close();
    },
  };
}
