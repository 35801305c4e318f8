// The rule language's tokenizer. It knows only a short list of characters; everything else
// (assignment, `;`, `[`, `.` after a value, `?`, `|`, quotes other than `"`, any other
// character) is refused here with a positioned, specific message.
import { MAX_RULE_LENGTH } from './ast.ts';
import { RuleSyntaxError } from './syntax-error.ts';

export type TokenKind = 'number' | 'string' | 'name' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The operator (`<=`, `and`, …), the name (`os.cpu.usage`), or the decoded string. */
  text: string;
  start: number;
  end: number;
  /** For a name directly followed by `{…}`: the brace block, to be read as label matchers. */
  braces?: { start: number; end: number };
}

const KEYWORDS = new Set(['and', 'or', 'not']);
const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '%', '^', '<', '>']);
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/y;
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** Characters that look like operators from other languages, with the way to say it here. */
const REFUSED: Record<string, string> = {
  '=': 'assignment is not allowed; write == to compare',
  ';': 'only one expression is allowed; ";" is not allowed',
  '[': 'indexing with [ ] is not allowed',
  ']': 'indexing with [ ] is not allowed',
  '.': 'member access with "." is not allowed',
  '?': 'the ? : conditional is not allowed; use and/or',
  ':': 'the ? : conditional is not allowed; use and/or',
  '&': 'write "and" instead of &&',
  '|': 'write "or" instead of ||',
  '!': 'write "not" to negate, != to compare',
  "'": 'strings use double quotes',
  '`': 'strings use double quotes',
};

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function describe(text: string, at: number): string {
  const cp = text.codePointAt(at);
  if (cp === undefined) return 'end of input';
  const ch = String.fromCodePoint(cp);
  return cp < 0x20 || cp > 0x7e ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(ch);
}

function readString(text: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) throw new RuleSyntaxError('unterminated string', start, text.length);
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\n') throw new RuleSyntaxError('unterminated string (strings end on the same line)', start, i);
    if (c === '\\') {
      const e = text[i + 1];
      const decoded = e === '"' ? '"' : e === '\\' ? '\\' : e === 'n' ? '\n' : e === 't' ? '\t' : undefined;
      if (decoded === undefined) {
        if (e === undefined) throw new RuleSyntaxError('unterminated string', start, text.length);
        throw new RuleSyntaxError(`unknown escape "\\${e}" (strings allow \\", \\\\, \\n and \\t)`, i, i + 2);
      }
      out += decoded;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
}

/** The end (exclusive) of a `{…}` block starting at `start`, skipping over quoted values. */
function readBraces(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '}') return i + 1;
    if (c === '"') {
      i = readString(text, i).end;
      continue;
    }
    if (c === '{') break;
    i++;
  }
  throw new RuleSyntaxError('unclosed "{" of label matchers', start, Math.min(i + 1, text.length));
}

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

/** Splits rule text into tokens, ending with one `eof` token. Throws RuleSyntaxError. */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_RULE_LENGTH) {
    throw new RuleSyntaxError(
      `rule is longer than ${MAX_RULE_LENGTH} characters`,
      MAX_RULE_LENGTH,
      text.length,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const num = matchAt(NUMBER, text, i);
    if (num !== undefined) {
      i += num.length;
      if (text[i] === '.' || /[A-Za-z_]/.test(text[i] ?? '')) {
        throw new RuleSyntaxError(`unexpected ${describe(text, i)} after the number ${num}`, i);
      }
      tokens.push({ kind: 'number', text: num, start, end: i });
      continue;
    }
    const name = matchAt(NAME, text, i);
    if (name !== undefined) {
      i += name.length;
      if (text[i] === '.') throw new RuleSyntaxError(REFUSED['.']!, i);
      const lower = name.toLowerCase();
      if (KEYWORDS.has(lower)) {
        tokens.push({ kind: 'op', text: lower, start, end: i });
        continue;
      }
      const token: Token = { kind: 'name', text: name, start, end: i };
      let j = i;
      while (j < text.length && isSpace(text[j]!)) j++;
      if (text[j] === '{') {
        const close = readBraces(text, j);
        token.braces = { start: j, end: close };
        token.end = i = close;
      }
      tokens.push(token);
      continue;
    }
    if (c === '"') {
      const s = readString(text, i);
      tokens.push({ kind: 'string', text: s.value, start, end: s.end });
      i = s.end;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (two === '&&' || two === '||') throw new RuleSyntaxError(REFUSED[c]!, i, i + 2);
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: 'op', text: c, start, end: ++i });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, start, end: ++i });
      continue;
    }
    const refused = Object.hasOwn(REFUSED, c) ? REFUSED[c] : undefined;
    const width = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    throw new RuleSyntaxError(refused ?? `unknown character ${describe(text, i)}`, i, i + width);
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}
