// Starting esmon's real commands as child processes, for the end-to-end tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const serverCli = join(repoRoot, 'apps/server/src/cli.ts');
export const agentCli = join(repoRoot, 'agent/src/cli.ts');
const tsx = import.meta.resolve('tsx');

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const address = probe.address();
  await new Promise((r) => probe.close(r));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), prefix));

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL, as a crash: no shutdown code runs. Resolves with the signal that ended the process. */
  kill(): Promise<NodeJS.Signals | null>;
  exited: Promise<number | null>;
}

/** Runs a TypeScript entry point of this repo with node + tsx. */
export function runTs(entry: string, args: string[], env: Record<string, string | undefined>): Proc {
  const child = spawn(process.execPath, ['--import', tsx, entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      return child.signalCode;
    },
  };
}

export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, proc?: Proc): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: process exited early:\n${proc.output()}`);
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms${proc ? `\n${proc.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function gql<T = any>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<{ data?: T; errors?: { message: string }[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string }[] };
}

export async function loginToken(url: string, email: string, password: string): Promise<string> {
  const r = await gql<{ login: { token: string } }>(url, 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  if (!r.data) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  return r.data.login.token;
}

/** The newest os.cpu.usage of `hostname`, once it exists. */
export async function latestCpu(url: string, token: string, hostname: string) {
  const r = await gql<any>(url, 'query ($h: String!) { host(hostname: $h) { status latest(metric: "os.cpu.usage") { ts value } } }', { h: hostname }, token);
  return r.data?.host?.latest ? { status: r.data.host.status as string, ...r.data.host.latest } : undefined;
}
