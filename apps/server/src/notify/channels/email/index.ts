// The email channel: alert notifications as multipart mail (plain text and HTML) over SMTP, with
// plain, STARTTLS (required, never a fallback to clear) or implicit TLS, optional login, and a
// private CA for relays with an in-house certificate.
import type { ChannelType } from '../../channel.ts';
import { emailConfigSchema, type EmailConfig } from './config.ts';
import { renderEmail } from './render.ts';
import { sendEmail } from './send.ts';
import { DEFAULT_TEMPLATES } from './templates.ts';

export type { EmailConfig } from './config.ts';

export const emailChannel: ChannelType<EmailConfig> = {
  type: 'email',
  title: 'Email',
  description: 'Sends each notification as an email (plain text and HTML) through an SMTP server.',
  config: emailConfigSchema,
  secretFields: ['password'],
  templates: DEFAULT_TEMPLATES,
  // RenderedEmail has no password field to leave out: the addresses and the rendered parts only
  render: (n, config, templates) => ({ ...renderEmail(n, config, templates) }),
  send: sendEmail,
};
