// The read-only guard: a query without allowWrites must be one SELECT, WITH or VALUES statement
// that names no data-changing keyword. Comments, string literals and quoted identifiers are blanked
// out first (keeping every offset), so text inside them neither trips nor hides anything. The guard
// is the first of two fences; the second is the read-only, always rolled back transaction.

export class StatementError extends Error {
  override name = 'StatementError';
}

const FIRST_WORDS = new Set(['SELECT', 'WITH', 'VALUES']);

/**
 * Words that can change data or take locks from inside a SELECT: PostgreSQL's data-modifying CTEs
 * (`WITH x AS (DELETE …)`), DB2's data-change table references (`SELECT … FROM OLD TABLE (DELETE …)`),
 * `SELECT … INTO` (creates a table in PostgreSQL) and `FOR UPDATE`.
 */
const WRITE_WORDS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'TRUNCATE',
  'INTO',
  'CREATE',
  'DROP',
  'ALTER',
  'GRANT',
  'REVOKE',
  'CALL',
  'COPY',
  'LOCK',
]);

/** Replaces comments, string literals and quoted identifiers with spaces; same length as the input. */
export function blankLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      // MySQL runs the text of /*! … */ as SQL, so it cannot be treated as a comment
      if (sql[i + 2] === '!') throw new StatementError('executable comments (/*! … */) are not allowed');
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new StatementError('a /* comment is not closed');
      out += ' '.repeat(end + 2 - i);
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const end = closingQuote(sql, i);
      // keep the quotes of an identifier so that `"a"."b"` still reads as two names
      out += c === '"' ? `"${' '.repeat(end - i - 1)}"` : ' '.repeat(end + 1 - i);
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index of the quote closing the literal opened at `start`; a doubled quote is an escaped one. */
function closingQuote(sql: string, start: number): number {
  const q = sql[start]!;
  for (let i = start + 1; i < sql.length; i++) {
    // Databases disagree on whether \' ends a string (PostgreSQL E'' and MySQL say no, standard SQL
    // says yes); refusing it keeps the guard and the database reading the same boundaries.
    if (q === "'" && sql[i] === '\\' && sql[i + 1] === "'")
      throw new StatementError("\\' in a string literal is ambiguous: write a quote as ''");
    if (sql[i] !== q) continue;
    if (sql[i + 1] === q) {
      i++;
      continue;
    }
    return i;
  }
  throw new StatementError(`a ${q === "'" ? 'string literal' : 'quoted identifier'} is not closed`);
}

/**
 * Checks a statement and returns the text to send: up to its last code character, so without a
 * trailing `;` (DB2 CLI refuses one) or trailing comments. With `allowWrites` any single statement
 * passes. Throws StatementError saying why not.
 */
export function checkStatement(sql: string, options: { allowWrites: boolean }): string {
  const blank = blankLiterals(sql);
  const lastCode = blank.trimEnd().replace(/;$/, '').trimEnd().length;
  if (lastCode === 0) throw new StatementError('the statement is empty');
  if (blank.slice(0, lastCode).includes(';'))
    throw new StatementError('one statement only: ";" separates several');
  const text = sql.slice(0, lastCode).trim();
  if (options.allowWrites) return text;

  const words = blank.slice(0, lastCode).match(/[A-Za-z_][A-Za-z0-9_$#@]*/g) ?? [];
  const first = words[0]?.toUpperCase();
  if (!first || !FIRST_WORDS.has(first)) {
    throw new StatementError(
      `read-only: the statement must start with SELECT, WITH or VALUES${first ? `, not ${first}` : ''} (set allowWrites to run others)`,
    );
  }
  const write = words.find((w) => WRITE_WORDS.has(w.toUpperCase()));
  if (write)
    throw new StatementError(`read-only: ${write.toUpperCase()} can change data (set allowWrites to run it)`);
  return text;
}
