import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from './canonical-json.ts';
import { probeSigningPayload, type SignedProbeSubject } from './probe-payload.ts';

describe('canonical JSON', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['booleans', [true, false], '[true,false]'],
    [
      'numbers as JSON writes them',
      [0, -0, 1.5, 1e21, -3, 0.1 + 0.2],
      '[0,0,1.5,1e+21,-3,0.30000000000000004]',
    ],
    ['strings escaped', 'a"b\\c\n\u2028é', '"a\\"b\\\\c\\n\u2028é"'],
    ['keys sorted by code unit', { b: 1, a: 2, B: 3, aa: 4, '': 5 }, '{"":5,"B":3,"a":2,"aa":4,"b":1}'],
    [
      'nested objects sorted at every level',
      { z: { y: [{ d: 1, c: 2 }], x: {} }, a: [] },
      '{"a":[],"z":{"x":{},"y":[{"c":2,"d":1}]}}',
    ],
    ['undefined members left out', { a: undefined, b: null }, '{"b":null}'],
    ['array order kept', [3, 1, 2], '[3,1,2]'],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { k: 'v' }), '{"k":"v"}'],
  ])('%s', (_name, value, text) => {
    expect(canonicalJson(value)).toBe(text);
    // what a receiver parses back gives the same text, whatever order the keys came in
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it.each<[string, unknown, string]>([
    ['NaN', { a: [1, Number.NaN] }, '$.a[1]: NaN is not a JSON number'],
    ['Infinity', Number.POSITIVE_INFINITY, '$: Infinity is not a JSON number'],
    ['bigint', { n: 1n }, '$.n: a bigint has no JSON form'],
    ['undefined in an array', [undefined], '$[0]: a missing value has no JSON form'],
    ['a Date', { at: new Date(0) }, '$.at: a non-plain object has no JSON form'],
    ['a function', { f: () => 1 }, '$.f: a function has no JSON form'],
  ])('refuses %s, naming where', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(new CanonicalJsonError(message));
  });

  it('ignores key order and whitespace of the input', () => {
    const a = JSON.parse('{"steps":[{"id":"s","params":{"port":22,"host":"h"}}],"name":"n"}') as unknown;
    const b = JSON.parse(
      '{ "name": "n",\n "steps": [ { "params": { "host": "h", "port": 22 }, "id": "s" } ] }',
    ) as unknown;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });
});

describe('the signed text of a probe', () => {
  const probe: SignedProbeSubject = {
    host: 'web-01',
    id: 7,
    version: 3,
    definition: { name: 'ssh', steps: [] },
  };

  it('is canonical JSON of purpose, host, probe and command', () => {
    expect(probeSigningPayload(probe)).toBe(
      '{"definition":{"name":"ssh","steps":[]},"host":"web-01","id":"7","purpose":"esmon.probe.v1","version":3}',
    );
    expect(probeSigningPayload({ ...probe, id: '7', command: 'c-1' })).toBe(
      '{"command":"c-1","definition":{"name":"ssh","steps":[]},"host":"web-01","id":"7","purpose":"esmon.probe-command.v1","version":3}',
    );
  });

  it.each<[string, Partial<SignedProbeSubject>]>([
    ['another host', { host: 'web-02' }],
    ['another probe id', { id: 8 }],
    ['another version', { version: 4 }],
    ['an edited definition', { definition: { name: 'ssh', steps: [{}] } }],
    ['as a command', { command: 'c-1' }],
  ])('differs for %s', (_name, change) => {
    expect(probeSigningPayload({ ...probe, ...change })).not.toBe(probeSigningPayload(probe));
  });
});
