// Real JVMs for the JMX plugin's tests: test/java/JmxTarget.java compiled into a temp folder and
// started with the platform JMX agent on a free 127.0.0.1 port (the flags from STACK.md), with or
// without a password file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface JmxTarget {
  port: number;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const SOURCE = fileURLToPath(new URL('./java/JmxTarget.java', import.meta.url));

/** Compiles JmxTarget.java into `dir`; throws with javac's output. */
export function compileTarget(dir: string): void {
  const r = spawnSync('javac', ['-d', dir, SOURCE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`javac JmxTarget.java failed: ${r.error?.message ?? r.stderr}`);
}

/** A port nothing listens on: bound once, then released. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const jmxUrl = (port: number) => `service:jmx:rmi:///jndi/rmi://127.0.0.1:${port}/jmxrmi`;

export interface StartTargetOptions {
  /** the folder holding the compiled JmxTarget */
  dir: string;
  /** user → password; turns authentication on (files written to `dir`, mode 0600) */
  users?: Record<string, string>;
}

/** Starts a target JVM and resolves once its main() has run, i.e. after its JMX agent is up. */
export async function startTarget({ dir, users }: StartTargetOptions): Promise<JmxTarget> {
  const port = await freePort();
  const auth: string[] = ['-Dcom.sun.management.jmxremote.authenticate=false'];
  if (users) {
    const passwordFile = join(dir, `jmxremote-${port}.password`);
    const accessFile = join(dir, `jmxremote-${port}.access`);
    await writeFile(passwordFile, Object.entries(users).map(([u, p]) => `${u} ${p}\n`).join(''), { mode: 0o600 });
    await writeFile(accessFile, Object.keys(users).map((u) => `${u} readonly\n`).join(''), { mode: 0o600 });
    await chmod(passwordFile, 0o600);
    auth.splice(0, 1, '-Dcom.sun.management.jmxremote.authenticate=true', `-Dcom.sun.management.jmxremote.password.file=${passwordFile}`, `-Dcom.sun.management.jmxremote.access.file=${accessFile}`);
  }
  const args = [
    '-Xmx64m',
    '-XX:+UseSerialGC',
    `-Dcom.sun.management.jmxremote.port=${port}`,
    ...auth,
    '-Dcom.sun.management.jmxremote.ssl=false',
    '-Dcom.sun.management.jmxremote.host=127.0.0.1',
    `-Dcom.sun.management.jmxremote.rmi.port=${port}`,
    '-Djava.rmi.server.hostname=127.0.0.1',
    '-cp',
    dir,
    'JmxTarget',
  ];
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  await ready(child);
  return {
    port,
    url: jmxUrl(port),
    pid: child.pid!,
    stop: () => stop(child),
  };
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the target JVM exited (${code}) before it was ready: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
