// The email channel against a real SMTP server: what arrives (envelope, headers, bodies), over
// plain, STARTTLS and implicit TLS, and what each kind of failure means for the dispatcher.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification, SendContext } from '../../channel.ts';
import { sampleNotification } from '../../template-data.ts';
import type { EmailConfig } from './config.ts';
import { emailChannel } from './index.ts';
import { messageIdOf } from './send.ts';
import { parseMail, selfSignedCert, startSmtp, type TestSmtp } from './smtp-test-server.ts';

const n = sampleNotification('https://esmon.example.com', new Date('2026-03-04T05:06:07Z'));
const PASSWORD = 'hunter2-Sesame!';

const ctx = (over: Partial<SendContext> = {}): SendContext => ({ signal: new AbortController().signal, timeoutMs: 10_000, now: () => Date.parse('2026-03-04T05:06:08Z'), ...over });

const configFor = (port: number, over: Record<string, unknown> = {}): EmailConfig =>
  emailChannel.config.parse({ host: '127.0.0.1', port, security: 'none', from: 'Esmon Alerts <alerts@example.com>', to: ['ops@example.com'], ...over }) as EmailConfig;

const servers: TestSmtp[] = [];
async function smtp(options: SMTPServerOptions = {}): Promise<TestSmtp> {
  const s = await startSmtp(options);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });
const lf = (s: string | undefined) => s?.replace(/\r\n/g, '\n');

describe('email channel: delivery', () => {
  it.each(['PLAIN', 'LOGIN'])('sends over plain SMTP with AUTH %s: envelope, headers and both bodies as rendered', async (method) => {
    const server = await smtp({ authMethods: [method], authOptional: false, allowInsecureAuth: true });
    const config = configFor(server.port, { username: 'esmon', password: PASSWORD, to: ['ops@example.com', 'Night Shift <night@example.com>'], cc: ['boss@example.com'] });

    const outcome = await emailChannel.send(n, config, {}, ctx());

    expect(outcome).toMatchObject({ ok: true, detail: expect.stringMatching(/^250 /) });
    expect(server.logins).toEqual([{ method, username: 'esmon', password: PASSWORD }]);
    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    expect(got.mailFrom).toBe('alerts@example.com');
    expect(got.rcptTo).toEqual(['ops@example.com', 'night@example.com', 'boss@example.com']);
    expect(got.user).toBe('esmon');

    const mail = parseMail(got.raw);
    const rendered = emailChannel.render(n, config, {}) as Record<string, string>;
    expect(mail.headers['subject']).toBe(n.title);
    expect(mail.headers['message-id']).toBe(`<${n.id}@esmon>`);
    expect(mail.headers['x-esmon-notification']).toBe(n.id);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.headers['from']).toBe('Esmon Alerts <alerts@example.com>');
    expect(mail.headers['to']).toBe('ops@example.com, Night Shift <night@example.com>');
    expect(mail.headers['cc']).toBe('boss@example.com');
    expect(mail.headers['date']).toBe('Wed, 04 Mar 2026 05:06:08 +0000');
    expect(lf(mail.text)).toBe(rendered.text);
    expect(lf(mail.html)).toBe(rendered.html);
    // the text body lists each alert with its label, host, value, since and links
    expect(mail.text).toContain('[CRITICAL] Maximo JVM heap high (test) on maximo-app-01');
    expect(mail.text).toContain('[RESOLVED] Maximo JVM heap high (test) on maximo-app-02');
    expect(mail.text).toContain('Value:       93.4');
    expect(mail.text).toContain(`Since:       ${n.alerts[0]!.since}`);
    expect(mail.text).toContain('Acknowledge: https://esmon.example.com/alerts/test-1?action=acknowledge');
    expect(mail.text).not.toContain('alerts/test-2?action=acknowledge'); // nothing to acknowledge once resolved
    // the HTML body: a red band for a critical notification, a row per alert, the three links
    expect(mail.html).toContain('background:#dc2626;color:#ffffff;padding:16px 20px');
    expect(mail.html).toContain('href="https://esmon.example.com/alerts/test-1?action=acknowledge"');
    expect(mail.html).toContain('href="https://esmon.example.com/silences/new?alert=test-1"');
    expect(lf(mail.html)!.match(/<tr>\n<td/g)).toHaveLength(2);
  });

  it('sends the same Message-ID on a retry of the same notification', async () => {
    const server = await smtp();
    const config = configFor(server.port);
    await emailChannel.send(n, config, {}, ctx());
    await emailChannel.send(n, config, {}, ctx());
    const ids = server.received.map((r) => parseMail(r.raw).headers['message-id']);
    expect(ids).toEqual([`<${n.id}@esmon>`, `<${n.id}@esmon>`]);
    expect(messageIdOf('a b<c>')).toBe('<a-b-c-@esmon>');
  });

  it('renders without the password', () => {
    const rendered = emailChannel.render(n, configFor(25, { username: 'esmon', password: PASSWORD, cc: ['boss@example.com'] }), {});
    expect(Object.keys(rendered).sort()).toEqual(['cc', 'from', 'html', 'subject', 'text', 'to']);
    expect(JSON.stringify(rendered)).not.toContain(PASSWORD);
  });
});

