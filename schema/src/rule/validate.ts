// Static checks of a rule: the editor's diagnostics, the API's validateRule, and the gate
// compileRule passes before anything is evaluated. Types: number, boolean (a "condition"),
// plus the two argument-only kinds, bare metric references and strings.
import type { Call, Expr, MetricRef } from './ast.ts';
import { depthOf, isComparisonOp, isLogicOp, MAX_DEPTH } from './ast.ts';
import type { FunctionSpec, ParamSpec, ValueType } from './functions.ts';
import { durationProblem, findFunction, FUNCTIONS, MAX_ROUND_DIGITS, signatureOf } from './functions.ts';
import { parseRule, RuleSyntaxError } from './parse.ts';

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  start: number;
  end: number;
}

export interface ValidateOptions {
  /** Metric names that exist; when given, references to others get a warning. */
  knownMetrics?: ReadonlySet<string>;
  /**
   * What the whole expression must be: a condition (the default), or either a condition or a
   * value such as avg(os.cpu.usage, "5m") that a rule's severity levels are compared with.
   */
  expect?: 'condition' | 'condition-or-value';
}

export interface Validation {
  /** The tree whenever the text parses, also when it has type errors (editors use it). */
  ast?: Expr;
  diagnostics: Diagnostic[];
}

type Kind = ValueType | 'metric' | 'string';

const EXAMPLE = 'avg(os.cpu.usage, "5m") > 90';
const KNOWN = FUNCTIONS.map((f) => f.name).join(', ');
const describe = (k: Kind) =>
  k === 'number'
    ? 'a number'
    : k === 'boolean'
      ? 'a condition'
      : k === 'metric'
        ? 'a bare metric'
        : 'a string';

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly options: ValidateOptions) {}

  error(message: string, at: { start: number; end: number }): void {
    this.diagnostics.push({ severity: 'error', message, start: at.start, end: at.end });
  }

  /** Checks `e` where a number or a condition is wanted; false when `e` has a problem. */
  expect(e: Expr, want: ValueType, what: string): boolean {
    const got = this.kindOf(e);
    if (got === want) return true;
    if (got === undefined) return false;
    if (got === 'metric') {
      const m = e as MetricRef;
      this.error(`the metric ${m.name} needs a window function around it, e.g. avg(${m.name}, "5m")`, e);
    } else if (got === 'string') {
      this.error('a string can only be the window of a window function, e.g. "5m"', e);
    } else {
      this.error(`${what} needs ${describe(want)}, got ${describe(got)}`, e);
    }
    return false;
  }

  /** The kind of `e`, or undefined when a problem inside it was already reported. */
  kindOf(e: Expr): Kind | undefined {
    switch (e.kind) {
      case 'number':
        return 'number';
      case 'string':
        return 'string';
      case 'metric': {
        const known = this.options.knownMetrics;
        if (known && !known.has(e.name)) {
          this.diagnostics.push({
            severity: 'warning',
            message: `unknown metric "${e.name}"`,
            start: e.start,
            end: e.start + e.name.length,
          });
        }
        return 'metric';
      }
      case 'call':
        return this.call(e);
      case 'unary':
        // On a problem the prefix reports it and hides its type, so `not x > 1` gets one error.
        if (e.op === '-') return this.expect(e.operand, 'number', 'the minus sign') ? 'number' : undefined;
        return this.expect(
          e.operand,
          'boolean',
          '"not" (it binds tighter than comparisons: write not (a > b))',
        )
          ? 'boolean'
          : undefined;
      case 'binary': {
        const want: ValueType = isLogicOp(e.op) ? 'boolean' : 'number';
        this.expect(e.left, want, `the left side of "${e.op}"`);
        this.expect(e.right, want, `the right side of "${e.op}"`);
        return isLogicOp(e.op) || isComparisonOp(e.op) ? 'boolean' : 'number';
      }
    }
  }

  call(e: Call): Kind | undefined {
    const f = findFunction(e.name);
    if (!f) {
      this.error(`unknown function "${e.name}"; known functions: ${KNOWN}`, {
        start: e.start,
        end: e.start + e.name.length,
      });
      e.args.forEach((a) => this.kindOf(a));
      return undefined;
    }
    const required = f.params.filter((p) => !p.optional).length;
    if (e.args.length < required || e.args.length > f.params.length) {
      const count = required === f.params.length ? `${required}` : `${required} or ${f.params.length}`;
      this.error(
        `${f.name} takes ${count} argument${count === '1' ? '' : 's'}: ${signatureOf(f)}; got ${e.args.length}`,
        e,
      );
      return f.returns;
    }
    e.args.forEach((arg, i) => this.argument(f, f.params[i]!, arg));
    return f.returns;
  }

  argument(f: FunctionSpec, p: ParamSpec, arg: Expr): void {
    const what = `the ${p.name} of ${f.name}`;
    switch (p.type) {
      case 'metric':
        if (arg.kind !== 'metric') this.error(`${what} must be a metric reference such as os.cpu.usage`, arg);
        else this.kindOf(arg);
        return;
      case 'duration':
        if (arg.kind !== 'string') this.error(`${what} must be a duration string such as "5m"`, arg);
        else {
          const problem = durationProblem(arg.value);
          if (problem) this.error(problem, arg);
        }
        return;
      case 'percent':
        if (arg.kind !== 'number' || arg.value < 0 || arg.value > 100)
          this.error(`${what} must be a number from 0 to 100`, arg);
        return;
      case 'digits':
        if (arg.kind !== 'number' || !Number.isInteger(arg.value) || arg.value > MAX_ROUND_DIGITS) {
          this.error(`${what} must be a whole number from 0 to ${MAX_ROUND_DIGITS}`, arg);
        }
        return;
      case 'number':
        this.expect(arg, 'number', what);
        return;
    }
  }
}

/** Every problem of a parsed rule; empty when the rule can be compiled and evaluated. */
export function checkRule(ast: Expr, options: ValidateOptions = {}): Diagnostic[] {
  if (depthOf(ast) > MAX_DEPTH) {
    return [
      { severity: 'error', message: `expression is nested more than ${MAX_DEPTH} levels deep`, ...span(ast) },
    ];
  }
  const checker = new Checker(options);
  const kind = checker.kindOf(ast);
  if (kind === 'number') {
    if (options.expect !== 'condition-or-value') {
      checker.error(`a rule must be a condition such as ${EXAMPLE}, not a number`, ast);
    }
  } else if (kind !== undefined && kind !== 'boolean') checker.expect(ast, 'boolean', 'a rule');
  return checker.diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
}

const span = (e: Expr) => ({ start: e.start, end: e.end });

/** Parses and checks rule text: syntax errors, type errors, and unknown-metric warnings. */
export function validateRule(text: string, options: ValidateOptions = {}): Validation {
  let ast: Expr;
  try {
    ast = parseRule(text);
  } catch (err) {
    if (!(err instanceof RuleSyntaxError)) throw err;
    return { diagnostics: [{ severity: 'error', message: err.message, start: err.start, end: err.end }] };
  }
  return { ast, diagnostics: checkRule(ast, options) };
}

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');
