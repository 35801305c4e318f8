// Random and mangled input: parsing, checking, formatting and compiling either succeed or
// report a positioned problem; nothing else may escape, nothing may hang, nothing may leak
// into Object.prototype.
import { expect, test } from 'vitest';
import { prng } from './../testing.ts';
import { MAX_DEPTH } from './ast.ts';
import { compileRule } from './evaluate.ts';
import { formatRule } from './format.ts';
import { astToGraph, GraphError, graphToAst } from './graph.ts';
import { parseRule, RuleSyntaxError } from './parse.ts';
import { randomRuleText } from './random-rule.ts';
import { hasErrors, validateRule } from './validate.ts';

const TOKENS = [
  'avg',
  'rate',
  'percentile',
  'nodata',
  'abs',
  'round',
  'foo',
  'os.cpu.usage',
  'x',
  'Object',
  'constructor',
  '__proto__',
  'prototype',
  '(',
  ')',
  ',',
  '"5m"',
  '"1h30m"',
  '"',
  '{',
  '}',
  'a="b"',
  '=~',
  '!~',
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  'and',
  'or',
  'not',
  'AND',
  '1',
  '0',
  '90',
  '1e6',
  '.5',
  '1e999',
  '9'.repeat(400),
  ';',
  '[',
  ']',
  '.',
  '?',
  ':',
  '!',
  '&&',
  '||',
  "'",
  '\\',
  ' ',
  '\n',
  '\t',
  '\u0000',
  '\u200b',
  'é',
  '😀',
  '\ud800',
  '€',
];
const CHARS = '()[]{},.;:"\'\\=!<>+-*/%^&|?#@$~` \n\tabcXYZ019_é😀\u0000\u202e';

function mangle(rand: () => number, text: string): string {
  const at = () => Math.floor(rand() * (text.length + 1));
  const ch = () => CHARS[Math.floor(rand() * CHARS.length)]!;
  switch (Math.floor(rand() * 5)) {
    case 0:
      return text.slice(0, at());
    case 1: {
      const i = at();
      const j = at();
      const a = [...text];
      [a[i], a[j]] = [a[j] ?? '', a[i] ?? ''];
      return a.join('');
    }
    case 2: {
      const i = at();
      return text.slice(0, i) + text.slice(i + 1 + Math.floor(rand() * 3));
    }
    case 3: {
      const i = at();
      return text.slice(0, i) + ch() + text.slice(i);
    }
    default:
      return text.replace(/\d+/, '9'.repeat(1 + Math.floor(rand() * 400)));
  }
}

function input(rand: () => number, i: number): string {
  const kind = i % 5;
  if (kind === 0) {
    const n = 1 + Math.floor(rand() * 20);
    return Array.from({ length: n }, () => TOKENS[Math.floor(rand() * TOKENS.length)]!).join(
      rand() < 0.5 ? ' ' : '',
    );
  }
  if (kind === 1 || kind === 2) return mangle(rand, randomRuleText(rand, 3));
  if (kind === 3) {
    const depth = Math.floor(rand() * MAX_DEPTH * 3);
    const open = ['(', '-', 'not ', 'abs(', 'avg('][Math.floor(rand() * 5)]!;
    const close = open.endsWith('(') ? ')' : '';
    return `${open.repeat(depth)}1${close.repeat(Math.floor(rand() * (depth + 2)))} > 0`;
  }
  return Array.from({ length: Math.floor(rand() * 40) }, () =>
    String.fromCharCode(Math.floor(rand() * 0x3000)),
  ).join('');
}

test('6000 random and mangled inputs never throw anything but RuleSyntaxError (a hang would hit the test timeout)', () => {
  const keys = Object.getOwnPropertyNames(Object.prototype).sort();
  const rand = prng(20240601);
  let parsed = 0;
  let valid = 0;
  for (let i = 0; i < 6000; i++) {
    const text = input(rand, i);
    try {
      const ast = parseRule(text);
      parsed++;
      const once = formatRule(ast);
      expect(formatRule(parseRule(once)), text).toBe(once);
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw new Error(`${JSON.stringify(text)} threw ${String(err)}`);
      expect(err.start, text).toBeGreaterThanOrEqual(0);
      expect(err.end, text).toBeGreaterThanOrEqual(err.start);
      expect(err.start, text).toBeLessThanOrEqual(text.length);
    }
    const v = validateRule(text, { knownMetrics: new Set(['x']) });
    expect(Array.isArray(v.diagnostics)).toBe(true);
    if (v.ast && !hasErrors(v.diagnostics)) {
      valid++;
      const rule = compileRule(v.ast);
      const result = rule.evaluate(rule.windows.map(() => (rand() < 0.1 ? undefined : rand() * 100))).result;
      expect([true, false, undefined]).toContain(result);
      expect(formatRule(graphToAst(astToGraph(v.ast)))).toBe(formatRule(v.ast));
    } else if (v.ast) {
      try {
        formatRule(graphToAst(astToGraph(v.ast)));
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
      }
    }
  }
  // The generator must reach every stage, or the test proves little.
  expect(parsed).toBeGreaterThan(600);
  expect(valid).toBeGreaterThan(300);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(keys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
