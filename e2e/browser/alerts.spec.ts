// Alerts, live: a threshold rule on a metric of our own host fires when a sample breaches it and
// the open list shows the alert without a reload, coloured critical; the analyst acknowledges it
// with a comment (the history shows it) and opens a silence prefilled from the alert; a recovering
// sample takes it out of the open list live. A viewer sees the alert and no control that changes it.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { api, baseUrl, expect, shoot, signIn, test } from './fixtures.ts';
import { PEOPLE } from './people.ts';

const HOST = 'alerts-e2e-host';
const METRIC = 'e2e.alerts.load';
const RULE = `Alerts e2e load ${randomUUID().slice(0, 8)}`;

async function push(key: string, value: number): Promise<void> {
  const res = await fetch(`${baseUrl()}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ batchId: randomUUID(), hosts: [{ hostname: HOST, samples: [{ metric: METRIC, ts: Date.now(), value }] }] }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** Marks the document; a reload would lose the mark. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { e2eMark: string }).e2eMark = 'still here'));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark);

test('an alert appears, is acknowledged, silenced and resolves live; a viewer cannot act on it', async ({ page, browser }) => {
  const { createApiKey } = await api('admin', 'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
    i: { name: `alerts-e2e-${randomUUID().slice(0, 8)}`, kind: 'agent', hostname: HOST },
  });
  const key: string = createApiKey.secret;
  await api('admin', 'mutation ($i: RuleInput!) { createRule(input: $i) { rule { id } } }', {
    i: {
      name: RULE,
      threshold: { metric: METRIC, fn: 'last', window: '5m' },
      levels: [{ severity: 'critical', threshold: 90, recovery: 85 }],
      forSeconds: 0,
      evalIntervalSeconds: 5,
      annotations: { summary: 'load of {{host}} is {{value}}' },
    },
  });

  // the open list, filtered to our rule through the search box (kept in the URL)
  await signIn(page, 'analyst');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Alerts' }).click();
  await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible();
  await page.getByLabel('Search').fill(RULE);
  await page.getByLabel('Search').press('Enter');
  await expect(page).toHaveURL(new RegExp(`/alerts\\?q=${encodeURIComponent(RULE).replace(/%20/g, '\\+')}$`));
  await expect(page.getByTestId('alert-total')).toHaveText('No open alert matches.');
  const rows = page.getByTestId('alert-row').filter({ hasText: RULE });
  await expect(rows).toHaveCount(0);
  await mark(page);

  await push(key, 95);
  const row = rows.first();
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-severity', 'critical');
  await expect(row.getByTestId('alert-state')).toHaveText('firing');
  await expect(row).toHaveCSS('border-left-color', 'rgb(220, 38, 38)');
  await expect(row).toContainText(HOST);
  await expect(row).toContainText('95');
  await expect(page.getByTestId('count-critical').locator('strong')).toHaveText(/^[1-9]\d*$/);
  expect(await marked(page)).toBe('still here');
  await shoot(page, 'alerts');

  // the host filter searches hostnames on the server as you type; a pick goes into the URL
  const hostBox = page.getByRole('combobox', { name: 'Host' });
  await hostBox.fill(HOST.slice(0, 12));
  await page.getByRole('option', { name: HOST }).click();
  await expect(page).toHaveURL(/[?&]host=\d+/);
  await expect(hostBox).toHaveValue(HOST);
  await expect(rows).toHaveCount(1);
  expect(await marked(page)).toBe('still here');

  // the detail: header, then acknowledging through the notification link (?action=acknowledge)
  await row.getByRole('link', { name: RULE }).click();
  await expect(page.getByRole('heading', { name: RULE })).toBeVisible();
  const alertId = new URL(page.url()).pathname.split('/').pop()!;
  const { host } = await api('viewer', 'query ($h: String) { host(hostname: $h) { id } }', { h: HOST });
  const head = page.getByTestId('alert-head');
  await expect(head.getByRole('link', { name: HOST })).toHaveAttribute('href', `/hosts/${host.id}`);
  await expect(head.getByTestId('alert-severity')).toHaveText('critical');
  await expect(head.getByTestId('alert-value')).toHaveText('95');
  await expect(page.getByRole('definition').filter({ hasText: `load of ${HOST} is 95` })).toBeVisible();
  await expect(page.getByTestId('history-event').filter({ hasText: 'firing' }).first()).toBeVisible();
  await expect(page.getByRole('form', { name: /Acknowledge/ })).toHaveCount(0);

  await page.goto(`${baseUrl()}/alerts/${alertId}?action=acknowledge`);
  const ackForm = page.getByRole('form', { name: /Acknowledge/ });
  await expect(ackForm).toBeVisible();
  await ackForm.getByLabel('Comment (optional)').fill('looking into the e2e load');
  await ackForm.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(ackForm).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/alerts/${alertId}$`));
  const ackEvent = page.getByTestId('history-event').and(page.locator('[data-kind="acknowledged"]'));
  await expect(ackEvent).toContainText('looking into the e2e load');
  await expect(ackEvent).toContainText(PEOPLE.analyst.email);
  await expect(page.getByTestId('alert-ack')).toContainText(PEOPLE.analyst.email);
  const actions = page.getByRole('group', { name: 'alert actions' });
  await expect(actions.getByRole('button', { name: 'Unacknowledge' })).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);
  await shoot(page, 'alert-detail');

  // silencing from the alert: the form is prefilled with the rule and the host
  await actions.getByRole('button', { name: 'Silence…' }).click();
  await expect(page).toHaveURL(new RegExp(`/silences/new\\?alert=${alertId}$`));
  const form = page.getByRole('form', { name: 'new silence' });
  await expect(form.getByLabel('Matcher 1 name')).toHaveValue('rule');
  await expect(form.getByLabel('Matcher 1 operator')).toHaveValue('=');
  await expect(form.getByLabel('Matcher 1 value')).toHaveValue(RULE);
  await expect(form.getByLabel('Matcher 2 name')).toHaveValue('host');
  await expect(form.getByLabel('Matcher 2 value')).toHaveValue(HOST);
  await expect(form.getByRole('checkbox', { name: /Send first recovery/ })).toBeChecked();
  await shoot(page, 'alert-silence');
  await form.getByRole('button', { name: 'Create silence' }).click();
  await expect(form.getByRole('alert')).toHaveText('Say why: the comment is required.');
  await form.getByRole('radio', { name: '4h' }).check();
  await form.getByLabel(/Comment \(required\)/).fill('e2e: load test in progress');
  await form.getByRole('button', { name: 'Create silence' }).click();
  await expect(page.getByTestId('silence-created')).toContainText(`rule="${RULE}", host="${HOST}"`);
  const { silences } = await api('viewer', '{ silences(state: "active") { comment endsAt matchers { name op value } } }');
  const made = silences.find((s: any) => s.comment === 'e2e: load test in progress');
  expect(made.matchers).toEqual([{ name: 'rule', op: '=', value: RULE }, { name: 'host', op: '=', value: HOST }]);
  const hours = (Date.parse(made.endsAt) - Date.now()) / 3_600_000;
  expect(hours).toBeGreaterThan(3.9);
  expect(hours).toBeLessThanOrEqual(4);

  // recovering: the alert leaves the open list live, and shows as resolved with closed ones
  await page.getByRole('link', { name: 'Back to the alert' }).click();
  await page.getByRole('link', { name: '← Alerts' }).click();
  await page.getByLabel('Search').fill(RULE);
  await page.getByLabel('Search').press('Enter');
  await expect(rows).toHaveCount(1);
  await mark(page);
  await push(key, 10);
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('alert-total')).toHaveText('No open alert matches.');
  expect(await marked(page)).toBe('still here');
  await page.getByRole('checkbox', { name: 'Open only' }).uncheck();
  await expect(page).toHaveURL(/open=all/);
  await expect(rows.first().getByTestId('alert-state')).toHaveText('resolved');

  // a viewer sees the alert, its history and its acknowledgement, and no control
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, 'viewer');
  await viewer.goto(`${baseUrl()}/alerts/${alertId}?action=acknowledge`);
  await expect(viewer.getByRole('heading', { name: RULE })).toBeVisible();
  await expect(viewer.getByTestId('history-event').and(viewer.locator('[data-kind="acknowledged"]'))).toContainText('looking into the e2e load');
  await expect(viewer.getByRole('note')).toContainText('viewer');
  await expect(viewer.getByRole('group', { name: 'alert actions' })).toHaveCount(0);
  for (const name of ['Acknowledge', 'Unacknowledge', 'Comment', 'Resolve', 'Silence…']) {
    await expect(viewer.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await expect(viewer.getByRole('form')).toHaveCount(0);
  await viewer.goto(`${baseUrl()}/silences/new?alert=${alertId}`);
  await expect(viewer.getByTestId('silence-alert')).toContainText(RULE);
  await expect(viewer.getByRole('form', { name: 'new silence' })).toHaveCount(0);
  await viewerContext.close();
});
