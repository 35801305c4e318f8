import { describe, expect, it } from 'vitest';
import { renderAnnotations, renderTemplate, templateProblem, type TemplateValues } from './annotations.ts';

const values: TemplateValues = {
  host: 'web-01',
  value: 93.456789123,
  severity: 'critical',
  rule: 'CPU usage',
  state: 'firing',
  labels: { mount: '/var', team: 'db' },
};

describe('renderTemplate', () => {
  it.each([
    ['CPU usage on {{host}} is {{value}} %', 'CPU usage on web-01 is 93.4568 %'],
    ['{{ rule }} is {{state}} ({{severity}})', 'CPU usage is firing (critical)'],
    ['disk {{labels.mount}} of {{labels.team}}', 'disk /var of db'],
    ['missing label: [{{labels.owner}}]', 'missing label: []'],
    ['{{labels.__proto__}}{{labels.constructor}}{{labels.toString}}', ''],
    ['{{constructor}}{{__proto__}}{{toString}}', ''],
    ['no placeholders at all', 'no placeholders at all'],
    ['{{host}} twice: {{host}}', 'web-01 twice: web-01'],
    ['not closed {{host', 'not closed {{host'],
  ])('%s → %s', (template, rendered) => {
    expect(renderTemplate(template, values)).toBe(rendered);
  });

  it.each([
    [{ value: 90 }, '90'],
    [{ value: 0.1 + 0.2 }, '0.3'],
    [{ value: -1.5 }, '-1.5'],
    [{}, ''],
  ])('formats value %j as %s', (given, text) => {
    expect(renderTemplate('{{value}}', { rule: 'r', labels: {}, ...given })).toBe(text);
  });

  it('leaves out what an instance does not have', () => {
    expect(renderTemplate('{{host}}|{{severity}}|{{state}}|{{rule}}', { rule: 'r', labels: {} })).toBe(
      '|||r',
    );
  });

  it('renders every annotation of a rule', () => {
    expect(
      renderAnnotations({ summary: '{{host}}: {{value}}', runbook: 'https://wiki/{{labels.team}}' }, values),
    ).toEqual({
      summary: 'web-01: 93.4568',
      runbook: 'https://wiki/db',
    });
  });
});

describe('templateProblem', () => {
  it.each([
    ['{{host}} {{value}} {{severity}} {{rule}} {{state}} {{labels.mount}}', undefined],
    ['{{ host }}', undefined],
    ['{{constructor}}', /unknown placeholder \{\{constructor\}\}/],
    ['{{labels}}', /unknown placeholder \{\{labels\}\}/],
    ['{{labels.a.b}}', /unknown placeholder/],
    ['{{host.toString}}', /unknown placeholder/],
    ['{{#if host}}x{{/if}}', /unknown placeholder \{\{#if host\}\}/],
  ])('%s', (text, problem) => {
    const found = templateProblem(text);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
