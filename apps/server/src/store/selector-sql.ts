// Compiles a series selector into a SQL condition over `series se JOIN hosts h ON h.id = se.host_id`.
// Prometheus semantics: a missing label equals the empty string, regular expressions are fully
// anchored. Every piece of user text travels as a parameter; only placeholders enter the SQL.
import type { LabelMatcher, Selector } from '@esmon/schema';

/**
 * Returns a WHERE condition (without the word WHERE) and appends its parameters to `params`
 * ($n numbering continues from params.length). Never interpolates user text into SQL.
 * Regular expressions run as PostgreSQL ARE; one PostgreSQL rejects fails the query
 * ("invalid regular expression: …", SQLSTATE 2201B).
 */
export function selectorCondition(selector: Selector, params: unknown[]): string {
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  if (selector.metric !== undefined) parts.push(`se.metric = ${param(selector.metric)}::text`);
  for (const m of selector.matchers) parts.push(matcherCondition(m, param));
  // parseSelector and selectorInput reject this; refuse rather than select every series
  if (parts.length === 0) throw new Error('a selector needs a metric name or at least one matcher');
  return `(${parts.join(' AND ')})`;
}

function matcherCondition(m: LabelMatcher, param: (value: unknown) => string): string {
  const regex = m.op === '=~' || m.op === '!~';
  const operand = regex ? `^(?:${m.value})$` : m.value;
  if (m.label === 'host') {
    // hostnames are never empty, so "missing equals empty" needs no special case here
    return `h.hostname ${sqlOp(m)} ${param(operand)}::text`;
  }
  if (m.op === '=' && m.value !== '') {
    // containment, so the GIN index on series.labels (jsonb_path_ops) can serve it
    return `se.labels @> ${param(JSON.stringify({ [m.label]: m.value }))}::jsonb`;
  }
  return `COALESCE(se.labels ->> ${param(m.label)}::text, '') ${sqlOp(m)} ${param(operand)}::text`;
}

function sqlOp(m: LabelMatcher): string {
  switch (m.op) {
    case '=':
      return '=';
    case '!=':
      return '<>';
    case '=~':
      return '~';
    case '!~':
      return '!~';
  }
}
