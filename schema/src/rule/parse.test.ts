import { describe, expect, test } from 'vitest';
import type { Expr } from './ast.ts';
import { MAX_DEPTH, MAX_RULE_LENGTH } from './ast.ts';
import { parseRule, RuleSyntaxError } from './parse.ts';

/** Compact S-expression of a tree with positions: `(> [0,28] (avg [0,23] os.cpu.usage[4,16] "5m"[18,22]) 90[26,28])`. */
function show(e: Expr): string {
  const pos = `[${e.start},${e.end}]`;
  switch (e.kind) {
    case 'number':
      return `${e.raw}${pos}`;
    case 'string':
      return `${JSON.stringify(e.value)}${pos}`;
    case 'metric':
      return `${e.name}${e.matchers.map((m) => `{${m.label}${m.op}${m.value}}`).join('')}${pos}`;
    case 'call':
      return `(${e.name} ${pos}${e.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'unary':
      return `(${e.op} ${pos} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${pos} ${show(e.left)} ${show(e.right)})`;
  }
}

describe('parseRule: shapes and positions', () => {
  test.each([
    ['42', '42[0,2]'],
    ['  1.5e3 ', '1.5e3[2,7]'],
    ['.5', '.5[0,2]'],
    ['os.cpu.usage', 'os.cpu.usage[0,12]'],
    ['avg(os.cpu.usage, "5m") > 90', '(> [0,28] (avg [0,23] os.cpu.usage[4,16] "5m"[18,22]) 90[26,28])'],
    ['max(os.disk.used_pct{mount="/"}, "10m")', '(max [0,39] os.disk.used_pct{mount=/}[4,31] "10m"[33,38])'],
    ['m{a!="x", b=~"y.*", c!~"z"}', 'm{a!=x}{b=~y.*}{c!~z}[0,27]'],
    ['m {a="1"}', 'm{a=1}[0,9]'],
    ['1 + 2 * 3', '(+ [0,9] 1[0,1] (* [4,9] 2[4,5] 3[8,9]))'],
    ['(1 + 2) * 3', '(* [0,11] (+ [1,6] 1[1,2] 2[5,6]) 3[10,11])'],
    ['1 - 2 - 3', '(- [0,9] (- [0,5] 1[0,1] 2[4,5]) 3[8,9])'],
    ['2 ^ 3 ^ 2', '(^ [0,9] 2[0,1] (^ [4,9] 3[4,5] 2[8,9]))'],
    ['-2 ^ 2', '(- [0,6] (^ [1,6] 2[1,2] 2[5,6]))'],
    ['2 ^ -1', '(^ [0,6] 2[0,1] (- [4,6] 1[5,6]))'],
    ['-a * b', '(* [0,6] (- [0,2] a[1,2]) b[5,6])'],
    ['a % b / c', '(/ [0,9] (% [0,5] a[0,1] b[4,5]) c[8,9])'],
    [
      'a < b and c >= d or e != f',
      '(or [0,26] (and [0,16] (< [0,5] a[0,1] b[4,5]) (>= [10,16] c[10,11] d[15,16])) (!= [20,26] e[20,21] f[25,26]))',
    ],
    [
      'a == b or c <= d and e > f',
      '(or [0,26] (== [0,6] a[0,1] b[5,6]) (and [10,26] (<= [10,16] c[10,11] d[15,16]) (> [21,26] e[21,22] f[25,26])))',
    ],
    ['not a and b', '(and [0,11] (not [0,5] a[4,5]) b[10,11])'],
    [
      'NOT (a > 1) AND b Or c',
      '(or [0,22] (and [0,17] (not [0,11] (> [5,10] a[5,6] 1[9,10])) b[16,17]) c[21,22])',
    ],
    ['abs(-x)', '(abs [0,7] (- [4,6] x[5,6]))'],
    ['round(x, 2)', '(round [0,11] x[6,7] 2[9,10])'],
    ['f()', '(f [0,3])'],
    ['percentile(m, "1h", 95)', '(percentile [0,23] m[11,12] "1h"[14,18] 95[20,22])'],
    ['"a\\"b\\\\c"', '"a\\"b\\\\c"[0,9]'],
    ['((1))', '1[2,3]'],
  ])('%s', (text, expected) => {
    expect(show(parseRule(text))).toBe(expected);
  });
});

function syntaxError(text: string): RuleSyntaxError {
  try {
    parseRule(text);
  } catch (err) {
    if (err instanceof RuleSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${text}`);
}

