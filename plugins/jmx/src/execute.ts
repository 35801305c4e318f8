// One run: resolve the password from the agent's secrets, read through the injected transport,
// turn the answer into a StepResult. Failure is data: nothing here throws.
import type { StepContext, StepResult, StepStatus } from '@esmon/schema';
import type { JmxPrepared } from './prepare.ts';
import { JavaUnavailableError, JmxTimeoutError, type JmxReadResponse, type ReadJmx } from './protocol.ts';
import { partsFrom } from './values.ts';

export interface ExecuteJmxOptions {
  prepared: JmxPrepared;
  ctx: StepContext;
  read: ReadJmx;
}

export async function executeJmx({ prepared, ctx, read }: ExecuteJmxOptions): Promise<StepResult> {
  const started = ctx.now();
  const finish = (status: StepStatus, rest: Partial<StepResult>): StepResult => ({ status, samples: [], ...rest, durationMs: ctx.now() - started });

  let password: string | undefined;
  if (prepared.passwordRef) {
    password = ctx.secret(prepared.passwordRef);
    if (password === undefined) return finish('error', { error: `jmx: the agent has no secret ${prepared.passwordRef}` });
  }
  let response: JmxReadResponse;
  try {
    response = await read(
      {
        url: prepared.url,
        ...(prepared.user ? { user: prepared.user } : {}),
        ...(password !== undefined ? { password } : {}),
        timeoutMs: Math.min(prepared.timeoutMs, ctx.timeoutMs),
        reads: prepared.reads,
      },
      ctx.signal,
    );
  } catch (err) {
    const status = err instanceof JavaUnavailableError ? 'unsupported' : err instanceof JmxTimeoutError ? 'timeout' : 'error';
    return finish(status, { error: scrub(err instanceof Error ? err.message : String(err), password) });
  }
  const parts = partsFrom(response, prepared.reads, prepared.metricPrefix, ctx.now());
  if (response.ok) return finish('ok', parts);
  const error = scrub(`jmx: ${response.error ?? 'the read failed'}`, password);
  return finish(response.timedOut ? 'timeout' : 'error', { ...parts, error });
}

/** The bridge scrubs too; this holds even for a message from somewhere else. */
function scrub(message: string, password: string | undefined): string {
  return password ? message.split(password).join('***') : message;
}
