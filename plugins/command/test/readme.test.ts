import { readFileSync } from 'node:fs';
import { paramsSection, paramTable } from '@esmon/schema';
import { expect, it } from 'vitest';
import { commandManifest } from '../src/manifest.ts';

it('the README documents exactly the manifest parameters', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(paramsSection(readme)).toBe(paramTable(commandManifest));
});
