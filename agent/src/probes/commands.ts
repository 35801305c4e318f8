// The agent's side of agent commands: a subscription to `agentCommands` on the server; each
// command is carried out (run a probe now and return its trace, reload the configuration, ping)
// and answered with `reportAgentCommand`. Reconnects with backoff like the configuration feed.
import { createClient, type Client } from 'graphql-ws';
import { backoffMs } from '../backoff.ts';
import { httpPost } from '../http-post.ts';
import { AgentWebSocket } from '../web-socket.ts';
import type { ProbeLog } from './probe-log.ts';
import type { ProbeAgent } from './probe-agent.ts';

interface Command {
  id: string;
  kind: string;
  /** signed for this host and this command (trust.ts) */
  probe: { id: number; version: number; definition: unknown; signature?: string } | null;
}

export interface CommandsOptions {
  server: string;
  key: string;
  probes: ProbeAgent;
  log: ProbeLog;
  version: string;
  startedAt: number;
}

export function startCommands(options: CommandsOptions): () => Promise<void> {
  const http = new URL('/graphql', options.server);
  const ws = new URL(http);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  let client: Client | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;

  async function answer(id: string, ok: boolean, result: unknown): Promise<void> {
    await httpPost(http, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key}` },
      body: JSON.stringify({
        query: 'mutation ($id: String!, $ok: Boolean!, $r: JSON) { reportAgentCommand(id: $id, ok: $ok, result: $r) }',
        variables: { id, ok, r: result },
      }),
      timeoutMs: 15_000,
    });
  }

  async function carryOut(c: Command): Promise<void> {
    try {
      let result: unknown;
      if (c.kind === 'runProbe') {
        if (!c.probe) throw new Error('runProbe without a probe');
        result = await options.probes.runNow({ ...c.probe, id: String(c.probe.id) }, c.id);
      } else if (c.kind === 'reload') {
        const version = await options.probes.reload();
        if (version === undefined) throw new Error('the configuration could not be fetched');
        result = { configVersion: version, probes: options.probes.stats().probes };
      } else if (c.kind === 'ping') {
        result = { version: options.version, uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000), probes: options.probes.stats() };
      } else {
        throw new Error(`unknown command ${c.kind}`);
      }
      await answer(c.id, true, result);
    } catch (err) {
      await answer(c.id, false, (err as Error).message).catch(() => undefined);
    }
  }

  const loop = (async () => {
    for (let attempt = 0; !stopped; attempt++) {
      client = createClient({ url: ws.href, webSocketImpl: AgentWebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${options.key}` } });
      await new Promise<void>((resolve) => {
        client!.subscribe<{ agentCommands: Command }>(
          { query: 'subscription { agentCommands { id kind probe } }' },
          {
            next: ({ data }) => {
              attempt = 0;
              if (data?.agentCommands) void carryOut(data.agentCommands);
            },
            error: () => resolve(),
            complete: () => resolve(),
          },
        );
      });
      await client.dispose();
      if (!stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs(attempt));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return async () => {
    stopped = true;
    wake?.();
    await client?.dispose();
    await loop.catch(() => undefined);
  };
}
