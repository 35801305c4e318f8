import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { param, secretRef, type PluginManifest } from './manifest.ts';
import { paramsSection, paramTable } from './readme.ts';

const manifest: PluginManifest = {
  id: 'demo',
  version: '1.0.0',
  title: 'Demo',
  description: 'a test plugin',
  category: 'script',
  platforms: ['linux'],
  runsScripts: false,
  params: z.object({
    argv: param(z.array(z.string()).min(1), { label: 'Command', help: 'the <file>, then | its `<args>`', widget: 'list' }),
    mode: param(z.enum(['number', 'json']).default('number'), { label: 'Output', widget: 'select' }),
    timeoutMs: param(z.number().int().min(100).optional(), { label: 'Timeout (ms)' }),
    password: param(secretRef.optional(), { label: 'Password', secret: true }),
    query: param(z.string().optional(), { label: 'Query', visibleWhen: { param: 'mode', equals: ['json', 'number'] } }),
    env: param(z.record(z.string(), z.string()).default({}), { label: 'Env', widget: 'keyvalue' }),
  }),
  outputs: [],
};

describe('paramTable', () => {
  it('renders one row per parameter from the manifest', () => {
    expect(paramTable(manifest).split('\n')).toEqual([
      '| Parameter | Type | Required | Default | Description | Widget |',
      '| --- | --- | --- | --- | --- | --- |',
      '| `argv` | `string[]` | yes |  | **Command** — the &lt;file&gt;, then \\| its `<args>` | `list` |',
      '| `mode` | `"number" \\| "json"` | no | `"number"` | **Output** | `select` |',
      '| `timeoutMs` | `integer` | no |  | **Timeout (ms)** |  |',
      '| `password` | `string` | no |  | **Password** (a secret reference, `secret:NAME`) |  |',
      '| `query` | `string` | no |  | **Query** (only when `mode` is `json` or `number`) |  |',
      '| `env` | `record of string` | no | `{}` | **Env** | `keyvalue` |',
    ]);
  });

  it('refuses parameters that are not an object', () => {
    expect(() => paramTable({ ...manifest, params: z.string() })).toThrow('demo: parameters must be a zod object');
  });
});

describe('paramsSection', () => {
  it('returns the text between the markers', () => {
    expect(paramsSection('# x\n\n<!-- params -->\n\n| a |\n\n<!-- /params -->\nrest')).toBe('| a |');
  });
  it.each(['no markers', '<!-- /params --> <!-- params -->'])('is undefined for %j', (text) => {
    expect(paramsSection(text)).toBeUndefined();
  });
});
