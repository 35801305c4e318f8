// Runs the prepared `systemctl show` through the agent's process runner. A unit that does not
// exist is not an error here (systemd reports it inactive, and so do we); check() names it.
import { describeExit, type ProcessResult, type StepContext, type StepResult } from '@esmon/schema';
import { parseShow, unitSamples } from './parse.ts';
import { showArgs, type SystemctlRequest } from './prepare.ts';

/** CLOCK_MONOTONIC in µs: Node's hrtime reads the same clock systemd stamps its *Monotonic values with. */
export function hostMonotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function failure(result: ProcessResult): StepResult | undefined {
  const base = { samples: [], output: result.stdout.trim(), durationMs: result.durationMs };
  if (result.timedOut) return { ...base, status: 'timeout', error: 'systemctl show timed out' };
  if (result.exitCode !== 0) return { ...base, status: 'error', error: `systemctl show failed: ${describeExit(result)}` };
  return undefined;
}

/** A step result from a finished systemctl; pure, so recorded outputs can stand in. */
export function systemctlResult(req: SystemctlRequest, result: ProcessResult, ts: number, monotonicNowUs: number): StepResult {
  const failed = failure(result);
  if (failed) return failed;
  const blocks = parseShow(result.stdout);
  const base = { output: result.stdout.trim(), durationMs: result.durationMs };
  if (blocks.length !== req.units.length) {
    return { ...base, status: 'error', samples: [], error: `systemctl show printed ${blocks.length} property blocks for ${req.units.length} units` };
  }
  const samples = req.units.flatMap((unit, i) => unitSamples({ unit, props: blocks[i]!, ts, monotonicNowUs }));
  const rows = req.units.map((unit, i) => ({ unit, ...Object.fromEntries(blocks[i]!) }));
  return { ...base, status: 'ok', samples, rows };
}

export async function executeSystemctl(req: SystemctlRequest, ctx: StepContext, monotonicNowUs = hostMonotonicUs): Promise<StepResult> {
  if (ctx.platform !== 'linux') return { status: 'unsupported', samples: [], error: 'systemd units exist on Linux only', durationMs: 0 };
  const result = await ctx.run({ file: req.file, args: req.args, timeoutMs: ctx.timeoutMs });
  return systemctlResult(req, result, ctx.now(), monotonicNowUs());
}

/** "Test connection": does systemd answer, and does it know every unit (LoadState loaded)? */
export async function checkSystemctl(req: SystemctlRequest, ctx: StepContext): Promise<{ ok: boolean; message: string }> {
  if (ctx.platform !== 'linux') return { ok: false, message: 'systemd units exist on Linux only' };
  const result = await ctx.run({ file: req.file, args: showArgs(['Id', 'LoadState'], req.units), timeoutMs: ctx.timeoutMs });
  const failed = failure(result);
  if (failed) return { ok: false, message: failed.error! };
  const blocks = parseShow(result.stdout);
  const states = req.units.map((unit, i) => ({ unit, load: blocks[i]?.get('LoadState') ?? 'unknown' }));
  const missing = states.filter((s) => s.load !== 'loaded');
  if (missing.length === 0) return { ok: true, message: `${states.length} unit(s) loaded: ${req.units.join(', ')}` };
  return { ok: false, message: missing.map((s) => `${s.unit}: ${s.load}`).join('; ') };
}
