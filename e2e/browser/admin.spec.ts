// The admin pages. Agents: an enrolment token with install commands naming it and the server,
// copied to the clipboard, and good for enrolling (the new agent appears live). Notifications: a
// webhook channel made with the form generated from its schema, test-sent to a receiver this spec
// runs; the policy editor shows the server's refusal. Settings: an API key's secret shown once.
// And a viewer is offered nothing that changes anything, while the server refuses it anyway.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { gql, loginToken } from '../src/processes.ts';
import { api, baseUrl, expect, shoot, signIn, test } from './fixtures.ts';
import { PEOPLE } from './people.ts';

const unique = (what: string) => `e2e-${what}-${randomUUID().slice(0, 8)}`;
/** this machine, as the local agent reports it */
const LOCAL = hostname().replace(/[^A-Za-z0-9_.-]/g, '-');

/** A webhook receiver on 127.0.0.1 and a free port, recording every request. */
async function receiver() {
  const received: { method: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A graphql-ws subscribe message carrying the agents page's status subscription. */
function subscribesToStatus(frame: string): boolean {
  try {
    const m = JSON.parse(frame) as { type?: string; payload?: { query?: string } };
    return m.type === 'subscribe' && /hostStatusChanged\s*\{\s*hostId\s+hostname\s+status\s+previous\s+at\b/.test(m.payload?.query ?? '');
  } catch {
    return false;
  }
}

test('an admin makes an enrolment token: install commands with the token and the server, copied; the token enrols an agent that appears live', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  // what the pages send over their GraphQL socket: the agents page's live subscription must be under way before anything changes
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await signIn(page, 'admin');
  await page.goto(`${baseUrl()}/agents`);
  await expect(page.getByRole('heading', { name: 'Agents', level: 1 })).toBeVisible();
  await expect(page.getByTestId('agent-row').first()).toBeVisible();
  // the local agent runs the probe configuration the server gives its host (it reports it with its batches)
  const local = page.getByTestId('agent-row').filter({ hasText: LOCAL });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(local.getByTestId('config-state')).toHaveText('current', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(local.locator('code')).toHaveText(/^[0-9a-f]{8}$/);

  await page.getByRole('button', { name: 'Create enrolment token' }).click();
  const token = (await page.getByTestId('enrol-token').textContent())!.trim();
  expect(token).toMatch(/^esm_e_/);
  const linux = page.getByTestId('install-linux');
  await expect(linux).toContainText(`enroll --server ${baseUrl()} --token ${token}`);
  await expect(page.getByTestId('install-windows')).toContainText(`-Server '${baseUrl()}' -Token '${token}'`);

  await page.getByRole('button', { name: 'Copy Linux install command' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Copied|Selected/ })).toBeVisible();
  const copied = await page.evaluate(async () => {
    try {
      return await navigator.clipboard.readText();
    } catch {
      return String(window.getSelection());
    }
  });
  expect(copied).toBe(await linux.textContent());
  expect(copied).toContain(token);
  await shoot(page, 'agents');

  // the token is real: it enrols a new agent, whose first batch lists it without a reload
  await expect.poll(() => sent.some(subscribesToStatus)).toBe(true);
  const host = unique('enrolled');
  const enrolled = await gql<{ enrollAgent: { key: string } }>(baseUrl(), 'mutation ($t: String!, $h: String!) { enrollAgent(token: $t, hostname: $h) { key } }', { t: token, h: host });
  expect(enrolled.errors).toBeUndefined();
  const res = await fetch(`${baseUrl()}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${enrolled.data!.enrollAgent.key}` },
    body: JSON.stringify({
      batchId: randomUUID(),
      agent: { version: 'e2e-9.8.7', bufferDepth: 42, configVersion: 'feedface00000000' },
      hosts: [{ hostname: host, samples: [{ metric: 'os.cpu.usage', ts: Date.now(), value: 12 }] }],
    }),
  });
  expect(res.status, await res.text()).toBe(200);
  const row = page.getByTestId('agent-row').filter({ hasText: host });
  await expect(row).toContainText('e2e-9.8.7');
  await expect(row).toContainText('42 samples');
  // a configuration the server never gave: behind
  await expect(row.locator('code')).toHaveText('feedface');
  await expect(row.getByTestId('config-state')).toHaveText('behind');
  await expect(row.getByTestId('agent-status')).toHaveText('online');
  await expect(row.getByRole('link', { name: host })).toHaveAttribute('href', /^\/hosts\/\d+$/);
  // a used token is refused a second time
  const again = await gql(baseUrl(), 'mutation ($t: String!, $h: String!) { enrollAgent(token: $t, hostname: $h) { key } }', { t: token, h: unique('again') });
  expect(again.errors?.[0]?.message).toMatch(/unknown, used, expired/);
});

