// Signing in: a wrong password is refused with the server's reason, the right one opens the
// overview, and every request the page makes stays on the server's origin (no CDN, no web fonts).
// The weight: the first page's JavaScript (gzipped) and what the rule editor and the probe
// builder add when opened, printed as one JSON line. Both run under the server's
// Content-Security-Policy and expect no violation of it (no inline script, no eval, no foreign worker).
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { baseUrl, expect, shoot, signIn, test } from './fixtures.ts';

/**
 * Every Content-Security-Policy violation the page reports, across navigations (Chromium reports
 * a caught eval only as this event, not on the console).
 */
async function cspViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('__esmonCspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __esmonCspViolation(v: string): void }).__esmonCspViolation(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test('a wrong password is refused, the right one signs in; nothing is fetched from elsewhere', async ({ page }) => {
  const violations = await cspViolations(page);
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(baseUrl()).origin && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(`${baseUrl()}/`);
  await shoot(page, 'login');
  await page.getByLabel('Email').fill('admin@localhost');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/password|invalid|wrong/i);
  await signIn(page, 'admin');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('who')).toContainText('admin');
  expect(foreign).toEqual([]);
  expect(violations).toEqual([]);
});

/**
 * The scripts the page fetched since the last call, each with its gzipped size (level 9, as a
 * server or CDN would send it); a script fetched before (cached by a browser) is not counted again.
 */
function scriptLog(page: Page) {
  const scripts = new Map<string, Promise<number>>();
  const ever = new Set<string>();
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.endsWith('.js') || ever.has(path)) return;
    ever.add(path);
    scripts.set(path, r.body().then((b) => gzipSync(b, { level: 9 }).length));
  });
  return async () => {
    const sized = await Promise.all([...scripts].map(async ([path, size]) => [path.replace(/^.*\//, ''), await size] as const));
    scripts.clear();
    return Object.fromEntries(sized);
  };
}
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const total = (sizes: Record<string, number>) => kb(Object.values(sizes).reduce((a, b) => a + b, 0));

test('the first page weighs at most 300 KB of gzipped JavaScript; Monaco and the graph editors come only with their pages', async ({ page }) => {
  const taken = scriptLog(page);
  const violations = await cspViolations(page);
  await signIn(page, 'analyst');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const first = await taken();
  const firstNames = Object.keys(first).join(' ');
  expect(firstNames).not.toMatch(/monaco|editor\.worker|RuleGraphView|ProbeBuilder|RuleEditor/);
  expect(total(first)).toBeLessThanOrEqual(300);

  await page.goto(`${baseUrl()}/rules/new`);
  await expect(page.locator('.react-flow').first()).toBeVisible();
  await expect(page.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const ruleEditor = await taken();
  expect(Object.keys(ruleEditor).join(' ')).toMatch(/monaco/);

  await page.goto(`${baseUrl()}/probes/new`);
  await expect(page.locator('.react-flow').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  const probeBuilder = await taken();

  const figures = {
    firstPageJsGzipKB: total(first),
    firstPageScripts: first,
    ruleEditorExtraJsGzipKB: total(ruleEditor),
    ruleEditorScripts: ruleEditor,
    probeBuilderExtraJsGzipKB: total(probeBuilder),
    probeBuilderScripts: probeBuilder,
    goalFirstPageKB: 300,
  };
  console.log(JSON.stringify(figures));
  // Monaco's worker, its injected styles, zod (jitless) and the graph editors all run under the policy
  expect(violations).toEqual([]);
});
