// Abuse limits on GraphQL documents (graphql-armor): tokens while parsing; depth, aliases,
// directives and estimated cost while validating. Both come before yoga builds the context, so a
// refused document reaches no resolver and runs no SQL of its own. Also: batches, introspection.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, getNamedType, isIntrospectionType, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';

export type GraphQLSettings = Pick<
  Config,
  | 'ESMON_GRAPHQL_MAX_DEPTH'
  | 'ESMON_GRAPHQL_MAX_ALIASES'
  | 'ESMON_GRAPHQL_MAX_TOKENS'
  | 'ESMON_GRAPHQL_MAX_COST'
  | 'ESMON_GRAPHQL_MAX_DIRECTIVES'
  | 'ESMON_GRAPHQL_MAX_BATCH'
  | 'ESMON_GRAPHQL_INTROSPECTION'
  | 'ESMON_GRAPHIQL'
>;

/** The most a single operation may ask for; see README "Configuration". */
export interface GraphQLLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
}

export type LimitName = 'depth' | 'aliases' | 'tokens' | 'cost' | 'directives';

/** Called when a document is within a limit, with what armor measured (tests use it for figures). */
export type OnMeasured = (limit: LimitName, value: number) => void;

const SETTING: Record<LimitName, string> = {
  depth: 'ESMON_GRAPHQL_MAX_DEPTH',
  aliases: 'ESMON_GRAPHQL_MAX_ALIASES',
  tokens: 'ESMON_GRAPHQL_MAX_TOKENS',
  cost: 'ESMON_GRAPHQL_MAX_COST',
  directives: 'ESMON_GRAPHQL_MAX_DIRECTIVES',
};

const FOUND: Record<Exclude<LimitName, 'tokens'>, (found: number) => string> = {
  depth: (n) => `is nested ${n} levels deep`,
  aliases: (n) => `uses ${n} aliases`,
  cost: (n) => `has an estimated cost of ${n}`,
  directives: (n) => `uses ${n} directives`,
};

/**
 * The refusal: code QUERY_TOO_COMPLEX (HTTP 400, see useRefusalStatus), naming the limit, what the
 * document had and the setting that raises it. `found` is read from armor's message ("… found 12.").
 */
export function limitError(limit: LimitName, max: number, armorMessage: string): GraphQLError {
  const match = /found (\d+(?:\.\d+)?)/.exec(armorMessage);
  const found = match ? Math.ceil(Number(match[1])) : undefined;
  const what =
    limit === 'tokens'
      ? `the operation is longer than the ${max} tokens this server accepts`
      : found === undefined
        ? `the operation exceeds this server's ${limit} limit of ${max}`
        : `the operation ${FOUND[limit](found)}; this server allows ${max}`;
  return new GraphQLError(`${what} (${SETTING[limit]}): split it into smaller operations`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, ...(found === undefined ? {} : { found }) },
  });
}

/** Reports a refusal on the validation context, or throws it while parsing (no context then). */
const refuse =
  (limit: LimitName, max: number) =>
  (ctx: ValidationContext | null, error: GraphQLError): void => {
    const refusal = limitError(limit, max, error.message);
    if (!ctx) throw refusal;
    ctx.reportError(refusal);
  };

const measured =
  (limit: LimitName, onMeasured: OnMeasured | undefined) =>
  (_ctx: ValidationContext | null, details: { n: number }): void =>
    onMeasured?.(limit, details.n);

/** graphql-armor's envelop plugin with our limits and refusals; field suggestions hidden on request. */
export function useLimits(limits: GraphQLLimits, options: { hideSuggestions: boolean; onMeasured?: OnMeasured }): Plugin {
  const common = (limit: LimitName, max: number) => ({
    propagateOnRejection: false,
    onReject: [refuse(limit, max)],
    onAccept: [measured(limit, options.onMeasured)],
  });
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...common('depth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, ...common('aliases', limits.maxAliases) },
    maxDirectives: { n: limits.maxDirectives, ...common('directives', limits.maxDirectives) },
    costLimit: { maxCost: limits.maxCost, ...common('cost', limits.maxCost) },
    // the parser has no validation context: the refusal is thrown, which stops parsing at once
    maxTokens: { n: limits.maxTokens, ...common('tokens', limits.maxTokens) },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }) as Plugin;
}

