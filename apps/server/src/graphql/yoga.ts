// graphql-yoga over the Pothos schema: HTTP and SSE on /graphql, GraphiQL served locally, and
// graphql-ws on the same path. The principal comes from the Authorization header (HTTP) or the
// connection params (WebSocket); a bad token is refused rather than treated as anonymous. Both
// transports parse and validate through yoga's envelop, so the operation limits guard both. Rate
// limits come first: an HTTP request, a WebSocket upgrade and each operation sent over a
// WebSocket are counted (once) before anything is parsed.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GraphQLError, type DocumentNode, type execute, type ExecutionArgs } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { describeAuthFailure, type Authenticate, type AuthResult } from '../auth/authenticate.ts';
import type { ClientAddress } from '../limits/client-address.ts';
import type { Limits } from '../limits/limits.ts';
import type { Logger } from '../log.ts';
import type { GraphQLContext, GraphQLServices } from './context.ts';
import { renderGraphiQLPage } from './graphiql-page.ts';
import { guardPlugins, type GraphQLGuards } from './operation-limits.ts';
import { limitWebSocketUpgrades, rateLimitedError, sendRateLimited } from './rate-limits.ts';
import { schema } from './schema.ts';
import { useStorableInput } from './storable-input.ts';
import { createSocketTrust } from './socket-trust.ts';

export const graphiqlAssetsDir = join(dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');

export interface CreateGraphQLOptions {
  services: GraphQLServices;
  authenticate: Authenticate;
  log: Logger;
  /** operation limits, batching, introspection and GraphiQL (graphqlGuards(config)) */
  guards: GraphQLGuards;
  limits: Pick<Limits, 'graphql' | 'graphqlWs' | 'websocket'>;
  /** the client's IP address: the socket's, or X-Forwarded-For's behind ESMON_TRUST_PROXY */
  clientAddress: ClientAddress;
}

/** `auth` and `address`: already worked out by the rate limit in front, not looked up twice. */
type ServerContext = { connectionParams?: Record<string, unknown>; req?: IncomingMessage; auth?: AuthResult; address?: string | null };

const headerOf = (connectionParams: Record<string, unknown>) => String(connectionParams.authorization ?? connectionParams.Authorization ?? '');

type Enveloped = { execute: (args: ExecutionArgs) => OperationResult; subscribe: (args: ExecutionArgs) => OperationResult };
type OperationResult = ReturnType<typeof execute>;

export function createGraphQL({ services, authenticate, log, guards, limits, clientAddress }: CreateGraphQLOptions) {
  const graphiqlOptions = { title: 'esmon GraphQL', subscriptionsProtocol: 'WS' } as const;
  // rendered once: its inline scripts' hashes go into GraphiQL's Content-Security-Policy (app.ts)
  const graphiqlPage = renderGraphiQLPage(graphiqlOptions);
  const yoga: YogaServerInstance<ServerContext, GraphQLContext> = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: guards.graphiql ? graphiqlOptions : false,
    // CORS is answered in front of yoga, for every API route alike (http/cors.ts)
    cors: false,
    batching: guards.maxBatch > 0 ? { limit: guards.maxBatch } : false,
    plugins: [...guardPlugins(guards), useStorableInput()],
    renderGraphiQL: () => graphiqlPage.html,
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.info(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => log.error({ err: args[0] }, 'graphql error'),
    },
    context: async ({ request, connectionParams, req, auth: given, address }) => {
      const header = connectionParams ? headerOf(connectionParams) : request.headers.get('authorization');
      const auth = given ?? (await authenticate(header || undefined));
      if (!auth.ok) {
        throw new GraphQLError(describeAuthFailure(auth.reason), {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      return { ...services, principal: auth.principal, address: address !== undefined ? address : req ? clientAddress(req) : null };
    },
  });

  /** POST/GET /graphql: one request counted against the user's or key's bucket (the address's without one). */
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const address = clientAddress(req);
    const auth = await authenticate(req.headers.authorization || undefined);
    const refusal = await limits.graphql(auth, address);
    if (refusal) return sendRateLimited(res, refusal);
    const context: ServerContext = { auth, address };
    return yoga(req, res, context);
  };

  /** Attaches graphql-ws to the HTTP server on the same path. */
  const attachWebSocket = (server: Server) => {
    const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, verifyClient: limitWebSocketUpgrades(limits.websocket, clientAddress) });
    // revocation, logout, a disabled user or a changed role closes the open sockets at once
    const trust = createSocketTrust({ authenticate, bus: services.bus, log });
    const disposable = useServer(
      {
        onConnect: async (ctx) => {
          const header = headerOf(ctx.connectionParams ?? {}) || undefined;
          trust.hold(ctx.extra.socket, header, await authenticate(header));
          return true;
        },
        onClose: (ctx) => trust.release(ctx.extra.socket),
        // the enveloped execute/subscribe travel in rootValue, as yoga's graphql-ws recipe does
        execute: (args) => (args.rootValue as Enveloped).execute(args),
        subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
        onSubscribe: async (ctx, _id, params) => {
          const address = clientAddress(ctx.extra.request);
          const auth = await authenticate(headerOf(ctx.connectionParams ?? {}) || undefined);
          const refusal = await limits.graphqlWs(auth, address);
          if (refusal) return [rateLimitedError(refusal, { overHttp: false })];
          const { schema: s, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params,
            connectionParams: ctx.connectionParams ?? {},
            auth,
            address,
          });
          let document: DocumentNode;
          let errors: readonly GraphQLError[];
          try {
            // the token limit throws from the parser; the other limits are validation errors
            document = parse(params.query);
            errors = validate(s, document);
          } catch (err) {
            if (err instanceof GraphQLError) return [err];
            throw err;
          }
          if (errors.length > 0) return errors;
          let contextValue: unknown;
          try {
            contextValue = await contextFactory();
          } catch (err) {
            if (err instanceof GraphQLError) return [err];
            throw err;
          }
          return {
            schema: s,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue,
            rootValue: { execute, subscribe },
          };
        },
      },
      wss,
    );
    return async () => {
      trust.stop();
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    };
  };

  return { yoga, handle, attachWebSocket, graphiqlScriptHashes: graphiqlPage.scriptHashes };
}
