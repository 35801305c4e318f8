import { readFileSync } from 'node:fs';
import { paramsSection, paramTable } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { db2Plugin } from '../src/plugin.ts';

describe('README', () => {
  it('documents exactly the manifest’s parameters', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(paramsSection(readme)).toBe(paramTable(db2Plugin.manifest));
  });
});
