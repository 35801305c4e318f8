import { readFileSync } from 'node:fs';
import { paramsSection, paramTable } from '@esmon/schema';
import { expect, it } from 'vitest';
import { ACTIVE_STATE_CODES } from '../src/parse.ts';
import { systemctlManifest } from '../src/manifest.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

it('the README documents exactly the manifest parameters', () => {
  expect(paramsSection(readme)).toBe(paramTable(systemctlManifest));
});

it('the README lists every state code', () => {
  for (const [state, code] of Object.entries(ACTIVE_STATE_CODES)) expect(readme).toContain(`| \`${state}\` | ${code} |`);
});
