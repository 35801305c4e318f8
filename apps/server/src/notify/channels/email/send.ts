// One delivery attempt over SMTP, a new connection each time (alert mail is rare; a pool would
// hold connections a relay may drop while idle). What the answer means for the dispatcher:
// - an SMTP reply 4xx (greylisting, mailbox busy, 421 closing) may pass later: retryable;
// - an SMTP reply 5xx (550 no such mailbox, 535 bad credentials, 554 refused) will be the same
//   next time: not retryable;
// - no reply at all (refused, reset, DNS, TLS handshake, timeout): retryable;
// - a configuration nodemailer refuses before talking (no usable AUTH mechanism, a bad address):
//   not retryable.
// The password never reaches an outcome: error texts are scrubbed of it and its encodings, in
// case a server echoes what it was sent.
import nodemailer from 'nodemailer';
import type { Notification, SendContext, SendOutcome, Templates } from '../../channel.ts';
import { networkOutcome } from '../../channel.ts';
import { addressesOf, portOf, type EmailConfig } from './config.ts';
import { EmailTemplateError, renderEmail } from './render.ts';

interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

// nodemailer codes for what it refused itself, before or without a server's reply
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'EREQUIRETLS', 'EOAUTH2']);

/** A Message-ID's left part is a dot-atom: anything else in an intent's id becomes "-". */
export const messageIdOf = (id: string) => `<${id.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-')}@esmon>`;

function scrubber(config: EmailConfig): (s: string) => string {
  const pass = config.password;
  if (!pass) return (s) => s;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  // longest first, so the AUTH PLAIN blob goes before the password inside it
  const secrets = [b64(`\0${config.username ?? ''}\0${pass}`), b64(pass), pass].sort((a, b) => b.length - a.length);
  return (s) => secrets.reduce((out, secret) => out.split(secret).join('***'), s);
}

/** What a failed attempt means; `scrub` removes secrets from the text. */
export function smtpFailure(err: unknown, scrub: (s: string) => string): SendOutcome {
  const e = (err ?? {}) as SmtpError;
  const code = e.originalCode ?? e.code;
  let message = e.message ?? String(err);
  if (e.command === 'STARTTLS' && e.responseCode) message = `the server refused STARTTLS, so nothing was sent in clear: ${message}`;
  else if (code && !message.includes(code)) message = `${code}: ${message}`;
  const error = scrub(message).slice(0, 500);
  const reply = e.responseCode;
  if (reply && reply >= 400 && reply < 600) return { ok: false, retryable: reply < 500, error, status: reply };
  return { ok: false, retryable: !PERMANENT_CODES.has(e.code ?? ''), error };
}

export async function sendEmail(n: Notification, config: EmailConfig, templates: Templates, ctx: SendContext): Promise<SendOutcome> {
  const scrub = scrubber(config);
  if (ctx.signal.aborted) return networkOutcome(new Error('aborted before sending'), ctx);
  let mail;
  try {
    mail = renderEmail(n, config, templates);
  } catch (err) {
    // a template that does not parse stays broken until someone edits it
    if (err instanceof EmailTemplateError) return { ok: false, retryable: false, error: err.message };
    return { ok: false, retryable: false, error: `rendering failed: ${scrub((err as Error).message)}` };
  }
  const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, (config.timeoutSeconds ?? Infinity) * 1000));
  // the dispatcher's signal, or our own deadline when the channel's timeout is shorter
  const deadline = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
  const { from, to, cc } = addressesOf(config);
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  try {
    transport = nodemailer.createTransport({
      host: config.host,
      port: portOf(config),
      secure: config.security === 'tls',
      // requireTLS: STARTTLS or fail, never a fallback to plaintext; ignoreTLS: plain means plain
      requireTLS: config.security === 'starttls',
      ignoreTLS: config.security === 'none',
      // with credentials configured, mail goes out authenticated or not at all: a server that
      // does not offer AUTH answers an error instead of nodemailer silently skipping the login
      ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' }, forceAuth: true } : {}),
      tls: { rejectUnauthorized: config.tlsRejectUnauthorized ?? true, ...(config.ca ? { ca: config.ca } : {}) },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      logger: false,
      debug: false,
    });
    const info = await transport.sendMail({
      from,
      to,
      ...(cc.length ? { cc } : {}),
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      // the same on every attempt: a retried notification is recognisably the same message
      messageId: messageIdOf(n.id),
      date: new Date(ctx.now()),
      headers: {
        'X-Esmon-Notification': n.id.replace(/[^\x20-\x7e]/g, '-'),
        // RFC 3834: automatic mail; vacation responders should not answer it
        'Auto-Submitted': 'auto-generated',
      },
      signal: deadline,
    });
    // some recipients refused, others accepted: delivered; a retry would duplicate for the others
    const rejected = info.rejected.length ? `; refused for ${info.rejected.join(', ')}` : '';
    return { ok: true, detail: scrub(`${info.response}${rejected}`) };
  } catch (err) {
    if (ctx.signal.aborted) return networkOutcome(err, ctx);
    if (deadline.aborted) return { ok: false, retryable: true, error: `no answer within ${timeoutMs / 1000} s` };
    return smtpFailure(err, scrub);
  } finally {
    transport?.close();
  }
}
