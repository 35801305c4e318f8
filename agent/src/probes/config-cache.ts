// The last configuration the server sent, kept in <dataDir>/agent-config.json so an agent that
// starts while the server is away runs its probes anyway. Written to a temporary file and renamed
// over the old one: a crash mid-write leaves the previous cache, never half a file.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAgentConfig, type AgentConfig } from './agent-config.ts';

export const CONFIG_CACHE_FILE = 'agent-config.json';

export interface CachedConfig {
  config: AgentConfig;
  /** when the server sent it (ms since the epoch) */
  savedAt: number;
}

export async function saveConfigCache(dataDir: string, cached: CachedConfig): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, CONFIG_CACHE_FILE);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ savedAt: cached.savedAt, ...cached.config }));
      await handle.sync(); // the rename must not reach the disk before the content does
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The cached configuration; undefined when there is none. Throws when the file is unreadable. */
export async function loadConfigCache(dataDir: string): Promise<CachedConfig | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, CONFIG_CACHE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const json = JSON.parse(text) as { savedAt?: unknown };
  return { config: parseAgentConfig(json), savedAt: typeof json.savedAt === 'number' ? json.savedAt : 0 };
}
