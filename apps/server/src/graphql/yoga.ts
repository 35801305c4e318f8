// graphql-yoga over the Pothos schema: HTTP and SSE on /graphql, GraphiQL served locally, and
// graphql-ws on the same path. The principal comes from the Authorization header (HTTP) or the
// connection params (WebSocket); a bad token is refused rather than treated as anonymous.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import { GraphQLError, type execute, type ExecutionArgs } from 'graphql';
import { createYoga, renderGraphiQL, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { describeAuthFailure, type Authenticate } from '../auth/authenticate.ts';
import type { Logger } from '../log.ts';
import type { GraphQLContext, GraphQLServices } from './context.ts';
import { schema } from './schema.ts';

export const graphiqlAssetsDir = join(dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');
const CDN = /https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist\//g;

export interface CreateGraphQLOptions {
  services: GraphQLServices;
  authenticate: Authenticate;
  log: Logger;
}

type ServerContext = { connectionParams?: Record<string, unknown> };
type Enveloped = { execute: (args: ExecutionArgs) => OperationResult; subscribe: (args: ExecutionArgs) => OperationResult };
type OperationResult = ReturnType<typeof execute>;

export function createGraphQL({ services, authenticate, log }: CreateGraphQLOptions) {
  const yoga: YogaServerInstance<ServerContext, GraphQLContext> = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'esmon GraphQL', subscriptionsProtocol: 'WS' },
    renderGraphiQL: (opts) => renderGraphiQL(opts).replace(CDN, '/graphiql/assets/'),
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.info(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => log.error({ err: args[0] }, 'graphql error'),
    },
    context: async ({ request, connectionParams }) => {
      const header = connectionParams
        ? String(connectionParams.authorization ?? connectionParams.Authorization ?? '')
        : request.headers.get('authorization');
      const auth = await authenticate(header || undefined);
      if (!auth.ok) {
        throw new GraphQLError(describeAuthFailure(auth.reason), {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      return { ...services, principal: auth.principal };
    },
  });

  /** Attaches graphql-ws to the HTTP server on the same path. */
  const attachWebSocket = (server: Server) => {
    const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
    const disposable = useServer(
      {
        // the enveloped execute/subscribe travel in rootValue, as yoga's graphql-ws recipe does
        execute: (args) => (args.rootValue as Enveloped).execute(args),
        subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
        onSubscribe: async (ctx, _id, params) => {
          const { schema: s, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params,
            connectionParams: ctx.connectionParams ?? {},
          });
          const document = parse(params.query);
          const errors = validate(s, document);
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
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    };
  };

  return { yoga, attachWebSocket };
}
