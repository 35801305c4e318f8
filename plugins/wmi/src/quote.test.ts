// psString must give back exactly its input, and nothing but string literals.
import { describe, expect, it } from 'vitest';
import { readPsString } from '../test/ps-string.ts';
import { psString } from './quote.ts';

const HOSTILE = [
  '',
  'root/cimv2',
  "O'Brien",
  "'; Stop-Computer -Force; '",
  "x' | Remove-Item C:\\ -Recurse #",
  'x\u2019; Stop-Computer; \u2018',
  "a''b'''",
  '$(Stop-Computer) `whoami` @"here"@',
  'Lokaler Datenträger',
  'line\nbreak\r\ttab',
  'emoji 😀 and NUL \u0000',
];

describe('psString', () => {
  it.each(HOSTILE)('gives back %j exactly, as string literals only', (value) => {
    const expr = psString(value);
    expect(expr).toMatch(/^[\x20-\x7e]*$/);
    expect(readPsString(expr)).toEqual({ value, end: expr.length });
  });

  it.each<[string, string]>([
    ['root/cimv2', "'root/cimv2'"],
    ["O'Brien", "'O''Brien'"],
    ['', "''"],
    ['Datenträger', "('Datentr' + [char]0x00E4 + 'ger')"],
    ['x\u2019y', "('x' + [char]0x2019 + 'y')"],
    ['😀', '([char]0xD83D + [char]0xDE00)'],
  ])('quotes %j as %s', (value, expr) => {
    expect(psString(value)).toBe(expr);
  });
});
