import { describe, expect, it } from 'vitest';
import { JSON_PATH, JsonPathError, jsonPathValues } from './json-path.ts';

const doc = JSON.parse(`{
  "heap": { "used": 512, "max": 1024 },
  "items": [ { "name": "a", "value": 1 }, { "name": "b", "value": 2 }, { "name": "c" } ],
  "matrix": [[1, 2], [3, 4]],
  "flag": false,
  "nothing": null
}`);

describe('jsonPathValues', () => {
  it.each<[string, unknown[]]>([
    ['$', [doc]],
    ['$.heap.used', [512]],
    ['$.items[1].name', ['b']],
    ['$.items[*].value', [1, 2]],
    ['$.items[*].name', ['a', 'b', 'c']],
    ['$.matrix[*][0]', [1, 3]],
    ['$.matrix[1][*]', [3, 4]],
    ['$.heap[*]', [512, 1024]],
    ['$.flag', [false]],
    ['$.nothing', [null]],
  ])('%s', (path, values) => {
    expect(jsonPathValues(doc, path)).toEqual(values);
  });

  it.each([
    ['a missing name', '$.heap.free'],
    ['an index past the end', '$.items[3]'],
    ['an index into an object', '$.heap[0]'],
    ['a name on an array', '$.items.length'],
    ['a name on a string', '$.items[0].name.length'],
    ['a name below null', '$.nothing.x'],
    ['[*] on a number', '$.heap.used[*]'],
  ])('selects nothing for %s', (_case, path) => {
    expect(jsonPathValues(doc, path)).toEqual([]);
  });

  it.each([
    '$.__proto__',
    '$.constructor',
    '$.constructor.name',
    '$.heap.__proto__.toString',
    '$.items.constructor',
    '$.prototype',
  ])('never walks into prototypes: %s', (path) => {
    expect(jsonPathValues(doc, path)).toEqual([]);
    expect(jsonPathValues({}, path)).toEqual([]);
  });

  it('refuses __proto__ and constructor even where JSON made them own properties', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"name": "x"}}');
    expect(Object.hasOwn(hostile, '__proto__')).toBe(true);
    expect(jsonPathValues(hostile, '$.__proto__.polluted')).toEqual([]);
    expect(jsonPathValues(hostile, '$.constructor.name')).toEqual([]);
  });

  it('reads own properties only, not inherited ones', () => {
    const child = Object.create({ inherited: 1 }) as Record<string, unknown>;
    child.own = 2;
    expect(jsonPathValues(child, '$.inherited')).toEqual([]);
    expect(jsonPathValues(child, '$.own')).toEqual([2]);
    expect(jsonPathValues(child, '$[*]')).toEqual([2]);
  });

  it.each([
    '',
    'heap.used',
    '$..used',
    "$['heap']",
    '$.items[-1]',
    '$.items[0:2]',
    '$.items[?(@.value)]',
    '$.a-b',
    '$.',
  ])('refuses %j, outside the subset', (path) => {
    expect(JSON_PATH.test(path)).toBe(false);
    expect(() => jsonPathValues(doc, path)).toThrow(JsonPathError);
  });
});