test('an admin creates a webhook channel with the generated form and a test send reaches the receiver once', async ({ page }) => {
  const hook = await receiver();
  try {
    await signIn(page, 'admin');
    await page.goto(`${baseUrl()}/notifications`);
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    await page.getByLabel('New channel type').selectOption('webhook');
    await page.getByRole('button', { name: 'New channel' }).click();
    const form = page.getByRole('form', { name: 'new channel' });
    // fields come from the type's JSON Schema: url (a secret, required), headers, timeout …
    await expect(form.getByLabel('Timeout seconds')).toBeVisible();
    await expect(form.getByLabel('Hmac secret')).toHaveAttribute('type', 'password');
    const name = unique('hook');
    await form.getByLabel(/^Name\b/).fill(name);
    await form.getByRole('button', { name: 'Create channel' }).click();
    await expect(form.getByRole('alert')).toHaveText('Url: required');
    await form.getByLabel(/^Url\b/).fill(hook.url);
    await form.getByLabel('Headers name 1', { exact: true }).fill('x-team');
    await form.getByLabel('Headers value 1', { exact: true }).fill('ops');
    await form.getByRole('button', { name: 'Create channel' }).click();

    const saved = page.getByRole('form', { name: `channel ${name}` });
    await expect(saved).toBeVisible();
    await expect(page.getByRole('list', { name: 'channels' })).toContainText(name);
    // the URL is write-only: it is "set", its value never comes back
    const url = saved.getByLabel(/^Url\b/);
    await expect(url).toHaveValue('');
    await expect(url).toHaveAttribute('placeholder', /set/);
    await expect(saved.getByLabel('Headers value 1', { exact: true })).toHaveValue('ops');
    expect(hook.received).toHaveLength(0);

    await page.getByRole('button', { name: 'Test send' }).click();
    const outcome = page.getByTestId('test-outcome');
    await expect(outcome).toContainText(/^ok · status 200/);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.method).toBe('POST');
    expect(hook.received[0]!.headers['x-team']).toBe('ops');
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ alerts: expect.any(Array) });
    await expect(page.getByText('A Webhook channel sends a fixed document: it has no templates.')).toBeVisible();

    // the routing policy: drawn as a tree; a route naming no channel that exists is refused, in the server's words
    await expect(page.getByTestId('route').first()).toContainText('every alert');
    await page.getByLabel('Policy (JSON)').fill(JSON.stringify({ routes: [{ match: { severity: ['critical'] }, channels: ['no-such-channel-e2e'] }] }));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByTestId('policy-error')).toHaveText('policy: no channel named "no-such-channel-e2e"');
    await shoot(page, 'notifications');
  } finally {
    await hook.close();
  }
});

