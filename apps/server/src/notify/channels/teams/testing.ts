// For the Teams channel's tests: a real HTTP receiver on 127.0.0.1 that records what it is sent
// and answers as each test tells it, and notifications to send it.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Notification, NotifiedAlert, SendContext, Severity } from '../../channel.ts';
import { notificationTitle } from '../../template-data.ts';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a card read loosely by tests
}

export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'never';

export interface Receiver {
  url: string;
  received: Received[];
  answer: Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = { status: 202 }): Promise<Receiver> {
  const r = { received: [] as Received[], answer } as Receiver;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      r.received.push({ path: req.url ?? '', headers: req.headers, raw, json: JSON.parse(raw) });
      if (r.answer === 'never') return; // the connection stays open, unanswered
      res.writeHead(r.answer.status, r.answer.headers).end(r.answer.body ?? '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=S3cr3tSignatureValue0123456789`;
  r.close = () => {
    server.closeAllConnections();
    return new Promise<void>((ok) => server.close(() => ok()));
  };
  return r;
}

/** A port nobody listens on: one that was just listened on and closed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return `http://127.0.0.1:${port}/hook?sig=S3cr3tSignatureValue0123456789`;
}

export function context(timeoutMs = 5000): SendContext {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs, now: () => Date.now() };
}

const WORKBENCH = 'https://esmon.example.com';

export function alert(i: number, over: Partial<NotifiedAlert> = {}): NotifiedAlert {
  const id = `a${i}`;
  return {
    id,
    fingerprint: `fp${i}`,
    rule: { id: 'r1', name: 'CPU high' },
    hostname: `web-${String(i).padStart(2, '0')}`,
    state: 'firing',
    severity: 'critical',
    value: 97.5,
    since: '2024-05-01T12:00:05.000Z',
    labels: { env: 'prod' },
    summary: `CPU at 97.5 % on web-${i}`,
    links: {
      alert: `${WORKBENCH}/alerts/${id}`,
      acknowledge: `${WORKBENCH}/alerts/${id}?action=acknowledge`,
      silence: `${WORKBENCH}/silences/new?alert=${id}`,
    },
    ...over,
  };
}

export function notification(alerts: NotifiedAlert[], over: Partial<Notification> = {}): Notification {
  const firing = alerts.filter((a) => a.state === 'firing');
  const order: Severity[] = ['warning', 'critical', 'very_critical'];
  const severity = firing.reduce<Severity | null>((s, a) => (a.severity && (!s || order.indexOf(a.severity) > order.indexOf(s)) ? a.severity : s), null);
  return {
    id: 'n1',
    kind: firing.length ? 'firing' : 'resolved',
    severity,
    groupLabels: { rule: 'CPU high' },
    alerts,
    title: notificationTitle(severity, alerts),
    at: '2024-05-01T12:10:00.000Z',
    workbenchUrl: WORKBENCH,
    ...over,
  };
}
