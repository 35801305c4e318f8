// The Gotify channel: a push message to a self-hosted Gotify server (POST <server>/message with an
// application token), shown on its web UI and phones. The message is markdown; its priority comes
// from the notification's severity, so phones can ring for critical and stay quiet for resolved;
// tapping the notification opens the first alert's page.
import { parseTemplate, renderTemplate, TemplateError, noEscape, type Escape } from '@esmon/schema';
import { z } from 'zod';
import type { ChannelType, Notification, SendContext, SendOutcome, Templates } from '../../channel.ts';
import { templateData } from '../../template-data.ts';
import { postJson } from '../webhook/post.ts';
import { escapeMarkdown } from './markdown.ts';

const priority = (fallback: number) =>
  z.int().min(0, 'a priority is 0 to 10').max(10, 'a priority is 0 to 10').default(fallback);

export const gotifyConfig = z.strictObject({
  /** the server's base URL, e.g. https://push.example.com or https://example.com/gotify */
  url: z
    .url({ protocol: /^https?$/, error: 'the Gotify server must be an http:// or https:// URL' })
    .max(2048)
    // a pasted ".../message?token=…" would put the token where it is logged and shown
    .refine(
      // zod runs refines even after .url() refused the text: no URL, nothing to add
      (u) => !URL.canParse(u) || (!new URL(u).search && !new URL(u).hash),
      "the server's base URL, without ?token= (the token has its own field)",
    )
    .refine(
      (u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password),
      "the server's base URL, without user:password@",
    ),
  /** an application token (Gotify → Apps); write-only */
  token: z.string().regex(/^[\x21-\x7e]{1,256}$/, 'an application token, as Gotify shows it'),
  /** Gotify's 0–10 per severity; Gotify's Android app rings from 8, stays silent at 0 */
  priorities: z
    .strictObject({
      warning: priority(5),
      critical: priority(8),
      very_critical: priority(10),
      resolved: priority(2),
    })
    .prefault({}),
  /** a limit shorter than the dispatcher's */
  timeoutSeconds: z.int().min(1).max(120).optional(),
});

export type GotifyConfig = z.output<typeof gotifyConfig>;

const MESSAGE = [
  '{{#isTest}}_A test notification from esmon._\n\n{{/isTest}}',
  '{{#alerts}}- **{{severityLabel}}** {{rule}}{{#host}} on {{host}}{{/host}}{{#value}} (value {{value}}){{/value}}',
  '{{#summary}}: {{summary}}{{/summary}} — [open]({{{links.alert}}})\n{{/alerts}}',
].join('');

/** A test notification has a severity too: it rings like the real thing would. */
export function gotifyPriority(n: Notification, priorities: GotifyConfig['priorities']): number {
  return n.severity ? priorities[n.severity] : priorities.resolved;
}

function part(templates: Templates, name: string, data: unknown, escape: Escape): string {
  const source = templates[name] ?? gotifyChannel.templates[name] ?? '';
  try {
    return renderTemplate(parseTemplate(source), data, escape);
  } catch (err) {
    if (err instanceof TemplateError)
      throw new TemplateError(`template "${name}": ${err.message}`, err.line, err.column);
    throw err;
  }
}

function message(n: Notification, config: GotifyConfig, templates: Templates) {
  const data = templateData(n);
  return {
    // the title is plain text in every Gotify client; only the message is markdown
    title: part(templates, 'title', data, noEscape),
    message: part(templates, 'message', data, escapeMarkdown),
    priority: gotifyPriority(n, config.priorities),
    extras: {
      'client::display': { contentType: 'text/markdown' },
      'client::notification': { click: { url: n.alerts[0]?.links.alert ?? n.workbenchUrl } },
    },
  };
}

const endpoint = (base: string) => new URL('message', base.endsWith('/') ? base : `${base}/`).toString();

export const gotifyChannel: ChannelType<GotifyConfig> = {
  type: 'gotify',
  title: 'Gotify',
  description: 'Push messages to a self-hosted Gotify server, with a priority per severity.',
  config: gotifyConfig,
  secretFields: ['token'],
  templates: { title: '{{title}}', message: MESSAGE },

  render(n, config, templates) {
    return { url: endpoint(config.url), ...message(n, config, templates) };
  },

  async send(n, config, templates, ctx: SendContext): Promise<SendOutcome> {
    let url: string, body: string;
    try {
      url = endpoint(config.url);
      body = JSON.stringify(message(n, config, templates));
    } catch (err) {
      // a template that does not render now will not render on the next attempt either
      return { ok: false, retryable: false, error: (err as Error).message };
    }
    // the token in a header, not ?token=: URLs end up in proxies' access logs
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'esmon',
      'x-gotify-key': config.token,
    };
    return postJson(url, headers, body, ctx, {
      timeoutSeconds: config.timeoutSeconds,
      secrets: [config.token],
    });
  },
};
