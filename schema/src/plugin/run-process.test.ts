// Real processes, no fakes: this file is the proof behind every plugin test that replays a
// recorded output through the process seam.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { OUTPUT_CAP_BYTES, runProcess } from './run-process.ts';

/** Gone, or a zombie nobody reaped yet (PID 1 in a container may not reap): either way not running. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const pidsIn = (text: string) => text.trim().split('\n').map(Number);

/** A killed process closes its pipes while the kernel is still tearing it down: give it that moment. */
const expectGone = (pid: number) => vi.waitFor(() => expect(isGone(pid)).toBe(true));

describe('runProcess', () => {
  it('reports the exit code, stdout and stderr', async () => {
    const r = await runProcess({ file: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'], timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('feeds stdin and closes it', async () => {
    const r = await runProcess({ file: 'cat', args: [], stdin: 'hello\nworld', timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'hello\nworld' });
  });

  it('passes arguments verbatim: no shell sees them', async () => {
    const hostile = '$(touch /tmp/esmon-pwned); `id` | rm -rf / && echo *';
    const r = await runProcess({ file: 'node', args: ['-e', 'process.stdout.write(process.argv[1])', hostile], timeoutMs: 10_000 });
    expect(r.stdout).toBe(hostile);
  });

  it('adds env to the agent environment instead of replacing it', async () => {
    const r = await runProcess({ file: 'sh', args: ['-c', 'echo "$ESMON_TEST_VAR"; command -v node >/dev/null && echo has-path'], env: { ESMON_TEST_VAR: 'x y' }, timeoutMs: 10_000 });
    expect(r.stdout).toBe('x y\nhas-path\n');
  });

  it('kills the child and its grandchild on timeout', async () => {
    const r = await runProcess({ file: 'sh', args: ['-c', 'echo $$; sleep 30 & echo $!; sleep 30'], timeoutMs: 500 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null });
    const [shell, grandchild] = pidsIn(r.stdout);
    expect(shell).toBeGreaterThan(0);
    expect(grandchild).toBeGreaterThan(0);
    await expectGone(shell!);
    await expectGone(grandchild!);
  });

  it('kills background children a finished command left behind', async () => {
    const r = await runProcess({ file: 'sh', args: ['-c', 'sleep 30 & echo $!'], timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, timedOut: false });
    const [background] = pidsIn(r.stdout);
    expect(background).toBeGreaterThan(0);
    await expectGone(background!);
  });

  it('turns a missing executable into exitCode null and a message, without throwing', async () => {
    const r = await runProcess({ file: 'esmon-no-such-command', args: [], timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: null, stdout: '', timedOut: false, stderr: 'esmon-no-such-command: not found (ENOENT)' });
  });

  it('refuses arguments Node cannot pass (a NUL byte) the same way', async () => {
    const r = await runProcess({ file: 'echo', args: ['a\u0000b'], timeoutMs: 10_000 });
    expect(r.exitCode).toBeNull();
    expect(r.stderr).toMatch(/^echo: cannot start: /);
  });

  it('notes a death by signal in stderr', async () => {
    const r = await runProcess({ file: 'sh', args: ['-c', 'kill -9 $$'], timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: null, timedOut: false });
    expect(r.stderr).toContain('killed by SIGKILL');
  });

  it('caps each stream and says so', async () => {
    const r = await runProcess({ file: 'node', args: ['-e', `process.stdout.write('x'.repeat(${OUTPUT_CAP_BYTES + 1000}))`], timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('x'.repeat(OUTPUT_CAP_BYTES))).toBe(true);
    expect(r.stdout.slice(OUTPUT_CAP_BYTES)).toBe('\n[esmon: output truncated at 4 MiB]');
  });
});
