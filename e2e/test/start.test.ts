// `esmon start` (what `npm start` runs after generating): server + local agent on the embedded
// database, a one-time admin password printed once, this machine's CPU within seconds, and a
// clean stop on Ctrl-C that takes the agent with it.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@esmon/db';
import { freePort, latestCpu, loginToken, runTs, serverCli, tempDir, waitUntil } from '../src/processes.ts';

describe('esmon start on the embedded database', () => {
  // two starts, each waiting under its own deadlines (30 s, 30 s, 20 s, then 30 s): the test's own
  // limit is their sum, so a loaded machine is told apart from a start that hangs by those messages
  it('shows this machine live, prints how to log in, and stops cleanly', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const dataDir = await tempDir('esmon-start-');
    const env = { PORT: String(port), ESMON_DATA_DIR: dataDir, ESMON_ADMIN_PASSWORD: '', DATABASE_URL: '', LOG_LEVEL: 'warn' };
    const proc = runTs(serverCli, ['start'], env);
    try {
      const password = await waitUntil('one-time password', async () => /password: (\S+)/.exec(proc.output())?.[1], 30_000, proc);
      await waitUntil('the running banner', async () => (proc.output().includes('esmon is running') ? true : undefined), 30_000, proc);
      expect(proc.output()).toContain(`GraphQL:      ${url}/graphql`);
      const token = await loginToken(url, 'admin@localhost', password);
      const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '-');
      const first = await waitUntil('first CPU sample of this machine', () => latestCpu(url, token, host), 20_000, proc);
      expect(first.status).toBe('online');
      expect(proc.child.pid).toBeDefined();
      proc.child.kill('SIGINT');
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toContain('SIGINT received, shutting down');
    } finally {
      await proc.stop();
    }
    // a second start reuses the data: no new password, the same agent key
    const again = runTs(serverCli, ['start'], env);
    try {
      await waitUntil('second start', async () => (proc.output() && again.output().includes('esmon is running') ? true : undefined), 30_000, again);
      expect(again.output()).not.toMatch(/password: \S+/);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    const db = await openDatabase({ dataDir });
    try {
      expect(await db.prisma.apiKey.count({ where: { kind: 'agent' } })).toBe(1);
      expect(await db.prisma.user.count()).toBe(1);
    } finally {
      await db.close();
    }
  }, 150_000);
});
