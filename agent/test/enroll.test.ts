// Enrolment and the config directory against the REAL server: an admin's one-time token becomes
// this agent's key in DIR/agent.key (0600) and agent.yaml; `run --config DIR --once` then sends
// with it. The version command answers without a server.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../apps/server/test/harness.ts';
import { loadAgentDir } from '../src/config-file.ts';
import { enroll } from '../src/enroll.ts';
import { UsageError } from '../src/options.ts';

const cli = new URL('../src/cli.ts', import.meta.url).pathname;
/** Runs the CLI without blocking this process, which also serves the test server. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('enrolment and the agent config directory', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'esmon-agent-config-'));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('trades a token for a key kept 0600 and runs with it', async () => {
    const admin = await s.login();
    const made = await s.gql<{ createEnrollmentToken: { token: string } }>('mutation { createEnrollmentToken(hostname: "cfg-host-1") { token } }', {}, admin);
    const token = made.data!.createEnrollmentToken.token;
    const message = await enroll(['--server', s.url, '--token', token, '--hostname', 'cfg-host-1', '--config', dir], {});
    expect(message).toContain('enrolled cfg-host-1');
    expect((await stat(join(dir, 'agent.key'))).mode & 0o777).toBe(0o600);
    const { file, key } = await loadAgentDir(dir);
    // the server's signing key is pinned from enrolment on
    expect(file).toMatchObject({ server: `${s.url}/`, hostname: 'cfg-host-1', serverKey: s.signer.publicKey });
    expect(key).toMatch(/^esm_a_/);
    // a used token is refused, clearly
    await expect(enroll(['--server', s.url, '--token', token, '--hostname', 'cfg-host-1', '--config', dir], {})).rejects.toThrow(
      'enrolment refused: the enrolment token is unknown, used, expired or for another host',
    );

    const run = await runCli(['run', '--config', dir, '--once', '--data-dir', join(dir, 'data')], { ESMON_AGENT_KEY: '' });
    expect(run.status, run.stderr).toBe(0);
    const rows = await s.testDb.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples sa JOIN series se ON se.id = sa.series_id JOIN hosts h ON h.id = se.host_id WHERE h.hostname = 'cfg-host-1'`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('names the field of a bad agent.yaml, and refuses a missing token', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'esmon-agent-bad-'));
    await writeFile(join(bad, 'agent.yaml'), 'server: ftp://x\nplugins:\n  allowScripts: yes-please\n');
    await expect(loadAgentDir(bad)).rejects.toThrow(/agent\.yaml: server: an http:\/\/ or https:\/\/ URL/);
    await writeFile(join(bad, 'agent.yaml'), 'secrets:\n  db2_monitor: s3cret\nnot_a_setting: 1\n');
    await expect(loadAgentDir(bad)).rejects.toThrow(UsageError);
    await expect(enroll(['--server', s.url], {})).rejects.toThrow('--token TOKEN');
    const run = await runCli(['run', '--config', bad]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('agent.yaml');
    expect(run.stderr).not.toContain('s3cret');
  });

  it('prints its version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const out = await runCli(['--version']);
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe(`esmon-agent ${pkg.version}`);
  });
});
