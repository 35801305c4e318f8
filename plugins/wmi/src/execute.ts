// Runs the prepared PowerShell through the agent's process runner. An empty answer is a query that
// matched nothing (ok, no samples); a PowerShell error is a non-zero exit with the reason on stderr.
import { describeExit, type ProcessResult, type StepContext, type StepResult } from '@esmon/schema';
import { parseWmi } from './parse.ts';
import type { WmiRequest } from './prepare.ts';

/** A step result from a finished PowerShell; pure, so recorded outputs can stand in. */
export function wmiResult(req: WmiRequest, result: ProcessResult, ts: number): StepResult {
  const base = { samples: [], output: result.stdout.trim(), durationMs: result.durationMs };
  if (result.timedOut) return { ...base, status: 'timeout', error: 'the CIM query timed out; PowerShell was killed' };
  if (result.exitCode !== 0) return { ...base, status: 'error', error: `the CIM query failed: ${describeExit(result)}` };
  const parsed = parseWmi({ stdout: result.stdout, className: req.className, properties: req.properties, labelProperties: req.labelProperties, ts });
  if ('error' in parsed) return { ...base, status: 'error', error: parsed.error };
  return { ...base, status: 'ok', samples: parsed.samples, rows: parsed.rows };
}

export async function executeWmi(req: WmiRequest, ctx: StepContext): Promise<StepResult> {
  if (ctx.platform !== 'windows') return { status: 'unsupported', samples: [], error: 'WMI exists on Windows only', durationMs: 0 };
  const result = await ctx.run({ file: req.file, args: req.args, stdin: req.stdin, timeoutMs: ctx.timeoutMs });
  return wmiResult(req, result, ctx.now());
}

/** "Test connection": the query itself (it only reads), summarised. */
export async function checkWmi(req: WmiRequest, ctx: StepContext): Promise<{ ok: boolean; message: string }> {
  const r = await executeWmi(req, ctx);
  if (r.status !== 'ok') return { ok: false, message: r.error ?? r.status };
  return { ok: true, message: `${r.rows?.length ?? 0} instance(s) of ${req.className}, ${r.samples.length} sample(s)` };
}
