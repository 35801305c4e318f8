// The rule journey, counted in UI actions (a click, a fill, a select or one typed sequence each):
// from an empty new-rule editor, build `last(e2e.rule.load, "5m") > 90 → critical` in the graph
// and see the text appear in Monaco; change 90 to 80 in the text and see the graph's number
// follow; backtest it over a past hour arranged to cross the threshold; save; a mock agent pushes
// a sample over it and the rule's open alert appears live; acknowledge it on the alert's page.
// Then: text the builder cannot draw is edited as text and a refused save is shown in place; a
// viewer sees the rule and nothing that changes it. Completion and hovers come from the shared
// function catalogue and the server's metric names.
import { randomUUID } from 'node:crypto';
import { api, baseUrl, expect, shoot, signIn, test } from './fixtures.ts';
import { PEOPLE } from './people.ts';

const METRIC = 'e2e.rule.load';
const RUN = randomUUID().slice(0, 8);
const HOST = `e2e-rule-${RUN}`;
const RULE = `E2E rule load ${RUN}`;
const GOAL = 15;

async function push(key: string, samples: { ts: number; value: number }[]): Promise<void> {
  const res = await fetch(`${baseUrl()}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ batchId: randomUUID(), hosts: [{ hostname: HOST, samples: samples.map((s) => ({ metric: METRIC, ...s })) }] }),
  });
  expect(res.status, await res.text()).toBe(200);
}

test('rule journey: graph → text → backtest → save → live alert → acknowledged', async ({ page }) => {
  test.setTimeout(180_000);
  // arranged over the API (not counted): an agent key for our own host and a past hour of load,
  // over 90 from 40 to 31 minutes ago and at 40 otherwise (so nothing breaches at save time)
  const { createApiKey } = await api('admin', 'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
    i: { name: `rules-e2e-${RUN}`, kind: 'agent', hostname: HOST },
  });
  const key: string = createApiKey.secret;
  const now = Date.now();
  await push(key, Array.from({ length: 60 }, (_, i) => 60 - i).map((m) => ({ ts: now - m * 60_000, value: m <= 40 && m > 30 ? 95 : 40 })));

  // nothing is fetched from another origin (Monaco, its worker and React Flow come from the server)
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(baseUrl()).origin && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  await signIn(page, 'analyst');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('button', { name: 'New rule' }).click();
  await expect(page.getByRole('heading', { name: 'New rule' })).toBeVisible();
  await expect(page.getByTestId('rule-graph')).toBeVisible();
  const code = page.getByTestId('rule-code').locator('.view-lines');
  await expect(code).toBeVisible();

  // from here on every UI action counts
  let actions = 0;
  const act = async (what: Promise<unknown>) => {
    actions++;
    await what;
  };
  const graph = page.getByTestId('rule-graph');
  await act(page.getByLabel('Name', { exact: true }).fill(RULE));
  await act(graph.getByRole('button', { name: 'Metric' }).click());
  await act(graph.getByTestId('node-metric').getByLabel('Metric name').fill(METRIC));
  await act(graph.getByRole('button', { name: 'Window function' }).click());
  await act(graph.getByTestId('node-window').getByLabel('Function').selectOption('last'));
  await act(graph.getByRole('button', { name: 'Compare' }).click());
  await act(graph.getByTestId('node-constant').getByLabel('Number').fill('90'));
  await act(graph.getByTestId('node-severity').getByLabel('Severity').selectOption('critical'));
  // the graph wrote the text
  await expect(code).toHaveText(`last(${METRIC}, "5m") > 90`);
  await expect(page.getByTestId('rule-kind')).toHaveText('A condition: the alert is critical while it holds.');

  // the text edited: the graph's number follows
  await act(code.getByText('90', { exact: true }).dblclick());
  await act(page.keyboard.type('80'));
  await expect(code).toHaveText(`last(${METRIC}, "5m") > 80`);
  await expect(graph.getByTestId('node-constant').getByLabel('Number')).toHaveValue('80');
  await expect(graph.getByTestId('node-window').getByLabel('Function')).toHaveValue('last');
  await expect(graph.getByTestId('graph-note')).toHaveCount(0);

  // backtest over the last hour: the arranged breach fires and resolves
  await act(page.getByRole('button', { name: '1h', exact: true }).click());
  const summary = page.getByTestId('backtest-summary');
  await expect(summary).toContainText(/\b[1-9]\d* transitions/);
  await expect(page.getByTestId('backtest-counts')).toContainText(/firing [1-9]/);
  await expect(page.getByRole('table', { name: 'transitions' })).toContainText(HOST);
  await expect(page.getByTestId('backtest-chart')).toHaveAttribute('data-bands', /^[1-9]/);
  await expect(page.getByTestId('backtest-chart')).toHaveAttribute('data-lines', '1');
  const transitions = Number(/(\d+) transitions/.exec((await summary.textContent()) ?? '')?.[1]);
  expect(transitions).toBeGreaterThanOrEqual(1);
  await shoot(page, 'rule-backtest');

  await act(page.getByRole('button', { name: 'Save' }).click());
  await expect(page.getByTestId('save-status')).toContainText('Saved: version 1.');
  await expect(page).toHaveURL(/\/rules\/\d+$/);
  await expect(page.getByTestId('open-alert-count')).toHaveText('0');
  await shoot(page, 'rule-editor');

  // a mock agent pushes load over the threshold: the alert appears without a reload
  await push(key, [{ ts: Date.now(), value: 97 }]);
  const alert = page.getByTestId('rule-alert');
  await expect(alert).toHaveAttribute('data-state', 'firing');
  await expect(alert).toContainText(HOST);
  await expect(alert).toContainText('critical');
  await expect(page.getByTestId('open-alert-count')).toHaveText('1');

  await act(alert.getByRole('link', { name: 'Acknowledge…' }).click());
  await act(page.getByRole('form', { name: 'Acknowledge: someone is on it' }).getByRole('button', { name: 'Acknowledge' }).click());
  await expect(page.getByTestId('alert-ack')).toContainText(`by ${PEOPLE.analyst.email}`);

  expect(foreign).toEqual([]);
  console.log(`rule journey: ${JSON.stringify({ uiActions: actions, goal: GOAL })}`);
  expect(actions).toBeLessThanOrEqual(GOAL);

  // the list: the rule with its open alert
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Rules' }).click();
  const row = page.getByTestId('rule-row').filter({ hasText: RULE });
  await expect(row).toContainText(`last(${METRIC}, "5m") > 80`);
  await expect(row).toContainText('critical');
  await expect(row.getByTestId('rule-open-alerts')).toHaveText('1');
  await shoot(page, 'rules');
});

test('completion, hovers and markers; text the builder cannot draw is edited as text; a refused save is shown in place', async ({ page }) => {
  // a metric of our own for completion to offer (arranged over the API)
  const metric = `e2e.rule.completion_${RUN}`;
  await api('admin', 'mutation ($b: IngestBatchInput!) { ingestSamples(batch: $b) { accepted } }', {
    b: { batchId: randomUUID(), hosts: [{ hostname: HOST, samples: [{ metric, ts: Date.now(), value: 1 }] }] },
  });
  await signIn(page, 'analyst');
  await page.goto(`${baseUrl()}/rules/new`);
  const editor = page.getByTestId('rule-code');
  const code = editor.locator('.view-lines');
  await expect(code).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(`E2E undrawable ${RUN}`);
  await code.click();
  // function names with their signatures, metric names from the server
  await page.keyboard.type('perc');
  const suggest = page.locator('.monaco-editor .suggest-widget');
  await expect(suggest).toContainText('percentile');
  await expect(suggest).toContainText('percentile(metric, window, p) → number');
  await page.keyboard.press('Escape');
  // "perc" alone reads as a metric: the graph draws it
  const graph = page.getByTestId('rule-graph');
  await expect(graph.getByTestId('node-metric').getByLabel('Metric name')).toHaveValue('perc');
  // a Backspace in the text while a graph node is selected edits the text; the graph follows
  await graph.getByTestId('node-metric').getByText('Metric', { exact: true }).click();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
  await code.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await expect(code).toHaveText('per');
  await expect(graph.getByTestId('node-metric').getByLabel('Metric name')).toHaveValue('per');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(`max(e2e.rule.completion_`);
  await expect(suggest).toContainText(metric);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+A');
  // spaces reach the text (React Flow would take Space to pan)
  await page.keyboard.type('avg(x) > 1');
  await expect(code).toHaveText('avg(x) > 1');
  await expect(page.getByTestId('graph-note')).toContainText('This expression is edited as text: avg(…) can be drawn only as avg(metric, "duration")');
  await expect(page.getByRole('toolbar', { name: 'Add a node' })).toHaveCount(0);
  // the shared validator marks the text at once (a Monaco marker), a hover explains the function
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();
  await code.getByText('avg', { exact: true }).hover();
  await expect(page.locator('.monaco-editor .monaco-hover').first()).toContainText('avg(metric, window) → number');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('save-status')).toContainText(/expression: .*avg takes 2 arguments/);
  await expect(page.getByText(/^1:1 avg takes 2 arguments/)).toBeVisible();
  await expect(page).toHaveURL(/\/rules\/new$/);
});

test('a viewer sees rules and the editor read-only', async ({ page }) => {
  const name = `E2E viewer rule ${RUN}`;
  await api('admin', 'mutation ($i: RuleInput!) { createRule(input: $i) { rule { id } } }', {
    i: { name, expression: `avg(${METRIC}, "10m")`, comparator: '>=', levels: [{ severity: 'warning', threshold: 70, recovery: 60 }, { severity: 'critical', threshold: 90 }] },
  });
  await signIn(page, 'viewer');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Rules' }).click();
  const row = page.getByTestId('rule-row').filter({ hasText: name });
  await expect(row).toContainText('warning >= 70 (↺ 60)');
  await expect(row).toContainText('critical >= 90');
  await expect(page.getByRole('button', { name: 'New rule' })).toHaveCount(0);
  await row.getByRole('link', { name }).click();
  await expect(page.getByTestId('rule-code').locator('.view-lines')).toHaveText(`avg(${METRIC}, "10m")`);
  await expect(page.getByTestId('node-window').getByLabel('Window')).toBeDisabled();
  await expect(page.getByTestId('node-severity')).toContainText('critical >= 90');
  await expect(page.getByLabel('warning threshold')).toHaveValue('70');
  await expect(page.getByLabel('warning threshold')).toBeDisabled();
  await expect(page.getByRole('toolbar', { name: 'Add a node' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(page.getByText('read-only: editing rules needs an analyst')).toBeVisible();
});
