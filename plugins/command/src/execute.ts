// Runs the prepared command through the agent's process runner and turns what came back into a
// step result. A non-zero exit is data (the exit-code sample); the step fails only when the command
// could not start, timed out, or printed something its output mode cannot read.
import { describeExit, type ProcessResult, type StepContext, type StepResult } from '@esmon/schema';
import { parseOutput } from './output.ts';
import type { CommandRequest } from './prepare.ts';

/** A step result from a finished (or killed) process; pure, so recorded results can stand in. */
export function commandResult(req: CommandRequest, result: ProcessResult, ts: number, timeoutMs: number): StepResult {
  const base = { samples: [], output: result.stdout.trim(), durationMs: result.durationMs };
  if (result.timedOut) return { ...base, status: 'timeout', error: `timed out after ${timeoutMs} ms; the command and its children were killed` };
  if (result.exitCode === null) return { ...base, status: 'error', error: `${req.file} did not run to an exit: ${describeExit(result)}` };
  const parsed = parseOutput(req.output, result.stdout, req.metric, ts);
  if ('error' in parsed) return { ...base, status: 'error', error: `${parsed.error} (${describeExit(result)})` };
  const samples = req.exitCodeSample ? [...parsed.samples, { metric: `${req.metric}.exit_code`, value: result.exitCode, ts }] : parsed.samples;
  return { ...base, status: 'ok', samples };
}

export async function executeCommand(req: CommandRequest, ctx: StepContext): Promise<StepResult> {
  const timeoutMs = Math.min(req.timeoutMs ?? ctx.timeoutMs, ctx.timeoutMs);
  const result = await ctx.run({ file: req.file, args: req.args, timeoutMs });
  return commandResult(req, result, ctx.now(), timeoutMs);
}

/** "Test connection" for a command is running it once and saying what came of it. */
export async function checkCommand(req: CommandRequest, ctx: StepContext): Promise<{ ok: boolean; message: string }> {
  const r = await executeCommand(req, ctx);
  if (r.status !== 'ok') return { ok: false, message: `${r.status}: ${r.error ?? ''}` };
  const shown = r.samples.slice(0, 5).map((s) => `${s.metric}=${s.value}`);
  const more = r.samples.length > shown.length ? `, … (${r.samples.length} in all)` : '';
  return { ok: true, message: r.samples.length ? `${shown.join(', ')}${more}` : 'ran; no samples (text output)' };
}
