// A probe's optional arithmetic transform, in the rule language: `value / 1024`,
// `round(100 - value, 1)`. The only name is `value`; no windows, no metrics. Parsed with the rule
// parser and interpreted here by walking the tree: no eval, no Function, no prototypes.
import type { Expr } from '../rule/ast.ts';
import { parseRule } from '../rule/parse.ts';
import { RuleSyntaxError } from '../rule/syntax-error.ts';

export class TransformError extends Error {
  override name = 'TransformError';
}

const MAX_TRANSFORM = 500;

function check(e: Expr): void {
  switch (e.kind) {
    case 'number':
      return;
    case 'metric':
      if (e.name !== 'value' || e.matchers.length > 0) throw new TransformError(`"${e.name}": a transform knows only "value"`);
      return;
    case 'unary':
      if (e.op !== '-') throw new TransformError('a transform is arithmetic: "not" has no place in it');
      return check(e.operand);
    case 'binary':
      if (!['+', '-', '*', '/', '%'].includes(e.op)) throw new TransformError(`"${e.op}": a transform uses + - * / % only`);
      check(e.left);
      return check(e.right);
    case 'call':
      if (e.name !== 'abs' && e.name !== 'round') throw new TransformError(`${e.name}(): a transform may call abs() and round() only`);
      if (e.args.length < 1 || e.args.length > (e.name === 'round' ? 2 : 1)) throw new TransformError(`${e.name}() takes ${e.name === 'round' ? '1 or 2 arguments' : '1 argument'}`);
      if (e.name === 'round' && e.args[1] && e.args[1].kind !== 'number') throw new TransformError('round(x, digits): digits must be a number');
      e.args.forEach(check);
      return;
    default:
      throw new TransformError('a transform cannot contain a string');
  }
}

function run(e: Expr, value: number): number {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'metric':
      return value;
    case 'unary':
      return -run(e.operand, value);
    case 'binary': {
      const a = run(e.left, value);
      const b = run(e.right, value);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        default:
          return a % b;
      }
    }
    case 'call': {
      const x = run(e.args[0]!, value);
      if (e.name === 'abs') return Math.abs(x);
      const digits = e.args[1]?.kind === 'number' ? Math.min(10, Math.max(0, e.args[1].value)) : 0;
      const f = 10 ** digits;
      return Math.round(x * f) / f;
    }
    default:
      return Number.NaN;
  }
}

/** Checks a transform and returns it as a function; throws TransformError with the reason. */
export function compileTransform(text: string): (value: number) => number {
  if (text.length > MAX_TRANSFORM) throw new TransformError(`a transform is at most ${MAX_TRANSFORM} characters`);
  let ast: Expr;
  try {
    ast = parseRule(text);
  } catch (err) {
    if (err instanceof RuleSyntaxError) throw new TransformError(err.message);
    throw err;
  }
  check(ast);
  return (value) => run(ast, value);
}
