// "Test connection": connect and read the JVM's uptime, through the same path as a real run.
import type { StepContext } from '@esmon/schema';
import { executeJmx } from './execute.ts';
import type { JmxPrepared } from './prepare.ts';
import type { ReadJmx } from './protocol.ts';

export interface CheckJmxOptions {
  prepared: JmxPrepared;
  ctx: StepContext;
  read: ReadJmx;
}

export async function checkJmx({ prepared, ctx, read }: CheckJmxOptions): Promise<{ ok: boolean; message: string }> {
  const probe = { ...prepared, reads: [{ mbean: 'java.lang:type=Runtime', attributes: ['Uptime'] }] };
  const result = await executeJmx({ prepared: probe, ctx, read });
  const uptimeMs = result.samples[0]?.value;
  if (result.status !== 'ok' || uptimeMs === undefined) return { ok: false, message: result.error ?? 'jmx: no uptime in the answer' };
  return { ok: true, message: `connected to ${prepared.url}; the JVM has been up ${formatUptime(uptimeMs)}` };
}

function formatUptime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return [d && `${d} d`, h && `${h} h`, `${m} min`].filter(Boolean).join(' ');
}
