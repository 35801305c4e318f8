// Keeps the agent's probe configuration current: `agentConfig` over HTTP at start, then the
// `agentConfigChanged` subscription over graphql-ws, reconnecting with backoff whenever the server
// goes away. After every (re)connection, and every `resyncMs` as a safety net, agentConfig is
// fetched again: changes made while the feed was down are not replayed by the server, and a change
// landing between that fetch and the subscription's start would otherwise go unseen.
// Each configuration is kept on disk; when the server cannot be reached at start, the cached one
// runs, so an agent restarted during an outage collects anyway. Every probe, from the server or
// the cache, is checked against the server key this agent trusts before it is scheduled.
import { createClient, type Client } from 'graphql-ws';
import type { Platform, Plugin, SampleInput } from '@esmon/schema';
import { backoffMs } from '../backoff.ts';
import { httpPost, jsonOf, type HttpPost } from '../http-post.ts';
import { AgentWebSocket } from '../web-socket.ts';
import {
  acceptConfig,
  parseAgentConfig,
  refusedSamples,
  type AcceptedConfig,
  type AgentConfig,
  type ProbeOverrides,
} from './agent-config.ts';
import type { AllowPolicy } from './allow.ts';
import { loadConfigCache, saveConfigCache } from './config-cache.ts';
import type { ProbeLog } from './probe-log.ts';
import type { ServerTrust } from './server-key.ts';
import { probeVerifier } from './trust.ts';

export interface ConfigClientOptions {
  /** the esmon server's base URL, http(s) */
  server: string;
  /** the agent key (bound to this agent's host) */
  key: string;
  /** the host that key is bound to: probes are signed for it */
  hostname: string;
  /** the server key this agent trusts (server-key.ts), loaded */
  trust: Pick<ServerTrust, 'admit'>;
  dataDir: string;
  allow: AllowPolicy;
  /** agent.yaml's per-probe overrides, applied to every configuration received */
  overrides?: ProbeOverrides;
  pluginById: (id: string) => Plugin | undefined;
  platform: Platform;
  /** each configuration that differs from the last one: at start (server or cache), then on change */
  onConfig(config: AcceptedConfig & { source: 'server' | 'cache' }): void;
  /** esmon.agent.probe.refused samples, with each configuration */
  onSamples(samples: SampleInput[]): void;
  log: ProbeLog;
  /** node:http by default (see ../http-post.ts) */
  httpPost?: HttpPost;
  /** the WebSocket class graphql-ws uses (AgentWebSocket: ws without compression, by default) */
  webSocketImpl?: unknown;
  /** wait before reconnection attempt n (0 first) */
  backoff?: (attempt: number) => number;
  resyncMs?: number;
  requestTimeoutMs?: number;
  now?: () => number;
}

export interface ConfigClient {
  /** Resolves once a first configuration (the server's, else the cached one) is delivered, if any. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** the last configuration received, as received */
  current(): AgentConfig | undefined;
  /** Fetches the configuration now (the reloadAgent command); false when the server did not answer. */
  reload(): Promise<boolean>;
}

const FIELDS = '{ version publicKey probes { id version definition signature } }';
const CONFIG_QUERY = `query AgentConfig { agentConfig ${FIELDS} }`;
const CONFIG_SUBSCRIPTION = `subscription AgentConfigChanged { agentConfigChanged ${FIELDS} }`;
/** refetches in a row while change events keep arriving during them; the resync catches up later */
const MAX_REFETCH_ROUNDS = 5;

/** What graphql-ws hands its error sink: a close event, a socket error, GraphQL errors or an Error. */
function describe(err: unknown): string {
  if (Array.isArray(err)) return err.map((e) => (e as { message?: string }).message ?? String(e)).join('; ');
  const e = err as {
    code?: unknown;
    reason?: string;
    message?: string;
    error?: { code?: string; message?: string };
  };
  if (typeof e?.code === 'number') return `connection closed (${e.code}${e.reason ? `: ${e.reason}` : ''})`;
  return e?.error?.code ?? e?.error?.message ?? e?.message ?? String(err);
}

