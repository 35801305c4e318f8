// Refuses GraphQL input PostgreSQL cannot store — a NUL or a lone UTF-16 surrogate in any string
// argument, variable, JSON value or JSON key — as BAD_USER_INPUT before a resolver runs; without
// it such text reaches the database and comes back as a masked internal error.
import { visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { storableText, UNSTORABLE_TEXT } from '@esmon/schema';
import { userError } from './errors.ts';

/** The path of the first unstorable string (or object key) in a variable value, e.g. `$i.name`. */
export function findUnstorable(value: unknown, path: string): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (!storableText(v)) return at;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${at}[${i}]`]));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        if (!storableText(k)) return `${at} (a key)`;
        stack.push([item, `${at}.${k}`]);
      }
    }
  }
  return undefined;
}

/** The first string literal of the operation that cannot be stored (names cannot hold such text). */
function unstorableLiteral(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    StringValue(node) {
      if (found === undefined && !storableText(node.value))
        found = `the string at offset ${node.loc?.start ?? '?'}`;
    },
  });
  return found;
}

function check(document: DocumentNode, variables: Record<string, unknown> | null | undefined) {
  const where = findUnstorable(variables ?? {}, '$') ?? unstorableLiteral(document);
  return where === undefined
    ? undefined
    : userError('BAD_USER_INPUT', `${where.replace(/^\$\./, '$')}: text ${UNSTORABLE_TEXT}`);
}

export const useStorableInput = (): Plugin => ({
  onExecute: ({ args, setResultAndStopExecution }) => {
    const error = check(args.document, args.variableValues);
    if (error) setResultAndStopExecution({ errors: [error] });
  },
  onSubscribe: ({ args, setResultAndStopExecution }) => {
    const error = check(args.document, args.variableValues);
    if (error) setResultAndStopExecution({ errors: [error] });
  },
});
