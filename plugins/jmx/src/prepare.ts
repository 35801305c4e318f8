// Parameters → the exact request the bridge gets (less the password, which is resolved per run
// from the agent's secrets). Metric names are checked here, so a bad one fails at save time.
import { limits, parseParams } from '@esmon/schema';
import { jmxManifest, type JmxParamsInput } from './manifest.ts';
import type { JmxRead } from './protocol.ts';
import { metricFor } from './values.ts';

export interface JmxPrepared {
  url: string;
  user?: string;
  /** `secret:NAME`, resolved with ctx.secret() at each run */
  passwordRef?: string;
  reads: JmxRead[];
  metricPrefix: string;
  timeoutMs: number;
}

/** Takes parameters as saved (defaults may be left out); bad ones throw PluginParamsError naming each field. */
export function prepareJmx(input: JmxParamsInput): JmxPrepared {
  const params = parseParams(jmxManifest, input);
  const url = params.url ?? urlFor(params.host, params.port);
  for (const read of params.reads) {
    for (const attribute of read.attributes) {
      const metric = metricFor(params.metricPrefix, attribute);
      if (metric.length > limits.metricName) {
        throw new Error(`jmx: attribute ${attribute} of ${read.mbean} gives a metric name longer than ${limits.metricName} characters`);
      }
    }
  }
  return {
    url,
    ...(params.user ? { user: params.user } : {}),
    ...(params.password ? { passwordRef: params.password } : {}),
    reads: params.reads.map((r) => ({ mbean: r.mbean, attributes: [...r.attributes] })),
    metricPrefix: params.metricPrefix,
    timeoutMs: params.timeoutMs,
  };
}

/** The platform JMX agent's URL (com.sun.management.jmxremote.port); IPv6 addresses in brackets. */
export function urlFor(host: string | undefined, port: number | undefined): string {
  if (!host || !port) throw new Error('jmx: give a JMX service URL, or host and port');
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `service:jmx:rmi:///jndi/rmi://${h}:${port}/jmxrmi`;
}