export function createConfigClient(options: ConfigClientOptions): ConfigClient {
  const {
    key,
    dataDir,
    log,
    backoff = backoffMs,
    resyncMs = 300_000,
    requestTimeoutMs = 10_000,
    now = Date.now,
  } = options;
  const post = options.httpPost ?? httpPost;
  const httpUrl = new URL('/graphql', options.server).href;
  const wsUrl = httpUrl.replace(/^http/, 'ws');
  const stopping = new AbortController();
  let current: AgentConfig | undefined;
  /** change events received; a refetch that saw one arrive cannot tell which answer is newer */
  let events = 0;
  let saving = Promise.resolve();
  let client: Client | undefined;
  let loop: Promise<void> | undefined;
  let resync: NodeJS.Timeout | undefined;
  /** the last problem logged, so an outage or a refused key is said once, not at every retry */
  let lastFetchError: string | undefined;

  async function fetchConfig(): Promise<AgentConfig> {
    const res = await post(httpUrl, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: CONFIG_QUERY }),
      timeoutMs: requestTimeoutMs,
      signal: stopping.signal,
    });
    const body = jsonOf(res) as { data?: { agentConfig?: unknown }; errors?: { message: string }[] } | undefined;
    if (body?.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    if (res.status < 200 || res.status > 299 || !body?.data) throw new Error(`HTTP ${res.status}`);
    return parseAgentConfig(body.data.agentConfig);
  }

  function deliver(config: AgentConfig, source: 'server' | 'cache'): void {
    if (stopping.signal.aborted || config.version === current?.version) return;
    current = config;
    const verify = probeVerifier(options.trust.admit(config.publicKey, source), options.hostname);
    const accepted = acceptConfig(config, { ...options, verify });
    for (const r of accepted.refused) {
      const line = `probe ${r.id}${r.name ? ` (${r.name})` : ''} refused: ${r.message}`;
      if (r.reason === 'bad_signature' || r.reason === 'untrusted_key') log.error(line);
      else log.warn(line);
    }
    options.onSamples(refusedSamples(accepted.refused, Math.round(now())));
    options.onConfig({ ...accepted, source });
    if (source === 'server') {
      // one write at a time, in order: the file ends up holding the last configuration
      saving = saving
        .then(() => saveConfigCache(dataDir, { config, savedAt: Math.round(now()) }))
        .catch((err: unknown) =>
          log.warn(`cannot cache the agent configuration in ${dataDir}: ${(err as Error).message}`),
        );
    }
  }

  /** Fetches agentConfig and delivers it; true when the server answered. */
  async function refetch(): Promise<boolean> {
    for (let round = 0; round < MAX_REFETCH_ROUNDS && !stopping.signal.aborted; round++) {
      const seen = events;
      let config: AgentConfig;
      try {
        config = await fetchConfig();
      } catch (err) {
        const message = `cannot fetch the agent configuration from ${httpUrl}: ${describe(err)}`;
        if (!stopping.signal.aborted && message !== lastFetchError) log.warn(message);
        lastFetchError = message;
        return false;
      }
      lastFetchError = undefined;
      if (events === seen) {
        deliver(config, 'server');
        return true;
      }
    }
    return true;
  }

  /** One subscription on one connection; resolves with the reason it ended. */
  function subscribeOnce(onConnected: () => void): Promise<string> {
    return new Promise<string>((resolve) => {
      const c = createClient({
        url: wsUrl,
        webSocketImpl: options.webSocketImpl ?? AgentWebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0, // the loop below reconnects, with our backoff and a refetch each time
        keepAlive: 30_000,
        on: { connected: onConnected },
      });
      client = c;
      let ended = false;
      const end = (reason: string) => {
        if (ended) return;
        ended = true;
        stopping.signal.removeEventListener('abort', onStop);
        unsubscribe();
        // dispose awaits the connection attempt, and rethrows its failure: already reported here
        Promise.resolve()
          .then(() => c.dispose())
          .catch(() => undefined);
        resolve(reason);
      };
      const onStop = () => end('stopped');
      const unsubscribe = c.subscribe<{ agentConfigChanged: unknown }>(
        { query: CONFIG_SUBSCRIPTION },
        {
          next: (message) => {
            events++;
            try {
              if (message.errors?.length) throw new Error(describe(message.errors));
              deliver(parseAgentConfig(message.data?.agentConfigChanged), 'server');
            } catch (err) {
              log.warn(`unreadable agentConfigChanged event: ${(err as Error).message}`);
            }
          },
          error: (err) => end(describe(err)),
          complete: () => end('the server ended the subscription'),
        },
      );
      stopping.signal.addEventListener('abort', onStop, { once: true });
    });
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  async function feed(): Promise<void> {
    let attempt = 0;
    let announced = false;
    let lastLoss: string | undefined;
    while (!stopping.signal.aborted) {
      let connected = false;
      const reason = await subscribeOnce(() => {
        connected = true;
        // the feed counts as back once the server also answers the refetch: a refused key
        // connects, then fails, and must not reset the backoff or be announced every time
        void refetch().then((answered) => {
          if (!answered) return;
          attempt = 0;
          lastLoss = undefined;
          if (!announced) log.info(`configuration feed connected (${wsUrl})`);
          announced = true;
        });
      });
      if (stopping.signal.aborted) return;
      if (reason !== lastLoss)
        log.warn(
          `configuration feed ${connected ? 'lost' : 'unavailable'} (${wsUrl}): ${reason}; reconnecting with backoff`,
        );
      lastLoss = reason;
      announced = false;
      await sleep(backoff(attempt++));
    }
  }

  return {
    reload: () => refetch(),
    async start() {
      if (!(await refetch())) {
        try {
          const cached = await loadConfigCache(dataDir);
          if (cached) {
            log.info(
              `running the cached configuration ${cached.config.version} of ${new Date(cached.savedAt).toISOString()} until the server answers`,
            );
            deliver(cached.config, 'cache');
          } else log.warn('no cached configuration either: no probes run until the server answers');
        } catch (cacheErr) {
          log.error(`cannot read the cached configuration in ${dataDir}: ${(cacheErr as Error).message}`);
        }
      }
      loop = feed();
      resync = setInterval(() => void refetch(), resyncMs);
    },
    async stop() {
      stopping.abort();
      clearInterval(resync);
      await loop;
      await Promise.resolve()
        .then(() => client?.dispose())
        .catch(() => undefined);
      await saving;
    },
    current: () => current,
  };
}
