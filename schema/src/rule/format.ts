// Canonical rule text: one space around binary operators, lower-case keywords, the fewest
// parentheses the precedence allows, canonical number spelling, double-quoted strings.
// Invariant: formatRule(parseRule(formatRule(t))) === formatRule(t) for every parsed tree t.
import { formatSelector } from '../selector.ts';
import type { Expr } from './ast.ts';
import { binaryPrecedence, PRECEDENCE, precedenceOf } from './ast.ts';

/**
 * The canonical spelling of a number as written: the notation (plain or exponent) is kept,
 * leading zeros, trailing fraction zeros, an exponent's "+" and zero exponents are dropped.
 */
export function canonicalNumber(raw: string): string {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?)(\d+))?$/.exec(raw);
  if (!m) return String(Number(raw));
  const [, int = '', frac = '', sign = '', exp = ''] = m;
  const intPart = int.replace(/^0+(?=\d)/, '') || '0';
  const fracPart = frac.replace(/0+$/, '');
  const expDigits = exp.replace(/^0+/, '');
  const mantissa = fracPart ? `${intPart}.${fracPart}` : intPart;
  return expDigits ? `${mantissa}e${sign === '-' ? '-' : ''}${expDigits}` : mantissa;
}

/** Canonical text of a finite, non-negative number (for trees built without source text). */
export function numberText(value: number): string {
  return canonicalNumber(String(value));
}

export function quoteString(value: string): string {
  return `"${value.replace(/[\\"\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\${c}`))}"`;
}

function wrap(text: string, parens: boolean): string {
  return parens ? `(${text})` : text;
}

/** Canonical text of a rule tree. */
export function formatRule(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return canonicalNumber(e.raw);
    case 'string':
      return quoteString(e.value);
    case 'metric':
      return formatSelector({ metric: e.name, matchers: e.matchers });
    case 'call':
      return `${e.name}(${e.args.map(formatRule).join(', ')})`;
    case 'unary': {
      // The operand of a prefix is parsed at ^ strength: anything weaker needs parentheses.
      const inner = wrap(
        formatRule(e.operand),
        precedenceOf(e.operand) < PRECEDENCE.power && e.operand.kind !== 'unary',
      );
      return e.op === 'not' ? `not ${inner}` : `-${inner}`;
    }
    case 'binary': {
      const p = binaryPrecedence(e.op);
      const rightAssoc = e.op === '^';
      const lp = precedenceOf(e.left);
      const rp = precedenceOf(e.right);
      const left = wrap(formatRule(e.left), rightAssoc ? lp <= p : lp < p);
      // The right side of ^ may start with a prefix (2 ^ -x): the prefix then takes only a ^ chain.
      const rightNeeds = rightAssoc ? rp < p && e.right.kind !== 'unary' : rp <= p;
      const right = wrap(formatRule(e.right), rightNeeds);
      return `${left} ${e.op} ${right}`;
    }
  }
}
