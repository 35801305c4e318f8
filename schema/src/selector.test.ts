import { describe, expect, it } from 'vitest';
import { formatSelector, parseSelector, SelectorError, selectorInput, type Selector } from './selector.ts';

const m = (label: string, op: '=' | '!=' | '=~' | '!~', value: string) => ({ label, op, value });

describe('parseSelector: valid forms', () => {
  it.each<[string, Selector]>([
    ['os.cpu.usage', { metric: 'os.cpu.usage', matchers: [] }],
    ['os.cpu.usage{}', { metric: 'os.cpu.usage', matchers: [] }],
    ['  os.cpu.usage  ', { metric: 'os.cpu.usage', matchers: [] }],
    [
      'os.cpu.usage{host="web-01", cpu!="total", mount=~"/(var|opt)", device!~"loop.*"}',
      {
        metric: 'os.cpu.usage',
        matchers: [m('host', '=', 'web-01'), m('cpu', '!=', 'total'), m('mount', '=~', '/(var|opt)'), m('device', '!~', 'loop.*')],
      },
    ],
    ['{host="web-01"}', { matchers: [m('host', '=', 'web-01')] }],
    [' \t{ host = "web-01" , } \n', { matchers: [m('host', '=', 'web-01')] }],
    ['os.cpu.usage {cpu="0",}', { metric: 'os.cpu.usage', matchers: [m('cpu', '=', '0')] }],
    ['x{a="1",a="2"}', { metric: 'x', matchers: [m('a', '=', '1'), m('a', '=', '2')] }],
    ['x{a=""}', { metric: 'x', matchers: [m('a', '=', '')] }],
    ['x{_A9="v"}', { metric: 'x', matchers: [m('_A9', '=', 'v')] }],
    ['x{a="q\\"b\\\\c\\nd\\te"}', { metric: 'x', matchers: [m('a', '=', 'q"b\\c\nd\te')] }],
    ['x{a="é, }{ ="}', { metric: 'x', matchers: [m('a', '=', 'é, }{ =')] }],
    ['x{a=~"\\\\d+"}', { metric: 'x', matchers: [m('a', '=~', '\\d+')] }],
    ['maximo.jvm.heap_used', { metric: 'maximo.jvm.heap_used', matchers: [] }],
    [`x{${Array.from({ length: 20 }, (_, i) => `l${i}="v"`).join(',')}}`, { metric: 'x', matchers: Array.from({ length: 20 }, (_, i) => m(`l${i}`, '=', 'v')) }],
    [`x{a="${'v'.repeat(1024)}"}`, { metric: 'x', matchers: [m('a', '=', 'v'.repeat(1024))] }],
  ])('%j', (text, expected) => {
    expect(parseSelector(text)).toStrictEqual(expected);
  });
});

describe('formatSelector', () => {
  it.each<[string, string]>([
    ['os.cpu.usage', 'os.cpu.usage'],
    ['os.cpu.usage{}', 'os.cpu.usage'],
    ['{ host = "web-01" , }', '{host="web-01"}'],
    [
      'os.cpu.usage{host="web-01",cpu!="total",mount=~"/(var|opt)",device!~"loop.*"}',
      'os.cpu.usage{host="web-01", cpu!="total", mount=~"/(var|opt)", device!~"loop.*"}',
    ],
    ['x{a="q\\"b\\\\c\\nd\\te"}', 'x{a="q\\"b\\\\c\\nd\\te"}'],
    ['x{a="line\nbreak"}', 'x{a="line\\nbreak"}'],
    ['x{b="2", a="1", b="2"}', 'x{b="2", a="1", b="2"}'],
  ])('%j → %j', (text, canonical) => {
    const parsed = parseSelector(text);
    expect(formatSelector(parsed)).toBe(canonical);
    expect(parseSelector(canonical)).toStrictEqual(parsed);
    expect(formatSelector(parseSelector(canonical))).toBe(canonical);
  });

  it.each<Selector>([
    { metric: 'a.b', matchers: [] },
    { matchers: [m('x', '!~', '')] },
    { metric: 'os.net.bytes', matchers: [m('dev', '=~', 'eth[0-9]+|en.*'), m('dir', '!=', 'in'), m('q', '=', '"\\\n\t\r{}, ')] },
  ])('round trip of %j', (s) => {
    expect(parseSelector(formatSelector(s))).toStrictEqual(s);
  });
});

