// Connections kept open between executions: a DB2 connect costs a handshake and an authentication,
// a probe runs every minute. One small pool per connection string (credentials included, so a
// rotated password starts a fresh pool); idle connections close after a while; a connection that
// failed or timed out is discarded, never handed out again.
import { createHash } from 'node:crypto';
import type { OdbcConnect, OdbcConnection } from './odbc.ts';

export interface PoolOptions {
  /** connections per connection string; executions beyond wait for one */
  max: number;
  /** an idle connection is closed after this long */
  idleMs: number;
}

export interface Lease {
  connection: OdbcConnection;
  /** it ran an execution before: it may have died since (a database restart) */
  reused: boolean;
}

interface Waiter {
  retry(): void;
}

export class ConnectionPool {
  #idle: { connection: OdbcConnection; since: number }[] = [];
  /** open or opening, idle or busy */
  #open = 0;
  #waiters: Waiter[] = [];
  #closed = false;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly open: (loginTimeoutSeconds: number) => Promise<OdbcConnection>,
    private readonly options: PoolOptions,
  ) {}

  /** A connection for one execution; rejects with the signal's reason once it aborts. */
  async acquire(signal: AbortSignal, loginTimeoutSeconds: number): Promise<Lease> {
    if (this.#closed) throw new Error('the connection pool is closed');
    signal.throwIfAborted();
    const idle = this.#idle.pop();
    if (idle) return { connection: idle.connection, reused: true };
    if (this.#open >= this.options.max) return this.#wait(signal, loginTimeoutSeconds);
    this.#open++;
    let connection: OdbcConnection;
    try {
      connection = await this.open(loginTimeoutSeconds);
    } catch (err) {
      this.#open--;
      this.#wake();
      throw err;
    }
    // the caller gave up (timeout) while the connect was under way
    if (signal.aborted || this.#closed) {
      this.discard(connection);
      signal.throwIfAborted();
      throw new Error('the connection pool is closed');
    }
    return { connection, reused: false };
  }

  #wait(signal: AbortSignal, loginTimeoutSeconds: number): Promise<Lease> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        retry: () => {
          signal.removeEventListener('abort', onAbort);
          this.acquire(signal, loginTimeoutSeconds).then(resolve, reject);
        },
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #wake(): void {
    this.#waiters.shift()?.retry();
  }

  /** Back into the pool after a clean execution. */
  release(connection: OdbcConnection): void {
    if (this.#closed || !connection.connected) return this.discard(connection);
    this.#idle.push({ connection, since: Date.now() });
    this.#startSweeper();
    this.#wake();
  }

  /**
   * Takes a connection out of the pool at once and closes it in the background: after `busy`
   * settles when a query still runs on it. Closing a connection while the driver works on it in
   * another thread can crash the process (seen under load: the test worker died), so the close
   * waits for the query, which a cancel makes end soon.
   */
  discard(connection: OdbcConnection, busy?: Promise<unknown>): void {
    this.#open--;
    void (busy ?? Promise.resolve()).finally(() => connection.close().catch(() => {}));
    this.#wake();
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(50, this.options.idleMs / 2));
    this.#sweeper.unref();
  }

  #sweep(): void {
    const cutoff = Date.now() - this.options.idleMs;
    const stale = this.#idle.filter((i) => i.since <= cutoff);
    this.#idle = this.#idle.filter((i) => i.since > cutoff);
    for (const s of stale) this.discard(s.connection);
    if (this.#idle.length === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  /** Closes idle connections now and busy ones as they come back; refuses new acquisitions. */
  async drain(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    const idle = this.#idle;
    this.#idle = [];
    this.#open -= idle.length;
    for (const w of this.#waiters.splice(0)) w.retry();
    await Promise.allSettled(idle.map((i) => i.connection.close()));
  }
}

/** The pools of one plugin instance, one per full connection string. */
export class PoolSet {
  #pools = new Map<string, ConnectionPool>();

  constructor(
    private readonly connect: OdbcConnect,
    private readonly options: PoolOptions,
  ) {}

  /** The pool for a connection string; the key is a digest, so no map holds a password. */
  get(connectionString: string): ConnectionPool {
    const key = createHash('sha256').update(connectionString).digest('hex');
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new ConnectionPool(
        (loginTimeoutSeconds) => this.connect(connectionString, { loginTimeoutSeconds }),
        this.options,
      );
      this.#pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.drain()));
  }
}
