// The probe builder, against the real server and this machine's local agent: an analyst builds a
// probe on an empty canvas from the palette (an http step against the server's own /metrics, a
// regex extraction into e2e.probe.value), targets this machine, sees the server's error on an
// empty URL, saves, runs it on this host now and reads the per-step trace. The local agent runs
// with its default configuration, which refuses script plugins (`command`), hence http.
// Monaco loads (from our bundle, nothing from elsewhere) when a SQL field is shown.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Page } from '@playwright/test';
import { api, baseUrl, expect, shoot, signIn, test } from './fixtures.ts';

const THIS_HOST = hostname().replace(/[^A-Za-z0-9_.-]/g, '-');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function foreignRequests(page: Page): string[] {
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(baseUrl()).origin && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  return foreign;
}

/** A probe arranged over GraphQL, so the list has something that is not the spec's own work. */
async function arrangedProbe(): Promise<string> {
  const name = `e2e arranged ${randomUUID().slice(0, 8)}`;
  await api('analyst', 'mutation ($d: JSON!) { createProbe(definition: $d) { id } }', {
    d: {
      name,
      steps: [{ id: 'tcp_1', plugin: 'tcp', params: { host: '127.0.0.1', port: Number(new URL(baseUrl()).port) } }],
      intervalSeconds: 300,
      targets: { hostnamePattern: 'e2e-nobody-*' },
    },
  });
  return name;
}

test('an analyst builds a probe from the palette, sees the server refuse an empty URL, saves it and runs it on this host', async ({ page }) => {
  const foreign = foreignRequests(page);
  const arranged = await arrangedProbe();
  const name = `e2e probe ${randomUUID().slice(0, 8)}`;
  await signIn(page, 'analyst');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Probes' }).click();
  await expect(page.getByRole('heading', { name: 'Probes' })).toBeVisible();
  const arrangedRow = page.getByTestId('probe-row').filter({ hasText: arranged });
  await expect(arrangedRow).toContainText('tcp');
  await expect(arrangedRow).toContainText('hostname e2e-nobody-*');

  await page.getByRole('button', { name: 'New probe' }).click();
  await expect(page.getByRole('heading', { name: 'New probe' })).toBeVisible();
  const nodes = page.getByTestId('step-node');
  await expect(nodes).toHaveCount(0);
  await expect(page.getByText('Click a step in the palette, or drag it here.')).toBeVisible();

  // the palette comes from the manifests: script plugins are marked
  await expect(page.getByTestId('palette-command')).toContainText('runs scripts');
  await expect(page.getByTestId('palette-http')).not.toContainText('runs scripts');

  // a SQL parameter opens Monaco, lazily loaded from our own bundle
  await page.getByTestId('palette-db2').click();
  await expect(nodes).toHaveCount(1);
  const editor = nodes.first().getByTestId('monaco-field').locator('.monaco-editor');
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.type('SELECT COUNT(*) AS n FROM SYSCAT.TABLES');
  await expect(editor.locator('.view-lines')).toContainText('SYSCAT.TABLES');
  await nodes.first().getByRole('button', { name: 'Remove step db2_1' }).click();
  await expect(nodes).toHaveCount(0);

  // the http step, dragged from the palette onto the empty canvas
  await page.getByTestId('palette-http').dragTo(page.getByTestId('canvas'));
  await expect(nodes).toHaveCount(1);
  const step = nodes.first();
  await expect(step).toHaveAttribute('data-step-id', 'http_1');

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Interval (s)').fill('30');
  await page.getByLabel('Timeout (s)').fill('10');
  await page.getByRole('list', { name: 'Target hosts' }).getByRole('checkbox', { name: new RegExp(`^${escapeRe(THIS_HOST)} `) }).check();
  const preview = page.getByTestId('target-preview');
  await expect(preview).toContainText(/^1 of \d+ hosts? match/);
  await expect(preview.getByRole('listitem')).toHaveText([THIS_HOST]);

  await step.getByRole('button', { name: '+ Extract a metric' }).click();
  const extraction = step.getByTestId('extraction');
  await expect(extraction.getByLabel('From')).toHaveValue('regex');
  await extraction.getByLabel('Regex', { exact: true }).fill('esmon_nodejs_version_info\\{[^}]*major="(\\d+)"');
  await extraction.getByLabel('Metric name').fill('e2e.probe.value');

  // the URL left empty: the server's words, on that field of that node
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-message')).toContainText('Not saved');
  await expect(step.getByTestId('param-error-url')).toContainText(/expected string/i);
  await expect(step.locator('[data-param="url"]')).toHaveClass(/has-error/);

  await step.getByLabel('URL *').fill(`${baseUrl()}/metrics`);
  await shoot(page, 'probe-builder');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-message')).toHaveText('Saved as version 1.');
  await expect(page).toHaveURL(/\/probes\/\d+$/);
  await expect(step.getByTestId('param-error-url')).toHaveCount(0);

  // run it on this machine's agent now and read the trace
  await page.getByLabel('Run on host', { exact: true }).selectOption({ label: THIS_HOST });
  await page.getByRole('button', { name: 'Run on host now' }).click();
  const trace = page.getByTestId('trace');
  await expect(trace).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  const row = trace.getByTestId('trace-step');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-step-id', 'http_1');
  await expect(row.getByRole('cell').nth(2)).toHaveText('ok');
  await expect(trace.getByTestId('trace-status')).toHaveText('ok');
  await expect(trace).toContainText(`version 1 on ${THIS_HOST}`);
  const extracted = trace.locator('[data-testid="trace-sample"][data-metric="e2e.probe.value"]');
  await expect(extracted).toHaveCount(1);
  await expect(extracted.getByTestId('trace-sample-value')).toHaveText(process.versions.node.split('.')[0]!);
  await expect(trace.locator('[data-testid="trace-sample"][data-metric="http.up"]').getByTestId('trace-sample-value')).toHaveText('1');
  // every sample of this one-step run is the step's, and the node takes its status
  const all = await trace.getByTestId('trace-sample').count();
  expect(all).toBeGreaterThan(1);
  await expect(row.getByTestId('trace-step-samples')).toHaveText(String(all));
  await expect(step).toHaveAttribute('data-status', 'ok');
  await expect(step).toHaveClass(/status-ok/);
  await expect(step.getByTestId('step-status')).toHaveText('ok');
  await shoot(page, 'probe-trace');

  await page.getByRole('link', { name: '← Probes' }).click();
  const mine = page.getByTestId('probe-row').filter({ hasText: name });
  await expect(mine.getByRole('cell')).toHaveText([name, 'http', '30 s', THIS_HOST, '1']);
  await shoot(page, 'probes');
  expect(foreign).toEqual([]);
});

test('a viewer reads a probe but cannot change or run it', async ({ page }) => {
  const name = await arrangedProbe();
  await signIn(page, 'viewer');
  await page.goto(`${baseUrl()}/probes`);
  await expect(page.getByTestId('probe-row').filter({ hasText: name })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New probe' })).toHaveCount(0);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  const step = page.getByTestId('step-node');
  await expect(step).toHaveCount(1);
  await expect(step.getByLabel('Host *')).toHaveValue('127.0.0.1');
  await expect(step.getByLabel('Host *')).toBeDisabled();
  await expect(page.getByTestId('palette-http')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Run on host/ })).toHaveCount(0);
});
