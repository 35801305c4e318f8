// The agent's side of the long-lived Java bridge: starts `java -cp <classes> EsmonJmxBridge` on
// first use, writes one JSON request per line and matches answers by id. When the process dies,
// the requests it held fail with a clear error and the next request starts a new one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BRIDGE_CLASS, bridgeClasses } from './compile.ts';
import { JavaUnavailableError, JmxTimeoutError, type JmxReadRequest, type JmxReadResponse, type JmxTransport } from './protocol.ts';

export interface JmxBridgeOptions {
  /** the java launcher; default `$JAVA_HOME/bin/java`, else `java` on the PATH */
  java?: string;
  /** the compiler; default the `javac` beside `java` */
  javac?: string;
  /** where the bridge's .java files are (a bundled agent points this at its copy) */
  sourceDir?: string;
  /** default the OS temp folder */
  cacheRoot?: string;
  /** how long past a request's own timeoutMs the agent waits for the bridge, which enforces it first */
  graceMs?: number;
}

interface Pending {
  resolve(response: JmxReadResponse): void;
  reject(error: Error): void;
}

/** small heap, quick start; an RMI call that never returns still ends (the bridge then reconnects) */
const JVM_ARGS = ['-Xmx64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dsun.rmi.transport.tcp.responseTimeout=60000'];

export class JmxBridge implements JmxTransport {
  readonly #java: string;
  readonly #javac: string;
  readonly #sourceDir: string;
  readonly #cacheRoot: string;
  readonly #graceMs: number;
  #classes: Promise<string> | undefined;
  #child: ChildProcessWithoutNullStreams | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #stderrTail = '';

  constructor(options: JmxBridgeOptions = {}) {
    const home = process.env.JAVA_HOME;
    const bin = (name: string) => (home ? join(home, 'bin', name) : name);
    this.#java = options.java ?? bin('java');
    this.#javac = options.javac ?? (options.java ? join(options.java, '..', 'javac') : bin('javac'));
    // resolved here, not at import: a bundled agent has no java/ beside this file and passes its own
    this.#sourceDir = options.sourceDir ?? fileURLToPath(new URL('../java/', import.meta.url));
    this.#cacheRoot = options.cacheRoot ?? tmpdir();
    this.#graceMs = options.graceMs ?? 2000;
  }

  /** The bridge process id while one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  read = async (request: JmxReadRequest, signal?: AbortSignal): Promise<JmxReadResponse> => {
    const child = await this.#start();
    return this.#send(child, { op: 'read', ...request }, request.timeoutMs, signal);
  };

  /** Stops the bridge (its JMX connections close with it); a later read starts a new one. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin.end(`${JSON.stringify({ id: 0, op: 'close' })}\n`);
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  async #start(): Promise<ChildProcessWithoutNullStreams> {
    if (this.#child) return this.#child;
    // a failed compilation is not cached: the next request tries again (a JDK may have arrived)
    this.#classes ??= bridgeClasses({ javac: this.#javac, sourceDir: this.#sourceDir, cacheRoot: this.#cacheRoot }).catch((err: unknown) => {
      this.#classes = undefined;
      throw err;
    });
    const classes = await this.#classes;
    if (this.#child) return this.#child; // another request started it meanwhile
    const child = spawn(this.#java, [...JVM_ARGS, '-cp', classes, BRIDGE_CLASS], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#stderrTail = '';
    child.stdin.on('error', () => undefined); // a dead bridge surfaces through 'exit'
    child.stderr.on('data', (d: Buffer) => (this.#stderrTail = (this.#stderrTail + d.toString()).slice(-1000)));
    createInterface({ input: child.stdout }).on('line', (line) => this.#answer(line));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const error =
        err.code === 'ENOENT'
          ? new JavaUnavailableError(`jmx: no Java runtime at "${this.#java}": install Java 8 or later, or set JAVA_HOME`)
          : new Error(`jmx: starting the JMX bridge failed: ${err.message}`);
      this.#lost(child, error);
    });
    child.on('exit', (code, signal) => {
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      const tail = this.#stderrTail.trim() ? `: ${this.#stderrTail.trim().split('\n').slice(-3).join(' | ')}` : '';
      this.#lost(child, new Error(`jmx: the JMX bridge ${how} before answering${tail}; the next request starts a new one`));
    });
    return child;
  }

  #send(child: ChildProcessWithoutNullStreams, message: object, timeoutMs: number, signal?: AbortSignal): Promise<JmxReadResponse> {
    const id = this.#nextId++;
    return new Promise<JmxReadResponse>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      const timer = setTimeout(() => {
        done();
        reject(new JmxTimeoutError(`jmx: the JMX bridge did not answer within ${timeoutMs + this.#graceMs} ms`));
      }, timeoutMs + this.#graceMs);
      const onAbort = () => {
        done();
        reject(new JmxTimeoutError('jmx: the read was aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
      child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  }

  #answer(line: string): void {
    let answer: JmxReadResponse & { id?: unknown };
    try {
      answer = JSON.parse(line) as JmxReadResponse & { id?: unknown };
    } catch {
      return; // not ours: the bridge prints answers only, so this is noise from a JVM option
    }
    const pending = typeof answer.id === 'number' ? this.#pending.get(answer.id) : undefined;
    if (!pending) return; // a request the agent already gave up on
    const { id: _id, ...response } = answer;
    pending.resolve({ ...response, values: response.values ?? [] });
  }

  #lost(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}
