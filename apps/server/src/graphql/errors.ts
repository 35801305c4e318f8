// Expected errors carry a coarse code in extensions; details go in `details`. Anything else is
// masked by yoga as "Unexpected error."
import { GraphQLError } from 'graphql';
import type { ZodType } from 'zod';
import { issuePath, type FieldIssue } from '@esmon/schema';

/**
 * BAD_USER_INPUT, NOT_FOUND, CONFLICT, UNAUTHENTICATED, FORBIDDEN, BUSY (retry later);
 * RATE_LIMITED (HTTP 429, retry after `retryAfterSeconds`) is made by graphql/rate-limits.ts.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BUSY';

export function userError(code: ErrorCode, message: string, details?: FieldIssue[], extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(details ? { details } : {}), ...extra } });
}

export function inputError(issues: FieldIssue[]): GraphQLError {
  const first = issues[0];
  return userError('BAD_USER_INPUT', first ? `${first.path || 'input'}: ${first.message}` : 'invalid input', issues);
}

/** Validates an argument with a shared zod schema; throws BAD_USER_INPUT naming the field. */
export function validate<T>(schema: ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw inputError(
    result.error.issues.map((i) => ({ path: [path, issuePath(i.path)].filter(Boolean).join('.').replace('.[', '['), message: i.message })),
  );
}

/** Parses a numeric ID argument. */
export function idArg(value: string | number, name = 'id'): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw userError('BAD_USER_INPUT', `${name} must be a positive whole number`);
  return n;
}
