import { describe, expect, it } from 'vitest';
import { blankLiterals, checkStatement, StatementError } from './statement.ts';

const readOnly = { allowWrites: false };

describe('the read-only statement guard', () => {
  it.each([
    ['SELECT 1 FROM SYSIBM.SYSDUMMY1', 'SELECT 1 FROM SYSIBM.SYSDUMMY1'],
    ['  select x from t;  ', 'select x from t'],
    ['SELECT 1; -- a trailing comment', 'SELECT 1'],
    ['WITH a AS (SELECT 1 AS n) SELECT n FROM a', 'WITH a AS (SELECT 1 AS n) SELECT n FROM a'],
    ['VALUES (1, 2)', 'VALUES (1, 2)'],
    ['(SELECT 1) UNION (SELECT 2)', '(SELECT 1) UNION (SELECT 2)'],
    ["SELECT 'DELETE FROM t; DROP TABLE t' AS s", "SELECT 'DELETE FROM t; DROP TABLE t' AS s"],
    ["SELECT 'it''s; fine' FROM t", "SELECT 'it''s; fine' FROM t"],
    ['SELECT "UPDATE" FROM t -- DELETE; INSERT', 'SELECT "UPDATE" FROM t'],
    [
      'SELECT ROWS_DELETED, ROWS_UPDATED, ROWS_INSERTED FROM TABLE(MON_GET_TABLE(NULL, NULL, -2)) AS t',
      'SELECT ROWS_DELETED, ROWS_UPDATED, ROWS_INSERTED FROM TABLE(MON_GET_TABLE(NULL, NULL, -2)) AS t',
    ],
    ['/* DELETE */ SELECT 1', '/* DELETE */ SELECT 1'],
  ])('passes %s', (sql, sent) => {
    expect(checkStatement(sql, readOnly)).toBe(sent);
  });

  it.each([
    ['DELETE FROM t', 'must start with SELECT, WITH or VALUES, not DELETE'],
    ['-- SELECT\nDELETE FROM t', 'not DELETE'],
    ['SELECT 1; DELETE FROM t', 'one statement only'],
    ["SELECT 'a'; DELETE FROM t WHERE x = ';'", 'one statement only'],
    ['SELECT 1;;', 'one statement only'],
    ['WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', 'DELETE can change data'],
    ['SELECT * FROM OLD TABLE (DELETE FROM t)', 'DELETE can change data'],
    ['SELECT * FROM FINAL TABLE (INSERT INTO t VALUES (1))', 'INSERT can change data'],
    ['SELECT * INTO copy FROM t', 'INTO can change data'],
    ['SELECT * FROM t FOR UPDATE', 'UPDATE can change data'],
    ["SELECT E'\\'' ; DELETE FROM t --'", "\\' in a string literal is ambiguous"],
    ['SELECT /*! DELETE */ 1', 'executable comments'],
    ["SELECT 'open", 'string literal is not closed'],
    ['SELECT "open', 'quoted identifier is not closed'],
    ['SELECT 1 /* open', 'comment is not closed'],
    ['   ', 'the statement is empty'],
    ['-- nothing', 'the statement is empty'],
    ['CALL SYSPROC.ADMIN_CMD(?)', 'not CALL'],
  ])('refuses %s', (sql, message) => {
    expect(() => checkStatement(sql, readOnly)).toThrow(StatementError);
    expect(() => checkStatement(sql, readOnly)).toThrow(message);
  });

  it('lets any single statement through with allowWrites, but still one only', () => {
    expect(checkStatement('INSERT INTO t VALUES (1);', { allowWrites: true })).toBe(
      'INSERT INTO t VALUES (1)',
    );
    expect(() => checkStatement('INSERT INTO t VALUES (1); DROP TABLE t', { allowWrites: true })).toThrow(
      'one statement only',
    );
  });

  it('blanks comments and literals without moving anything', () => {
    const sql = `SELECT 'a;b', "c d" -- e\nFROM /* f */ t`;
    const blank = blankLiterals(sql);
    expect(blank).toHaveLength(sql.length);
    expect(blank).toBe(`SELECT      , "   "     \nFROM         t`);
  });
});
