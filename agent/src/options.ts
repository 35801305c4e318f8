// Command-line options of `esmon-agent run`, validated with clear messages.
import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HOSTNAME } from '@esmon/schema';
import { parseDuration } from './duration.ts';
import { parseSize } from './size.ts';

export class UsageError extends Error {}

export interface RunOptions {
  server: string;
  key: string;
  intervalMs: number;
  hostname: string;
  mock?: number;
  once: boolean;
  /** Where the durable buffer lives (absolute). */
  dataDir: string;
  bufferBytes: number;
  /** fsync every append and acknowledgement (`--buffer-fsync always`). */
  bufferFsync: boolean;
}

const MiB = 1024 * 1024;

/**
 * ./data/agent/<host>@<server>: one directory per host and server by default, because a buffered
 * batch can only be sent with the key it was collected for (keys are bound to a host), and two
 * agents on one machine (say a real one and a --mock one) must not share a buffer.
 */
export function defaultDataDir(server: URL, who: string): string {
  return resolve('data', 'agent', `${who}@${server.host.replace(/[^A-Za-z0-9.-]/g, '_')}`);
}

export function parseRunArgs(args: string[], env: Record<string, string | undefined>): RunOptions {
  const { values, positionals } = parseArgs({
    args,
    options: {
      server: { type: 'string' },
      key: { type: 'string' },
      interval: { type: 'string', default: '10s' },
      hostname: { type: 'string' },
      mock: { type: 'string' },
      once: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'buffer-size': { type: 'string', default: '256MB' },
      'buffer-fsync': { type: 'string', default: 'always' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (!values.server) throw new UsageError('--server URL is required');
  let url: URL;
  try {
    url = new URL(values.server);
  } catch {
    throw new UsageError(`--server: ${values.server} is not a URL (expected e.g. http://localhost:4000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server must be an http:// or https:// URL`);
  const key = values.key ?? env.ESMON_AGENT_KEY;
  if (!key) throw new UsageError('an agent key is required: --key KEY or ESMON_AGENT_KEY');
  const mock = values.mock === undefined ? undefined : Number(values.mock);
  if (mock !== undefined && !(Number.isInteger(mock) && mock >= 1 && mock <= 100_000)) {
    throw new UsageError('--mock must be a whole number of hosts from 1 to 100000');
  }
  const intervalMs = parseDuration(values.interval);
  const min = mock ? 100 : 1000;
  if (intervalMs === undefined) throw new UsageError(`--interval: ${values.interval} is not a duration (e.g. 10s, 1m)`);
  if (intervalMs < min) throw new UsageError(`--interval must be at least ${min}ms`);
  const hostname = values.hostname ?? osHostname();
  if (!HOSTNAME.test(hostname)) throw new UsageError(`--hostname: ${hostname} is not a valid host name`);
  const bufferBytes = parseSize(values['buffer-size']);
  if (bufferBytes === undefined) throw new UsageError(`--buffer-size: ${values['buffer-size']} is not a size (e.g. 256MB, 1GB)`);
  if (bufferBytes < MiB) throw new UsageError('--buffer-size must be at least 1MB');
  const fsync = values['buffer-fsync'];
  if (fsync !== 'always' && fsync !== 'never') throw new UsageError(`--buffer-fsync must be always or never, not ${fsync}`);
  if (values['data-dir'] !== undefined && values['data-dir'].trim() === '') throw new UsageError('--data-dir must not be empty');
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir(url, mock ? `mock-${mock}` : hostname);
  return {
    server: url.href, key, intervalMs, hostname, once: values.once, ...(mock ? { mock } : {}),
    dataDir, bufferBytes, bufferFsync: fsync === 'always',
  };
}

