// Compile once, evaluate many. The tree is turned into expr-eval source that we generate from
// safe tokens only (numbers, w0…wN, operators, parentheses, our two function names); each
// window-function call becomes a variable whose value the caller computes with windows.ts.
// expr-eval runs locked down: no assignment, no function definitions, no member access, and
// only our functions and no constants. It never sees user text. Never toJSFunction.
import type { Expression } from 'expr-eval-fork';
import { Parser } from 'expr-eval-fork';
import type { Selector } from '../selector.ts';
import { formatSelector } from '../selector.ts';
import type { Expr } from './ast.ts';
import { BINARY_OPS, isComparisonOp, isLogicOp } from './ast.ts';
import type { WindowFunction } from './functions.ts';
import { findFunction, isWindowFunction, parseDuration } from './functions.ts';
import type { Diagnostic, ValidateOptions } from './validate.ts';
import { checkRule, hasErrors } from './validate.ts';

export interface RuleWindow {
  selector: Selector;
  fn: WindowFunction;
  /** The window as written ("5m") and in milliseconds. */
  duration: string;
  ms: number;
  p?: number;
}

export interface RuleResult {
  /**
   * A condition's verdict; undefined when a window has no data (see windows.ts) and the rule's
   * no-data policy decides, and always undefined for a value expression.
   */
  result: boolean | undefined;
  /**
   * A value expression's value (undefined: no data), or a condition's left-hand side of the top
   * comparison, for alert messages ("cpu at 93.2").
   */
  value?: number;
}

export interface CompiledRule {
  /** A condition (true/false) or a value that severity levels are compared with. */
  type: 'condition' | 'value';
  /** Distinct windows the rule reads; evaluate() takes their values in this order. */
  windows: RuleWindow[];
  /** The generated expr-eval source, for debugging. */
  source: string;
  evaluate(values: readonly (number | undefined)[]): RuleResult;
}

/** A tree that does not pass checkRule; compileRule refuses it. */
export class RuleCompileError extends Error {
  override name = 'RuleCompileError';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`rule does not compile: ${diagnostics.find((d) => d.severity === 'error')?.message ?? 'invalid'}`);
  }
}

const ROUND = 'fnRound';
const ABS = 'fnAbs';

function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

let locked: Parser | undefined;

type OpTable = Record<string, (...args: unknown[]) => unknown>;

/** A null-prototype copy of the named entries of one of expr-eval's operator tables. */
function pick(table: unknown, names: readonly string[]): OpTable {
  const source = table as OpTable;
  const out = Object.create(null) as OpTable;
  for (const name of names) {
    const op = Object.hasOwn(source, name) ? source[name] : undefined;
    if (typeof op !== 'function') throw new Error(`expr-eval has no operator ${name}`);
    out[name] = op;
  }
  return out;
}

/** The one expr-eval parser, configured as STACK.md demands; exported for the security tests. */
export function lockedParser(): Parser {
  if (locked) return locked;
  const parser = new Parser({
    operators: {
      assignment: false,
      fndef: false,
      conditional: false,
      concatenate: false,
      factorial: false,
      in: false,
      random: false,
      length: false,
    },
    allowMemberAccess: false,
  });
  // Null-prototype tables holding only our functions: no inherited names, no built-in
  // helpers (map, fold, join, …) and no constants reachable from any expression.
  const functions = Object.create(null) as Record<string, (...args: number[]) => number>;
  functions[ABS] = (x = NaN) => Math.abs(x);
  functions[ROUND] = (x = NaN, digits = 0) => roundTo(x, digits);
  parser.functions = functions;
  parser.consts = Object.create(null);
  // expr-eval looks names up with `in`, which also finds inherited keys: with its stock tables
  // `constructor(1)` parses as a prefix operator and calls Object. Keep only what we emit.
  parser.unaryOps = pick(parser.unaryOps, ['-', 'not']);
  const tables = parser as unknown as { binaryOps: unknown }; // present at runtime, missing from the typings
  tables.binaryOps = pick(tables.binaryOps, BINARY_OPS);
  locked = parser;
  return parser;
}

class SourceBuilder {
  readonly windows: RuleWindow[] = [];
  private readonly keys = new Map<string, number>();

