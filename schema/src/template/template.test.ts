import { describe, expect, it } from 'vitest';
import { escapeHtml, parseTemplate, renderTemplate, TemplateError } from './template.ts';

const data = {
  rule: 'CPU high',
  severity: 'critical',
  value: 97.5,
  acknowledged: false,
  since: new Date('2026-11-23T10:00:00Z'),
  alert: { labels: { env: 'prod', team: 'maximo' } },
  alerts: [
    { host: 'web-01', value: 97.5 },
    { host: 'web-02', value: 91 },
  ],
  none: [],
  note: '<b>disk & "db"</b>',
};

describe('rendering', () => {
  it.each<[string, string, string]>([
    ['plain text', 'no tags at all', 'no tags at all'],
    ['names and dotted names', '{{rule}} is {{severity}} on {{alert.labels.env}}', 'CPU high is critical on prod'],
    ['numbers, booleans and dates', '{{value}} {{acknowledged}} {{since}}', '97.5 false 2026-11-23T10:00:00.000Z'],
    ['an unknown name is empty', '[{{nope}}][{{alert.labels.nope}}][{{alert.nope.deeper}}]', '[][][]'],
    ['a list repeats, with each item as context', '{{#alerts}}{{host}}={{value}} ({{rule}});{{/alerts}}', 'web-01=97.5 (CPU high);web-02=91 (CPU high);'],
    ['an empty list renders nothing, its inverse renders', '{{#none}}x{{/none}}{{^none}}no alerts{{/none}}', 'no alerts'],
    ['a set value renders once, an unset one not', '{{#rule}}rule set{{/rule}}{{#acknowledged}}acked{{/acknowledged}}{{^acknowledged}} not acked{{/acknowledged}}', 'rule set not acked'],
    ['an object section makes it the context', '{{#alert.labels}}{{env}}/{{team}}{{/alert.labels}}', 'prod/maximo'],
    ['the current item as .', '{{#tags}}[{{.}}]{{/tags}}', '[a][b]'],
    ['comments vanish', 'a{{! a remark }}b', 'ab'],
    ['no escaping by default (plain text)', '{{note}}', '<b>disk & "db"</b>'],
  ])('%s', (_name, source, expected) => {
    expect(renderTemplate(parseTemplate(source), { ...data, tags: ['a', 'b'] })).toBe(expected);
  });

  it('escapes for HTML, except {{{raw}}} and {{& raw}}', () => {
    const t = parseTemplate('{{note}}|{{{note}}}|{{& note}}');
    expect(renderTemplate(t, data, escapeHtml)).toBe('&lt;b&gt;disk &amp; &quot;db&quot;&lt;/b&gt;|<b>disk & "db"</b>|<b>disk & "db"</b>');
  });

  it('reads own data only: no prototype, no function', () => {
    const t = parseTemplate('[{{toString}}][{{alert.hasOwnProperty}}][{{#valueOf}}x{{/valueOf}}][{{length}}]');
    expect(renderTemplate(t, { alert: {}, list: [1] })).toBe('[][][][]');
    expect(renderTemplate(parseTemplate('{{fn}}{{obj}}'), { fn: () => 'ran', obj: { a: 1 } })).toBe('');
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('cuts output beyond its bound and says so', () => {
    const out = renderTemplate(parseTemplate('{{#items}}xxxxxxxxxx{{/items}}'), { items: Array.from({ length: 1000 }, () => 1) }, undefined, 100);
    expect(out.length).toBeLessThan(200);
    expect(out).toMatch(/… \(cut at 100 characters\)$/);
  });

  it('lists the names a template reads', () => {
    expect(parseTemplate('{{rule}} {{#alerts}}{{host}}{{/alerts}} {{rule}}').names).toEqual(['rule', 'alerts', 'host']);
  });
});

describe('parse errors name the place', () => {
  it.each<[string, string, string]>([
    ['an unclosed tag', 'CPU {{rule', '1:5: "{{" is not closed'],
    ['an unclosed section', 'a\n{{#alerts}}x', '2:1: {{#alerts}} is not closed'],
    ['a mismatched close', '{{#a}}{{/b}}', '1:7: {{/b}} closes {{#a}}'],
    ['a close without an open', 'x{{/a}}', '1:2: {{/a}} closes no section'],
    ['a bad name', '{{rule name}}', '1:1: "rule name" is not a name such as alert.labels.env'],
    ['a prototype name', '{{alert.__proto__.x}}', '1:1: "alert.__proto__.x" is not a name a template may read'],
    ['constructor', '{{#constructor}}{{/constructor}}', '1:1: "constructor" is not a name a template may read'],
    ['partials', '{{> header}}', '1:1: {{>…}} is not part of this template language'],
    ['delimiter changes', '{{=<% %>=}}', '1:1: {{=…}} is not part of this template language'],
  ])('%s', (_name, source, message) => {
    expect(() => parseTemplate(source)).toThrow(TemplateError);
    expect(() => parseTemplate(source)).toThrow(message);
  });

  it('refuses deep nesting and huge templates', () => {
    const deep = Array.from({ length: 9 }, (_, i) => `{{#s${i}}}`).join('') + Array.from({ length: 9 }, (_, i) => `{{/s${8 - i}}}`).join('');
    expect(() => parseTemplate(deep)).toThrow('sections nest at most 8 deep');
    expect(() => parseTemplate('x'.repeat(20_001))).toThrow('a template is at most 20000 characters');
  });
});
