import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { prng } from './../testing.ts';
import type { Expr } from './ast.ts';
import { compileRule, RuleCompileError } from './evaluate.ts';
import { parseRule } from './parse.ts';
import { randomRuleText } from './random-rule.ts';
import type { Points } from './windows.ts';
import { computeWindow } from './windows.ts';

const compile = (text: string) => compileRule(parseRule(text));

describe('compileRule', () => {
  test('one window, its value, and no data', () => {
    const rule = compile('avg(os.cpu.usage{cpu!="total"}, "5m") > 90');
    expect(rule.windows).toEqual([
      {
        selector: { metric: 'os.cpu.usage', matchers: [{ label: 'cpu', op: '!=', value: 'total' }] },
        fn: 'avg',
        duration: '5m',
        ms: 300_000,
      },
    ]);
    expect(rule.source).toBe('(w0 > (90))');
    expect(rule.evaluate([95.5])).toEqual({ result: true, value: 95.5 });
    expect(rule.evaluate([90])).toEqual({ result: false, value: 90 });
    expect(rule.evaluate([undefined])).toEqual({ result: undefined });
    expect(rule.evaluate([Number.NaN])).toEqual({ result: undefined });
  });

  test('a value expression compiles only when values are allowed, and yields its value', () => {
    expect(() => compile('100 - avg(os.mem.free_pct, "5m")')).toThrow(RuleCompileError);
    const rule = compileRule(parseRule('100 - avg(os.mem.free_pct, "5m")'), { expect: 'condition-or-value' });
    expect(rule.type).toBe('value');
    expect(rule.evaluate([12.5])).toEqual({ result: undefined, value: 87.5 });
    expect(rule.evaluate([undefined])).toEqual({ result: undefined });
    const ratio = compileRule(parseRule('sum(a, "1m") / sum(b, "1m")'), { expect: 'condition-or-value' });
    expect(ratio.evaluate([0, 0])).toEqual({ result: undefined });
    const condition = compileRule(parseRule('not nodata(a, "1m")'), { expect: 'condition-or-value' });
    expect(condition.type).toBe('condition');
    expect(condition.evaluate([0])).toEqual({ result: true });
  });

  test('the disk rule: and, not, nodata as 1/0', () => {
    const rule = compile(
      'max(os.disk.used_pct{mount="/"}, "10m") >= 95 and not nodata(os.disk.used_pct, "10m")',
    );
    expect(rule.windows.map((w) => `${w.fn}:${w.ms}`)).toEqual(['max:600000', 'nodata:600000']);
    expect(rule.evaluate([96, 0])).toEqual({ result: true, value: 96 });
    expect(rule.evaluate([96, 1])).toEqual({ result: false, value: 96 });
    expect(rule.evaluate([94, 0])).toEqual({ result: false, value: 94 });
    expect(rule.evaluate([undefined, 1])).toEqual({ result: undefined });
  });

  test('the network rule: arithmetic, or, abs', () => {
    const rule = compile(
      'rate(net.rx_bytes{iface="eth0"}, "5m") * 8 / 1e6 > 800 or abs(delta(app.queue.depth, "15m")) > 1000',
    );
    expect(rule.evaluate([110e6, 0])).toEqual({ result: true, value: 880 });
    expect(rule.evaluate([90e6, -1500])).toEqual({ result: true, value: 720 });
    expect(rule.evaluate([90e6, 999])).toEqual({ result: false, value: 720 });
  });

  test('identical windows are read once; different matchers are different windows', () => {
    expect(compile('avg(x, "5m") > 1 and avg(x, "5m") < 10').windows).toHaveLength(1);
    expect(compile('avg(x, "5m") > 1 and avg(x, "300s") < 10').windows).toHaveLength(1);
    expect(compile('avg(x{a="1"}, "5m") > 1 and avg(x, "5m") < 10').windows).toHaveLength(2);
    expect(
      compile('percentile(x, "5m", 90) > 1 and percentile(x, "5m", 99) > 1').windows.map((w) => w.p),
    ).toEqual([90, 99]);
  });

  test.each<[string, (number | undefined)[], boolean | undefined]>([
    ['-2 ^ 2 == -4', [], true],
    ['2 ^ 3 ^ 2 == 512', [], true],
    ['2 ^ -1 == 0.5', [], true],
    ['7 % 4 * 2 == 6', [], true],
    ['round(avg(x, "5m"), 1) == 2.6', [2.56], true],
    ['round(avg(x, "5m")) == 3', [2.5], true],
    ['nodata(x, "1m")', [1], true],
    ['nodata(x, "1m")', [0], false],
    ['not nodata(x, "1m") or count(x, "1m") > 3', [1, 5], true],
    ['count(x, "1m") == 0', [0], true],
    ['avg(x, "5m") / 0 > 1', [5], true],
  ])('%s with %j → %s', (text, values, expected) => {
    expect(compile(text).evaluate(values).result).toBe(expected);
  });

  test('value is the left side of the first comparison through and/or/not, when there is one', () => {
    expect(compile('not (last(x, "1m") - 1 > 0) and 1 > 0').evaluate([5]).value).toBe(4);
    expect(compile('nodata(x, "1m") or last(x, "1m") > 0').evaluate([0, 5]).value).toBeUndefined();
  });

  test('refuses trees that do not check, and wrong value counts', () => {
    expect(() => compile('os.cpu.usage > 1')).toThrow(RuleCompileError);
    expect(() => compile('avg(x, "5m")')).toThrow(/rule does not compile: a rule must be a condition/);
    expect(() => compile('avg(x, "5m") > 1').evaluate([])).toThrow(RangeError);
  });

  test('evaluates against real windows computed with windows.ts', () => {
    const series: Record<string, Points> = {
      'os.cpu.usage': { ts: [0, 60_000, 120_000, 180_000], values: [50, 95, 97, 99] },
    };
    const rule = compile(
      'avg(os.cpu.usage, "2m") > 90 and count(os.cpu.usage, "2m") >= 3 and not nodata(os.disk, "1m")',
    );
    const values = rule.windows.map((w) =>
      computeWindow(w, series[w.selector.metric!] ?? { ts: [], values: [] }, 180_000),
    );
    expect(values).toEqual([97, 3, 1]);
    expect(rule.evaluate(values).result).toBe(false);
  });
});

