import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../channel.ts';
import { sampleNotification } from '../../template-data.ts';
import { answerStatus, sendContext, startReceiver, type Receiver } from '../webhook/test-receiver.ts';
import { gotifyChannel, gotifyConfig, type GotifyConfig } from './index.ts';

const TOKEN = 'AbCdEf.GhIjKl_42';
const WORKBENCH = 'https://esmon.example';

const sample = (): Notification => sampleNotification(WORKBENCH, new Date('2026-11-24T09:00:00Z'));
const config = (url: string, extra: Record<string, unknown> = {}): GotifyConfig =>
  gotifyConfig.parse({ url, token: TOKEN, ...extra });

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** Sends to a fresh receiver answering 200; the message as Gotify would read it. */
async function delivered(n: Notification, extra: Record<string, unknown> = {}, path = '') {
  receiver = await startReceiver(answerStatus(200, '{"id":1}', { 'content-type': 'application/json' }));
  const outcome = await gotifyChannel.send(n, config(receiver.url + path, extra), {}, sendContext());
  expect(outcome).toEqual({ ok: true, status: 200 });
  const req = receiver.received[0]!;
  return { req, message: JSON.parse(req.body.toString('utf8')) };
}

describe('gotify channel', () => {
  it('POSTs to <server>/message with the token in X-Gotify-Key, not in the URL', async () => {
    const { req, message } = await delivered(sample(), {}, '/gotify');
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/gotify/message');
    expect(req.headers['x-gotify-key']).toBe(TOKEN);
    expect(req.headers['content-type']).toBe('application/json');
    expect(Object.keys(message).sort()).toEqual(['extras', 'message', 'priority', 'title']);
    expect(message.title).toBe(sample().title);
  });

  it('marks the message as markdown and opens the first alert on a click', async () => {
    const { message } = await delivered(sample());
    expect(message.extras).toEqual({
      'client::display': { contentType: 'text/markdown' },
      'client::notification': { click: { url: `${WORKBENCH}/alerts/test-1` } },
    });
    expect(message.message).toContain('_A test notification from esmon._');
    expect(message.message).toContain(
      '- **CRITICAL** Maximo JVM heap high (test) on maximo-app-01 (value 93.4)',
    );
    expect(message.message).toContain(`[open](${WORKBENCH}/alerts/test-2)`);
    expect(message.message).toContain('- **RESOLVED**');
  });

  it.each([
    ['critical', 8],
    ['warning', 5],
    ['very_critical', 10],
    [null, 2],
  ] as const)('severity %s gives priority %i by default', async (severity, priority) => {
    const { message } = await delivered({ ...sample(), severity });
    expect(message.priority).toBe(priority);
  });

  it('takes the configured priorities', async () => {
    const priorities = { critical: 9, resolved: 0 };
    expect((await delivered({ ...sample(), severity: 'critical' }, { priorities })).message.priority).toBe(9);
    await receiver?.close();
    expect(
      (await delivered({ ...sample(), kind: 'resolved', severity: null }, { priorities })).message.priority,
    ).toBe(0);
  });

  it('escapes markup in values, so an agent cannot slip an image or a link into the message', async () => {
    const n = sample();
    n.alerts[0]!.summary = 'see ![x](https://tracker.example/p.png) and [here](https://evil.example)';
    const { message } = await delivered(n);
    expect(message.message).toContain('see \\!\\[x\\](https://tracker.example/p.png)');
    expect(message.message).not.toContain('![x]');
  });

  it('401 is not worth another try, and the error does not carry the token', async () => {
    // a receiver that echoes the token it was given: the outcome must still not repeat it
    receiver = await startReceiver((req, res) => {
      res
        .writeHead(401)
        .end(
          JSON.stringify({
            error: 'Unauthorized',
            errorDescription: `token ${req.headers['x-gotify-key']} is unknown`,
          }),
        );
    });
    const outcome = await gotifyChannel.send(sample(), config(receiver.url), {}, sendContext());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(outcome.ok ? '' : outcome.error).toContain('Unauthorized');
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });

  it('a template that does not parse is a failure not worth another try, not a throw', async () => {
    const outcome = await gotifyChannel.send(
      sample(),
      config('http://127.0.0.1:9'),
      { message: '{{#alerts}}' },
      sendContext(),
    );
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(outcome.ok ? '' : outcome.error).toContain('template "message"');
  });

  it('renders the message without the token', () => {
    const r = gotifyChannel.render(sample(), config('https://push.example'), { title: 'esmon: {{title}}' });
    expect(r).toMatchObject({
      url: 'https://push.example/message',
      title: `esmon: ${sample().title}`,
      priority: 8,
    });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('configuration: defaults, ranges, and no token in the URL', () => {
    expect(gotifyConfig.parse({ url: 'https://push.example', token: TOKEN }).priorities).toEqual({
      warning: 5,
      critical: 8,
      very_critical: 10,
      resolved: 2,
    });
    const paths = (input: unknown) => {
      const r = gotifyConfig.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ url: 'https://push.example', token: TOKEN, priorities: { critical: 11 } })).toEqual([
      'priorities.critical',
    ]);
    expect(paths({ url: `https://push.example/message?token=${TOKEN}`, token: TOKEN })).toEqual(['url']);
    expect(paths({ url: 'https://push.example', token: 'two words' })).toEqual(['token']);
    // not a URL at all: one issue, not a TypeError thrown from the later checks (a 500 before)
    expect(paths({ url: 'not a url', token: TOKEN })).toEqual(['url']);
  });
});
