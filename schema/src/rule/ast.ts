// The typed syntax tree of the esmon rule language. Every node carries `start` and `end`, the
// character offsets of its text in the source (end exclusive, parentheses around a node not
// included), so editors can underline exactly what a diagnostic is about. Trees built from the
// visual builder have no source text; their nodes carry 0/0.
import type { LabelMatcher } from '../selector.ts';

export interface Span {
  start: number;
  end: number;
}

export interface NumberLiteral extends Span {
  kind: 'number';
  value: number;
  /** The digits as written (`1e6`, `0.5`), so formatting keeps the analyst's notation. */
  raw: string;
}

export interface StringLiteral extends Span {
  kind: 'string';
  value: string;
}

/** `os.disk.used_pct{mount="/"}`: a metric name (always present) and label matchers. */
export interface MetricRef extends Span {
  kind: 'metric';
  name: string;
  matchers: LabelMatcher[];
}

export interface Call extends Span {
  kind: 'call';
  name: string;
  args: Expr[];
}

export type UnaryOp = '-' | 'not';

export interface Unary extends Span {
  kind: 'unary';
  op: UnaryOp;
  operand: Expr;
}

export const ARITHMETIC_OPS = ['+', '-', '*', '/', '%', '^'] as const;
export const COMPARISON_OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
export const LOGIC_OPS = ['and', 'or'] as const;
/** Every binary operator, in the order of the three lists above. */
export const BINARY_OPS = [...ARITHMETIC_OPS, ...COMPARISON_OPS, ...LOGIC_OPS] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type LogicOp = (typeof LOGIC_OPS)[number];
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicOp;

export interface Binary extends Span {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export type Expr = NumberLiteral | StringLiteral | MetricRef | Call | Unary | Binary;

/**
 * Binding strength, expr-eval's order: or < and < comparisons < + - < * / % < unary (- not) < ^.
 * As in expr-eval (and in mathematics), `^` binds tighter than a prefix minus: `-2 ^ 2` is -4,
 * while the right operand of `^` may itself start with a prefix: `2 ^ -1` is 0.5.
 */
export const PRECEDENCE = {
  or: 1,
  and: 2,
  comparison: 3,
  additive: 4,
  multiplicative: 5,
  unary: 6,
  power: 7,
  atom: 8,
} as const;

export function binaryPrecedence(op: BinaryOp): number {
  if (op === 'or') return PRECEDENCE.or;
  if (op === 'and') return PRECEDENCE.and;
  if (op === '+' || op === '-') return PRECEDENCE.additive;
  if (op === '*' || op === '/' || op === '%') return PRECEDENCE.multiplicative;
  if (op === '^') return PRECEDENCE.power;
  return PRECEDENCE.comparison;
}

export function precedenceOf(e: Expr): number {
  if (e.kind === 'binary') return binaryPrecedence(e.op);
  if (e.kind === 'unary') return PRECEDENCE.unary;
  return PRECEDENCE.atom;
}

export const isComparisonOp = (op: BinaryOp): op is ComparisonOp =>
  (COMPARISON_OPS as readonly string[]).includes(op);
export const isLogicOp = (op: BinaryOp): op is LogicOp => op === 'and' || op === 'or';
export const isArithmeticOp = (op: BinaryOp): op is ArithmeticOp =>
  (ARITHMETIC_OPS as readonly string[]).includes(op);

/** The metric names an expression refers to. */
export function metricNamesOf(e: Expr, into = new Set<string>()): Set<string> {
  if (e.kind === 'metric') into.add(e.name);
  for (const child of childrenOf(e)) metricNamesOf(child, into);
  return into;
}

/** The direct sub-expressions of a node, in source order. */
export function childrenOf(e: Expr): Expr[] {
  if (e.kind === 'call') return e.args;
  if (e.kind === 'unary') return [e.operand];
  if (e.kind === 'binary') return [e.left, e.right];
  return [];
}

/** Deepest nesting allowed: keeps every recursive walk (ours and expr-eval's) far from the stack limit. */
export const MAX_DEPTH = 64;
/** Longest rule text accepted. */
export const MAX_RULE_LENGTH = 4000;

/** Height of the tree (a leaf is 1), computed without recursion so any tree can be measured. */
export function depthOf(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > max) max = depth;
    for (const c of childrenOf(node)) stack.push([c, depth + 1]);
  }
  return max;
}
