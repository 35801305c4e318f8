// The agent's version: fixed into the single executable at build time, read from package.json
// when run from source.
import { readFileSync } from 'node:fs';

export function agentVersion(): string {
  const built = process.env.ESMON_AGENT_VERSION;
  if (built) return built;
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
