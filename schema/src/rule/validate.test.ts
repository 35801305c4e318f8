import { describe, expect, test } from 'vitest';
import type { Expr } from './ast.ts';
import { MAX_DEPTH } from './ast.ts';
import { checkRule, hasErrors, validateRule } from './validate.ts';

describe('validateRule: valid rules', () => {
  test.each([
    'avg(os.cpu.usage, "5m") > 90',
    'max(os.disk.used_pct{mount="/"}, "10m") >= 95 and not nodata(os.disk.used_pct, "10m")',
    'rate(net.rx_bytes{iface="eth0"}, "5m") * 8 / 1e6 > 800 or abs(delta(app.queue.depth, "15m")) > 1000',
    'percentile(http.latency_ms, "1h", 99.5) > round(avg(http.latency_ms, "1d") * 3, 1)',
    'nodata(agent.heartbeat, "2m")',
    'not (last(a, "1m") == 0)',
    '-min(temp, "1h") ^ 2 < 100 % 7',
  ])('%s', (text) => {
    const v = validateRule(text);
    expect(v.diagnostics).toEqual([]);
    expect(v.ast?.kind).toBeDefined();
  });
});

describe('validateRule: diagnostics with positions', () => {
  test.each<[string, string, number, number]>([
    ['avg(x, "5m"', 'expected "," or ")" in the arguments of avg, got end of input', 11, 12],
    ['foo(x, "5m") > 1', 'unknown function "foo"; known functions: last, avg', 0, 3],
    ['constructor(1) > 1', 'unknown function "constructor"', 0, 11],
    ['avg(x) > 1', 'avg takes 2 arguments: avg(metric, window) → number; got 1', 0, 6],
    ['round(1, 2, 3) > 1', 'round takes 1 or 2 arguments', 0, 14],
    ['abs() > 1', 'abs takes 1 argument: abs(x) → number; got 0', 0, 5],
    ['avg(5, "5m") > 1', 'the metric of avg must be a metric reference such as os.cpu.usage', 4, 5],
    ['avg(x, 5) > 1', 'the window of avg must be a duration string such as "5m"', 7, 8],
    ['avg(x, "5 minutes") > 1', '"5 minutes" is not a duration', 7, 18],
    ['avg(x, "40d") > 1', 'a window may be at most 31d long', 7, 12],
    ['percentile(x, "5m", 101) > 1', 'the p of percentile must be a number from 0 to 100', 20, 23],
    ['percentile(x, "5m", y) > 1', 'the p of percentile must be a number from 0 to 100', 20, 21],
    ['round(1.5, 1.5) > 1', 'the digits of round must be a whole number from 0 to 10', 11, 14],
    ['round(1.5, 11) > 1', 'the digits of round must be a whole number from 0 to 10', 11, 13],
    ['abs(1 > 2) > 1', 'the x of abs needs a number, got a condition', 4, 9],
    ['avg(x, "5m")', 'a rule must be a condition such as avg(os.cpu.usage, "5m") > 90, not a number', 0, 12],
    [
      'os.cpu.usage > 90',
      'the metric os.cpu.usage needs a window function around it, e.g. avg(os.cpu.usage, "5m")',
      0,
      12,
    ],
    ['os.cpu.usage', 'the metric os.cpu.usage needs a window function', 0, 12],
    ['abs(os.cpu.usage) > 1', 'the metric os.cpu.usage needs a window function', 4, 16],
    ['"5m" > 1', 'a string can only be the window of a window function', 0, 4],
    [
      'not avg(x, "5m") > 90',
      '"not" (it binds tighter than comparisons: write not (a > b)) needs a condition, got a number',
      4,
      16,
    ],
    ['1 < 2 < 3', 'the left side of "<" needs a number, got a condition', 0, 5],
    ['avg(x, "5m") and 1 > 0', 'the left side of "and" needs a condition, got a number', 0, 12],
    ['1 > 0 or 2', 'the right side of "or" needs a condition, got a number', 9, 10],
    ['(1 > 0) + 1 > 0', 'the left side of "+" needs a number, got a condition', 1, 6],
    ['-(1 > 0) > 0', 'the minus sign needs a number, got a condition', 2, 7],
    ['nodata(x, "5m") == 1', 'the left side of "==" needs a number, got a condition', 0, 15],
  ])('%s', (text, message, start, end) => {
    const { diagnostics } = validateRule(text);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.severity).toBe('error');
    expect(diagnostics[0]!.message).toContain(message);
    expect([diagnostics[0]!.start, diagnostics[0]!.end]).toEqual([start, end]);
  });

  test('several problems are all reported, in source order', () => {
    const { ast, diagnostics } = validateRule('foo(x, "1m") > 1 and avg(y, "1x") > bar');
    expect(ast).toBeDefined();
    expect(diagnostics.map((d) => [d.message.slice(0, 20), d.start])).toEqual([
      ['unknown function "fo', 0],
      ['"1x" is not a durati', 28],
      ['the metric bar needs', 36],
    ]);
  });

  test('unknown metrics are warnings when the known set is given', () => {
    const knownMetrics = new Set(['os.cpu.usage']);
    const v = validateRule('avg(os.cpu.usage, "5m") > 1 and max(os.cpu.usgae{cpu="0"}, "5m") > 1', {
      knownMetrics,
    });
    expect(v.diagnostics).toEqual([
      { severity: 'warning', message: 'unknown metric "os.cpu.usgae"', start: 36, end: 48 },
    ]);
    expect(hasErrors(v.diagnostics)).toBe(false);
    expect(validateRule('avg(os.cpu.usgae, "5m") > 1').diagnostics).toEqual([]);
  });

  test('trees built elsewhere (the visual builder) are depth-checked without recursion', () => {
    let e: Expr = { kind: 'number', value: 1, raw: '1', start: 0, end: 0 };
    for (let i = 0; i < 100_000; i++) e = { kind: 'unary', op: '-', operand: e, start: 0, end: 0 };
    const d = checkRule(e);
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toBe(`expression is nested more than ${MAX_DEPTH} levels deep`);
  });
});
