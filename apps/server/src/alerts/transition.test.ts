import { prng } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { formatDuration } from './reason.ts';
import { beyondRecovery, breaches, levelOf } from './severity.ts';
import { transition } from './transition.ts';
import {
  initialAlertStatus,
  type AlertEventOut,
  type AlertRulePolicy,
  type AlertStatus,
  type Observation,
} from './types.ts';

const M = 60_000;
const T0 = Date.UTC(2025, 0, 1);

/** CPU-like rule: warning 80 (recovers at 75), critical 90 (85), very_critical 95 (92). */
const CPU: AlertRulePolicy = {
  comparator: '>',
  levels: [
    { severity: 'critical', threshold: 90, recovery: 85 },
    { severity: 'warning', threshold: 80, recovery: 75 },
    { severity: 'very_critical', threshold: 95, recovery: 92 },
  ],
  forMs: 0,
  keepFiringForMs: 0,
  noData: 'keep_last',
  flapping: { windowMs: 60 * M, maxChanges: 100 },
};

// ---- compact notation ------------------------------------------------------------------------
// A step is [minute, observation, expected status, ...expected events].
// Observation: a number (value) | 'nodata' | 'stale' | 'suppressed'.
// Status: state, then (stateBefore) when stale/nodata, /severity, and the flags: "firing/warning",
// "stale(pending)", "firing/critical suppressed", "resolved flapping".
// Event: "from→to" (severity shown on the firing side) or "warning→critical" for a severity change
// or the kind ("suppressed", "flapping_start", …); a trailing " !" means notify: true.
type Obs = number | 'nodata' | 'stale' | 'suppressed';
type Row = [minute: number, obs: Obs, status: string, ...events: string[]];
interface Case {
  name: string;
  rule?: Partial<AlertRulePolicy>;
  steps: Row[];
}

function toObservation(obs: Obs): Observation {
  return typeof obs === 'number' ? { kind: 'value', value: obs } : { kind: obs };
}

function showStatus(s: AlertStatus): string {
  const before = s.stateBefore ? `(${s.stateBefore})` : '';
  const severity = s.severity ? `/${s.severity}` : '';
  const flags = [s.suppressed && 'suppressed', s.flapping && 'flapping'].filter(Boolean);
  return [`${s.state}${before}${severity}`, ...flags].join(' ');
}

function showEvent(e: AlertEventOut): string {
  const bang = e.notify ? ' !' : '';
  if (e.kind === 'severity') return `${e.fromSeverity}→${e.toSeverity}${bang}`;
  if (e.kind !== 'state') return `${e.kind}${bang}`;
  const from = e.from === 'firing' ? `firing/${e.fromSeverity}` : e.from;
  const to = e.to === 'firing' ? `firing/${e.toSeverity}` : e.to;
  return `${from}→${to}${bang}`;
}

function run(rule: AlertRulePolicy, steps: Row[]) {
  let status = initialAlertStatus();
  return steps.map(([minute, obs]) => {
    const result = transition(status, toObservation(obs), rule, T0 + minute * M);
    status = result.status;
    return result;
  });
}

