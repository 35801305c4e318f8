// The HTTP surface: /graphql (yoga + graphql-ws), /api/v1/ingest, /healthz, /metrics, GraphiQL's
// assets and the workbench, over http or https; every response carries the security headers, and
// the API routes answer CORS for ESMON_CORS_ORIGINS only. app.ts builds it; main.ts listens.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import type { Database } from '@esmon/db';
import { createAuditLog } from './audit/audit-log.ts';
import { createAuthenticate } from './auth/authenticate.ts';
import type { ProbeSigner } from './auth/signing-key.ts';
import type { Config } from './config.ts';
import type { NotifyServices } from './notify/services.ts';
import type { EventBus } from './events/bus.ts';
import type { GraphQLServices } from './graphql/context.ts';
import { graphqlGuards, type GraphQLSettings } from './graphql/operation-limits.ts';
import { createGraphQL, graphiqlAssetsDir } from './graphql/yoga.ts';
import { createCors } from './http/cors.ts';
import { securityHeaders } from './http/security-headers.ts';
import { createStaticHandler } from './http/static-files.ts';
import type { TlsFiles } from './http/tls.ts';
import { createIngest } from './ingest/ingest-batch.ts';
import { createIngestRoute } from './ingest/http.ts';
import { createClientAddress } from './limits/client-address.ts';
import { createLimits, type LimitSettings } from './limits/limits.ts';
import type { Logger } from './log.ts';
import type { EvaluatorStats } from './evaluator/evaluator.ts';
import { createMetrics } from './metrics.ts';
import type { Store } from './store/store.ts';

export const defaultWorkbenchDir = fileURLToPath(new URL('../../workbench/dist', import.meta.url));

export interface CreateAppOptions {
  db: Database;
  bus: EventBus;
  store: Store;
  log: Logger;
  config: Pick<Config, 'ESMON_SESSION_TTL' | 'ESMON_WORKBENCH_DIR' | 'ESMON_TRUST_PROXY' | 'ESMON_CORS_ORIGINS'> & GraphQLSettings & LimitSettings;
  /** certificate and key (main.ts reads ESMON_TLS_CERT/KEY): https and wss instead of http and ws */
  tls?: TlsFiles;
  /** the rule evaluator's figures, for /metrics */
  evaluation?: () => EvaluatorStats;
  notify: NotifyServices;
  /** signs the probe definitions handed to agents */
  signer: ProbeSigner;
  /** the clock of the rate limits and the login back-off (tests move it) */
  now?: () => number;
}

export interface App {
  server: Server;
  services: GraphQLServices;
  close(): Promise<void>;
}

const KNOWN_ROUTES = ['/graphql', '/api/v1/ingest', '/healthz', '/metrics'];
/** the routes other sites' pages may call when their origin is in ESMON_CORS_ORIGINS */
const CORS_ROUTES = ['/graphql', '/api/v1/ingest'];

function sendText(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function createApp({ db, bus, store, log, config, evaluation, notify, signer, tls, now = Date.now }: CreateAppOptions): App {
  const metrics = createMetrics(
    () => db.sql.stats(),
    () => store.writer.depth(),
    evaluation,
  );
  store.onGroup((g) => metrics.ingestGroupSamples.observe(g.samples));
  const authenticate = createAuthenticate(db.prisma);
  const limits = createLimits(config, { now, onRefused: (route) => metrics.rateLimited.inc({ route }) });
  const clientAddress = createClientAddress(config.ESMON_TRUST_PROXY);
  const ingest = createIngest({ writer: store.writer, bus, metrics, window: store.window });
  const services: GraphQLServices = {
    prisma: db.prisma,
    sql: db.sql,
    bus,
    ingest,
    store,
    sessionTtlSeconds: config.ESMON_SESSION_TTL,
    notify,
    audit: createAuditLog({ sql: db.sql, log, onWriteFailure: (stage) => metrics.auditWriteFailures.inc({ stage }) }),
    loginGuard: limits.login,
    signer,
  };
  const graphql = createGraphQL({ services, authenticate, log, guards: graphqlGuards(config), limits, clientAddress });
  const ingestRoute = createIngestRoute({ authenticate, ingest, metrics, log, limits, clientAddress });
  const graphiqlAssets = createStaticHandler(graphiqlAssetsDir, '/graphiql/assets');
  const workbench = createStaticHandler(config.ESMON_WORKBENCH_DIR ?? defaultWorkbenchDir, '/', 'index.html');
  const cors = createCors(config.ESMON_CORS_ORIGINS);

  const healthz = async (res: ServerResponse) => {
    try {
      await db.sql.query('SELECT 1');
      sendText(res, 200, 'application/json', JSON.stringify({ status: 'ok', database: 'ok' }));
    } catch (err) {
      log.warn({ err }, 'health check failed');
      sendText(res, 503, 'application/json', JSON.stringify({ status: 'error', database: 'unreachable' }));
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (pathname === '/graphql') return graphql.handle(req, res);
    if (pathname === '/api/v1/ingest') return ingestRoute(req, res);
    if (pathname === '/healthz') return healthz(res);
    if (pathname === '/metrics') {
      return sendText(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
    }
    if (config.ESMON_GRAPHIQL && pathname.startsWith('/graphiql/assets/') && (await graphiqlAssets(req, res, pathname))) return;
    if (pathname.startsWith('/api/')) return sendText(res, 404, 'application/json', JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${pathname}` } }));
    if (await workbench(req, res, pathname)) return;
    if (pathname === '/') return sendText(res, 503, 'text/plain', 'the workbench is not built: run `npm run build -w @esmon/workbench` (npm start does it)');
    sendText(res, 404, 'text/plain', 'not found');
  };

  const listener: RequestListener = (req, res) => {
    // an absolute-form target such as `GET http://[ HTTP/1.1` is no URL: new URL() would throw out
    // of the listener, an uncaught exception that ends the process
    if (!URL.canParse(req.url ?? '/', 'http://localhost')) return sendText(res, 400, 'text/plain', 'the request target is not a valid URL');
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const label = KNOWN_ROUTES.includes(pathname) ? pathname : 'other';
    const stop = metrics.httpDuration.startTimer({ route: label });
    res.on('finish', () => {
      stop();
      metrics.httpRequests.inc({ route: label, status: String(res.statusCode) });
    });
    // on every response, whatever route answers; GET /graphql may be GraphiQL's page, with its own policy
    const page = pathname === '/graphql' && req.method === 'GET' && config.ESMON_GRAPHIQL ? 'graphiql' : 'workbench';
    const headers = securityHeaders({ tls: tls !== undefined, host: req.headers.host, page, graphiqlScriptHashes: graphql.graphiqlScriptHashes });
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (CORS_ROUTES.includes(pathname)) {
      const origin = req.headers.origin;
      const answer = cors({ method: req.method ?? 'GET', origin, requestMethod: req.headers['access-control-request-method'] });
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      if (answer.kind === 'preflight') {
        if (answer.status === 204) return void res.writeHead(204, { 'content-length': 0 }).end();
        return sendText(res, 403, 'application/json', JSON.stringify({ error: { code: 'FORBIDDEN_ORIGIN', message: answer.message } }));
      }
    }
    route(req, res, pathname).catch((err: unknown) => {
      log.error({ err, path: pathname }, 'request failed');
      if (!res.headersSent) sendText(res, 500, 'application/json', JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
      else res.end();
    });
  };
  const server: Server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
  const closeWebSocket = graphql.attachWebSocket(server);

  return {
    server,
    services,
    close: async () => {
      await closeWebSocket();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
