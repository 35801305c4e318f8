// Series selectors, the PromQL-like way users pick series:
//   os.cpu.usage{host="web-01", cpu!="total", mount=~"/(var|opt)", device!~"loop.*"}
// Shared by the server, the agent and the rule expression language. The metric name is optional
// when at least one matcher is given; the label `host` matches the host's hostname.
import { z } from 'zod';
import { LABEL_KEY, limits, metricName } from './naming.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}
export interface Selector {
  metric?: string;
  matchers: LabelMatcher[];
}

export const MATCH_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];
export const MAX_MATCHERS = 20;

/** A selector that does not parse; `position` is the 0-based offset of the problem in the text. */
export class SelectorError extends Error {
  override name = 'SelectorError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

// --- rules, shared by the text parser and the structured input ---------------------------------

const NEEDS_SOMETHING = 'a selector needs a metric name or at least one matcher';
const TOO_MANY = `a selector may have at most ${MAX_MATCHERS} matchers`;

function metricProblem(name: string): string | undefined {
  const r = metricName.safeParse(name);
  return r.success ? undefined : `invalid metric name "${name}": ${r.error.issues[0]?.message ?? 'invalid'}`;
}

function labelProblem(label: string): string | undefined {
  if (label === '__name__') return '__name__ is not supported: write the metric name before the braces';
  if (label.length > limits.labelKey) return `label name longer than ${limits.labelKey} characters`;
  if (!LABEL_KEY.test(label)) return `invalid label name "${label}": must match [A-Za-z_][A-Za-z0-9_]*`;
  return undefined;
}

function valueProblem(m: LabelMatcher): string | undefined {
  if (m.value.length > limits.labelValue) return `value of label "${m.label}" longer than ${limits.labelValue} characters`;
  if (m.op === '=~' || m.op === '!~') {
    // A plain JavaScript check; PostgreSQL (POSIX ARE) runs the expression and may still reject
    // a few JavaScript-only constructs, which the query then reports.
    try {
      new RegExp(m.value);
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).replace(
        /^Invalid regular expression: \/[\s\S]*\/[a-z]*: /,
        '',
      );
      return `invalid regular expression in ${formatMatcher(m)}: ${reason}`;
    }
  }
  return undefined;
}

// --- text parser --------------------------------------------------------------------------------

