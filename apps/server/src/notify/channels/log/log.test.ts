import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../log.ts';
import type { Notification } from '../../channel.ts';
import { sampleNotification } from '../../template-data.ts';
import { sendContext } from '../webhook/test-receiver.ts';
import { logChannel, logConfig } from './index.ts';

/** A pino logger writing into a stream the test reads, line by line. */
function capture(level = 'info') {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

// free text that may hold what should never reach a log: it stays on the alert's page
const withSecrets = (): Notification => {
  const n = sampleNotification('https://esmon.example', new Date('2026-11-24T09:00:00Z'));
  n.alerts[0]!.labels = { ...n.alerts[0]!.labels, db_password: 'hunter2-label' };
  n.alerts[0]!.description = 'connect with token tok-in-description';
  return n;
};

describe('log channel', () => {
  it('writes one line with the notification and each alert, at info by default', async () => {
    const { log, lines } = capture();
    const n = withSecrets();
    const outcome = await logChannel(log).send(n, logConfig.parse({}), {}, sendContext());
    expect(outcome).toEqual({ ok: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'notification',
      notification: {
        id: n.id,
        kind: 'test',
        severity: 'critical',
        title: n.title,
        alertCount: 2,
        alerts: [
          {
            id: 'test-1',
            rule: 'Maximo JVM heap high (test)',
            host: 'maximo-app-01',
            state: 'firing',
            severity: 'critical',
            value: 93.4,
          },
          {
            id: 'test-2',
            rule: 'Maximo JVM heap high (test)',
            host: 'maximo-app-02',
            state: 'resolved',
            severity: null,
            value: 61.2,
          },
        ],
      },
    });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('hunter2-label');
    expect(text).not.toContain('tok-in-description');
  });

  it('writes at warn when configured', async () => {
    const { log, lines } = capture();
    await logChannel(log).send(withSecrets(), logConfig.parse({ level: 'warn' }), {}, sendContext());
    expect(lines.map((l) => l.level)).toEqual([40]);
  });

  it('a logger that throws is a failed delivery, not a throw', async () => {
    const log = createLogger('info', {
      write() {
        throw new Error('disk full');
      },
    });
    const outcome = await logChannel(log).send(withSecrets(), logConfig.parse({}), {}, sendContext());
    expect(outcome).toEqual({ ok: false, retryable: true, error: 'the log refused the line: disk full' });
  });

  it('renders the line it would write', () => {
    const r = logChannel(capture().log).render(withSecrets(), logConfig.parse({ level: 'warn' }), {});
    expect(r).toMatchObject({ level: 'warn', notification: { kind: 'test', alertCount: 2 } });
    expect(logConfig.safeParse({ level: 'debug' }).success).toBe(false);
  });
});