const cases: Case[] = [
  // for / pending
  { name: 'forMs 0 fires at once', steps: [[0, 85, 'firing/warning', 'ok→firing/warning !']] },
  {
    name: 'ok → pending → firing once breached for forMs',
    rule: { forMs: 5 * M },
    steps: [
      [0, 82, 'pending', 'ok→pending'],
      [2, 83, 'pending'],
      [5, 84, 'firing/warning', 'pending→firing/warning !'],
      [6, 84, 'firing/warning'],
    ],
  },
  {
    name: 'pending → ok when the breach ends before forMs',
    rule: { forMs: 5 * M },
    steps: [
      [0, 82, 'pending', 'ok→pending'],
      [3, 70, 'ok', 'pending→ok'],
    ],
  },
  {
    name: 'pending fires at the level breached when it fires',
    rule: { forMs: 5 * M },
    steps: [
      [0, 82, 'pending', 'ok→pending'],
      [5, 93, 'firing/critical', 'pending→firing/critical !'],
    ],
  },
  {
    name: 'pending has no hysteresis: back under the threshold ends it',
    rule: { forMs: 5 * M },
    steps: [
      [0, 82, 'pending', 'ok→pending'],
      [2, 78, 'ok', 'pending→ok'],
    ],
  },
  {
    name: 'a new breach restarts the pending clock',
    rule: { forMs: 5 * M },
    steps: [
      [0, 82, 'pending', 'ok→pending'],
      [2, 70, 'ok', 'pending→ok'],
      [3, 82, 'pending', 'ok→pending'],
      [7, 82, 'pending'],
      [8, 82, 'firing/warning', 'pending→firing/warning !'],
    ],
  },
  {
    name: '> does not breach at the threshold itself',
    steps: [
      [0, 50, 'ok'],
      [1, 80, 'ok'],
    ],
  },
  {
    name: '>= breaches at the threshold',
    rule: { comparator: '>=' },
    steps: [[0, 80, 'firing/warning', 'ok→firing/warning !']],
  },

  // severity
  {
    name: 'severity rises at once, same incident',
    steps: [
      [0, 82, 'firing/warning', 'ok→firing/warning !'],
      [1, 91, 'firing/critical', 'warning→critical !'],
      [2, 96, 'firing/very_critical', 'critical→very_critical !'],
    ],
  },
  {
    name: 'fires straight at the highest breached level',
    steps: [[0, 97, 'firing/very_critical', 'ok→firing/very_critical !']],
  },
  {
    name: 'severity falls only through its recovery threshold',
    steps: [
      [0, 93, 'firing/critical', 'ok→firing/critical !'],
      [1, 88, 'firing/critical'],
      [2, 91, 'firing/critical'],
      [3, 85, 'firing/warning', 'critical→warning !'],
    ],
  },
  {
    name: 'severity falls to the highest level still held',
    steps: [
      [0, 97, 'firing/very_critical', 'ok→firing/very_critical !'],
      [1, 78, 'firing/warning', 'very_critical→warning !'],
      [2, 86, 'firing/warning'],
    ],
  },

  // resolve and keep firing for
  {
    name: 'resolves on the good side of the lowest recovery',
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 78, 'firing/warning'],
      [2, 75, 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'keep firing for: resolves only after the condition stayed clear that long',
    rule: { keepFiringForMs: 10 * M },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'firing/warning'],
      [6, 70, 'firing/warning'],
      [11, 70, 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'keep firing for: a new breach cancels the countdown',
    rule: { keepFiringForMs: 10 * M },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'firing/warning'],
      [6, 82, 'firing/warning'],
      [7, 70, 'firing/warning'],
      [16, 70, 'firing/warning'],
      [17, 70, 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'keep firing for: back inside the hysteresis band cancels the countdown too',
    rule: { keepFiringForMs: 10 * M },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'firing/warning'],
      [5, 77, 'firing/warning'],
      [6, 70, 'firing/warning'],
      [15, 70, 'firing/warning'],
      [16, 70, 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'resolved behaves as ok and stays quiet while good',
    rule: { forMs: 5 * M },
    steps: [
      [0, 85, 'pending', 'ok→pending'],
      [5, 85, 'firing/warning', 'pending→firing/warning !'],
      [6, 60, 'resolved', 'firing/warning→resolved !'],
      [7, 60, 'resolved'],
      [8, 85, 'pending', 'resolved→pending'],
      [13, 85, 'firing/warning', 'pending→firing/warning !'],
    ],
  },
  {
    name: 'a breach after resolved is a new incident',
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'resolved', 'firing/warning→resolved !'],
      [2, 91, 'firing/critical', 'resolved→firing/critical !'],
    ],
  },
  {
    name: 'low-value rule (<): thresholds and recoveries mirrored',
    rule: {
      comparator: '<',
      levels: [
        { severity: 'warning', threshold: 20, recovery: 25 },
        { severity: 'critical', threshold: 10, recovery: 15 },
      ],
    },
    steps: [
      [0, 30, 'ok'],
      [1, 15, 'firing/warning', 'ok→firing/warning !'],
      [2, 8, 'firing/critical', 'warning→critical !'],
      [3, 12, 'firing/critical'],
      [4, 15, 'firing/warning', 'critical→warning !'],
      [5, 24, 'firing/warning'],
      [6, 25, 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'a single-level rule',
    rule: { levels: [{ severity: 'critical', threshold: 90, recovery: 85 }] },
    steps: [
      [0, 89, 'ok'],
      [1, 95, 'firing/critical', 'ok→firing/critical !'],
      [2, 86, 'firing/critical'],
      [3, 85, 'resolved', 'firing/critical→resolved !'],
    ],
  },

  // no data
  {
    name: "noData 'ok' resolves a firing alert",
    rule: { noData: 'ok' },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'nodata', 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: "noData 'ok' ends pending",
    rule: { noData: 'ok', forMs: 5 * M },
    steps: [
      [0, 85, 'pending', 'ok→pending'],
      [1, 'nodata', 'ok', 'pending→ok'],
    ],
  },
  {
    name: "noData 'alerting' fires at the highest level",
    rule: { noData: 'alerting' },
    steps: [
      [0, 'nodata', 'firing/very_critical', 'ok→firing/very_critical !'],
      [1, 70, 'resolved', 'firing/very_critical→resolved !'],
    ],
  },
  {
    name: "noData 'alerting' goes through pending like any breach",
    rule: { noData: 'alerting', forMs: 5 * M },
    steps: [
      [0, 'nodata', 'pending', 'ok→pending'],
      [5, 'nodata', 'firing/very_critical', 'pending→firing/very_critical !'],
    ],
  },
  {
    name: "noData 'alerting' raises a firing alert's severity",
    rule: { noData: 'alerting' },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'nodata', 'firing/very_critical', 'warning→very_critical !'],
    ],
  },
  {
    name: "noData 'nodata': firing → nodata → back to firing",
    rule: { noData: 'nodata' },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'nodata', 'nodata(firing)/warning', 'firing/warning→nodata !'],
      [2, 'nodata', 'nodata(firing)/warning'],
      [3, 86, 'firing/warning', 'nodata→firing/warning !'],
    ],
  },
  {
    name: "noData 'nodata': the returning value is judged against the state it interrupted",
    rule: { noData: 'nodata' },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'nodata', 'nodata(firing)/warning', 'firing/warning→nodata !'],
      [2, 70, 'resolved', 'nodata→firing/warning !', 'firing/warning→resolved !'],
    ],
  },
  {
    name: "noData 'nodata' from ok",
    rule: { noData: 'nodata' },
    steps: [
      [0, 50, 'ok'],
      [1, 'nodata', 'nodata(ok)', 'ok→nodata !'],
      [2, 50, 'ok', 'nodata→ok !'],
    ],
  },
  {
    name: "noData 'keep_last' changes nothing; the pending clock is judged on the next value",
    rule: { noData: 'keep_last', forMs: 5 * M },
    steps: [
      [0, 85, 'pending', 'ok→pending'],
      [3, 'nodata', 'pending'],
      [9, 'nodata', 'pending'],
      [10, 85, 'firing/warning', 'pending→firing/warning !'],
      [11, 'nodata', 'firing/warning'],
    ],
  },

  // stale
  {
    name: 'stale never resolves: firing → stale → firing',
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [30, 'stale', 'stale(firing)/warning'],
      [31, 86, 'firing/warning', 'stale→firing/warning'],
    ],
  },
  {
    name: 'stale: a good value after the return resolves, from firing',
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [2, 70, 'resolved', 'stale→firing/warning', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'stale keeps the pending time',
    rule: { forMs: 5 * M },
    steps: [
      [0, 85, 'pending', 'ok→pending'],
      [2, 'stale', 'stale(pending)', 'pending→stale'],
      [3, 86, 'pending', 'stale→pending'],
      [4, 'stale', 'stale(pending)', 'pending→stale'],
      [6, 86, 'firing/warning', 'stale→pending', 'pending→firing/warning !'],
    ],
  },
  {
    name: 'stale from ok is recorded silently',
    steps: [
      [0, 50, 'ok'],
      [1, 'stale', 'stale(ok)', 'ok→stale'],
      [2, 50, 'ok', 'stale→ok'],
    ],
  },
  {
    name: 'stale keeps severity and hysteresis',
    steps: [
      [0, 93, 'firing/critical', 'ok→firing/critical !'],
      [1, 'stale', 'stale(firing)/critical', 'firing/critical→stale'],
      [2, 88, 'firing/critical', 'stale→firing/critical'],
    ],
  },
  {
    name: 'stale and nodata hand over the interrupted state',
    rule: { noData: 'nodata' },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [2, 'nodata', 'nodata(firing)/warning', 'stale→nodata'],
      [3, 'stale', 'stale(firing)/warning', 'nodata→stale'],
      [4, 86, 'firing/warning', 'stale→firing/warning'],
    ],
  },
  {
    name: "stale then no data under 'keep_last': the agent is back, the state restored",
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [2, 'nodata', 'firing/warning', 'stale→firing/warning'],
    ],
  },

  // suppressed
  {
    name: 'suppressed: nothing starts',
    steps: [
      [0, 'suppressed', 'ok'],
      [1, 'suppressed', 'ok'],
      [2, 50, 'ok'],
    ],
  },
  {
    name: 'suppressed: pending is abandoned',
    rule: { forMs: 5 * M },
    steps: [
      [0, 85, 'pending', 'ok→pending'],
      [1, 'suppressed', 'ok', 'pending→ok'],
      [2, 85, 'pending', 'ok→pending'],
    ],
  },
  {
    name: 'suppressed: a firing alert is marked and frozen until the dependency clears',
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'suppressed', 'firing/warning suppressed', 'suppressed'],
      [2, 'suppressed', 'firing/warning suppressed'],
      [3, 70, 'resolved', 'unsuppressed', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'suppressed after stale: the agent reports again, the alert returns and is marked',
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [2, 'suppressed', 'firing/warning suppressed', 'stale→firing/warning', 'suppressed'],
    ],
  },

  // flapping
  {
    name: 'flapping holds notifications until a full window without a change',
    rule: { flapping: { windowMs: 10 * M, maxChanges: 3 } },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'resolved', 'firing/warning→resolved !'],
      [2, 85, 'firing/warning', 'resolved→firing/warning !'],
      [3, 70, 'resolved flapping', 'firing/warning→resolved', 'flapping_start'],
      [4, 85, 'firing/warning flapping', 'resolved→firing/warning'],
      [5, 91, 'firing/critical flapping', 'warning→critical'],
      [13, 91, 'firing/critical flapping'],
      [14, 91, 'firing/critical', 'flapping_end !'],
      [15, 70, 'resolved', 'firing/critical→resolved !'],
    ],
  },
  {
    name: 'changes older than the window do not count',
    rule: { flapping: { windowMs: 10 * M, maxChanges: 3 } },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'resolved', 'firing/warning→resolved !'],
      [12, 85, 'firing/warning', 'resolved→firing/warning !'],
      [13, 70, 'resolved', 'firing/warning→resolved !'],
    ],
  },
  {
    name: 'an agent going offline and back is not flapping',
    rule: { flapping: { windowMs: 10 * M, maxChanges: 2 } },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [2, 86, 'firing/warning', 'stale→firing/warning'],
      [3, 'stale', 'stale(firing)/warning', 'firing/warning→stale'],
      [4, 86, 'firing/warning', 'stale→firing/warning'],
    ],
  },
  {
    name: 'the end of flapping stays silent while suppressed',
    rule: { flapping: { windowMs: 10 * M, maxChanges: 1 } },
    steps: [
      [0, 85, 'firing/warning', 'ok→firing/warning !'],
      [1, 70, 'resolved flapping', 'firing/warning→resolved', 'flapping_start'],
      [2, 85, 'firing/warning flapping', 'resolved→firing/warning'],
      [3, 'suppressed', 'firing/warning suppressed flapping', 'suppressed'],
      [12, 'suppressed', 'firing/warning suppressed', 'flapping_end'],
    ],
  },
];