const NAME_CHAR = /[A-Za-z0-9_.:-]/;
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const describeChar = (c: string | undefined) => (c === undefined ? 'end of input' : JSON.stringify(c));

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string, position = this.pos): never {
    throw new SelectorError(`${message} at ${position}`, position);
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  skipSpace(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }

  /** A run of name-like characters; validated by the caller so messages can be specific. */
  name(): string {
    const start = this.pos;
    while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  op(label: string): MatchOp {
    const c = this.text[this.pos];
    const next = this.text[this.pos + 1];
    if (c === '=') {
      this.pos += next === '~' ? 2 : 1;
      return next === '~' ? '=~' : '=';
    }
    if (c === '!' && (next === '=' || next === '~')) {
      this.pos += 2;
      return next === '=' ? '!=' : '!~';
    }
    return this.fail(`expected "=", "!=", "=~" or "!~" after label "${label}"`);
  }

  string(label: string, op: MatchOp): string {
    const start = this.pos;
    if (this.text[start] !== '"') this.fail(`expected a double-quoted value after ${label}${op}`);
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail(`unterminated string starting`, start);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        const decoded = e === '"' ? '"' : e === '\\' ? '\\' : e === 'n' ? '\n' : e === 't' ? '\t' : undefined;
        if (decoded === undefined) {
          if (e === undefined) this.fail(`unterminated string starting`, start);
          this.fail(`unknown escape "\\${e}" (strings allow \\", \\\\, \\n and \\t; write \\\\ for a backslash)`);
        }
        out += decoded;
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  matcher(): LabelMatcher {
    const labelAt = this.pos;
    const label = this.name();
    if (label === '') this.fail(`expected a label name, got ${describeChar(this.peek())}`);
    const bad = labelProblem(label);
    if (bad) this.fail(bad, labelAt);
    this.skipSpace();
    const op = this.op(label);
    this.skipSpace();
    const valueAt = this.pos;
    const m: LabelMatcher = { label, op, value: this.string(label, op) };
    const badValue = valueProblem(m);
    if (badValue) this.fail(badValue, valueAt);
    return m;
  }

  selector(): Selector {
    this.skipSpace();
    const start = this.pos;
    if (this.pos === this.text.length) this.fail(NEEDS_SOMETHING);
    let metric: string | undefined;
    if (this.peek() !== '{') {
      metric = this.name();
      if (metric === '') this.fail(`expected a metric name or "{", got ${describeChar(this.peek())}`);
      const bad = metricProblem(metric);
      if (bad) this.fail(bad, start);
      this.skipSpace();
    }
    const matchers: LabelMatcher[] = [];
    let braceAt = -1;
    if (this.peek() === '{') {
      braceAt = this.pos;
      this.pos++;
      this.skipSpace();
      while (this.peek() !== '}') {
        if (matchers.length === MAX_MATCHERS) this.fail(TOO_MANY);
        matchers.push(this.matcher());
        this.skipSpace();
        if (this.peek() === ',') {
          this.pos++;
          this.skipSpace();
        } else if (this.peek() !== '}') {
          this.fail(`expected "," or "}" after a matcher, got ${describeChar(this.peek())}`);
        }
      }
      this.pos++;
      this.skipSpace();
    }
    if (this.pos < this.text.length) this.fail(`unexpected ${describeChar(this.peek())} after the selector`);
    if (metric === undefined && matchers.length === 0) this.fail(NEEDS_SOMETHING, braceAt);
    return metric === undefined ? { matchers } : { metric, matchers };
  }
}

/** Parses selector text; throws SelectorError naming the 0-based position of the problem. */
export function parseSelector(text: string): Selector {
  return new Parser(text).selector();
}

// --- canonical text -----------------------------------------------------------------------------

function quote(value: string): string {
  return `"${value.replace(/[\\"\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\${c}`))}"`;
}

function formatMatcher(m: LabelMatcher): string {
  return `${m.label}${m.op}${quote(m.value)}`;
}

/**
 * Canonical text of a valid selector: `metric{label="value", …}`, matchers in their given order
 * (order is kept so that parseSelector(formatSelector(s)) deep-equals s), no braces when there
 * are no matchers.
 */
export function formatSelector(s: Selector): string {
  const body = s.matchers.length === 0 ? '' : `{${s.matchers.map(formatMatcher).join(', ')}}`;
  return `${s.metric ?? ''}${body}`;
}

// --- structured input ---------------------------------------------------------------------------

const labelMatcherInput = z.object({
  label: z.string(),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});

/** The structured selector for GraphQL/JSON inputs, checked by the same rules as the text. */
export const selectorInput: z.ZodType<Selector> = z
  .object({
    metric: z.string().nullish(),
    matchers: z.array(labelMatcherInput).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.metric != null) {
      const bad = metricProblem(s.metric);
      if (bad) ctx.addIssue({ code: 'custom', message: bad, path: ['metric'] });
    }
    if (s.metric == null && s.matchers.length === 0) ctx.addIssue({ code: 'custom', message: NEEDS_SOMETHING });
    if (s.matchers.length > MAX_MATCHERS) ctx.addIssue({ code: 'custom', message: TOO_MANY, path: ['matchers'] });
    s.matchers.forEach((m, i) => {
      const bad = labelProblem(m.label);
      if (bad) ctx.addIssue({ code: 'custom', message: bad, path: ['matchers', i, 'label'] });
      const badValue = valueProblem(m);
      if (badValue) ctx.addIssue({ code: 'custom', message: badValue, path: ['matchers', i, 'value'] });
    });
  })
  .transform((s): Selector => {
    const matchers = s.matchers.map(({ label, op, value }) => ({ label, op, value }));
    return s.metric == null ? { matchers } : { metric: s.metric, matchers };
  });
