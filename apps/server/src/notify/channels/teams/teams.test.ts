import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../channel.ts';
import { sampleNotification } from '../../template-data.ts';
import { teamsChannel, type TeamsConfig } from './index.ts';
import { alert, context, notification, startReceiver, type Receiver } from './testing.ts';

const card = (n: Notification, templates = {}) => {
  const { payload } = teamsChannel.render(n, { url: 'https://x.example.com/hook', flavour: 'auto' }, templates) as { payload: any };
  return payload.attachments[0].content;
};
const header = (c: any) => c.body[0];
const blocks = (c: any) => c.body.filter((e: any) => e.type === 'Container' && e.items.some((i: any) => i.type === 'FactSet'));
const facts = (block: any): Record<string, string> =>
  Object.fromEntries(block.items.find((i: any) => i.type === 'FactSet').facts.map((f: any) => [f.title, f.value]));

describe('teams channel: the Workflows message and its card', () => {
  let receiver: Receiver;
  let config: TeamsConfig;
  beforeAll(async () => {
    receiver = await startReceiver({ status: 202 });
    config = teamsChannel.config.parse({ url: receiver.url });
  });
  afterAll(() => receiver.close());

  it('posts a message with one Adaptive Card attachment, as Workflows take it, and 202 is delivered', async () => {
    const n = notification([alert(1)]);
    const outcome = await teamsChannel.send(n, config, {}, context());
    expect(outcome).toEqual({ ok: true, status: 202 });
    const got = receiver.received.at(-1)!;
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.path).toContain('sig=');
    expect(got.json).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { type: 'AdaptiveCard' } }],
    });
    expect(got.json.attachments).toHaveLength(1);
    expect(['1.4', '1.5']).toContain(got.json.attachments[0].content.version);
    // what is sent is what render() shows, and render() leaves the URL out
    const rendered = teamsChannel.render(n, config, {});
    expect(rendered).toEqual({ flavour: 'workflows', payload: got.json });
    expect(JSON.stringify(rendered)).not.toContain('S3cr3t');
  });

  it('colours the header by severity: attention, warning, good when resolved, accent for a test', () => {
    const style = (n: Notification) => header(card(n)).style;
    expect(style(notification([alert(1, { severity: 'very_critical' })]))).toBe('attention');
    expect(style(notification([alert(1, { severity: 'critical' })]))).toBe('attention');
    expect(style(notification([alert(1, { severity: 'warning' })]))).toBe('warning');
    expect(style(notification([alert(1, { state: 'resolved', severity: null, resolvedAt: '2024-05-01T12:30:00Z' })]))).toBe('good');
    expect(style(sampleNotification('https://esmon.example.com'))).toBe('accent');
    expect(header(card(notification([alert(1)]))).items.map((i: any) => i.text)).toContain('[CRITICAL] CPU high on web-01');
  });

  it('gives each alert its facts: host, rule, value and since', () => {
    const c = card(notification([alert(1), alert(2, { severity: 'warning', value: 81.23456, hostname: null })]));
    const [first, second] = blocks(c);
    expect(facts(first)).toEqual({ Host: 'web-01', Rule: 'CPU high', Value: '97.5', Since: '2024-05-01 12:00:05 UTC' });
    expect(facts(second)).toEqual({ Rule: 'CPU high', Value: '81.235', Since: '2024-05-01 12:00:05 UTC' });
    expect(first.items.at(-1)).toMatchObject({ type: 'TextBlock', text: 'CPU at 97.5 % on web-1' });
    expect(first.items[0]).toMatchObject({ text: 'CRITICAL', color: 'Attention' });
    expect(second.items[0]).toMatchObject({ text: 'WARNING', color: 'Warning' });
    expect(first.selectAction).toEqual({ type: 'Action.OpenUrl', title: 'Open alert', url: 'https://esmon.example.com/alerts/a1' });
  });

  it('links one firing alert to its page, acknowledge and silence', () => {
    const c = card(notification([alert(7)]));
    expect(c.actions.map((a: any) => [a.type, a.title, a.url])).toEqual([
      ['Action.OpenUrl', 'Open alert', 'https://esmon.example.com/alerts/a7'],
      ['Action.OpenUrl', 'Acknowledge', 'https://esmon.example.com/alerts/a7?action=acknowledge'],
      ['Action.OpenUrl', 'Silence', 'https://esmon.example.com/silences/new?alert=a7'],
    ]);
  });

  it('links a group to its first firing alert and the alerts list', () => {
    const resolved = alert(1, { state: 'resolved', severity: null, resolvedAt: '2024-05-01T12:30:00Z' });
    const c = card(notification([resolved, alert(2), alert(3)]));
    expect(c.actions.map((a: any) => a.url)).toEqual(['https://esmon.example.com/alerts/a2', 'https://esmon.example.com/alerts']);
    // firing alerts come first, the resolved one after them
    expect(blocks(c).map((b: any) => facts(b).Host)).toEqual(['web-02', 'web-03', 'web-01']);
  });

  it('follows up on resolve with a "Resolved" card: good style, the time it resolved, no acknowledge', () => {
    const n = notification([alert(4, { state: 'resolved', severity: null, resolvedAt: '2024-05-01T12:30:00.000Z' })]);
    expect(n.kind).toBe('resolved');
    const c = card(n);
    expect(header(c)).toMatchObject({ style: 'good', items: [{ text: 'RESOLVED', color: 'Good' }, { text: '[RESOLVED] CPU high on web-04' }, {}] });
    expect(facts(blocks(c)[0])['Resolved at']).toBe('2024-05-01 12:30:00 UTC');
    expect(blocks(c)[0].items[0]).toMatchObject({ text: 'RESOLVED', color: 'Good' });
    expect(c.actions.map((a: any) => a.title)).toEqual(['Open alert']);
    // kind 'resolved' alone makes it the follow-up, whatever the alerts still say
    expect(header(card({ ...notification([alert(5)]), kind: 'resolved' })).style).toBe('good');
  });

  it('escapes markdown in inserted values and keeps it where a template asks for it raw', () => {
    const n = notification([alert(1, { rule: { id: 'r', name: 'disk_free_low' }, summary: '*nearly* full, see [runbook](x)' })]);
    const c = card(n, { title: 'Disk {{groupLabels.rule}} on **{{#alerts}}{{host}}{{/alerts}}**' });
    const block = blocks(c)[0];
    expect(facts(block).Rule).toBe('disk\\_free\\_low');
    expect(block.items.at(-1).text).toBe('\\*nearly\\* full, see [runbook\\](x)');
    expect(header(c).items[1].text).toBe('Disk CPU high on **web-01**');
    const raw = card(n, { summary: '{{{alert.summary}}}' });
    expect(blocks(raw)[0].items.at(-1).text).toBe('*nearly* full, see [runbook](x)');
  });

  it('refuses, without retrying or sending, a template that does not parse', async () => {
    const before = receiver.received.length;
    const outcome = await teamsChannel.send(notification([alert(1)]), config, { title: '{{#alerts}}open' }, context());
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(!outcome.ok && outcome.error).toContain('is not closed');
    expect(receiver.received.length).toBe(before);
  });
});
