// A graphql-ws client for tests, and an event queue that waits for a matching event.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export function wsClient(url: string, token?: string): Client {
  return createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
}

export interface EventQueue<T> {
  /** Resolves with the first unseen event matching `match` (events before it count as seen), or
   *  rejects on error or timeout. */
  next(match?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Calls `poke` until an event matching `match` arrives (the server acknowledges no subscribe). */
  nextPoking(poke: () => Promise<unknown>, match?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown> = {}): EventQueue<T> {
  const events: T[] = [];
  let failure: Error | undefined;
  const unsubscribe = client.subscribe<T>({ query, variables }, {
    next: (v) => {
      if (v.errors) failure = new Error(v.errors[0]!.message);
      else events.push(v.data as T);
    },
    error: (e) => {
      failure = e instanceof Error ? e : new Error((e as { reason?: string }).reason ?? JSON.stringify(e));
    },
    complete: () => undefined,
  });
  const take = (match: (e: T) => boolean): T | undefined => {
    const i = events.findIndex(match);
    return i < 0 ? undefined : events.splice(0, i + 1)[i];
  };
  const queue: EventQueue<T> = {
    async next(match = () => true, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (failure) throw failure;
        const found = take(match);
        if (found !== undefined) return found;
        if (Date.now() > end) throw new Error('no matching event in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async nextPoking(poke, match = () => true, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        await poke();
        try {
          return await queue.next(match, 150);
        } catch (err) {
          if (failure || Date.now() > end) throw err;
        }
      }
    },
    close: unsubscribe,
  };
  return queue;
}
