// Pratt (precedence-climbing) parser for rule text. Builds the typed tree of ast.ts or throws
// RuleSyntaxError with the offsets of the problem; it never evaluates anything.
import { parseSelector, SelectorError } from '../selector.ts';
import type { BinaryOp, Expr } from './ast.ts';
import { BINARY_OPS, binaryPrecedence, MAX_DEPTH, PRECEDENCE } from './ast.ts';
import { RuleSyntaxError } from './syntax-error.ts';
import type { Token } from './tokenize.ts';
import { tokenize } from './tokenize.ts';

export { RuleSyntaxError } from './syntax-error.ts';

const BINARY_OP_TEXT = new Set<string>(BINARY_OPS);
/**
 * Metric-name segments refused although METRIC_NAME allows them: they name JavaScript
 * internals, and a rule should never be able to spell them anywhere.
 */
const RESERVED_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const NESTED = `expression is nested more than ${MAX_DEPTH} levels deep`;

/** A parsed sub-expression with its outer span (including any parentheses) and tree height. */
interface Parsed {
  node: Expr;
  start: number;
  end: number;
  depth: number;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'string') return 'a string';
  if (t.kind === 'number') return `the number ${t.text}`;
  return JSON.stringify(t.text);
}

class RuleParser {
  private pos = 0;
  private nesting = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private fail(message: string, t: Token = this.peek()): never {
    throw new RuleSyntaxError(message, t.start, Math.max(t.end, t.start + 1));
  }

  rule(): Expr {
    if (this.peek().kind === 'eof') throw new RuleSyntaxError('the rule is empty', 0, 0);
    const top = this.expression(0);
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(`unexpected ${describe(t)} after a complete expression`, t);
    return top.node;
  }

  private expression(minPrecedence: number): Parsed {
    if (++this.nesting > MAX_DEPTH) this.fail(NESTED);
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !BINARY_OP_TEXT.has(t.text)) break;
      const op = t.text as BinaryOp;
      const precedence = binaryPrecedence(op);
      if (precedence < minPrecedence) break;
      this.next();
      // `^` is right-associative: its right side may hold another `^` of the same strength.
      const right = this.expression(op === '^' ? precedence : precedence + 1);
      left = this.node(
        { kind: 'binary', op, left: left.node, right: right.node, start: left.start, end: right.end },
        [left, right],
      );
    }
    this.nesting--;
    return left;
  }

  private node(node: Expr, children: Parsed[]): Parsed {
    const depth = 1 + Math.max(0, ...children.map((c) => c.depth));
    if (depth > MAX_DEPTH) throw new RuleSyntaxError(NESTED, node.start, node.end);
    return { node, start: node.start, end: node.end, depth };
  }

  private prefix(): Parsed {
    const t = this.next();
    switch (t.kind) {
      case 'number': {
        const value = Number(t.text);
        if (!Number.isFinite(value)) this.fail(`the number ${t.text} is out of range`, t);
        return this.node({ kind: 'number', value, raw: t.text, start: t.start, end: t.end }, []);
      }
      case 'string':
        return this.node({ kind: 'string', value: t.text, start: t.start, end: t.end }, []);
      case 'name':
        return this.peek().kind === '(' ? this.call(t) : this.metric(t);
      case '(': {
        const inner = this.expression(0);
        const close = this.peek();
        if (close.kind !== ')')
          this.fail(`expected ")" to close the "(" at ${t.start}, got ${describe(close)}`);
        this.next();
        return { ...inner, start: t.start, end: close.end };
      }
      case 'op':
        if (t.text === '-' || t.text === 'not') {
          // A prefix binds tighter than * and looser than ^, as in expr-eval: -2 ^ 2 is -(2 ^ 2).
          const operand = this.expression(PRECEDENCE.power);
          return this.node(
            { kind: 'unary', op: t.text, operand: operand.node, start: t.start, end: operand.end },
            [operand],
          );
        }
        return this.fail(`expected a value before ${describe(t)}`, t);
      default:
        return this.fail(
          t.kind === 'eof' ? 'unexpected end of input: expected a value' : `unexpected ${describe(t)}`,
          t,
        );
    }
  }

  private call(name: Token): Parsed {
    if (name.text.includes('.')) {
      this.fail(`"${name.text}" is not a function: member access with "." is not allowed`, name);
    }
    if (name.braces) this.fail(`a function name cannot have label matchers`, name);
    this.next(); // (
    const args: Parsed[] = [];
    if (this.peek().kind === ')') {
      this.next();
    } else {
      for (;;) {
        args.push(this.expression(0));
        const t = this.next();
        if (t.kind === ')') break;
        if (t.kind !== ',')
          this.fail(`expected "," or ")" in the arguments of ${name.text}, got ${describe(t)}`, t);
      }
    }
    const end = this.tokens[this.pos - 1]!.end;
    // Function names are case-insensitive like the keywords (analysts write AVG from SQL habit).
    return this.node(
      { kind: 'call', name: name.text.toLowerCase(), args: args.map((a) => a.node), start: name.start, end },
      args,
    );
  }

  private metric(t: Token): Parsed {
    for (const segment of t.text.split('.')) {
      if (RESERVED_SEGMENTS.has(segment))
        this.fail(`"${segment}" is reserved and cannot be part of a metric name`, t);
    }
    try {
      const selector = parseSelector(this.text.slice(t.start, t.braces?.end ?? t.end));
      return this.node(
        { kind: 'metric', name: t.text, matchers: selector.matchers, start: t.start, end: t.end },
        [],
      );
    } catch (err) {
      if (!(err instanceof SelectorError)) throw err;
      const at = Math.min(t.start + err.position, t.end - 1);
      throw new RuleSyntaxError(err.message.replace(/ at \d+$/, ''), at, at + 1);
    }
  }
}

/** Parses rule text into its syntax tree; throws RuleSyntaxError with the offsets of the problem. */
export function parseRule(text: string): Expr {
  return new RuleParser(text, tokenize(text)).rule();
}
