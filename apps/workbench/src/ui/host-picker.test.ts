import { describe, expect, it } from 'vitest';
import { hostNamed, moveActive, searchArg, settleDraft, shownText } from './host-picker.ts';

const web01 = { id: '1', hostname: 'web-01' };
const web02 = { id: '2', hostname: 'web-02' };
const upper = { id: '3', hostname: 'DB-01' };
const matches = [web01, web02, upper];

describe('the search sent for a typed text', () => {
  it('is trimmed, and nothing (the first hosts by name) when blank', () => {
    expect(searchArg('  web ')).toBe('web');
    expect(searchArg('')).toBeNull();
    expect(searchArg('   ')).toBeNull();
  });

  it('is never longer than a hostname can be', () => {
    expect(searchArg('x'.repeat(300))).toHaveLength(253);
  });
});

describe('the host a text names', () => {
  it('is the exact hostname among the matches, spaces around ignored', () => {
    expect(hostNamed('web-02', matches)).toBe(web02);
    expect(hostNamed(' web-01 ', matches)).toBe(web01);
  });

  it('falls back to a hostname equal ignoring case, but only when just one is', () => {
    expect(hostNamed('db-01', matches)).toBe(upper);
    expect(hostNamed('web', [{ id: '4', hostname: 'Web' }, { id: '5', hostname: 'WEB' }])).toBeNull();
    expect(hostNamed('web-01', [{ id: '4', hostname: 'WEB-01' }, web01])).toBe(web01);
  });

  it('is none for a part of a name, a blank text or no matches', () => {
    expect(hostNamed('web', matches)).toBeNull();
    expect(hostNamed('', matches)).toBeNull();
    expect(hostNamed('web-01', [])).toBeNull();
  });
});

describe('leaving the box', () => {
  it('empty means any host', () => {
    expect(settleDraft('', matches)).toEqual({ hostId: '', host: null });
    expect(settleDraft('  ', [])).toEqual({ hostId: '', host: null });
  });

  it('a full hostname picks that host', () => {
    expect(settleDraft('web-01', matches)).toEqual({ hostId: '1', host: web01 });
  });

  it('a half-typed or unknown name keeps the host chosen before', () => {
    expect(settleDraft('web-0', matches)).toBeNull();
    expect(settleDraft('gone-01', matches)).toBeNull();
  });
});

describe('moving through the matches', () => {
  it.each([
    // active, step, count, next
    [-1, 1, 3, 0],
    [-1, -1, 3, 2],
    [0, 1, 3, 1],
    [2, 1, 3, 0],
    [0, -1, 3, 2],
    [5, 1, 3, 0],
    [0, 1, 0, -1],
    [-1, -1, 0, -1],
  ] as const)('from %i by %i among %i is %i', (active, step, count, next) => {
    expect(moveActive(active, step, count)).toBe(next);
  });
});

describe('the text shown while nobody types', () => {
  it('is empty for any host', () => {
    expect(shownText('', web01, web01)).toBe('');
  });

  it('is the picked host, without asking the server', () => {
    expect(shownText('1', web01, undefined)).toBe('web-01');
  });

  it('is the server\'s hostname for an id from elsewhere, empty while asking', () => {
    expect(shownText('2', web01, web02)).toBe('web-02');
    expect(shownText('2', null, undefined)).toBe('');
    // an answer about the id asked before is no answer yet
    expect(shownText('2', null, web01)).toBe('');
  });

  it('names the id when there is no such host', () => {
    expect(shownText('9', null, null)).toBe('host 9');
  });
});
