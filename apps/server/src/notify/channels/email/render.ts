// A notification rendered as an email: addresses from the configuration, the subject and the
// plain-text body rendered without escaping, the HTML body with HTML escaping. A channel's own
// template replaces the default of that part only, so a custom subject keeps the default bodies.
import { escapeHtml, noEscape, parseTemplate, renderTemplate, type Escape, type Template } from '@esmon/schema';
import type { Notification, Templates } from '../../channel.ts';
import { addressesOf, formatAddress, type EmailConfig } from './config.ts';
import { DEFAULT_TEMPLATES, emailTemplateData } from './templates.ts';

export type EmailPart = keyof typeof DEFAULT_TEMPLATES;

export interface RenderedEmail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  /** absent when the html template renders nothing: a text-only mail */
  html?: string;
}

// The defaults are parsed once; a broken default fails at startup, not at the first alert.
const PARSED_DEFAULTS: Record<EmailPart, Template> = {
  subject: parseTemplate(DEFAULT_TEMPLATES.subject),
  text: parseTemplate(DEFAULT_TEMPLATES.text),
  html: parseTemplate(DEFAULT_TEMPLATES.html),
};

const ESCAPE: Record<EmailPart, Escape> = { subject: noEscape, text: noEscape, html: escapeHtml };

/** A template of one part that does not parse; names the part, keeps the line:column. */
export class EmailTemplateError extends Error {
  override name = 'EmailTemplateError';
  constructor(
    readonly part: EmailPart,
    cause: Error,
  ) {
    super(`${part} template: ${cause.message}`, { cause });
  }
}

function templateOf(part: EmailPart, templates: Templates): Template {
  const custom = templates[part];
  // the dispatcher passes the defaults merged with the channel's own parts: reuse the parsed ones
  if (custom === undefined || custom === DEFAULT_TEMPLATES[part]) return PARSED_DEFAULTS[part];
  try {
    return parseTemplate(custom);
  } catch (err) {
    throw new EmailTemplateError(part, err as Error);
  }
}

/** A header holds one line: line breaks and other control characters become spaces. Capped at a readable length. */
export function oneLineSubject(s: string, max = 250): string {
  // eslint-disable-next-line no-control-regex
  const line = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Throws EmailTemplateError when a custom template does not parse. */
export function renderEmail(n: Notification, config: EmailConfig, templates: Templates): RenderedEmail {
  const data = emailTemplateData(n);
  const render = (part: EmailPart) => renderTemplate(templateOf(part, templates), data, ESCAPE[part]);
  const { from, to, cc } = addressesOf(config);
  // an empty subject reads as spam and is easy to miss in a list: fall back to the title
  const subject = oneLineSubject(render('subject')) || oneLineSubject(n.title) || 'esmon notification';
  const html = render('html');
  return {
    from: formatAddress(from),
    to: to.map(formatAddress),
    ...(cc.length ? { cc: cc.map(formatAddress) } : {}),
    subject,
    text: render('text'),
    ...(html.trim() ? { html } : {}),
  };
}