describe('email channel: templates', () => {
  it('a custom subject replaces the subject only, on one line', async () => {
    const server = await smtp();
    const templates = { subject: '{{count}} alerts:\n{{#alerts}}{{host}} {{/alerts}}\r\nend' };
    const outcome = await emailChannel.send(n, configFor(server.port), templates, ctx());
    expect(outcome.ok).toBe(true);
    const mail = parseMail(server.received[0]!.raw);
    expect(mail.headers['subject']).toBe('2 alerts: maximo-app-01 maximo-app-02 end');
    const defaults = emailChannel.render(n, configFor(server.port), {}) as Record<string, string>;
    expect(lf(mail.text)).toBe(defaults.text);
    expect(lf(mail.html)).toBe(defaults.html);
  });

  it('escapes a rule name in the HTML body, and only there', async () => {
    const server = await smtp();
    const evil: Notification = { ...n, title: '[CRITICAL] <script>alert(1)</script> — café', alerts: n.alerts.map((a) => ({ ...a, rule: { ...a.rule, name: '<script>alert(1)</script>' } })) };
    const outcome = await emailChannel.send(evil, configFor(server.port), {}, ctx());
    expect(outcome.ok).toBe(true);
    const mail = parseMail(server.received[0]!.raw);
    expect(mail.headers['subject']).toBe('[CRITICAL] <script>alert(1)</script> — café');
    expect(mail.text).toContain('[CRITICAL] <script>alert(1)</script> on maximo-app-01');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</a>');
  });

  it('a template that does not parse is a failure not worth retrying, and nothing is sent', async () => {
    const server = await smtp();
    const outcome = await emailChannel.send(n, configFor(server.port), { html: '{{#alerts}}<p>{{rule}}</p>' }, ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^html template: 1:1: \{\{#alerts\}\} is not closed/) });
    expect(server.received).toHaveLength(0);
  });

  it('an html template that renders nothing makes a text-only mail', async () => {
    const server = await smtp();
    expect((await emailChannel.send(n, configFor(server.port), { html: '' }, ctx())).ok).toBe(true);
    const mail = parseMail(server.received[0]!.raw);
    expect(mail.headers['content-type']).toMatch(/^text\/plain/);
    expect(mail.html).toBeUndefined();
    expect(mail.text).toContain('maximo-app-01');
  });
});

describe('email channel: TLS', () => {
  const { key, cert } = selfSignedCert();

  it('upgrades with STARTTLS, trusting the private CA, and logs in over the encrypted session', async () => {
    // without allowInsecureAuth the server takes AUTH only once the session is encrypted
    const server = await smtp({ key, cert, disabledCommands: [], authMethods: ['PLAIN'] });
    const outcome = await emailChannel.send(n, configFor(server.port, { security: 'starttls', ca: cert, username: 'esmon', password: PASSWORD }), {}, ctx());
    expect(outcome.ok).toBe(true);
    expect(server.received[0]).toMatchObject({ secure: true, user: 'esmon' });
  });

  it('speaks implicit TLS', async () => {
    const server = await smtp({ key, cert, secure: true });
    const outcome = await emailChannel.send(n, configFor(server.port, { security: 'tls', ca: cert }), {}, ctx());
    expect(outcome.ok).toBe(true);
    expect(server.received[0]?.secure).toBe(true);
  });

  it('does not deliver to a certificate it cannot verify (no ca), for STARTTLS and implicit TLS', async () => {
    const starttls = await smtp({ key, cert, disabledCommands: [] });
    const implicit = await smtp({ key, cert, secure: true });
    for (const [server, security] of [[starttls, 'starttls'], [implicit, 'tls']] as const) {
      const outcome = await emailChannel.send(n, configFor(server.port, { security }), {}, ctx());
      expect(outcome).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/self[- ]signed certificate/i) });
      expect(server.received).toHaveLength(0);
    }
  });

  it('delivers to an unverifiable certificate when told to (tlsRejectUnauthorized: false)', async () => {
    const server = await smtp({ key, cert, secure: true });
    const outcome = await emailChannel.send(n, configFor(server.port, { security: 'tls', tlsRejectUnauthorized: false }), {}, ctx());
    expect(outcome.ok).toBe(true);
    expect(server.received).toHaveLength(1);
  });

  it('security none stays plain even when the server offers STARTTLS', async () => {
    const server = await smtp({ key, cert, disabledCommands: [] });
    const outcome = await emailChannel.send(n, configFor(server.port, { security: 'none' }), {}, ctx());
    expect(outcome.ok).toBe(true);
    expect(server.received[0]?.secure).toBe(false);
  });

  it('refuses to send in clear when the server does not offer STARTTLS', async () => {
    const server = await smtp({ disabledCommands: ['STARTTLS'] });
    const outcome = await emailChannel.send(n, configFor(server.port, { security: 'starttls', ca: cert }), {}, ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('refused STARTTLS') });
    expect(server.received).toHaveLength(0);
  });
});

