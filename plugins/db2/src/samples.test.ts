import { describe, expect, it } from 'vitest';
import type { OdbcResult } from './odbc.ts';
import { ColumnError, metricSegment, plainRows, rowsToSamples, toNumber } from './samples.ts';

// ODBC type codes as the driver reports them
const VARCHAR = 12;
const DECIMAL = 3;
const BIGINT = -5;
const INTEGER = 4;

/** Rows shaped as DB2 CLI returns MON_GET_TABLESPACE: upper-case names, DECIMAL and BIGINT as text. */
const tablespaces: OdbcResult = {
  columns: [
    { name: 'TBSP_NAME', dataType: VARCHAR },
    { name: 'MEMBER', dataType: INTEGER },
    { name: 'TBSP_USED_PAGES', dataType: BIGINT },
    { name: 'TBSP_UTILIZATION_PERCENT', dataType: DECIMAL },
  ],
  rows: [
    {
      TBSP_NAME: 'MAXDATA   ',
      MEMBER: 0,
      TBSP_USED_PAGES: '9007199254740993',
      TBSP_UTILIZATION_PERCENT: '87.25',
    },
    { TBSP_NAME: 'x'.repeat(300), MEMBER: 0, TBSP_USED_PAGES: 12n, TBSP_UTILIZATION_PERCENT: null },
  ],
  count: 2,
};

describe('rows to samples', () => {
  it('makes one sample per numeric column and row, labelled, skipping NULL', () => {
    const samples = rowsToSamples(tablespaces, {
      metricPrefix: 'db2.tbsp',
      labelColumns: ['tbsp_name', 'member'],
      ts: 1_700_000_000_000,
    });
    expect(samples).toEqual([
      {
        metric: 'db2.tbsp.tbsp_used_pages',
        ts: 1_700_000_000_000,
        value: 9007199254740992,
        labels: { tbsp_name: 'MAXDATA', member: '0' },
      },
      {
        metric: 'db2.tbsp.tbsp_utilization_percent',
        ts: 1_700_000_000_000,
        value: 87.25,
        labels: { tbsp_name: 'MAXDATA', member: '0' },
      },
      {
        metric: 'db2.tbsp.tbsp_used_pages',
        ts: 1_700_000_000_000,
        value: 12,
        labels: { tbsp_name: 'x'.repeat(256), member: '0' },
      },
    ]);
  });

  it('takes the named value columns only, matching names without regard to case', () => {
    const samples = rowsToSamples(tablespaces, {
      metricPrefix: 'db2',
      valueColumns: ['tbsp_utilization_percent'],
      labelColumns: [],
      ts: 1,
    });
    expect(samples).toEqual([{ metric: 'db2.tbsp_utilization_percent', ts: 1, value: 87.25 }]);
  });

  it('names a missing column and the ones there are', () => {
    expect(() =>
      rowsToSamples(tablespaces, { metricPrefix: 'db2', labelColumns: ['TBSP_TYPE'], ts: 1 }),
    ).toThrow(ColumnError);
    expect(() =>
      rowsToSamples(tablespaces, { metricPrefix: 'db2', valueColumns: ['PAGES'], labelColumns: [], ts: 1 }),
    ).toThrow(
      'value column PAGES is not in the result (columns: TBSP_NAME, MEMBER, TBSP_USED_PAGES, TBSP_UTILIZATION_PERCENT)',
    );
  });

  it.each<[unknown, number | undefined]>([
    [42, 42],
    ['  -1.5e3 ', -1500],
    ['.5', 0.5],
    [7n, 7],
    ['12abc', undefined],
    ['', undefined],
    [Number.NaN, undefined],
    [null, undefined],
    [true, undefined],
  ])('reads %s as %s', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });

  it.each([
    ['ROWS_READ', 'rows_read'],
    ['?column?', 'column'],
    ['Used MB', 'used_mb'],
    ['1', '1'],
    ['???', 'value'],
  ])('names column %s %s', (column, segment) => {
    expect(metricSegment(column)).toBe(segment);
  });

  it('keeps rows JSON-safe', () => {
    const rows = plainRows([{ a: 9007199254740993n, b: 5n, c: Buffer.from('hi'), d: 'x' }]);
    expect(rows).toEqual([{ a: '9007199254740993', b: 5, c: 'aGk=', d: 'x' }]);
    expect(() => JSON.stringify(rows)).not.toThrow();
  });
});
