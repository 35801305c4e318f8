// The host page. This machine's host (reported by the local agent): the CPU chart is drawn from the
// server's downsampled range query, its legend reads a number, and live samples extend it without
// a reload; the 24h range asks the server again (2-minute buckets) and still draws. A host of our
// own, fed over HTTP ingest, lists the probe that targets it and its firing alert, coloured by
// severity and linking to the alert, and goes stale live when it falls silent. An unknown id says so.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Page, Response } from '@playwright/test';
import { api, baseUrl, expect, shoot, signIn, test } from './fixtures.ts';

const LOCAL = hostname().replace(/[^A-Za-z0-9_.-]/g, '-');
const RUN = randomUUID().slice(0, 8);
const OWN = `host-e2e-${RUN}`;
const METRIC = 'e2e.host.temperature';

/** Marks the document; a reload would lose the mark. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { e2eMark: string }).e2eMark = 'still here'));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark);

async function hostId(name: string): Promise<string> {
  let id: string | undefined;
  await expect
    .poll(
      async () => {
        const { hosts } = await api('admin', 'query ($s: String) { hosts(first: 50, search: $s) { edges { node { id hostname } } } }', { s: name });
        id = hosts.edges.find((e: { node: { hostname: string } }) => e.node.hostname === name)?.node.id;
        return id;
      },
      { message: `host ${name} is known`, timeout: 30_000 },
    )
    .toBeDefined();
  return id!;
}

/** A GraphQL request's operation and variables as text (urql sends short queries as GET). */
function graphqlRequest(r: Response): string {
  const url = new URL(r.url());
  if (url.pathname !== '/graphql') return '';
  return r.request().method() === 'GET' ? decodeURIComponent(url.search) : (r.request().postData() ?? '');
}

const points = async (page: Page, chart: string) => Number(await page.getByTestId(chart).locator('figure.time-chart').getAttribute('data-points'));

test('this machine: the CPU chart draws, grows live, and redraws over 24h', async ({ page }) => {
  const id = await hostId(LOCAL);
  await signIn(page, 'viewer');
  await page.goto(`${baseUrl()}/hosts/${id}`);
  await expect(page.getByRole('heading', { name: LOCAL })).toBeVisible();
  await expect(page.getByTestId('host-status')).toHaveText('online');

  const cpu = page.getByTestId('chart-cpu');
  await expect(cpu.getByRole('heading', { name: 'CPU usage' })).toBeVisible();
  await expect(cpu.locator('canvas')).toHaveCount(1);
  await expect(cpu.locator('canvas')).toBeVisible();
  await expect(cpu.getByTestId('legend-value').first()).toHaveText(/^\d+(\.\d+)?%$/);
  await expect(cpu.locator('.time-chart-legend li').first()).toContainText('total');
  await expect(cpu).toContainText('15 s buckets');
  await expect.poll(() => points(page, 'chart-cpu')).toBeGreaterThan(0);
  const before = await points(page, 'chart-cpu');
  await mark(page);
  // the local agent reports every 5 s; a new 15-second bucket opens within about 20 s
  await expect.poll(() => points(page, 'chart-cpu'), { timeout: 60_000, message: 'the CPU chart grows live' }).toBeGreaterThan(before);
  expect(await marked(page)).toBe('still here');
  await expect(page.getByTestId('chart-memory').locator('canvas')).toBeVisible();
  await shoot(page, 'host-detail');

  // 24h: one more range query per chart, 2-minute buckets, still drawn
  const answered = page.waitForResponse((r) => {
    const text = graphqlRequest(r);
    return /HostChart\b/.test(text) && text.includes('"max":721');
  });
  await page.getByRole('button', { name: '24h' }).click();
  const response = await answered;
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  expect(Object.values(body.data as Record<string, { bucketSeconds: number }[]>).flat()[0]?.bucketSeconds).toBe(120);
  await expect(page).toHaveURL(/range=24h$/);
  await expect(page.getByRole('button', { name: '24h' })).toHaveAttribute('aria-pressed', 'true');
  await expect(cpu).toContainText('2 min buckets');
  await expect(cpu.locator('canvas')).toBeVisible();
  await expect(cpu.getByTestId('legend-value').first()).toHaveText(/^\d+(\.\d+)?%$/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await marked(page)).toBe('still here');
  await shoot(page, 'host-detail-24h');
});

