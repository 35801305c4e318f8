import { describe, expect, it } from 'vitest';
import { ago, bytes, count } from './figures.ts';

describe('figures', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  it('says how long ago, and how far ahead', () => {
    expect(ago(null, now)).toBe('never');
    expect(ago('2025-01-01T11:59:58Z', now)).toBe('just now');
    expect(ago('2025-01-01T11:59:18Z', now)).toBe('42 s ago');
    expect(ago('2025-01-01T11:57:00Z', now)).toBe('3 min ago');
    expect(ago('2025-01-01T07:00:00Z', now)).toBe('5 h ago');
    expect(ago('2024-12-30T12:00:00Z', now)).toBe('2 d ago');
    expect(ago('2025-01-01T12:03:00Z', now)).toBe('in 3 min');
  });
  it('sizes bytes with binary units', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(812)).toBe('812 B');
    expect(bytes(1434)).toBe('1.4 KiB');
    expect(bytes(23 * 1024 * 1024)).toBe('23.0 MiB');
    expect(bytes(150 * 1024 ** 3)).toBe('150 GiB');
    expect(bytes(null)).toBe('—');
  });
  it('counts with separators', () => {
    expect(count(12345.4)).toBe('12,345');
    expect(count(undefined)).toBe('—');
  });
});
