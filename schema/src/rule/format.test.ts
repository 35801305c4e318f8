import { describe, expect, test } from 'vitest';
import { prng } from './../testing.ts';
import type { Expr } from './ast.ts';
import { canonicalNumber, formatRule, numberText } from './format.ts';
import { parseRule } from './parse.ts';
import { randomExpr, randomRuleText, stripPositions } from './random-rule.ts';

const fmt = (text: string) => formatRule(parseRule(text));

describe('formatRule', () => {
  test.each([
    ['avg(os.cpu.usage,"5m")>90', 'avg(os.cpu.usage, "5m") > 90'],
    [
      'MAX( os.disk.used_pct{ mount = "/" } , "10m" )>=95 AND NOT nodata(os.disk.used_pct,"10m")',
      'max(os.disk.used_pct{mount="/"}, "10m") >= 95 and not nodata(os.disk.used_pct, "10m")',
    ],
    ['((a + b)) * (c)', '(a + b) * c'],
    ['a + (b * c)', 'a + b * c'],
    ['(a - b) - c', 'a - b - c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a / (b * c)', 'a / (b * c)'],
    ['(2 ^ 3) ^ 2', '(2 ^ 3) ^ 2'],
    ['2 ^ (3 ^ 2)', '2 ^ 3 ^ 2'],
    ['(-2) ^ 2', '(-2) ^ 2'],
    ['-(2 ^ 2)', '-2 ^ 2'],
    ['2 ^ (-x)', '2 ^ -x'],
    ['2 ^ -(x * 3)', '2 ^ -(x * 3)'],
    ['-(a * b)', '-(a * b)'],
    ['(-a) * b', '-a * b'],
    ['- - a', '--a'],
    ['not (a > 1)', 'not (a > 1)'],
    ['(not a) and b', 'not a and b'],
    ['not (a and b)', 'not (a and b)'],
    ['a or (b and c)', 'a or b and c'],
    ['(a or b) and c', '(a or b) and c'],
    ['(a < b) == c', 'a < b == c'],
    ['a < (b == c)', 'a < (b == c)'],
    ['1.50 + 007 + .5 + 1E+06 + 2.0e-03 + 0.0 + 1e0', '1.5 + 7 + 0.5 + 1e6 + 2e-3 + 0 + 1'],
    ['m{a!~"x\\"y", b="t\\tab"}', 'm{a!~"x\\"y", b="t\\tab"}'],
    ['avg(m, "5m")', 'avg(m, "5m")'],
  ])('%s → %s', (text, expected) => {
    expect(fmt(text)).toBe(expected);
    expect(fmt(expected)).toBe(expected);
  });

  test('canonical numbers keep their value', () => {
    for (const raw of ['0', '007', '1.50', '.5', '1E+06', '12.0e-2', '1e-0', '100', '0.000']) {
      expect(Number(canonicalNumber(raw)), raw).toBe(Number(raw));
    }
    expect(numberText(1e21)).toBe('1e21');
    expect(numberText(5e-7)).toBe('5e-7');
    expect(numberText(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  test('idempotent over 3000 random valid rules', () => {
    const rand = prng(7);
    for (let i = 0; i < 3000; i++) {
      const text = randomRuleText(rand);
      const once = fmt(text);
      expect(fmt(once), text).toBe(once);
    }
  });

  test('keeps the tree: parse(format(t)) equals t for 3000 random trees of any shape', () => {
    const rand = prng(11);
    const canonical = (e: Expr): unknown =>
      JSON.parse(JSON.stringify(stripPositions(e)), (k, v: unknown) =>
        k === 'raw' ? canonicalNumber(String(v)) : v,
      );
    for (let i = 0; i < 3000; i++) {
      const tree = randomExpr(rand, 6);
      const text = formatRule(tree);
      expect(canonical(parseRule(text)), text).toEqual(canonical(tree));
    }
  });
});