test('an admin creates an API key and sees its secret once', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto(`${baseUrl()}/settings`);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByTestId('user-row').filter({ hasText: PEOPLE.viewer.email })).toBeVisible();
  await expect(page.getByTestId('storage-row').first()).toBeVisible();
  const form = page.getByRole('form', { name: 'new API key' });
  const name = unique('key');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role').selectOption('viewer');
  await form.getByRole('button', { name: 'Create API key' }).click();
  const shown = page.getByTestId('new-key-secret');
  await expect(shown).toContainText(name);
  const secret = (await shown.getByLabel('API key secret', { exact: true }).textContent())!.trim();
  expect(secret).toMatch(/^esm_i_/);
  const row = page.getByTestId('key-row').filter({ hasText: name });
  await expect(row).toContainText('integration, viewer');
  // the secret works as a bearer token
  const asKey = await gql(baseUrl(), '{ hosts(first: 1) { edges { node { id } } } }', {}, secret);
  expect(asKey.errors).toBeUndefined();
  await shoot(page, 'settings');
  // and is never shown again
  await page.reload();
  await expect(page.getByTestId('key-row').filter({ hasText: name })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByTestId('new-key-secret')).toHaveCount(0);
});

/** Buttons a viewer must never be offered: every one of them changes something. */
const MUTATING = /^(create|new|delete|save|test send|acknowledge|unacknowledge|resolve|revoke|disable|enable|retry|clear|reset to default|add|remove|preview|comment|silence|expire|run|reload|rollback)/i;

async function offeredButtons(page: Page): Promise<string[]> {
  return page
    .locator('button:visible:enabled')
    .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
}

/** Controls a viewer can type into or change; on the admin pages only the log filters. */
async function editable(page: Page): Promise<string[]> {
  return page
    .locator('main input:visible:enabled:not([readonly]), main textarea:visible:enabled:not([readonly]), main select:visible:enabled')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.closest('label')?.textContent?.trim() ?? e.getAttribute('name') ?? e.tagName));
}

test('a viewer sees the pages but is offered nothing that changes anything, and the server refuses it anyway', async ({ page }) => {
  await signIn(page, 'viewer');

  await page.goto(`${baseUrl()}/agents`);
  await expect(page.getByTestId('agent-row').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Enrol an agent' })).toHaveCount(0);
  expect((await offeredButtons(page)).filter((n) => MUTATING.test(n))).toEqual([]);
  expect(await editable(page)).toEqual([]);

  await page.goto(`${baseUrl()}/notifications`);
  await expect(page.getByTestId('route').first()).toBeVisible();
  await page.getByRole('list', { name: 'channels' }).getByRole('button', { name: 'log', exact: true }).click();
  await expect(page.getByRole('form', { name: 'channel log' })).toBeVisible();
  await expect(page.getByText('Only admins change channels.')).toBeVisible();
  expect((await offeredButtons(page)).filter((n) => MUTATING.test(n))).toEqual([]);
  expect((await editable(page)).sort()).toEqual(['Channel filter', 'Status filter']);

  await page.goto(`${baseUrl()}/settings`);
  await expect(page.getByTestId('my-role')).toHaveText('viewer');
  await expect(page.getByTestId('admin-only-note')).toBeVisible();
  expect((await offeredButtons(page)).filter((n) => MUTATING.test(n))).toEqual([]);
  expect(await editable(page)).toEqual([]);
  await shoot(page, 'settings-viewer');

  for (const path of ['/alerts', '/']) {
    await page.goto(`${baseUrl()}${path}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    expect((await offeredButtons(page)).filter((n) => MUTATING.test(n)), path).toEqual([]);
  }

  // the server refuses, whatever the page offers
  const create = 'mutation { createNotificationChannel(name: "viewer-was-here", type: "log", config: {}) { id } }';
  await expect(api('viewer', create)).rejects.toThrow(/not allowed for your role/);
  const token = await loginToken(baseUrl(), PEOPLE.viewer.email, PEOPLE.viewer.password);
  const refused = (await gql(baseUrl(), 'mutation { createEnrollmentToken { token } }', {}, token)) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(refused.data ?? null).toBeNull();
});
