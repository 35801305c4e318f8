// Command-line options of `esmon-agent run`, validated with clear messages.
import { hostname as osHostname } from 'node:os';
import { parseArgs } from 'node:util';
import { HOSTNAME } from '@esmon/schema';
import { parseDuration } from './duration.ts';

export class UsageError extends Error {}

export interface RunOptions {
  server: string;
  key: string;
  intervalMs: number;
  hostname: string;
  mock?: number;
  once: boolean;
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
  return { server: url.href, key, intervalMs, hostname, once: values.once, ...(mock ? { mock } : {}) };
}

