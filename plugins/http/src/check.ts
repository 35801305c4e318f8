// "Test connection": the configured request once, summed up in a sentence for the workbench.
import type { StepContext } from '@esmon/schema';
import type { HttpTransport } from './exchange.ts';
import { executeHttp } from './execute.ts';
import type { HttpPrepared } from './prepare.ts';

export async function checkHttp(
  prepared: HttpPrepared,
  ctx: StepContext,
  transport: HttpTransport,
): Promise<{ ok: boolean; message: string }> {
  const r = await executeHttp(prepared, ctx, transport);
  const value = (metric: string) => r.samples.find((s) => s.metric === metric)?.value;
  const status = value('http.status_code');
  const days = value('http.tls.cert_days_left');
  const parts = [
    status === undefined ? undefined : `status ${status}`,
    `${Math.round(r.durationMs)} ms`,
    days === undefined ? undefined : `certificate expires in ${Math.floor(days)} days`,
  ].filter((p) => p !== undefined);
  const summary = `${prepared.label}: ${parts.join(', ')}`;
  return r.status === 'ok'
    ? { ok: true, message: summary }
    : { ok: false, message: `${summary}: ${r.error ?? r.status}` };
}