describe('parseSelector: errors', () => {
  const tooMany = `x{${Array.from({ length: 21 }, (_, i) => `l${i}="v"`).join(',')}}`;
  it.each<[string, string, number]>([
    ['', 'a selector needs a metric name or at least one matcher', 0],
    ['   ', 'a selector needs a metric name or at least one matcher', 3],
    ['{}', 'a selector needs a metric name or at least one matcher', 0],
    ['  { , }', 'expected a label name, got ","', 4],
    ['os.cpu.usage{host}', 'expected "=", "!=", "=~" or "!~" after label "host"', 17],
    ['os.cpu.usage{host "web-01"}', 'expected "=", "!=", "=~" or "!~" after label "host"', 18],
    ['x{a!"b"}', 'expected "=", "!=", "=~" or "!~" after label "a"', 3],
    ['x{a==""}', 'expected a double-quoted value after a=', 4],
    ["x{a='b'}", 'expected a double-quoted value after a=', 4],
    ['x{a=b}', 'expected a double-quoted value after a=', 4],
    ['x{a="b}', 'unterminated string starting', 4],
    ['x{a="b\\', 'unterminated string starting', 4],
    ['x{a="\\d"}', 'unknown escape "\\d" (strings allow \\", \\\\, \\n and \\t; write \\\\ for a backslash)', 5],
    ['x{a="b" c="d"}', 'expected "," or "}" after a matcher, got "c"', 8],
    ['x{a="b"', 'expected "," or "}" after a matcher, got end of input', 7],
    ['x{a="b",', 'expected a label name, got end of input', 8],
    ['x{', 'expected a label name, got end of input', 2],
    ['x{,}', 'expected a label name, got ","', 2],
    ['x{a="b",,}', 'expected a label name, got ","', 8],
    ['x{1a="b"}', 'invalid label name "1a": must match [A-Za-z_][A-Za-z0-9_]*', 2],
    ['x{a-b="c"}', 'invalid label name "a-b": must match [A-Za-z_][A-Za-z0-9_]*', 2],
    [`x{${'l'.repeat(101)}="v"}`, 'label name longer than 100 characters', 2],
    ['x{__name__="y"}', '__name__ is not supported: write the metric name before the braces', 2],
    ['{ __name__ =~ "os.*"}', '__name__ is not supported: write the metric name before the braces', 2],
    ['OS.cpu', 'invalid metric name "OS.cpu": metric name must be dotted lower-case words, e.g. os.cpu.usage', 0],
    [' os..cpu{a="b"}', 'invalid metric name "os..cpu": metric name must be dotted lower-case words, e.g. os.cpu.usage', 1],
    ['os.cpu-usage', 'invalid metric name "os.cpu-usage": metric name must be dotted lower-case words, e.g. os.cpu.usage', 0],
    [`${'m'.repeat(201)}`, 'invalid metric name "' + 'm'.repeat(201) + '": metric name longer than 200 characters', 0],
    ['"x"', 'expected a metric name or "{", got "\\""', 0],
    ['os cpu', 'unexpected "c" after the selector', 3],
    ['x{a="b"} ,', 'unexpected "," after the selector', 9],
    ['x{a="b"}{c="d"}', 'unexpected "{" after the selector', 8],
    ['x}', 'unexpected "}" after the selector', 1],
    [tooMany, 'a selector may have at most 20 matchers', tooMany.indexOf('l20')],
    [`x{a="${'v'.repeat(1025)}"}`, 'value of label "a" longer than 1024 characters', 4],
    ['x{mount=~"/(var"}', 'invalid regular expression in mount=~"/(var": Unterminated group', 9],
    ['x{a="ok", dev !~ "loop[" }', 'invalid regular expression in dev!~"loop[": Unterminated character class', 17],
    ['x{a=~"*"}', 'invalid regular expression in a=~"*": Nothing to repeat', 5],
  ])('%j', (text, message, position) => {
    let error: unknown;
    try {
      parseSelector(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SelectorError);
    expect((error as SelectorError).message).toBe(`${message} at ${position}`);
    expect((error as SelectorError).position).toBe(position);
  });

  it('accepts a literal "=" as a value and a regex that only PostgreSQL may reject', () => {
    expect(parseSelector('x{a="="}').matchers).toEqual([m('a', '=', '=')]);
    expect(parseSelector('x{a=~"(?<n>x)"}').matchers).toEqual([m('a', '=~', '(?<n>x)')]);
  });
});

describe('selectorInput', () => {
  it.each<[unknown, Selector]>([
    [{ metric: 'os.cpu.usage' }, { metric: 'os.cpu.usage', matchers: [] }],
    [{ metric: null, matchers: [m('host', '=', 'web-01')] }, { matchers: [m('host', '=', 'web-01')] }],
    [
      { metric: 'x', matchers: [{ ...m('a', '=~', 'b|c'), extra: 1 }, m('a', '!=', '')] },
      { metric: 'x', matchers: [m('a', '=~', 'b|c'), m('a', '!=', '')] },
    ],
  ])('accepts %j', (input, expected) => {
    expect(selectorInput.parse(input)).toStrictEqual(expected);
  });

  it.each<[unknown, string, (string | number)[]]>([
    [{}, 'a selector needs a metric name or at least one matcher', []],
    [{ metric: null, matchers: [] }, 'a selector needs a metric name or at least one matcher', []],
    [{ metric: 'OS' }, 'invalid metric name "OS": metric name must be dotted lower-case words, e.g. os.cpu.usage', ['metric']],
    [{ matchers: [m('__name__', '=', 'x')] }, '__name__ is not supported: write the metric name before the braces', ['matchers', 0, 'label']],
    [{ matchers: [m('a', '=', 'b'), m('bad-label', '=', 'x')] }, 'invalid label name "bad-label": must match [A-Za-z_][A-Za-z0-9_]*', ['matchers', 1, 'label']],
    [{ matchers: [m('a', '=~', '(')] }, 'invalid regular expression in a=~"(": Unterminated group', ['matchers', 0, 'value']],
    [{ matchers: [m('a', '=', 'v'.repeat(1025))] }, 'value of label "a" longer than 1024 characters', ['matchers', 0, 'value']],
    [{ matchers: Array.from({ length: 21 }, () => m('a', '=', 'b')) }, 'a selector may have at most 20 matchers', ['matchers']],
  ])('rejects %j', (input, message, path) => {
    const r = selectorInput.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => ({ message: i.message, path: i.path }))).toContainEqual({ message, path });
  });

  it('rejects a bad operator and wrong types', () => {
    expect(selectorInput.safeParse({ matchers: [m('a', '==' as '=', 'b')] }).success).toBe(false);
    expect(selectorInput.safeParse({ metric: 1 }).success).toBe(false);
    expect(selectorInput.safeParse('os.cpu.usage').success).toBe(false);
  });

  it('agrees with the text form', () => {
    const text = 'os.cpu.usage{host="web-01", cpu!="total", mount=~"/(var|opt)", device!~"loop.*"}';
    expect(selectorInput.parse(parseSelector(text))).toStrictEqual(parseSelector(text));
  });
});
