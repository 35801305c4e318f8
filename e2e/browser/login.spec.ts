// Signing in: a wrong password is refused with the server's reason, the right one opens the
// overview, and every request the page makes stays on the server's origin (no CDN, no web fonts).
import { baseUrl, expect, shoot, signIn, test } from './fixtures.ts';

test('a wrong password is refused, the right one signs in; nothing is fetched from elsewhere', async ({ page }) => {
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
});