describe('transition: tables', () => {
  it.each(cases)('$name', ({ rule, steps }) => {
    const results = run({ ...CPU, ...rule }, steps);
    const actual = results.map((r, i) => [
      steps[i]![0],
      steps[i]![1],
      showStatus(r.status),
      ...r.events.map(showEvent),
    ]);
    expect(actual).toEqual(steps);
  });

  it('has enough cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
});

describe('transition: reasons', () => {
  const reasons = (rule: Partial<AlertRulePolicy>, steps: [number, Obs][]) =>
    run(
      { ...CPU, ...rule },
      steps.map(([t, o]) => [t, o, '']),
    ).flatMap((r) => r.events.map((e) => e.reason));

  it('says what was breached, for how long, and what recovered', () => {
    expect(
      reasons({ comparator: '>=', forMs: 5 * M }, [
        [0, 93.5],
        [5, 93.5],
        [6, 84],
        [7, 60],
      ]),
    ).toEqual([
      'value 93.5 ≥ critical threshold 90',
      'value 93.5 ≥ critical threshold 90 for 5m',
      'value 84 ≤ critical recovery 85',
      'value 60 ≤ warning recovery 75',
    ]);
    expect(
      reasons({ forMs: 5 * M }, [
        [0, 82],
        [2, 70],
      ]),
    ).toEqual([
      'value 82 > warning threshold 80',
      'value 70 ≤ warning threshold 80: breach ended after 2m pending (for 5m)',
    ]);
    expect(
      reasons({ keepFiringForMs: 10 * M }, [
        [0, 85],
        [1, 70],
        [11, 70],
      ]),
    ).toEqual([
      'value 85 > warning threshold 80',
      'value 70 ≤ warning recovery 75, clear for 10m (keep firing for 10m)',
    ]);
    expect(reasons({ noData: 'alerting' }, [[0, 'nodata']])).toEqual([
      'no data (no-data policy: alerting at very_critical)',
    ]);
  });

  it('formats durations', () => {
    expect([0, 45_000, 5 * M, 90 * M, 51 * 60 * M + 30_000].map(formatDuration)).toEqual([
      '0s',
      '45s',
      '5m',
      '1h30m',
      '2d3h',
    ]);
  });

  it('keeps values on events and leaves no undefined keys in the stored status', () => {
    const [first, second] = run(CPU, [
      [0, 91, ''],
      [1, 60, ''],
    ]);
    expect(first?.events[0]).toMatchObject({
      kind: 'state',
      from: 'ok',
      to: 'firing',
      toSeverity: 'critical',
      value: 91,
    });
    expect(second?.status).toEqual({
      state: 'resolved',
      lastValue: 60,
      changes: [T0, T0 + M],
      flapping: false,
      suppressed: false,
    });
    expect(Object.keys(second!.status)).not.toContain('severity');
  });

  it('treats NaN as no data', () => {
    const [r] = run({ ...CPU, noData: 'alerting' }, [[0, Number.NaN, '']]);
    expect(r?.status.severity).toBe('very_critical');
  });
});

// ---- property test ---------------------------------------------------------------------------

const VALUES = [50, 70, 74, 75, 76, 79, 80, 81, 84, 85, 86, 89, 90, 91, 92, 93, 95, 99];

function randomRule(rand: () => number): AlertRulePolicy {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const high = rand() < 0.5;
  return {
    ...CPU,
    comparator: high ? pick(['>', '>='] as const) : pick(['<', '<='] as const),
    // a low-value rule is the CPU rule mirrored: levels and values negated
    levels: high
      ? CPU.levels
      : CPU.levels.map((l) => ({ ...l, threshold: -l.threshold, recovery: -l.recovery })),
    forMs: pick([0, 1, 3, 5]) * M,
    keepFiringForMs: pick([0, 2, 5]) * M,
    noData: pick(['ok', 'alerting', 'nodata', 'keep_last'] as const),
    flapping: { windowMs: pick([0, 10, 30]) * M, maxChanges: pick([1, 3, 6]) },
  };
}

function randomObservation(rand: () => number, sign: number): Observation {
  const r = rand();
  if (r < 0.1) return { kind: 'nodata' };
  if (r < 0.2) return { kind: 'stale' };
  if (r < 0.27) return { kind: 'suppressed' };
  return { kind: 'value', value: sign * VALUES[Math.floor(rand() * VALUES.length)]! };
}

function deepFreeze(status: AlertStatus): AlertStatus {
  Object.freeze(status.changes);
  return Object.freeze(status);
}

const parked = (s: AlertStatus) => s.state === 'stale' || s.state === 'nodata';
const underlying = (s: AlertStatus) => (parked(s) ? s.stateBefore : s.state);

function checkStatus(s: AlertStatus, rule: AlertRulePolicy, now: number): void {
  expect(Object.values(s)).not.toContain(undefined);
  expect(s.severity !== undefined).toBe(underlying(s) === 'firing');
  expect(s.firingSince !== undefined).toBe(underlying(s) === 'firing');
  expect(s.pendingSince !== undefined).toBe(underlying(s) === 'pending');
  if (s.clearedSince !== undefined) expect(underlying(s)).toBe('firing');
  expect(s.stateBefore !== undefined).toBe(parked(s));
  if (s.suppressed) expect(s.state).toBe('firing');
  if (rule.forMs === 0) expect(underlying(s)).not.toBe('pending');
  expect(s.changes.length).toBeLessThanOrEqual(rule.flapping.maxChanges + 1);
  for (const t of s.changes) expect(t).toBeGreaterThan(now - rule.flapping.windowMs);
}

function checkEvents(prev: AlertStatus, next: AlertStatus, events: AlertEventOut[], obs: Observation): void {
  let state = prev.state;
  let severity = prev.severity;
  for (const e of events) {
    expect(e.from).toBe(state);
    if (e.kind === 'state') expect(e.to).not.toBe(e.from);
    else expect(e.to).toBe(e.from);
    if (e.kind === 'severity')
      expect([e.from, e.fromSeverity === severity, e.toSeverity !== e.fromSeverity]).toEqual([
        'firing',
        true,
        true,
      ]);
    if (e.kind === 'state' && e.to === 'resolved') expect(e.from).toBe('firing');
    // a suppression may first bring a stale alert back to the state it was in (never a new start)
    if (obs.kind === 'suppressed' && e.from !== 'stale') {
      expect(['pending', 'firing']).not.toContain(e.to === e.from ? 'none' : e.to);
      expect(e.notify).toBe(false);
    }
    if (prev.flapping && e.kind !== 'flapping_end') expect(e.notify).toBe(false);
    state = e.to;
    severity = e.toSeverity;
  }
  expect(state).toBe(next.state);
  const flagEvents = (kinds: string[]) => events.filter((e) => kinds.includes(e.kind)).length;
  expect(flagEvents(['suppressed', 'unsuppressed'])).toBe(prev.suppressed === next.suppressed ? 0 : 1);
  expect(flagEvents(['flapping_start', 'flapping_end'])).toBe(prev.flapping === next.flapping ? 0 : 1);
  if (events.length === 0) expect([next.state, next.severity]).toEqual([prev.state, prev.severity]);
}

function checkStep(prev: AlertStatus, obs: Observation, rule: AlertRulePolicy, now: number): AlertStatus {
  const { status, events } = transition(prev, obs, rule, now);
  expect(transition(prev, obs, rule, now)).toEqual({ status, events });
  checkStatus(status, rule, now);
  checkEvents(prev, status, events, obs);
  if (obs.kind === 'stale') expect(status.state).toBe('stale');
  const keepLast = obs.kind === 'nodata' && rule.noData === 'keep_last';
  if (status.state === 'pending' && !keepLast) expect(now - status.pendingSince!).toBeLessThan(rule.forMs);
  if (status.state === 'resolved' && prev.state !== 'resolved' && rule.keepFiringForMs > 0) {
    expect(now - prev.clearedSince!).toBeGreaterThanOrEqual(rule.keepFiringForMs);
  }
  if (status.state === 'firing' && obs.kind === 'value' && status.clearedSince === undefined) {
    const level = levelOf(rule, status.severity!)!;
    const holds =
      breaches(obs.value, level.threshold, rule.comparator) ||
      beyondRecovery(obs.value, level.recovery, rule.comparator);
    expect(holds).toBe(true);
  }
  return status;
}

describe('transition: properties over random observation sequences', () => {
  it('keeps its invariants', () => {
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= 60; seed++) {
      const rand = prng(seed);
      const rule = randomRule(rand);
      const sign = rule.comparator.startsWith('>') ? 1 : -1;
      let status = deepFreeze(initialAlertStatus());
      let now = T0;
      for (let i = 0; i < 250; i++) {
        now += [0.5, 1, 1, 2, 4][Math.floor(rand() * 5)]! * M;
        const obs = randomObservation(rand, sign);
        const next = checkStep(status, obs, rule, now);
        const { events } = transition(status, obs, rule, now);
        for (const e of events) {
          const key = e.kind === 'state' ? `${e.from}→${e.to}` : e.kind;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        status = deepFreeze(next);
      }
    }
    // the walk reached every corner of the machine
    for (const k of [
      'ok→pending',
      'pending→firing',
      'firing→resolved',
      'firing→stale',
      'stale→pending',
      'firing→nodata',
      'severity',
      'suppressed',
      'unsuppressed',
      'flapping_start',
      'flapping_end',
    ]) {
      expect(seen.has(k), k).toBe(true);
    }
  });
});
