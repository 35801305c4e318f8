// The function catalogue as data: the validator checks calls against it, the workbench shows
// `signature` and `doc` as hover help and offers the names for completion.

export type ValueType = 'number' | 'boolean';
/**
 * What an argument must be: `metric` a metric reference, `duration` a string such as "5m",
 * `percent` a number literal in 0..100, `digits` an integer literal in 0..MAX_ROUND_DIGITS,
 * `number` any numeric expression.
 */
export type ParamType = 'metric' | 'duration' | 'percent' | 'digits' | 'number';

export interface ParamSpec {
  name: string;
  type: ParamType;
  optional?: boolean;
}

export const WINDOW_FUNCTIONS = [
  'last',
  'avg',
  'min',
  'max',
  'sum',
  'count',
  'rate',
  'delta',
  'increase',
  'stddev',
  'nodata',
  'percentile',
] as const;
export const SCALAR_FUNCTIONS = ['abs', 'round'] as const;
export type WindowFunction = (typeof WINDOW_FUNCTIONS)[number];
export type ScalarFunction = (typeof SCALAR_FUNCTIONS)[number];
export type FunctionName = WindowFunction | ScalarFunction;

export interface FunctionSpec {
  name: FunctionName;
  /** `window` functions read a metric over a time window; `scalar` ones transform a number. */
  kind: 'window' | 'scalar';
  params: ParamSpec[];
  returns: ValueType;
  doc: string;
}

export const MAX_ROUND_DIGITS = 10;
const SECOND = 1000;
const UNIT_MS = {
  w: 7 * 86_400 * SECOND,
  d: 86_400 * SECOND,
  h: 3600 * SECOND,
  m: 60 * SECOND,
  s: SECOND,
} as const;
/** Longest window a rule may read; longer scans belong to reports, not alert rules. */
export const MAX_WINDOW_MS = 31 * UNIT_MS.d;

const metric: ParamSpec = { name: 'metric', type: 'metric' };
const window: ParamSpec = { name: 'window', type: 'duration' };
const over = (name: WindowFunction, doc: string, returns: ValueType = 'number'): FunctionSpec => ({
  name,
  kind: 'window',
  params: [metric, window],
  returns,
  doc,
});

export const FUNCTIONS: readonly FunctionSpec[] = [
  over('last', 'Latest value in the window.'),
  over('avg', 'Mean of the values in the window.'),
  over('min', 'Smallest value in the window.'),
  over('max', 'Largest value in the window.'),
  over('sum', 'Sum of the values in the window.'),
  over('count', 'Number of values in the window (0 when there are none).'),
  over('rate', 'Per-second increase of a counter over the window; counter resets are handled.'),
  over('delta', 'Last value minus first value in the window (for gauges).'),
  over('increase', 'Increase of a counter over the window; counter resets are handled.'),
  over('stddev', 'Population standard deviation of the values in the window.'),
  over('nodata', 'True when the window holds no value at all.', 'boolean'),
  {
    name: 'percentile',
    kind: 'window',
    params: [metric, window, { name: 'p', type: 'percent' }],
    returns: 'number',
    doc: 'The p-th percentile (0..100) of the values in the window, linearly interpolated.',
  },
  {
    name: 'abs',
    kind: 'scalar',
    params: [{ name: 'x', type: 'number' }],
    returns: 'number',
    doc: 'Absolute value.',
  },
  {
    name: 'round',
    kind: 'scalar',
    params: [
      { name: 'x', type: 'number' },
      { name: 'digits', type: 'digits', optional: true },
    ],
    returns: 'number',
    doc: `Rounds to the nearest integer, or to 0..${MAX_ROUND_DIGITS} decimal digits.`,
  },
];

const BY_NAME = new Map<string, FunctionSpec>(FUNCTIONS.map((f) => [f.name, f]));

/** The catalogue entry for a name; a Map lookup, so `constructor` and friends find nothing. */
export function findFunction(name: string): FunctionSpec | undefined {
  return BY_NAME.get(name);
}

export function isWindowFunction(name: string): name is WindowFunction {
  return findFunction(name)?.kind === 'window';
}

/** Hover text: `percentile(metric, window, p) → number`. */
export function signatureOf(f: FunctionSpec): string {
  const params = f.params.map((p) => (p.optional ? `${p.name}?` : p.name)).join(', ');
  return `${f.name}(${params}) → ${f.returns}`;
}

const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Why a duration string is not acceptable, or undefined when it is. */
export function durationProblem(text: string): string | undefined {
  const m = DURATION.exec(text);
  if (!m || text === '') return `"${text}" is not a duration: write e.g. "30s", "5m", "2h", "1d" or "1h30m"`;
  const ms = durationMs(m);
  if (ms === 0) return 'a window must be longer than 0s';
  if (ms > MAX_WINDOW_MS) return `a window may be at most ${MAX_WINDOW_MS / UNIT_MS.d}d long`;
  return undefined;
}

function durationMs(m: RegExpExecArray): number {
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  return n(w) * UNIT_MS.w + n(d) * UNIT_MS.d + n(h) * UNIT_MS.h + n(min) * UNIT_MS.m + n(s) * UNIT_MS.s;
}

/** Milliseconds of a duration such as "5m" or "1h30m"; undefined when durationProblem objects. */
export function parseDuration(text: string): number | undefined {
  if (durationProblem(text) !== undefined) return undefined;
  return durationMs(DURATION.exec(text)!);
}
