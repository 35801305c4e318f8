import { describe, expect, it } from 'vitest';
import { decide, earliest, escalationsDue, type Decision, type GroupMemory, type GroupTiming, type GroupView } from './group-timing.ts';

const S = 1000;
const timing: GroupTiming = { groupWaitMs: 30 * S, groupIntervalMs: 300 * S, repeatIntervalMs: 3600 * S, escalate: [{ afterMinutes: 15, channels: ['oncall'] }, { afterMinutes: 60, channels: ['manager'] }] };
const fresh: GroupMemory = { createdAt: 0, escalated: [] };
const sent = (at: number, digest: string): GroupMemory => ({ createdAt: 0, firingSince: 0, lastSentAt: at, lastSentDigest: digest, escalated: [] });
const view = (digest: string, firing: number, acknowledged = false): GroupView => ({ digest, firing, acknowledged });

describe('when a group speaks', () => {
  it.each<[string, GroupMemory, GroupView, number, Decision]>([
    ['a new group waits for more alerts', fresh, view('a', 1), 10 * S, { send: false, wakeAt: 30 * S }],
    ['…then sends once, whatever joined meanwhile', fresh, view('a,b,c', 3), 30 * S, { send: 'firing' }],
    ['a group resolved inside its wait says nothing and is done', fresh, view('a:resolved', 0), 30 * S, { send: false, done: true }],
    ['a change soon after a message waits for the group interval', sent(30 * S, 'a'), view('a,b', 2), 60 * S, { send: false, wakeAt: 330 * S }],
    ['…and goes out when it has passed', sent(30 * S, 'a'), view('a,b', 2), 330 * S, { send: 'firing' }],
    ['everything resolved is said, after the interval', sent(30 * S, 'a'), view('a:resolved', 0), 400 * S, { send: 'resolved' }],
    ['once said, a resolved group is done', sent(400 * S, 'a:resolved'), view('a:resolved', 0), 500 * S, { send: false, done: true }],
    ['unchanged and firing: sent again after the repeat interval', sent(30 * S, 'a'), view('a', 1), 3630 * S, { send: 'renotify' }],
    ['…not before', sent(30 * S, 'a'), view('a', 1), 1000 * S, { send: false, wakeAt: 3630 * S }],
    ['acknowledged: not sent again', sent(30 * S, 'a'), view('a', 1, true), 9999 * S, { send: false }],
    ['repeat interval 0: never sent again', sent(30 * S, 'a'), view('a', 1), 9999 * S, { send: false }],
  ])('%s', (name, memory, v, now, expected) => {
    const t = name.includes('repeat interval 0') ? { ...timing, repeatIntervalMs: 0 } : timing;
    expect(decide(memory, v, t, now)).toEqual(expected);
  });

  it('a burst of 100 alerts inside the group wait becomes one message', () => {
    let memory: GroupMemory = { createdAt: 0, escalated: [] };
    const messages: string[] = [];
    for (let i = 1; i <= 100; i++) {
      const now = i * 250; // one alert every 250 ms: all inside the 30 s wait
      const d = decide(memory, view(Array.from({ length: i }, (_, k) => `a${k}`).join(','), i), timing, now);
      if (d.send) messages.push(d.send);
    }
    const d = decide(memory, view('all', 100), timing, 30 * S);
    if (d.send) {
      messages.push(d.send);
      memory = { ...memory, lastSentAt: 30 * S, lastSentDigest: 'all' };
    }
    expect(messages).toEqual(['firing']);
    expect(decide(memory, view('all', 100), timing, 31 * S)).toEqual({ send: false, wakeAt: 3630 * S });
  });
});

describe('escalation', () => {
  const firing: GroupMemory = { createdAt: 0, firingSince: 0, lastSentAt: 30 * S, lastSentDigest: 'a', escalated: [] };
  it.each<[string, GroupMemory, GroupView, number, ReturnType<typeof escalationsDue>]>([
    ['nothing before the first step', firing, view('a', 1), 10 * 60 * S, { due: [], wakeAt: 15 * 60 * S }],
    ['the first step after 15 minutes unacknowledged', firing, view('a', 1), 15 * 60 * S, { due: [0], wakeAt: 60 * 60 * S }],
    ['a step sent is not sent again', { ...firing, escalated: [0] }, view('a', 1), 20 * 60 * S, { due: [], wakeAt: 60 * 60 * S }],
    ['both, late', firing, view('a', 1), 2 * 3600 * S, { due: [0, 1] }],
    ['acknowledged: no escalation', firing, view('a', 1, true), 2 * 3600 * S, { due: [] }],
    ['resolved: no escalation', firing, view('a:resolved', 0), 2 * 3600 * S, { due: [] }],
  ])('%s', (_name, memory, v, now, expected) => {
    expect(escalationsDue(memory, v, timing, now)).toEqual(expected);
  });

  it('takes the earliest wake time', () => {
    expect(earliest(undefined, 5, 3, undefined)).toBe(3);
    expect(earliest(undefined)).toBeUndefined();
  });
});
