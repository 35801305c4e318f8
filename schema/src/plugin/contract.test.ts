import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { manifestJson, param, parseParams, PluginParamsError, secretRef, type PluginManifest } from './manifest.ts';
import { probeDefinitionSchema } from './probe.ts';
import { compileTransform, TransformError } from './transform.ts';

describe('transforms', () => {
  it.each([
    ['value / 1024', 2048, 2],
    ['round(100 - value, 1)', 12.345, 87.7],
    ['abs(value) * -1', -3, -3],
    ['value % 60', 125, 5],
  ])('%s of %d is %d', (text, input, output) => {
    expect(compileTransform(text)(input)).toBe(output);
  });

  it.each([
    ['avg(value, "5m")', 'abs() and round() only'],
    ['other * 2', '"other": a transform knows only "value"'],
    ['value > 2', '">": a transform uses + - * / % only'],
    ['constructor', 'is reserved'],
    ['value +', 'unexpected end of input'],
  ])('refuses %s', (text, message) => {
    expect(() => compileTransform(text)).toThrow(TransformError);
    expect(() => compileTransform(text)).toThrow(message);
  });
});

describe('probe definitions', () => {
  const base = {
    name: 'Maximo JVM heap',
    steps: [{ id: 'heap', plugin: 'jmx', params: { url: 'service:jmx:rmi:///jndi/rmi://127.0.0.1:9999/jmxrmi' } }],
    extract: [{ step: 'heap', from: { kind: 'jsonPath', path: '$.HeapMemoryUsage.used' }, metric: 'jvm.heap.used', transform: 'value / 1048576' }],
    intervalSeconds: 30,
  };

  it('takes labels from capture groups and sibling keys', () => {
    const regex = { step: 'heap', from: { kind: 'regex', pattern: '^(?<queue>\\S+) (\\d+)$', group: 2 }, metric: 'mq.depth', labels: { queue: { group: 'queue' }, whole: { group: 0 } } };
    const json = { ...base.extract[0], from: { kind: 'jsonPath', path: '$.pools[*].active' }, labels: { pool: { key: 'name' } } };
    expect(probeDefinitionSchema.safeParse({ ...base, extract: [regex, json] }).error?.issues).toBeUndefined();
  });

  it('fills defaults and keeps a valid definition', () => {
    const p = probeDefinitionSchema.parse(base);
    expect(p).toMatchObject({ timeoutSeconds: 30, targets: {}, enabled: true });
    expect(p.extract[0]!.labels).toEqual({});
  });

  it.each<[string, object, string]>([
    ['duplicate step ids', { steps: [...base.steps, ...base.steps] }, 'step id "heap" is used twice'],
    ['extraction from an unknown step', { extract: [{ ...base.extract[0], step: 'gc' }] }, 'no step "gc" in this probe'],
    ['a timeout longer than the interval', { timeoutSeconds: 60 }, 'must not be longer than the interval'],
    ['a bad transform', { extract: [{ ...base.extract[0], transform: 'value >> 2' }] }, ''],
    ['a bad JSONPath', { extract: [{ ...base.extract[0], from: { kind: 'jsonPath', path: 'heap.used' } }] }, 'a JSONPath'],
    ['a regex that does not compile', { extract: [{ ...base.extract[0], from: { kind: 'regex', pattern: '(' } }] }, 'does not compile'],
    ['a bad metric name', { extract: [{ ...base.extract[0], metric: 'Heap Used' }] }, ''],
    ['a value group the pattern lacks', { extract: [{ ...base.extract[0], from: { kind: 'regex', pattern: 'load (\\d+)', group: 2 } }] }, 'the pattern has 1 capture group(s), not 2'],
    ['a column label on a JSONPath', { extract: [{ ...base.extract[0], labels: { pool: { column: 'name' } } }] }, 'a label read from a column needs column extraction; this one is jsonPath'],
    ['a sibling-key label on a regex', { extract: [{ ...base.extract[0], from: { kind: 'regex', pattern: '(\\d+)' }, labels: { pool: { key: 'name' } } }] }, 'a label read from a key needs jsonPath extraction'],
    ['a group label on a column', { extract: [{ ...base.extract[0], from: { kind: 'column', column: 'n' }, labels: { q: { group: 1 } } }] }, 'a label read from a group needs regex extraction'],
    ['a numbered label group the pattern lacks', { extract: [{ ...base.extract[0], from: { kind: 'regex', pattern: '(\\d+)' }, labels: { q: { group: 3 } } }] }, 'the pattern has no capture group 3'],
    ['a named label group the pattern lacks', { extract: [{ ...base.extract[0], from: { kind: 'regex', pattern: '(?<n>\\d+)' }, labels: { q: { group: 'queue' } } }] }, 'the pattern has no capture group "queue"'],
  ])('refuses %s', (_name, change, message) => {
    const r = probeDefinitionSchema.safeParse({ ...base, ...change });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join('\n')).toContain(message);
  });
});

describe('plugin manifests', () => {
  const manifest: PluginManifest = {
    id: 'demo',
    version: '1.0.0',
    title: 'Demo',
    description: 'a test plugin',
    category: 'database',
    platforms: ['linux', 'windows'],
    runsScripts: false,
    params: z.object({
      dsn: param(z.string().min(1), { label: 'DSN', help: 'an ODBC data source name' }),
      password: param(secretRef, { label: 'Password', secret: true }),
      sql: param(z.string().max(10_000), { label: 'SQL', widget: 'monaco:sql' }),
    }),
    outputs: [{ metric: 'db.<column>', description: 'one sample per value column and row' }],
  };

  it('exports parameters as JSON Schema with their UI metadata', () => {
    const json = manifestJson(manifest) as { params: { properties: Record<string, { ui?: { label: string; widget?: string } }> } };
    expect(json.params.properties.sql!.ui).toEqual({ label: 'SQL', widget: 'monaco:sql' });
    expect(json.params.properties.password!.ui).toMatchObject({ secret: true });
  });

  it('refuses bad parameters naming each field, and inline secrets', () => {
    try {
      parseParams(manifest, { dsn: '', password: 'hunter2', sql: 'SELECT 1' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PluginParamsError);
      expect((err as PluginParamsError).issues.map((i) => i.path)).toEqual(['dsn', 'password']);
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});
