// The log channel: each notification as one structured line in the server's own log. For a first
// setup (see what routing would send before any receiver exists), for tests, and for shipping
// alerts through a log pipeline that is already watched. Nothing to deliver over a network, so it
// succeeds unless the logger itself fails.
import { z } from 'zod';
import type { Logger } from '../../../log.ts';
import type { ChannelType, Notification, SendOutcome } from '../../channel.ts';

export const logConfig = z.strictObject({
  /** warn makes notifications stand out in a log read at warn and above */
  level: z.enum(['info', 'warn']).default('info'),
});

export type LogConfig = z.output<typeof logConfig>;

/** A group of thousands of alerts must not make a line of megabytes; the count says what is left out. */
const MAX_ALERTS = 50;

/**
 * What the line carries. Only these fields: labels and descriptions are left out because they are
 * free text from agents and annotations, and a log line outlives the alert (and may be shipped
 * elsewhere); the alert's page has them.
 */
export function logFields(n: Notification) {
  return {
    id: n.id,
    kind: n.kind,
    severity: n.severity,
    title: n.title,
    alertCount: n.alerts.length,
    alerts: n.alerts.slice(0, MAX_ALERTS).map((a) => ({
      id: a.id,
      rule: a.rule.name,
      host: a.hostname,
      state: a.state,
      severity: a.severity,
      value: a.value,
    })),
  };
}

export function logChannel(log: Logger): ChannelType<LogConfig> {
  return {
    type: 'log',
    title: 'Server log',
    description: "Writes each notification as one structured line in esmon's own log.",
    config: logConfig,
    secretFields: [],
    // a structured line for machines: nothing to template
    templates: {},

    render(n, config) {
      return { level: config.level, msg: 'notification', notification: logFields(n) };
    },

    async send(n, config): Promise<SendOutcome> {
      try {
        // under its own key: pino's fields (level, time, msg) and the redaction paths stay apart
        log[config.level]({ notification: logFields(n) }, 'notification');
        return { ok: true };
      } catch (err) {
        // a full disk or a closed stream may well pass
        return { ok: false, retryable: true, error: `the log refused the line: ${(err as Error).message}` };
      }
    },
  };
}
