import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_CACHE_FILE, loadConfigCache, saveConfigCache } from './config-cache.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'esmon-config-cache-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const config = (version: string) => ({
  version,
  probes: [{ id: '1', version: 3, definition: { name: 'p' } }],
});

describe('the configuration cache', () => {
  it('is absent at first, then holds the last configuration saved, with nothing left beside it', async () => {
    const dir = join(await tempDir(), 'nested', 'data');
    expect(await loadConfigCache(dir)).toBeUndefined();
    await saveConfigCache(dir, { config: config('a'), savedAt: 1 });
    await saveConfigCache(dir, { config: config('b'), savedAt: 2 });
    expect(await loadConfigCache(dir)).toEqual({ config: config('b'), savedAt: 2 });
    expect(await readdir(dir)).toEqual([CONFIG_CACHE_FILE]);
    expect(JSON.parse(await readFile(join(dir, CONFIG_CACHE_FILE), 'utf8'))).toMatchObject({
      version: 'b',
      savedAt: 2,
    });
  });

  it('says so when the file is not a configuration', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, CONFIG_CACHE_FILE), '{"version": 1}');
    await expect(loadConfigCache(dir)).rejects.toThrow('not an agent configuration');
    await writeFile(join(dir, CONFIG_CACHE_FILE), '{"vers');
    await expect(loadConfigCache(dir)).rejects.toThrow(SyntaxError);
  });

  it('leaves the previous cache when a write fails', async () => {
    const dir = await tempDir();
    await saveConfigCache(dir, { config: config('a'), savedAt: 1 });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(
      saveConfigCache(dir, {
        config: { version: 'b', probes: [{ id: '1', version: 1, definition: circular }] },
        savedAt: 2,
      }),
    ).rejects.toThrow();
    expect(await loadConfigCache(dir)).toEqual({ config: config('a'), savedAt: 1 });
    expect(await readdir(dir)).toEqual([CONFIG_CACHE_FILE]);
  });
});
