import type { StepResult } from '@esmon/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { stepContext } from '@esmon/schema/testing';
import { closedPort, startTcpServer, type LocalTcpServer } from '../test/servers.ts';
import { createTcpPlugin, tcp, type TcpParamsInput } from './index.ts';

const servers: LocalTcpServer[] = [];
async function serve(onConnection: Parameters<typeof startTcpServer>[0]): Promise<LocalTcpServer> {
  const s = await startTcpServer(onConnection);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function run(params: TcpParamsInput, ctx = stepContext()): Promise<StepResult> {
  return tcp.execute(tcp.prepare(params), ctx);
}

const value = (r: StepResult, metric: string) => r.samples.find((s) => s.metric === metric)?.value;

describe('tcp plugin against local servers', () => {
  it('reports an open port as up, with the connect time, labelled by host and port', async () => {
    const s = await serve(() => {});
    const r = await run({ host: '127.0.0.1', port: s.port });
    expect(r.status).toBe('ok');
    expect(r.error).toBeUndefined();
    expect(value(r, 'tcp.up')).toBe(1);
    expect(value(r, 'tcp.connect_ms')).toBeGreaterThanOrEqual(0);
    expect(value(r, 'tcp.expect_match')).toBeUndefined();
    expect(r.samples.every((x) => x.labels?.target === '127.0.0.1' && x.labels?.port === String(s.port))).toBe(
      true,
    );
  });

  it('resolves a host name', async () => {
    const s = await serve(() => {});
    const r = await run({ host: 'localhost', port: s.port });
    expect(value(r, 'tcp.up')).toBe(1);
  });

  it('matches a banner and hangs up without waiting for more', async () => {
    const s = await serve((socket) => socket.write('220 mail.example.com ESMTP ready\r\n'));
    const r = await run({ host: '127.0.0.1', port: s.port, expect: '^220 \\S+ ESMTP' });
    expect(r).toMatchObject({ status: 'ok', output: '220 mail.example.com ESMTP ready' });
    expect(value(r, 'tcp.up')).toBe(1);
    expect(value(r, 'tcp.expect_match')).toBe(1);
  });

  it('reports a banner that does not match, when the server hangs up', async () => {
    const s = await serve((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const r = await run({ host: '127.0.0.1', port: s.port, expect: '^220 ' });
    expect(r).toMatchObject({
      status: 'error',
      error: 'expect /^220 / does not match the answer "SSH-2.0-OpenSSH_9.6\\r\\n"',
    });
    expect(value(r, 'tcp.up')).toBe(0);
    expect(value(r, 'tcp.expect_match')).toBe(0);
    expect(value(r, 'tcp.connect_ms')).toBeGreaterThanOrEqual(0);
  });

  it('reports a banner that does not match as an error, not a timeout, when the server stays', async () => {
    const s = await serve((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    const r = await run({ host: '127.0.0.1', port: s.port, expect: '^220 ', timeoutMs: 300 });
    expect(r.status).toBe('error');
    expect(r.error).toContain('does not match the answer "SSH-2.0');
  });

  it('sends text with escapes and matches the reply', async () => {
    const s = await serve((socket) =>
      socket.on('data', (d) => d.toString() === 'PING\r\n' && socket.write('+PONG\r\n')),
    );
    const r = await run({ host: '127.0.0.1', port: s.port, send: 'PING\\r\\n', expect: '^\\+PONG' });
    expect(r).toMatchObject({ status: 'ok', output: '+PONG' });
    expect(s.received[0]).toBe('PING\r\n');
  });

  it('sends text without waiting for a reply when nothing is expected', async () => {
    let heard: (text: string) => void = () => {};
    const arrived = new Promise<string>((resolve) => (heard = resolve));
    const s = await serve((socket) => socket.on('data', (d) => heard(d.toString())));
    const r = await run({ host: '127.0.0.1', port: s.port, send: 'hello\\n' });
    expect(r.status).toBe('ok');
    expect(await arrived).toBe('hello\n');
  });

  it('reports a closed port as down with ECONNREFUSED', async () => {
    const r = await run({ host: '127.0.0.1', port: await closedPort() });
    expect(r.status).toBe('error');
    expect(r.error).toContain('ECONNREFUSED');
    expect(value(r, 'tcp.up')).toBe(0);
    expect(value(r, 'tcp.connect_ms')).toBeUndefined();
  });

  it('times out on a server that never answers', async () => {
    const s = await serve(() => {});
    const r = await run({ host: '127.0.0.1', port: s.port, expect: '.', timeoutMs: 300 });
    expect(r).toMatchObject({ status: 'timeout', error: 'connected, but no answer within 300 ms' });
    expect(value(r, 'tcp.up')).toBe(0);
    expect(value(r, 'tcp.expect_match')).toBe(0);
    expect(value(r, 'tcp.connect_ms')).toBeGreaterThanOrEqual(0);
  });

  it("honours the step's shorter timeout", async () => {
    const s = await serve(() => {});
    const r = await run(
      { host: '127.0.0.1', port: s.port, expect: '.', timeoutMs: 60_000 },
      stepContext({ timeoutMs: 300 }),
    );
    expect(r).toMatchObject({ status: 'timeout', error: 'connected, but no answer within 300 ms' });
  });

  it('stops when the agent aborts the step', async () => {
    const controller = new AbortController();
    const s = await serve(() => controller.abort());
    const r = await run(
      { host: '127.0.0.1', port: s.port, expect: '.' },
      stepContext({ signal: controller.signal }),
    );
    expect(r).toMatchObject({ status: 'timeout', error: 'aborted by the agent' });
  });

  it('reports a server that hangs up without a word', async () => {
    const s = await serve((socket) => socket.end());
    const r = await run({ host: '127.0.0.1', port: s.port, expect: '.' });
    expect(r).toMatchObject({
      status: 'error',
      error: 'connected, but the server closed the connection without an answer',
    });
  });
});

describe('tcp plugin with an injected transport', () => {
  it('reports an address that never completes the handshake as a timeout', async () => {
    // what a non-routable address does: the SYN goes unanswered until the deadline
    const silent = createTcpPlugin({
      transport: (req) =>
        new Promise((resolve) =>
          req.signal.addEventListener('abort', () =>
            resolve({ totalMs: 250, received: '', error: { code: 'ABORT_ERR', message: 'aborted' } }),
          ),
        ),
    });
    const r = await silent.execute(
      silent.prepare({ host: '10.255.255.1', port: 5432, timeoutMs: 250 }),
      stepContext(),
    );
    expect(r).toMatchObject({ status: 'timeout', error: 'no connection within 250 ms', durationMs: 250 });
    expect(r.samples.map((s) => [s.metric, s.value])).toEqual([['tcp.up', 0]]);
  });
});

describe('tcp check', () => {
  it('says whether it connected and whether the answer matched', async () => {
    const s = await serve((socket) => socket.write('220 ready\r\n'));
    const ok = await tcp.check!(
      tcp.prepare({ host: '127.0.0.1', port: s.port, expect: '^220' }),
      stepContext(),
    );
    expect(ok).toEqual({
      ok: true,
      message: expect.stringMatching(
        new RegExp(`^127\\.0\\.0\\.1:${s.port}: connected in \\d+ ms, the answer matches$`),
      ),
    });
    const port = await closedPort();
    const refused = await tcp.check!(tcp.prepare({ host: '127.0.0.1', port }), stepContext());
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
  });
});
