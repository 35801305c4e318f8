// "Test connection": the configured exchange once, summed up in a sentence for the workbench.
import type { StepContext } from '@esmon/schema';
import type { TcpTransport } from './exchange.ts';
import { executeTcp } from './execute.ts';
import type { TcpPrepared } from './prepare.ts';

export async function checkTcp(
  prepared: TcpPrepared,
  ctx: StepContext,
  transport: TcpTransport,
): Promise<{ ok: boolean; message: string }> {
  const r = await executeTcp(prepared, ctx, transport);
  const target = prepared.host.includes(':')
    ? `[${prepared.host}]:${prepared.port}`
    : `${prepared.host}:${prepared.port}`;
  const connectMs = r.samples.find((s) => s.metric === 'tcp.connect_ms')?.value;
  const connected = connectMs === undefined ? target : `${target}: connected in ${Math.round(connectMs)} ms`;
  if (r.status === 'ok')
    return { ok: true, message: prepared.expect ? `${connected}, the answer matches` : connected };
  return { ok: false, message: `${connected}: ${r.error ?? r.status}` };
}