/** A plain reference interpreter, to check expr-eval's precedence and results against ours. */
function reference(e: Expr, windows: Map<string, number>, text: (e: Expr) => string): number | boolean {
  const r = (x: Expr) => reference(x, windows, text);
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'call':
      if (e.name === 'abs') return Math.abs(r(e.args[0]!) as number);
      if (e.name === 'round') {
        const f = 10 ** (e.args[1] ? (r(e.args[1]) as number) : 0);
        return Math.round((r(e.args[0]!) as number) * f) / f;
      }
      return windows.get(text(e))!;
    case 'unary':
      return e.op === '-' ? -(r(e.operand) as number) : !r(e.operand);
    case 'binary': {
      const a = r(e.left) as number;
      const b = r(e.right) as number;
      const ops: Record<string, () => number | boolean> = {
        '+': () => a + b,
        '-': () => a - b,
        '*': () => a * b,
        '/': () => a / b,
        '%': () => a % b,
        '^': () => a ** b,
        '==': () => a === b,
        '!=': () => a !== b,
        '<': () => a < b,
        '<=': () => a <= b,
        '>': () => a > b,
        '>=': () => a >= b,
        and: () => Boolean(a && b),
        or: () => Boolean(a || b),
      };
      return ops[e.op]!();
    }
    default:
      throw new Error(e.kind);
  }
}

describe('expr-eval agrees with a reference interpreter', () => {
  test('2000 random rules with random window values', () => {
    const rand = prng(5);
    for (let i = 0; i < 2000; i++) {
      const text = randomRuleText(rand);
      const ast = parseRule(text);
      const rule = compileRule(ast);
      const values = rule.windows.map((w) =>
        w.fn === 'nodata' ? Math.round(rand()) : Math.round(rand() * 200 - 50),
      );
      const byWindow = new Map<string, number>();
      const key = (e: Expr) => {
        const c = e as Expr & { kind: 'call' };
        const m = c.args[0] as Expr & { kind: 'metric' };
        return JSON.stringify([
          c.name,
          m.name,
          m.matchers,
          (c.args[1] as { value: string }).value,
          (c.args[2] as { value?: number } | undefined)?.value,
        ]);
      };
      // Map each window call of the tree to its value by walking the tree in the compiler's order.
      const calls: Expr[] = [];
      const walk = (e: Expr) => {
        if (e.kind === 'call' && e.name !== 'abs' && e.name !== 'round') calls.push(e);
        else if (e.kind === 'call') e.args.forEach(walk);
        else if (e.kind === 'unary') walk(e.operand);
        else if (e.kind === 'binary') {
          walk(e.left);
          walk(e.right);
        }
      };
      walk(ast);
      for (const c of calls) {
        if (!byWindow.has(key(c))) byWindow.set(key(c), values[byWindow.size]!);
      }
      const expected = Boolean(reference(ast, byWindow, key));
      expect(rule.evaluate(values).result, text).toBe(expected);
    }
  });

  test('generated sources hold only safe tokens', () => {
    const rand = prng(9);
    for (let i = 0; i < 500; i++) {
      const { source } = compile(randomRuleText(rand));
      const words = source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
      for (const w of words) expect(w, source).toMatch(/^(w\d+|fnAbs|fnRound|and|or|not|e)$/);
      expect(source).toMatch(/^[\w\s().+\-*/%^<>=!,]*$/);
      expect(source.replace(/[=!<>]=/g, ''), source).not.toContain('=');
    }
  });

  test('no rule file calls toJSFunction, eval or Function', () => {
    const dir = new URL('.', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const code = readFileSync(new URL(file, dir), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/toJSFunction|\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/);
    }
  });
});