describe('email channel: failures', () => {
  it('451 on DATA is worth another try', async () => {
    const server = await smtp({
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb(smtpError('Try again later', 451)));
      },
    });
    const outcome = await emailChannel.send(n, configFor(server.port), {}, ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: true, status: 451, error: expect.stringContaining('451 Try again later') });
  });

  it('550 on RCPT TO is not', async () => {
    const server = await smtp({ onRcptTo: (_address, _session, cb) => cb(smtpError('Mailbox unavailable', 550)) });
    const outcome = await emailChannel.send(n, configFor(server.port), {}, ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 550, error: expect.stringContaining('550 Mailbox unavailable') });
    expect(server.received).toHaveLength(0);
  });

  it('one refused recipient among accepted ones still delivers, and says who was refused', async () => {
    const server = await smtp({ onRcptTo: (a, _s, cb) => cb(a.address === 'gone@example.com' ? smtpError('No such user', 550) : null) });
    const outcome = await emailChannel.send(n, configFor(server.port, { to: ['ops@example.com', 'gone@example.com'] }), {}, ctx());
    expect(outcome).toMatchObject({ ok: true, detail: expect.stringContaining('refused for gone@example.com') });
    expect(server.received[0]?.rcptTo).toEqual(['ops@example.com']);
  });

  it('535 on AUTH is not worth another try, and the error never shows the password', async () => {
    // a careless server that echoes the credentials it was given
    const server = await smtp({
      authMethods: ['PLAIN'],
      authOptional: false,
      allowInsecureAuth: true,
      onAuth: (auth, _session, cb) => cb(new Error(`Authentication failed for ${auth.username}:${auth.password} (${Buffer.from(auth.password ?? '').toString('base64')})`)),
    });
    const outcome = await emailChannel.send(n, configFor(server.port, { username: 'esmon', password: PASSWORD }), {}, ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 535, error: expect.stringContaining('535 Authentication failed for esmon:***') });
    const error = outcome.ok ? '' : outcome.error;
    expect(error).not.toContain(PASSWORD);
    expect(error).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(server.received).toHaveLength(0);
  });

  it('credentials and a server that offers no AUTH: not sent unauthenticated', async () => {
    const server = await smtp({ disabledCommands: ['STARTTLS', 'AUTH'] });
    const outcome = await emailChannel.send(n, configFor(server.port, { username: 'esmon', password: PASSWORD }), {}, ctx());
    expect(outcome.ok).toBe(false);
    expect(server.received).toHaveLength(0);
  });

  it('nobody listening is worth another try', async () => {
    const port = await freePort();
    const outcome = await emailChannel.send(n, configFor(port), {}, ctx());
    expect(outcome).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('a server that never greets: given up at the attempt timeout, worth another try', async () => {
    const silent = await silentServer();
    try {
      const outcome = await emailChannel.send(n, configFor(silent.port), {}, ctx({ timeoutMs: 300 }));
      expect(outcome).toMatchObject({ ok: false, retryable: true });
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('the dispatcher aborting the attempt ends it, as a failure worth another try', async () => {
    const abort = new AbortController();
    const silent = await silentServer(() => abort.abort());
    try {
      const outcome = await emailChannel.send(n, configFor(silent.port), {}, ctx({ signal: abort.signal, timeoutMs: 60_000 }));
      expect(outcome).toMatchObject({ ok: false, retryable: true });
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('an attempt already aborted does not connect', async () => {
    const server = await smtp();
    const outcome = await emailChannel.send(n, configFor(server.port), {}, ctx({ signal: AbortSignal.abort() }));
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(server.received).toHaveLength(0);
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A TCP server that accepts and never says a word; `onConnection` runs when a client arrives. */
async function silentServer(onConnection?: () => void) {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onConnection?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
