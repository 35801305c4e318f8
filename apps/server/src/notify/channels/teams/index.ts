// Microsoft Teams: an Adaptive Card posted to a channel's webhook. Microsoft retired Office 365
// connectors in favour of Workflows ("Post to a channel when a webhook request is received"),
// which take the same message envelope; both flavours are kept because existing connector URLs
// answer differently (see send.ts).
//
// Templates: `title` renders with the notification's data (templateData); `summary` renders once
// per shown alert with that data plus `alert`, the alert's own. Inserted values are escaped for
// the card's markdown (markdown.ts); `{{{…}}}` inserts markdown as written.
import { parseTemplate, renderTemplate } from '@esmon/schema';
import type { ChannelType, Notification, Templates } from '../../channel.ts';
import { templateData } from '../../template-data.ts';
import { fittedMessage, type CardTexts } from './card.ts';
import { flavourOf, teamsConfig, type TeamsConfig } from './config.ts';
import { cut, escapeMarkdown } from './markdown.ts';
import { postMessage } from './send.ts';

export type { TeamsConfig } from './config.ts';

const MAX_TITLE = 300;
const MAX_SUMMARY = 1000;

const TEMPLATES = {
  title: '{{title}}',
  summary: '{{alert.summary}}{{^alert.summary}}{{alert.description}}{{/alert.summary}}',
};

/** The card's texts; throws TemplateError for a template that does not parse. */
function cardTexts(n: Notification, templates: Templates): CardTexts {
  const t = { ...TEMPLATES, ...templates };
  const title = parseTemplate(t.title);
  const summary = parseTemplate(t.summary);
  const data = templateData(n);
  return {
    title: cut(renderTemplate(title, data, escapeMarkdown, 4 * MAX_TITLE).trim(), MAX_TITLE) || escapeMarkdown(n.title),
    summary: (alert) => cut(renderTemplate(summary, { ...data, alert }, escapeMarkdown, 4 * MAX_SUMMARY).trim(), MAX_SUMMARY),
  };
}

function render(n: Notification, config: TeamsConfig, templates: Templates) {
  return { flavour: flavourOf(config), payload: fittedMessage(n, cardTexts(n, templates)) };
}

export const teamsChannel: ChannelType<TeamsConfig> = {
  type: 'teams',
  title: 'Microsoft Teams',
  description:
    'Posts an Adaptive Card to a Teams channel: the URL of a Workflows webhook ("Post to a channel when a webhook request is received") or of a legacy Office 365 connector',
  config: teamsConfig,
  secretFields: ['url'],
  templates: TEMPLATES,
  render,
  async send(n, config, templates, ctx) {
    let rendered: ReturnType<typeof render>;
    try {
      rendered = render(n, config, templates);
    } catch (err) {
      // a template that does not parse will not parse on the next attempt either
      return { ok: false, retryable: false, error: `the card could not be made: ${(err as Error).message}` };
    }
    return postMessage(config.url, rendered.payload, rendered.flavour, ctx, config.timeoutSeconds);
  },
};