describe('parseRule: errors with message and position', () => {
  test.each([
    ['', /the rule is empty/, 0, 0],
    ['   ', /the rule is empty/, 0, 0],
    ['a = 1', /assignment is not allowed; write == to compare/, 2, 3],
    ['f(x) = x', /assignment is not allowed/, 5, 6],
    ['a > 1; b > 2', /only one expression is allowed/, 5, 6],
    ['a[0] > 1', /indexing with \[ \] is not allowed/, 1, 2],
    ['abs(x).y', /member access with "\." is not allowed/, 6, 7],
    ['"s".length', /member access/, 3, 4],
    ['a..b', /member access/, 1, 2],
    ['Object.assign(x)', /"Object.assign" is not a function: member access/, 0, 13],
    ['a ? 1 : 2', /conditional is not allowed/, 2, 3],
    ['a > 1 && b > 2', /write "and" instead of &&/, 6, 8],
    ['a > 1 || b > 2', /write "or" instead of \|\|/, 6, 8],
    ['!a', /write "not"/, 0, 1],
    ["avg(x, '5m')", /strings use double quotes/, 7, 8],
    ['a # b', /unknown character "#"/, 2, 3],
    ['a > 1 €', /unknown character U\+20AC/, 6, 7],
    ['a > 😀', /unknown character U\+1F600/, 4, 6],
    ['avg(x, "5m)', /unterminated string/, 7, 11],
    ['"a\\q"', /unknown escape "\\q"/, 2, 4],
    ['5m', /unexpected "m" after the number 5/, 1, 2],
    ['1.', /unexpected "\." after the number 1/, 1, 2],
    ['1e999 > 1', /the number 1e999 is out of range/, 0, 5],
    ['(1 + 2', /expected "\)" to close the "\(" at 0, got end of input/, 6, 7],
    ['1 +', /unexpected end of input: expected a value/, 3, 4],
    ['* 2', /expected a value before "\*"/, 0, 1],
    ['1 2', /unexpected the number 2 after a complete expression/, 2, 3],
    ['avg(x "5m")', /expected "," or "\)" in the arguments of avg, got a string/, 6, 10],
    ['a)', /unexpected "\)" after a complete expression/, 1, 2],
    ['Foo > 1', /invalid metric name "Foo"/, 0, 1],
    ['constructor > 1', /"constructor" is reserved/, 0, 11],
    ['a.__proto__ > 1', /"__proto__" is reserved/, 0, 11],
    ['m{a="1"', /unclosed "\{" of label matchers/, 1, 7],
    ['m{a=1}', /expected a double-quoted value after a=/, 4, 5],
    ['m{a=~"("}', /invalid regular expression/, 5, 6],
    ['f{a="b"}(x)', /a function name cannot have label matchers/, 0, 8],
  ])('%j', (text, message, start, end) => {
    const err = syntaxError(text);
    expect(err.message).toMatch(message);
    expect([err.start, err.end]).toEqual([start, end]);
  });

  test('input longer than the limit', () => {
    const err = syntaxError('1'.repeat(MAX_RULE_LENGTH + 1));
    expect(err.message).toBe(`rule is longer than ${MAX_RULE_LENGTH} characters`);
    expect(err.start).toBe(MAX_RULE_LENGTH);
  });

  test('nesting limit: parentheses, prefixes, calls and long chains', () => {
    const deep = MAX_DEPTH + 1;
    for (const text of [
      `${'('.repeat(deep)}1${')'.repeat(deep)}`,
      `${'-'.repeat(deep)}1`,
      `${'abs('.repeat(deep)}1${')'.repeat(deep)}`,
      Array.from({ length: deep + 1 }, () => '1').join(' + '),
      Array.from({ length: deep + 1 }, () => '2').join(' ^ '),
    ]) {
      expect(syntaxError(text).message, text).toBe(`expression is nested more than ${MAX_DEPTH} levels deep`);
    }
    // Just inside the limit parses.
    expect(() => parseRule(`${'('.repeat(MAX_DEPTH - 1)}1${')'.repeat(MAX_DEPTH - 1)}`)).not.toThrow();
    expect(() => parseRule(Array.from({ length: MAX_DEPTH }, () => '1').join(' + '))).not.toThrow();
  });

  test('a nesting attack of the maximum length fails with a syntax error, not a stack overflow', () => {
    expect(syntaxError('('.repeat(MAX_RULE_LENGTH)).message).toMatch(/nested more than/);
  });
});
