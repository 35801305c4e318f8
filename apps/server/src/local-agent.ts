// `esmon start`: after the server is up, a local agent for this machine, with a key kept in the
// data directory (mode 0600) and reused across restarts while it stays valid.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOSTNAME } from '@esmon/schema';
import { createApiKey, isLiveKey } from './auth/accounts.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { RunningServer } from './main.ts';

const agentCli = fileURLToPath(new URL('../../../agent/src/cli.ts', import.meta.url));

/** This machine's name as a valid esmon hostname. */
export function localHostname(): string {
  const name = hostname().replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'localhost';
  return HOSTNAME.test(name) ? name : 'localhost';
}

async function localAgentKey(server: RunningServer, config: Config, host: string): Promise<string> {
  const file = join(config.ESMON_DATA_DIR, 'local-agent.key');
  const saved = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (saved && (await isLiveKey(server.db.prisma, saved))) return saved;
  const { secret } = await createApiKey(server.db.prisma, { kind: 'agent', name: `local agent (${host})`, hostname: host });
  await mkdir(config.ESMON_DATA_DIR, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

export interface LocalAgentOptions {
  server: RunningServer;
  config: Config;
  log: Logger;
  interval?: string;
}

/** Starts the agent as a child process; returns a function that stops it. */
export async function runWithLocalAgent({ server, config, log, interval = '5s' }: LocalAgentOptions): Promise<() => Promise<void>> {
  const host = localHostname();
  const key = await localAgentKey(server, config, host);
  let stopping = false;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import', import.meta.resolve('tsx'), agentCli, 'run', '--server', server.url, '--interval', interval, '--hostname', host,
      // its disk buffer lives with the rest of the product's data
      '--data-dir', join(config.ESMON_DATA_DIR, 'agent'),
    ],
    // the key travels in the environment, not argv, so `ps` does not show it; under TLS the agent
    // trusts the server's own certificate (self-signed ones included)
    {
      env: { ...process.env, ESMON_AGENT_KEY: key, ...(config.ESMON_TLS_CERT ? { NODE_EXTRA_CA_CERTS: config.ESMON_TLS_CERT } : {}) },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.on('exit', (code, signal) => {
    if (!stopping) log.warn({ code, signal }, 'local agent exited');
  });
  process.stdout.write(
    `\nesmon is running\n` +
      `  workbench:    ${server.url}/\n` +
      `  GraphQL:      ${server.url}/graphql\n` +
      `  log in as:    ${config.ESMON_ADMIN_EMAIL} (password from ESMON_ADMIN_PASSWORD, or printed above on first start)\n` +
      `  local agent:  host ${host}, every ${interval}\n` +
      `  data:         ${server.db.describe}\n` +
      `Ctrl-C stops everything.\n\n`,
  );
  return async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timeout);
  };
}
