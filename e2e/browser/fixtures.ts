// What every spec shares: the product's address, signing in through the login form as one of
// PEOPLE, GraphQL calls for setting up data, and screenshots kept as artifacts.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test as base, type Page } from '@playwright/test';
import { gql, loginToken } from '../src/processes.ts';
import { PEOPLE, type Person } from './people.ts';

export const screenshotDir = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

export function baseUrl(): string {
  const url = process.env.ESMON_E2E_URL;
  if (!url) throw new Error('ESMON_E2E_URL is not set: run through `npm run e2e` (global-setup starts the product)');
  return url;
}

/** Signs in through the form and waits for the shell. */
export async function signIn(page: Page, who: Person): Promise<void> {
  await page.goto(`${baseUrl()}/`);
  await page.getByLabel('Email').fill(PEOPLE[who].email);
  await page.getByLabel('Password').fill(PEOPLE[who].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('who')).toContainText(PEOPLE[who].email);
}

// one session per person, as a real client keeps it (logging in for every call would meet the
// server's login rate limit)
const sessions = new Map<Person, Promise<string>>();

/** A GraphQL call as `who`, for arranging data a spec needs (not for what the spec proves). */
export async function api<T = any>(who: Person, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let session = sessions.get(who);
  if (!session) {
    session = loginToken(baseUrl(), PEOPLE[who].email, PEOPLE[who].password);
    session.catch(() => sessions.delete(who));
    sessions.set(who, session);
  }
  const token = await session;
  const r = await gql<T>(baseUrl(), query, variables, token);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL: ${r.errors?.[0]?.message ?? 'no data'}`);
  return r.data;
}

/** A full-page screenshot kept under e2e/artifacts/screenshots/<name>.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

export const test = base;
export { expect };
