// Seeded generators of rule text and trees, for property tests, fuzzing and benchmarks.
import type { BinaryOp, Expr } from './ast.ts';
import { ARITHMETIC_OPS, COMPARISON_OPS } from './ast.ts';
import { WINDOW_FUNCTIONS } from './functions.ts';

type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const METRICS = [
  'os.cpu.usage',
  'os.disk.used_pct',
  'net.rx_bytes',
  'app.queue.depth',
  'x',
  'maximo.jvm.heap.used',
];
const MATCHERS = [
  '',
  '{mount="/"}',
  '{iface="eth0", dir!="in"}',
  '{path=~"/var/.*"}',
  '{ host !~ "db-\\\\d+" }',
];
const NUMBERS = ['0', '1', '90', '0.5', '.25', '1e6', '2.50', '007', '1E+3', '12.0e-2', '100'];
const DURATIONS = ['30s', '5m', '2h', '1d', '1h30m', '1w'];
const SPACES = ['', ' ', '  ', '\n', '\t'];

/** Random text of a valid rule (it passes checkRule), with random spacing and keyword case. */
export function randomRuleText(rand: Rand, depth = 4): string {
  const sp = () => pick(rand, SPACES);
  const kw = (k: string) => (rand() < 0.2 ? k.toUpperCase() : k);
  const window = (): string => {
    const fn = pick(
      rand,
      WINDOW_FUNCTIONS.filter((f) => f !== 'nodata'),
    );
    const m = `${pick(rand, METRICS)}${pick(rand, MATCHERS)}`;
    const p = fn === 'percentile' ? `,${sp()}${pick(rand, ['0', '50', '95', '99.9', '100'])}` : '';
    return `${fn}(${sp()}${m},${sp()}"${pick(rand, DURATIONS)}"${p})`;
  };
  const num = (d: number): string => {
    const r = rand();
    if (d <= 0 || r < 0.25) return pick(rand, NUMBERS);
    if (r < 0.5) return window();
    if (r < 0.6) return `abs(${num(d - 1)})`;
    if (r < 0.7)
      return rand() < 0.5 ? `round(${num(d - 1)})` : `round(${num(d - 1)}, ${pick(rand, ['0', '2', '10'])})`;
    if (r < 0.8) return `-${sp()}(${num(d - 1)})`;
    return `(${num(d - 1)}${sp()}${pick(rand, ARITHMETIC_OPS)}${sp()}${num(d - 1)})`;
  };
  const bool = (d: number): string => {
    const r = rand();
    if (d <= 0 || r < 0.4) return `${num(d - 1)} ${pick(rand, COMPARISON_OPS)} ${num(d - 1)}`;
    if (r < 0.5) return `nodata(${pick(rand, METRICS)}, "${pick(rand, DURATIONS)}")`;
    if (r < 0.6) return `${kw('not')} (${bool(d - 1)})`;
    return `(${bool(d - 1)})${sp()} ${kw(pick(rand, ['and', 'or']))} ${sp()}(${bool(d - 1)})`;
  };
  return bool(depth);
}

const at = { start: 0, end: 0 };
const ALL_BINARY: readonly BinaryOp[] = [...ARITHMETIC_OPS, ...COMPARISON_OPS, 'and', 'or'];

/** A random tree of any shape (not necessarily type-correct): for structural round trips. */
export function randomExpr(rand: Rand, depth = 5): Expr {
  const r = rand();
  if (depth <= 0 || r < 0.2) {
    const leaf = rand();
    if (leaf < 0.5) {
      const raw = pick(rand, NUMBERS);
      return { kind: 'number', value: Number(raw), raw, ...at };
    }
    if (leaf < 0.8) return { kind: 'metric', name: pick(rand, METRICS), matchers: [], ...at };
    return {
      kind: 'call',
      name: 'avg',
      args: [
        { kind: 'metric', name: 'x', matchers: [], ...at },
        { kind: 'string', value: '5m', ...at },
      ],
      ...at,
    };
  }
  if (r < 0.35)
    return { kind: 'unary', op: rand() < 0.5 ? '-' : 'not', operand: randomExpr(rand, depth - 1), ...at };
  if (r < 0.45) return { kind: 'call', name: 'abs', args: [randomExpr(rand, depth - 1)], ...at };
  return {
    kind: 'binary',
    op: pick(rand, ALL_BINARY),
    left: randomExpr(rand, depth - 1),
    right: randomExpr(rand, depth - 1),
    ...at,
  };
}

/** A copy of a tree without positions, for comparing trees of different texts. */
export function stripPositions(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v: unknown) => (k === 'start' || k === 'end' ? undefined : v)));
}
