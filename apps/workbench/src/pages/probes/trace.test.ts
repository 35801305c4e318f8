import { describe, expect, it } from 'vitest';
import { arrayToLines, fieldKind, isVisible, linesToArray, monacoLanguage } from './form-logic.ts';
import type { PluginManifest } from './model.ts';
import { hostMatches, hostnameGlob } from './scope.ts';
import { asTrace, outputPattern, samplesByStep } from './trace.ts';

const manifest = (id: string, outputs: string[], params: PluginManifest['params'] = {}): PluginManifest => ({
  id, version: '1', title: id, description: '', category: 'system', platforms: ['linux'], runsScripts: false, params, outputs: outputs.map((metric) => ({ metric, description: '' })),
});

describe('samples by step', () => {
  const manifests = new Map([
    ['http', manifest('http', ['http.up', 'http.duration_ms'])],
    ['jmx', manifest('jmx', ['<metricPrefix>.<attribute path>'], { properties: { metricPrefix: { default: 'jmx' } } })],
    ['command', manifest('command', ['<metric>', '<metric>.exit_code'], { properties: { metric: { default: 'command' } } })],
  ]);
  it('fills placeholders from params or defaults', () => {
    expect(outputPattern('<metricPrefix>.<attribute path>', {}, manifests.get('jmx')!).test('jmx.heap.used')).toBe(true);
    expect(outputPattern('<metricPrefix>.<attribute path>', { metricPrefix: 'was' }, manifests.get('jmx')!).test('jmx.heap')).toBe(false);
  });
  it('gives extracted metrics to their step and plugin samples to the step whose outputs match', () => {
    const by = samplesByStep(
      { samples: [{ metric: 'http.up', value: 1 }, { metric: 'e2e.v', value: 42 }, { metric: 'cmd.exit_code', value: 0 }, { metric: 'other', value: 1 }] },
      {
        steps: [{ id: 'h', plugin: 'http' }, { id: 'c', plugin: 'command', params: { metric: 'cmd' } }],
        extract: [{ step: 'c', from: { kind: 'regex', pattern: '(\\d+)' }, metric: 'e2e.v' }],
      },
      manifests,
    );
    expect(by.get('h')!.map((s) => s.metric)).toEqual(['http.up']);
    expect(by.get('c')!.map((s) => s.metric)).toEqual(['e2e.v', 'cmd.exit_code']);
    expect(by.get('')!.map((s) => s.metric)).toEqual(['other']);
  });
  it('reads a trace defensively', () => {
    expect(asTrace(null)).toBeUndefined();
    expect(asTrace({ steps: [] })!.samples).toEqual([]);
  });
});

describe('target preview', () => {
  const host = { id: '7', hostname: 'db-01.lan', labels: { env: 'prod' } };
  it('needs every criterion given; empty covers all', () => {
    expect(hostMatches({}, host)).toBe(true);
    expect(hostMatches({ hostIds: [7] }, host)).toBe(true);
    expect(hostMatches({ hostIds: [8] }, host)).toBe(false);
    expect(hostMatches({ labels: { env: 'prod' }, hostnamePattern: 'DB-*' }, host)).toBe(true);
    expect(hostMatches({ labels: { env: 'test' } }, host)).toBe(false);
    expect(hostMatches({ hostnamePattern: 'db-0?' }, host)).toBe(false);
    expect(hostnameGlob('a.b?').test('axbc')).toBe(false);
  });
});

describe('step form fields', () => {
  it('picks the input from widget, secret, enum and type', () => {
    expect(fieldKind({ type: 'string', ui: { label: 'SQL', widget: 'monaco:sql' } })).toBe('monaco');
    expect(fieldKind({ type: 'string', ui: { label: 'P', secret: true } })).toBe('secret');
    expect(fieldKind({ type: 'string', enum: ['GET', 'POST'] })).toBe('select');
    expect(fieldKind({ type: 'boolean' })).toBe('checkbox');
    expect(fieldKind({ type: 'integer' })).toBe('number');
    expect(fieldKind({ type: 'array', items: { type: 'string' } })).toBe('lines');
    expect(fieldKind({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } })).toBe('lines');
    expect(fieldKind({ type: 'array', items: { type: 'object' } })).toBe('json');
    expect(fieldKind({ type: 'object', additionalProperties: { type: 'string' } })).toBe('keyvalue');
    expect(fieldKind({ type: 'string' })).toBe('text');
    expect(monacoLanguage('monaco:wql')).toBe('sql');
    expect(monacoLanguage('monaco:powershell')).toBe('powershell');
  });
  it('honours visibleWhen with defaults', () => {
    const all = { method: { default: 'GET' }, body: { ui: { label: 'Body', visibleWhen: { param: 'method', equals: ['POST'] } } } };
    expect(isVisible(all.body, {}, all)).toBe(false);
    expect(isVisible(all.body, { method: 'POST' }, all)).toBe(true);
  });
  it('turns lines into arrays and back', () => {
    expect(linesToArray('/bin/echo\n42\n\n', { type: 'string' })).toEqual(['/bin/echo', '42']);
    expect(linesToArray('1\n2', { type: 'integer' })).toEqual([1, 2]);
    expect(linesToArray('  ', { type: 'string' })).toBeUndefined();
    expect(arrayToLines(['a', 2])).toBe('a\n2');
  });
});