  window(e: Expr & { kind: 'call' }, fn: WindowFunction): string {
    const [metric, duration, p] = e.args;
    if (metric?.kind !== 'metric' || duration?.kind !== 'string') throw new Error('unchecked window call');
    const w: RuleWindow = {
      selector: { metric: metric.name, matchers: metric.matchers },
      fn,
      duration: duration.value,
      ms: parseDuration(duration.value) ?? 0,
    };
    if (p?.kind === 'number') w.p = p.value;
    const key = `${fn}|${w.ms}|${w.p ?? ''}|${formatSelector(w.selector)}`;
    let index = this.keys.get(key);
    if (index === undefined) {
      index = this.windows.push(w) - 1;
      this.keys.set(key, index);
    }
    return `w${index}`;
  }

  source(e: Expr): string {
    switch (e.kind) {
      case 'number':
        if (!Number.isFinite(e.value)) throw new Error('non-finite number');
        return `(${String(e.value)})`;
      case 'call': {
        if (isWindowFunction(e.name)) return this.window(e, e.name);
        const args = e.args.map((a) => this.source(a));
        if (e.name === 'abs') return `${ABS}(${args[0]})`;
        if (e.name === 'round') return `${ROUND}(${args[0]}, ${args[1] ?? '0'})`;
        throw new Error(`unchecked function ${e.name}`);
      }
      case 'unary':
        return e.op === '-' ? `(-${this.source(e.operand)})` : `(not ${this.source(e.operand)})`;
      case 'binary':
        return `(${this.source(e.left)} ${e.op} ${this.source(e.right)})`;
      default:
        throw new Error(`unchecked ${e.kind}`);
    }
  }
}

/** The left side of the comparison reached by following and/or/not leftwards, if any. */
function valueSide(e: Expr): Expr | undefined {
  if (e.kind === 'unary' && e.op === 'not') return valueSide(e.operand);
  if (e.kind !== 'binary') return undefined;
  if (isComparisonOp(e.op)) return e.left;
  return isLogicOp(e.op) ? valueSide(e.left) : undefined;
}

/** Checked trees are conditions exactly when their top is a comparison, and/or or not. */
function isCondition(e: Expr): boolean {
  if (e.kind === 'unary') return e.op === 'not';
  if (e.kind === 'call') return findFunction(e.name)?.returns === 'boolean';
  return e.kind === 'binary' && (isComparisonOp(e.op) || isLogicOp(e.op));
}

function toBoolean(r: unknown): boolean {
  if (typeof r === 'boolean') return r;
  if (typeof r === 'number') return r !== 0 && !Number.isNaN(r);
  throw new TypeError(`rule evaluated to ${typeof r}`);
}

/**
 * Checks and compiles a rule tree; throws RuleCompileError when checkRule reports errors. A value
 * expression (a number) compiles only with `expect: 'condition-or-value'`.
 */
export function compileRule(ast: Expr, options: Pick<ValidateOptions, 'expect'> = {}): CompiledRule {
  const diagnostics = checkRule(ast, options);
  if (hasErrors(diagnostics)) throw new RuleCompileError(diagnostics);
  const builder = new SourceBuilder();
  const source = builder.source(ast);
  const type = isCondition(ast) ? 'condition' : 'value';
  const side = type === 'condition' ? valueSide(ast) : ast;
  const parser = lockedParser();
  const rule: Expression = parser.parse(source);
  const value: Expression | undefined = side && parser.parse(builder.source(side));
  const windows = builder.windows;
  return {
    type,
    windows,
    source,
    evaluate(values) {
      if (values.length !== windows.length) {
        throw new RangeError(`expected ${windows.length} window values, got ${values.length}`);
      }
      const vars = Object.create(null) as Record<string, number>;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === undefined || Number.isNaN(v)) return { result: undefined };
        vars[`w${i}`] = v;
      }
      if (type === 'value') {
        const v: unknown = rule.evaluate(vars);
        return typeof v === 'number' && !Number.isNaN(v) ? { result: undefined, value: v } : { result: undefined };
      }
      const result = toBoolean(rule.evaluate(vars));
      if (!value) return { result };
      const v: unknown = value.evaluate(vars);
      return typeof v === 'number' ? { result, value: v } : { result };
    },
  };
}
