import { describe, expect, it } from 'vitest';
import { findUnstorable } from './storable-input.ts';

describe('findUnstorable', () => {
  it.each([
    [{ i: { name: 'a\u0000b' } }, '$.i.name'],
    [{ i: { matchers: [{ value: 'ok' }, { value: '\ud800' }] } }, '$.i.matchers[1].value'],
    [{ c: JSON.parse('{"x\\u0000": 1}') }, '$.c (a key)'],
    [{ c: { deep: [[['x\udfffy']]] } }, '$.c.deep[0][0][0]'],
  ])('names where %j holds a NUL or a lone surrogate', (vars, path) => {
    expect(findUnstorable(vars, '$')).toBe(path);
  });
  it.each([[{}], [{ i: { name: 'é😀\u202e\r\n', n: 1, b: null, list: ['\\u0000'] } }]])(
    'passes %j',
    (vars) => {
      expect(findUnstorable(vars, '$')).toBeUndefined();
    },
  );
});