test('a host of our own: its probe and its firing alert, coloured by severity; an unknown id says so', async ({ page }) => {
  const { createApiKey } = await api('admin', 'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
    i: { name: `host-e2e-${RUN}`, kind: 'agent', hostname: OWN },
  });
  const push = async (value: number) => {
    const res = await fetch(`${baseUrl()}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${createApiKey.secret}` },
      body: JSON.stringify({ batchId: randomUUID(), hosts: [{ hostname: OWN, samples: [{ metric: METRIC, ts: Date.now(), value }] }] }),
    });
    expect(res.status, await res.text()).toBe(200);
  };
  await push(20);
  const id = await hostId(OWN);
  const rule = `Host e2e temperature ${RUN}`;
  const probe = `Host e2e probe ${RUN}`;
  const { createRule } = await api('analyst', 'mutation ($i: RuleInput!) { createRule(input: $i) { rule { id } } }', {
    i: {
      name: rule,
      threshold: { metric: METRIC, fn: 'last', window: '5m' },
      levels: [{ severity: 'critical', threshold: 90 }],
      scope: { hostIds: [Number(id)] },
      forSeconds: 0,
      evalIntervalSeconds: 5,
    },
  });
  const { createProbe } = await api('analyst', 'mutation ($d: JSON!) { createProbe(definition: $d) { id } }', {
    d: {
      name: probe,
      steps: [{ id: 'tcp_1', plugin: 'tcp', params: { host: '127.0.0.1', port: Number(new URL(baseUrl()).port) } }],
      intervalSeconds: 60,
      timeoutSeconds: 5,
      targets: { hostIds: [Number(id)] },
    },
  });
  try {
    await signIn(page, 'viewer');
    await page.goto(`${baseUrl()}/hosts/${id}`);
    await expect(page.getByRole('heading', { name: OWN })).toBeVisible();
    await expect(page.getByTestId('host-probe')).toHaveCount(1);
    await expect(page.getByTestId('host-probe')).toContainText(probe);
    await expect(page.getByTestId('host-probe')).toContainText('not run here yet');
    await expect(page.getByText('No alert for this host.')).toBeVisible();
    await mark(page);

    await push(95);
    const alert = page.getByTestId('host-alert').filter({ hasText: rule });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toHaveClass(/sev-critical/);
    await expect(alert).toHaveCSS('border-left-color', 'rgb(220, 38, 38)');
    await expect(alert).toContainText('firing');
    const { alerts } = await api('viewer', 'query ($f: AlertFilter) { alerts(filter: $f, first: 5) { edges { node { id } } } }', { f: { hostIds: [id], open: true } });
    await expect(alert.getByRole('link', { name: rule })).toHaveAttribute('href', `/alerts/${alerts.edges[0].node.id}`);
    expect(await marked(page)).toBe('still here');

    // a metric outside the system charts can be charted too
    await expect(page.getByText('This host has sent none of the system metrics yet.')).toBeVisible();
    await page.getByLabel('Chart another metric of this host').selectOption(METRIC);
    const other = page.getByTestId('chart-other');
    await expect(other.getByRole('heading', { name: METRIC })).toBeVisible();
    await expect(other.locator('canvas')).toBeVisible();
    await expect(other.getByTestId('legend-value')).toHaveText(/^\d+(\.\d+)?$/);
    await shoot(page, 'host-detail-alert');

    // silent for ESMON_HOST_STALE_AFTER (15 s here): the server calls the host stale, and the page says so live
    await expect(page.getByTestId('host-status')).toHaveText('online');
    await expect(page.getByTestId('host-status')).toHaveText('stale', { timeout: 45_000 });
    await push(96);
    await expect(page.getByTestId('host-status')).toHaveText('online', { timeout: 15_000 });
    expect(await marked(page)).toBe('still here');

    await page.goto(`${baseUrl()}/hosts/987654321`);
    await expect(page.getByRole('heading', { name: 'No host 987654321' })).toBeVisible();
    await page.goto(`${baseUrl()}/hosts/web-01`);
    await expect(page.getByRole('heading', { name: 'No host web-01' })).toBeVisible();
    await shoot(page, 'host-detail-unknown');
  } finally {
    await api('analyst', 'mutation ($id: ID!) { deleteRule(id: $id) }', { id: createRule.rule.id });
    await api('analyst', 'mutation ($id: ID!) { deleteProbe(id: $id) }', { id: createProbe.id });
  }
});
