// The agent as the single executable CI ships: built with `npm run build:agent`, it tells its
// version and sends one collection (simulated hosts) into a real server.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';
import { repoRoot, tempDir } from '../src/processes.ts';

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(file, args, { cwd: repoRoot, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('the agent as one executable', () => {
  let s: TestServer;
  const binary = join(repoRoot, 'dist', 'agent', 'esmon-agent');

  beforeAll(async () => {
    const built = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'agent', 'packaging', 'build.ts')]);
    expect(built.code, built.out).toBe(0);
    s = await startTestServer();
  }, 240_000);
  afterAll(async () => {
    await s?.close();
  });

  it('prints its version and sends a mock collection to a real server', async () => {
    const version = await run(binary, ['--version']);
    expect(version.code, version.out).toBe(0);
    expect(version.out.trim()).toMatch(/^esmon-agent \d+\.\d+\.\d+$/);

    const key = await s.integrationKey('analyst');
    const once = await run(binary, ['run', '--server', s.url, '--mock', '2', '--once', '--data-dir', await tempDir('esmon-bin-')], { ESMON_AGENT_KEY: key });
    expect(once.code, once.out).toBe(0);
    const rows = await s.testDb.sql.query<{ hosts: number; samples: number }>(
      `SELECT count(DISTINCT h.id)::int AS hosts, count(*)::int AS samples FROM samples sa
       JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id WHERE h.hostname LIKE 'mock-%'`,
    );
    expect(rows[0]).toMatchObject({ hosts: 2 });
    expect(rows[0]!.samples).toBeGreaterThan(10);
  }, 60_000);
});
