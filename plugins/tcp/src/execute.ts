// Connects within the step's deadline and turns what happened into samples. Failure is data: a
// refused port is `tcp.up 0` with Node's reason (ECONNREFUSED …) in `error`.
import type { SampleInput, StepContext, StepResult } from '@esmon/schema';
import type { TcpExchangeResult, TcpTransport } from './exchange.ts';
import type { TcpPrepared } from './prepare.ts';

/** Bytes of the answer read at most: a banner or a short reply, not a download. */
export const MAX_ANSWER_BYTES = 64 * 1024;

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The answer as quoted in an error: short, on one line. */
function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

function judge(
  prepared: TcpPrepared,
  r: TcpExchangeResult,
  timeoutMs: number,
  aborted: boolean,
): Pick<StepResult, 'status' | 'error'> & { up: boolean } {
  const connected = r.connectMs !== undefined;
  const timedOut = r.error?.code === 'ABORT_ERR';
  const matched = prepared.expect ? prepared.expect.test(r.received) : true;
  if (r.error && !timedOut) return { up: false, status: 'error', error: r.error.message };
  if (timedOut && aborted) return { up: false, status: 'timeout', error: 'aborted by the agent' };
  if (timedOut && !connected)
    return { up: false, status: 'timeout', error: `no connection within ${timeoutMs} ms` };
  if (matched) return { up: true, status: 'ok' };
  // an answer that does not match is a wrong answer, however long we waited for a better one
  if (r.received !== '')
    return {
      up: false,
      status: 'error',
      error: `expect /${prepared.expect!.source}/ does not match the answer ${quote(r.received)}`,
    };
  if (timedOut)
    return { up: false, status: 'timeout', error: `connected, but no answer within ${timeoutMs} ms` };
  return {
    up: false,
    status: 'error',
    error: 'connected, but the server closed the connection without an answer',
  };
}

export async function executeTcp(
  prepared: TcpPrepared,
  ctx: StepContext,
  transport: TcpTransport,
): Promise<StepResult> {
  const ts = Math.round(ctx.now());
  // "host" is the reporting host's own label on the server: the target is "target"
  const labels = { target: prepared.host, port: String(prepared.port) };
  const sample = (metric: string, value: number): SampleInput => ({ metric, labels, ts, value });
  const timeoutMs = Math.min(prepared.timeoutMs, ctx.timeoutMs);
  const expect = prepared.expect;
  const r = await transport({
    host: prepared.host,
    port: prepared.port,
    ...(prepared.send !== undefined ? { send: prepared.send } : {}),
    ...(expect ? { until: (received: string) => expect.test(received) } : {}),
    maxBytes: MAX_ANSWER_BYTES,
    signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
  });
  const { up, ...outcome } = judge(prepared, r, timeoutMs, ctx.signal.aborted);
  const samples = [sample('tcp.up', up ? 1 : 0)];
  if (r.connectMs !== undefined) {
    samples.push(sample('tcp.connect_ms', round(r.connectMs)));
    if (expect) samples.push(sample('tcp.expect_match', expect.test(r.received) ? 1 : 0));
  }
  const output = r.received.trim();
  return { ...outcome, samples, ...(output ? { output } : {}), durationMs: round(r.totalMs) };
}