/** Refuses __schema and __type (not __typename, which clients such as urql add everywhere). */
export const noIntrospection: ValidationRule = (context) => {
  let reported = false; // one error per document, not one per field of its fragments
  return {
    Field(node) {
      const type = getNamedType(context.getType());
      if (reported || !type || !isIntrospectionType(type)) return;
      reported = true;
      context.reportError(
        new GraphQLError(`introspection is turned off on this server (ESMON_GRAPHQL_INTROSPECTION=off): "${node.name.value}" cannot be queried`, {
          nodes: node,
          extensions: { code: 'INTROSPECTION_DISABLED' },
        }),
      );
    },
  };
};

export const useNoIntrospection = (): Plugin => ({
  onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection),
});

/**
 * Refuses a JSON array of operations beyond `max` (0: any array) before yoga runs one of them,
 * with a message saying what to do; yoga's own batching check stays behind it.
 */
export const useBatchLimit = (max: number): Plugin => ({
  onRequestParse: () => ({
    onRequestParseDone: ({ requestParserResult }) => {
      if (!Array.isArray(requestParserResult) || requestParserResult.length <= max) return;
      const message =
        max === 0
          ? `batched operations are not accepted (the body is a JSON array of ${requestParserResult.length}): send one operation per request (ESMON_GRAPHQL_MAX_BATCH)`
          : `at most ${max} operations are accepted in one batch, got ${requestParserResult.length} (ESMON_GRAPHQL_MAX_BATCH)`;
      throw new GraphQLError(message, { extensions: { code: 'BATCH_REFUSED', http: { status: 400 } } });
    },
  }),
});

/** What guards the GraphQL endpoint besides authorization (from the ESMON_GRAPHQL_* settings). */
export interface GraphQLGuards {
  limits: GraphQLLimits;
  introspection: boolean;
  graphiql: boolean;
  /** operations accepted in one batched request; 0 refuses batches */
  maxBatch: number;
}

export function graphqlGuards(config: GraphQLSettings): GraphQLGuards {
  return {
    limits: {
      maxDepth: config.ESMON_GRAPHQL_MAX_DEPTH,
      maxAliases: config.ESMON_GRAPHQL_MAX_ALIASES,
      maxTokens: config.ESMON_GRAPHQL_MAX_TOKENS,
      maxCost: config.ESMON_GRAPHQL_MAX_COST,
      maxDirectives: config.ESMON_GRAPHQL_MAX_DIRECTIVES,
    },
    introspection: config.ESMON_GRAPHQL_INTROSPECTION,
    graphiql: config.ESMON_GRAPHIQL,
    maxBatch: config.ESMON_GRAPHQL_MAX_BATCH,
  };
}

const REFUSALS = new Set(['QUERY_TOO_COMPLEX', 'INTROSPECTION_DISABLED', 'BATCH_REFUSED']);

/**
 * The refusals above are answered 400 whatever the Accept header: yoga answers parse and
 * validation errors 200 to `application/json` (GraphQL over HTTP's rule for older clients).
 */
export const useRefusalStatus = (): Plugin => ({
  onResultProcess: ({ result }) => {
    if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
    for (const error of result.errors) {
      if (REFUSALS.has(String(error.extensions?.code))) (error.extensions as Record<string, unknown>).http = { status: 400 };
    }
  },
});

/** The yoga plugins that enforce the guards; field suggestions are hidden with introspection. */
export const guardPlugins = (guards: GraphQLGuards): Plugin[] => [
  useRefusalStatus(),
  useBatchLimit(guards.maxBatch),
  useLimits(guards.limits, { hideSuggestions: !guards.introspection }),
  ...(guards.introspection ? [] : [useNoIntrospection()]),
];
