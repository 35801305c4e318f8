import { readFileSync } from 'node:fs';
import { paramsSection, paramTable } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { jmxPlugin } from './index.ts';

describe('the jmx README', () => {
  it('documents exactly the parameters the manifest declares', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(paramsSection(readme)).toBe(paramTable(jmxPlugin.manifest));
  });
});
