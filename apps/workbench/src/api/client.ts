// The GraphQL client: queries and mutations over HTTP, subscriptions over graphql-ws on the same
// /graphql path, both carrying the session token; graphcache normalises what comes back so a live
// event updates every view showing that object. An expired session signs out.
import { cacheExchange } from '@urql/exchange-graphcache';
import { Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

/** Types without an id of their own: embedded in their parent, never normalised. */
const EMBEDDED = [
  'AlertCounts', 'FiringAlertCounts', 'QueryAlertsConnection', 'QueryAlertsConnectionEdge', 'QueryHostsConnection', 'QueryHostsConnectionEdge', 'AlertHistoryEntry', 'LatestSample', 'LiveSample', 'SamplesAdded', 'HostStatusChanged', 'HostGauges', 'HostAlertCounts', 'PageInfo',
  'LoginPayload', 'SilenceMatcher', 'Occurrence', 'RuleDiagnostic', 'RuleBacktest', 'BacktestCounts', 'BacktestTransition', 'RuleLevel', 'RuleThreshold', 'RulePayload', 'BacktestResult', 'NotificationAttempt',
  'SeriesPoints', 'SeriesSamples', 'SamplePoint', 'TableStorage', 'RetentionPolicy', 'AgentConfig', 'Series',
  'NotificationChannelType', 'ChannelTestOutcome', 'EnrollmentToken', 'CreatedApiKey', 'QueryAgentsConnection', 'QueryAgentsConnectionEdge',
];

export function createGraphqlClient(token: string, onUnauthorized: () => void): { client: Client; close(): void } {
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const ws = createWsClient({ url: wsUrl, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: Infinity, shouldRetry: () => true });
  const client = new Client({
    url: '/graphql',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    // the workbench reads what the server says now, and keeps it fresh through subscriptions
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange({
        keys: Object.fromEntries(EMBEDDED.map((t) => [t, () => null])),
      }),
      mapExchange({
        onError(error) {
          if (error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthorized();
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, close: () => void ws.dispose() };
}
