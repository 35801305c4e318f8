// Runs the prepared script through the agent's process runner: pwsh on Linux, powershell.exe on
// Windows. A non-zero exit fails the step; so does a script that printed nothing, because
// PowerShell reading stdin exits 0 even when the script did not parse (PowerShell issue #21784).
import { describeExit, type ProcessResult, type StepContext, type StepResult } from '@esmon/schema';
import { parseScriptOutput } from './output.ts';
import { POWERSHELL_ARGS, type PowershellRequest } from './prepare.ts';

export function powershellFile(ctx: StepContext): string {
  return ctx.platform === 'windows' ? 'powershell.exe' : 'pwsh';
}

function notStarted(file: string, result: ProcessResult): string {
  const missing = /\(ENOENT\)/.test(result.stderr);
  const hint = missing ? `: ${file} not found — PowerShell is not installed on this host (pwsh is PowerShell 7 on Linux)` : '';
  return `${file} did not run${hint} (${describeExit(result)})`;
}

/** A step result from a finished PowerShell; pure, so recorded outputs can stand in. */
export function powershellResult(req: PowershellRequest, file: string, result: ProcessResult, ts: number, timeoutMs: number): StepResult {
  const base = { samples: [], output: result.stdout.trim(), durationMs: result.durationMs };
  if (result.timedOut) return { ...base, status: 'timeout', error: `timed out after ${timeoutMs} ms; PowerShell and its children were killed` };
  if (result.exitCode === null) return { ...base, status: 'error', error: notStarted(file, result) };
  if (result.exitCode !== 0) return { ...base, status: 'error', error: `the script failed: ${describeExit(result)}` };
  if (base.output === '') return { ...base, status: 'error', error: `the script printed nothing (${describeExit(result)})` };
  const parsed = parseScriptOutput(result.stdout, req.metric, ts);
  if ('error' in parsed) return { ...base, status: 'error', error: parsed.error };
  // errors the script wrote but survived stay visible in the trace
  const stderr = result.stderr.trim();
  return { ...base, status: 'ok', ...parsed, ...(stderr ? { error: `stderr: ${stderr}` } : {}) };
}

export async function executePowershell(req: PowershellRequest, ctx: StepContext): Promise<StepResult> {
  const file = powershellFile(ctx);
  const timeoutMs = Math.min(req.timeoutMs ?? ctx.timeoutMs, ctx.timeoutMs);
  const result = await ctx.run({ file, args: req.args, stdin: req.stdin, timeoutMs });
  return powershellResult(req, file, result, ctx.now(), timeoutMs);
}

/** "Test connection": is PowerShell there, and which one? The user's script is not run. */
export async function checkPowershell(_req: PowershellRequest, ctx: StepContext): Promise<{ ok: boolean; message: string }> {
  const file = powershellFile(ctx);
  const result = await ctx.run({ file, args: POWERSHELL_ARGS, stdin: '$PSVersionTable.PSVersion.ToString()\n', timeoutMs: ctx.timeoutMs });
  if (result.exitCode === null && !result.timedOut) return { ok: false, message: notStarted(file, result) };
  if (result.exitCode !== 0) return { ok: false, message: `${file}: ${result.timedOut ? 'timed out' : describeExit(result)}` };
  return { ok: true, message: `PowerShell ${result.stdout.trim()} (${file})` };
}
