import { describe, expect, it } from 'vitest';
import { silenceMatchersSchema, silenceMatches, silenceState, type SilenceMatcher, type SilenceTarget } from './silence-match.ts';

const disk: SilenceTarget = { rule: 'Disk full', host: 'web-01', labels: { mount: '/var', severity: 'critical', env: 'prod' } };
const noHost: SilenceTarget = { rule: 'Queue depth', labels: { queue: 'orders' } };

const m = (text: string): SilenceMatcher => {
  const [, name, op, value] = /^(\w[\w.]*)(=~|!~|!=|=)(.*)$/.exec(text)!;
  return { name: name!, op: op as SilenceMatcher['op'], value: value! };
};

describe('silenceMatches', () => {
  it.each<[string[], SilenceTarget, boolean]>([
    [['rule=Disk full'], disk, true],
    [['rule=Disk'], disk, false],
    [['rule=~Disk.*'], disk, true],
    // anchored: a regex must match the whole value
    [['rule=~Disk'], disk, false],
    [['rule=~isk ful'], disk, false],
    [['host=web-01'], disk, true],
    [['host=~web-0[12]'], disk, true],
    [['host!~web-.*'], disk, false],
    [['mount=/var'], disk, true],
    [['mount!=/var'], disk, false],
    [['mount=~/var|/opt'], disk, true],
    [['mount=~/v'], disk, false],
    [['mount!~/opt'], disk, true],
    // all matchers must hold
    [['rule=Disk full', 'env=prod', 'host=web-01'], disk, true],
    [['rule=Disk full', 'env=test'], disk, false],
    // a missing label reads as ""
    [['team='], disk, true],
    [['team!=db', 'rule=Disk full'], disk, true],
    [['team=~.*'], disk, true],
    [['team=~.+'], disk, false],
    // prototype keys are never labels
    [['constructor='], disk, true],
    [['constructor=~.+'], disk, false],
    [['__proto__!='], disk, false],
    [['toString=~.+'], disk, false],
    // no host reads as "" too
    [['host='], noHost, true],
    [['host=~.+'], noHost, false],
    [['queue=orders', 'rule=Queue depth'], noHost, true],
  ])('%j on %j: %s', (matchers, target, expected) => {
    expect(silenceMatches(matchers.map(m), target)).toBe(expected);
  });

  it('reads a label that is an own key even when it is called constructor', () => {
    expect(silenceMatches([m('constructor=x')], { rule: 'r', labels: { constructor: 'x' } })).toBe(true);
  });
});

describe('silenceMatchersSchema', () => {
  it.each<[unknown, string | null]>([
    [[{ name: 'rule', op: '=', value: 'Disk full' }], null],
    [[{ name: 'host', op: '=~', value: 'web-\\d+' }, { name: 'env', op: '!=', value: 'test' }], null],
    [[{ name: 'dc.zone', op: '=', value: 'a' }], null],
    [[], 'a silence needs at least one matcher'],
    [Array.from({ length: 21 }, (_, i) => ({ name: `l${i}`, op: '=', value: 'x' })), 'a silence has at most 20 matchers'],
    [[{ name: '1abc', op: '=', value: 'x' }], 'a matcher name is "rule", "host" or a label name'],
    [[{ name: 'has space', op: '=', value: 'x' }], 'a matcher name is'],
    [[{ name: 'env', op: '==', value: 'x' }], 'Invalid option'],
    [[{ name: 'env', op: '=', value: 'x'.repeat(257) }], 'a matcher value is at most 256 characters'],
    [[{ name: 'env', op: '=~', value: 'web-(' }], 'env=~"web-(" is not a valid regular expression'],
    [[{ name: 'env', op: '!~', value: '[z-a]' }], 'env!~"[z-a]" is not a valid regular expression'],
    // V8 refuses so long a pattern only when first run: refused, not thrown (a 500 before)
    [[{ name: 'env', op: '=~', value: 'x'.repeat(100_000) }], 'a matcher value is at most 256 characters'],
    [[{ name: 'env', op: '!=', value: 'prod' }], 'at least one matcher must need a non-empty value'],
    [[{ name: 'env', op: '=~', value: '.*' }, { name: 'rule', op: '=', value: '' }], 'at least one matcher must need a non-empty value'],
  ])('%j → %s', (input, problem) => {
    const result = silenceMatchersSchema.safeParse(input);
    if (problem === null) {
      expect(result.success).toBe(true);
    } else {
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.message).join('; ')).toContain(problem);
    }
  });
});

describe('silenceState', () => {
  const s = { startsAt: new Date(1000), endsAt: new Date(2000) };
  it.each([
    [999, 'pending'],
    [1000, 'active'],
    [1999, 'active'],
    [2000, 'expired'],
  ])('at %d: %s', (now, state) => {
    expect(silenceState(s, now)).toBe(state);
  });
});
