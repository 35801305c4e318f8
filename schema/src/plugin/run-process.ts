// The real RunProcess for Node (the agent's side of the process seam). No shell ever: file + args go
// to the OS as they are. On POSIX the child leads its own process group, so a timeout kills the
// whole tree (`sh -c 'a & b'` leaves neither a nor b behind); on Windows `taskkill /T` does that.
// Node-only: imported as @esmon/schema/process, never from the package index the browser loads.
import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessRequest, ProcessResult, RunProcess } from './manifest.ts';

/** Per stream. A runaway command must not grow the agent's memory; the rest is dropped and noted. */
export const OUTPUT_CAP_BYTES = 4 * 1024 * 1024;

/**
 * How long to wait for the pipes after the process has gone (exited, or killed on timeout). A
 * grandchild that escaped the tree (setsid, or any child on Windows once its parent died) may hold
 * them open for ever; its output is not worth hanging the step for.
 */
const PIPE_GRACE_MS = 1000;

const POSIX = process.platform !== 'win32';

class Capture {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private truncated = false;

  push(chunk: Buffer): void {
    const room = OUTPUT_CAP_BYTES - this.bytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    if (chunk.length > room) this.truncated = true;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.bytes += kept.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.truncated ? `${text}\n[esmon: output truncated at ${OUTPUT_CAP_BYTES / 1024 / 1024} MiB]` : text;
  }
}

function spawnError(file: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `${file}: not found (ENOENT)`;
  if (err.code === 'EACCES') return `${file}: permission denied (EACCES)`;
  return `${file}: cannot start: ${err.message}`;
}

/** Kills the child and everything it started. Errors are ignored: the tree may already be gone. */
function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (POSIX) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is empty already
    }
    return;
  }
  spawn('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true, stdio: 'ignore' }).on('error', () => {});
}

/**
 * Runs one process to its end. Never throws and never rejects: a command that cannot start comes
 * back as exitCode null with the reason in stderr, a timeout as timedOut with exitCode null.
 * `env` is added to the agent's own environment (a replaced one would lose PATH and SystemRoot).
 */
export const runProcess: RunProcess = (request: ProcessRequest) =>
  new Promise<ProcessResult>((resolve) => {
    const started = performance.now();
    const stdout = new Capture();
    const stderr = new Capture();
    let timedOut = false;
    let exitCode: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let failed: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let done = false;

    let child: ChildProcess;
    try {
      child = spawn(request.file, [...request.args], {
        shell: false,
        detached: POSIX,
        windowsHide: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: request.env ? { ...process.env, ...request.env } : process.env,
      });
    } catch (err) {
      // synchronous refusals: a NUL byte in an argument, a .bat/.cmd file on Windows
      resolve({ exitCode: null, stdout: '', stderr: spawnError(request.file, err as NodeJS.ErrnoException), timedOut: false, durationMs: 0 });
      return;
    }

    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      let err = failed ?? stderr.text();
      if (signal && !timedOut) err += `${err && !err.endsWith('\n') ? '\n' : ''}[esmon: the process was killed by ${signal}]`;
      resolve({ exitCode, stdout: stdout.text(), stderr: err, timedOut, durationMs: Math.round(performance.now() - started) });
    };
    const finishSoon = () => {
      graceTimer ??= setTimeout(finish, PIPE_GRACE_MS);
    };

    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      killTree(child);
      finishSoon();
    }, request.timeoutMs);

    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', (err: NodeJS.ErrnoException) => {
      // after a successful start this is a failed kill(), which the exit/close events settle
      if (child.pid !== undefined) return;
      failed = spawnError(request.file, err);
      finish();
    });
    child.on('exit', (code, sig) => {
      exitCode = code;
      signal = sig;
      // Background children the command left behind die with it: they would hold the pipes open
      // and outlive the step (on Windows, orphans are beyond taskkill /T's reach; the grace covers them).
      if (POSIX) killTree(child);
      finishSoon();
    });
    child.on('close', finish);

    // EPIPE when the child exits without reading its input: harmless, the exit tells the story.
    child.stdin?.on('error', () => {});
    child.stdin?.end(request.stdin ?? '');
  });
