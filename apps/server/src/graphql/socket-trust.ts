// Open WebSockets keep no trust of their own: each socket's credentials are checked again whenever
// a session, key or user changes (credentialsChanged on the bus) and every minute (expiry), and a
// socket whose token no longer authenticates, or now acts with another role, is closed at once, its
// subscriptions with it. The client reconnects and is authorised afresh.
import { describeAuthFailure, type AuthResult, type Authenticate } from '../auth/authenticate.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';

/** What a socket needs: closing it (ws's WebSocket has this). */
export interface ClosableSocket {
  close(code: number, reason: string): void;
}

/** graphql-ws's code for "Forbidden"; clients see it as the reason the socket closed. */
const CLOSE_FORBIDDEN = 4403;

/** Who a result is, for telling a changed principal from the same one (null: refused). */
function identityOf(auth: AuthResult): string | null {
  if (!auth.ok) return null;
  const p = auth.principal;
  switch (p.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'user':
      return `user:${p.userId}:${p.sessionId}:${p.role}`;
    case 'agent':
      return `agent:${p.keyId}:${p.hostId}`;
    case 'integration':
      return `integration:${p.keyId}:${p.role}`;
  }
}

export interface SocketTrustOptions {
  authenticate: Authenticate;
  bus: EventBus;
  log: Logger;
  /** how often expiry is looked for (ms) */
  everyMs?: number;
}

export function createSocketTrust({ authenticate, bus, log, everyMs = 60_000 }: SocketTrustOptions) {
  const sockets = new Map<ClosableSocket, { header: string | undefined; identity: string }>();
  let checking: Promise<void> | undefined;
  let again = false;

  async function checkAll(): Promise<void> {
    for (const [socket, held] of [...sockets]) {
      let auth: AuthResult;
      try {
        auth = await authenticate(held.header);
      } catch (err) {
        log.warn({ err }, 'could not check an open socket’s credentials; checked again later');
        continue;
      }
      if (!sockets.has(socket) || identityOf(auth) === held.identity) continue;
      sockets.delete(socket);
      const reason = auth.ok ? 'your role changed: connect again' : describeAuthFailure(auth.reason);
      socket.close(CLOSE_FORBIDDEN, `Forbidden: ${reason}`.slice(0, 120));
    }
  }

  /** Runs one check at a time; a change during a check asks for another one after it. */
  function check(): Promise<void> {
    if (checking) {
      again = true;
      return checking;
    }
    checking = checkAll().finally(() => {
      checking = undefined;
      if (again) {
        again = false;
        void check();
      }
    });
    return checking;
  }

  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  const changes = bus.subscribe('credentialsChanged')[Symbol.asyncIterator]();
  void (async () => {
    while (!(await changes.next()).done) void check();
  })();

  return {
    /** Holds `socket` to the credentials it connected with (`auth`: their result then). */
    hold(socket: ClosableSocket, header: string | undefined, auth: AuthResult): void {
      const identity = identityOf(auth);
      if (identity) sockets.set(socket, { header, identity });
    },
    release(socket: ClosableSocket): void {
      sockets.delete(socket);
    },
    stop(): void {
      clearInterval(timer);
      void changes.return?.();
      sockets.clear();
    },
  };
}
