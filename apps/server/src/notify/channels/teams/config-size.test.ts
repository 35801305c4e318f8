import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SHOWN } from './card.ts';
import { flavourOf } from './config.ts';
import { teamsChannel } from './index.ts';
import { alert, context, notification, startReceiver, type Receiver } from './testing.ts';

const TEAMS_LIMIT = 28 * 1024;

describe('teams channel: 60 alerts in one notification', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ status: 202 });
  });
  afterAll(() => receiver.close());

  it('sends a card under 28 KB that shows 10 and says "+50 more"', async () => {
    const n = notification(Array.from({ length: 60 }, (_, i) => alert(i)));
    const config = teamsChannel.config.parse({ url: receiver.url });
    expect(await teamsChannel.send(n, config, {}, context())).toMatchObject({ ok: true });
    const got = receiver.received.at(-1)!;
    expect(Buffer.byteLength(got.raw)).toBeLessThan(TEAMS_LIMIT);
    const body = got.json.attachments[0].content.body as any[];
    expect(body.filter((e) => e.selectAction)).toHaveLength(MAX_SHOWN);
    expect(body.at(-1).text).toBe('+50 more');
  });

  it('shows fewer when long texts would not fit, and still counts the rest', () => {
    const long = 'é'.repeat(5000); // two bytes each in UTF-8
    const alerts = Array.from({ length: 60 }, (_, i) => alert(i, { summary: long, hostname: `${long}-${i}`, rule: { id: 'r', name: long } }));
    const { payload } = teamsChannel.render(notification(alerts), { url: receiver.url, flavour: 'auto' }, {}) as { payload: any };
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(TEAMS_LIMIT);
    const body = payload.attachments[0].content.body as any[];
    const shown = body.filter((e) => e.selectAction).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(MAX_SHOWN);
    expect(body.at(-1).text).toBe(`+${60 - shown} more`);
  });
});

describe('teams channel: configuration', () => {
  const parse = (c: unknown) => teamsChannel.config.safeParse(c);

  it('refuses a non-https URL to a remote host, naming the field', () => {
    const r = parse({ url: 'http://teams.example.com/hook' });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path).toEqual(['url']);
    expect(issue.message).toMatch(/^url must use https/);
  });

  it('takes https anywhere, plain http only to this machine, and nothing unknown', () => {
    expect(parse({ url: 'https://prod-01.westeurope.logic.azure.com/workflows/x?sig=y' }).success).toBe(true);
    expect(parse({ url: 'http://127.0.0.1:8080/hook' }).success).toBe(true);
    expect(parse({ url: 'http://localhost/hook' }).success).toBe(true);
    expect(parse({ url: 'ftp://teams.example.com/hook' }).success).toBe(false);
    expect(parse({ url: 'not a url' }).error?.issues[0]?.message).toMatch(/^url must be a webhook URL/);
    expect(parse({ url: 'https://a.example.com', channel: 'x' }).success).toBe(false);
    expect(parse({ url: 'https://a.example.com', flavour: 'connector' }).success).toBe(false);
    expect(teamsChannel.secretFields).toEqual(['url']);
  });

  it('tells a legacy connector by its host when the flavour is auto', () => {
    const flavour = (url: string) => flavourOf(teamsChannel.config.parse({ url }));
    expect(flavour('https://contoso.webhook.office.com/webhookb2/a@b/IncomingWebhook/c/d')).toBe('legacy');
    expect(flavour('https://prod-01.westeurope.logic.azure.com/workflows/x?sig=y')).toBe('workflows');
    expect(flavour('https://webhook.office.com.evil.example/x')).toBe('workflows');
    expect(flavourOf({ url: 'https://contoso.webhook.office.com/x', flavour: 'workflows' })).toBe('workflows');
  });
});
