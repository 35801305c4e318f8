import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendOutcome } from '../../channel.ts';
import { teamsChannel, type TeamsConfig } from './index.ts';
import { alert, closedPortUrl, context, notification, startReceiver, type Receiver } from './testing.ts';

const TEAMS_429 =
  'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef.0..';
const TEAMS_413 = TEAMS_429.replace('HTTP error 429', 'HTTP error 413');

const n = notification([alert(1)]);
const noSecret = (o: SendOutcome) => {
  expect(JSON.stringify(o)).not.toContain('S3cr3t');
  expect(JSON.stringify(o)).not.toContain('/workflows/abc');
  return o;
};

describe('teams channel: what an answer means', () => {
  let receiver: Receiver;
  let legacy: TeamsConfig;
  let workflows: TeamsConfig;
  const send = async (config: TeamsConfig, answer: Receiver['answer'], timeoutMs = 5000) => {
    receiver.answer = answer;
    return noSecret(await teamsChannel.send(n, config, {}, context(timeoutMs)));
  };
  beforeAll(async () => {
    receiver = await startReceiver();
    legacy = teamsChannel.config.parse({ url: receiver.url, flavour: 'legacy' });
    workflows = teamsChannel.config.parse({ url: receiver.url, flavour: 'workflows' });
  });
  afterAll(() => receiver.close());

  it('legacy: 200 "1" is delivered', async () => {
    expect(await send(legacy, { status: 200, body: '1' })).toEqual({ ok: true, status: 200 });
  });

  it('legacy: 200 with an error text is a failure, not retried when Teams refused the card', async () => {
    const o = await send(legacy, { status: 200, body: TEAMS_413 });
    expect(o).toMatchObject({ ok: false, retryable: false, status: 200 });
    expect(!o.ok && o.error).toContain('HTTP error 413');
  });

  it('legacy: 200 with a throttling text is retried', async () => {
    expect(await send(legacy, { status: 200, body: TEAMS_429 })).toMatchObject({ ok: false, retryable: true, status: 200 });
    expect(await send(legacy, { status: 200, body: '' })).toMatchObject({ ok: false, retryable: false });
  });

  it('workflows: a 200 body is not read as an error, that is the legacy form only', async () => {
    expect(await send(workflows, { status: 200, body: TEAMS_413 })).toEqual({ ok: true, status: 200 });
  });

  it('429 with Retry-After is retried after that long', async () => {
    const o = await send(legacy, { status: 429, body: 'slow down', headers: { 'retry-after': '7' } });
    expect(o).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 7000 });
  });

  it('a redirect is not followed: the URL is the credential', async () => {
    const o = await send(workflows, { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    expect(o).toMatchObject({ ok: false, retryable: false, status: 302 });
  });

  it('500 is retried, 400 is not', async () => {
    expect(await send(legacy, { status: 500, body: 'oops' })).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(await send(workflows, { status: 400, body: '{"error":{"code":"InvalidRequestContent"}}' })).toMatchObject({
      ok: false,
      retryable: false,
      status: 400,
    });
  });

  it('never quotes the URL, even when the receiver echoes it', async () => {
    const o = await send(workflows, { status: 404, body: `no flow at ${receiver.url}` });
    expect(o).toMatchObject({ ok: false, retryable: false, status: 404 });
    expect(!o.ok && o.error).toContain('no flow at <webhook URL>');
  });

  it('nobody listening is retried', async () => {
    const config = teamsChannel.config.parse({ url: await closedPortUrl(), flavour: 'legacy' });
    const o = noSecret(await teamsChannel.send(n, config, {}, context()));
    expect(o).toMatchObject({ ok: false, retryable: true });
    expect(!o.ok && o.error).toMatch(/ECONNREFUSED/);
  });

  it('a receiver that never answers is retried once the attempt is out of time', async () => {
    const o = await send(legacy, 'never', 300);
    expect(o).toEqual({ ok: false, retryable: true, error: 'no answer within 0.3 s' });
  });

  it('timeoutSeconds shortens the attempt below the dispatcher limit', async () => {
    receiver.answer = 'never';
    const config = teamsChannel.config.parse({ url: receiver.url, timeoutSeconds: 1 });
    const o = noSecret(await teamsChannel.send(n, config, {}, context(60_000)));
    expect(o).toEqual({ ok: false, retryable: true, error: 'no answer within 1 s' });
  });
});
