import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  monthEnd,
  monthsEndingWith,
  toDayNumber,
  toDayNumberOrNull,
} from './dates';

describe('toDayNumber / fromDayNumber', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
    ['2018-10-31', 17835],
  ])('%s is day %i', (iso, n) => {
    expect(toDayNumber(iso)).toBe(n);
    expect(fromDayNumber(n)).toBe(iso);
  });

  it('agrees with Date.UTC every day from 1900 to 2100', () => {
    const start = Date.UTC(1900, 0, 1) / 86_400_000;
    const end = Date.UTC(2100, 11, 31) / 86_400_000;
    for (let d = start; d <= end; d++) {
      const iso = new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (toDayNumber(iso) !== d || fromDayNumber(d) !== iso) throw new Error(`mismatch at ${iso}`);
    }
    expect(fromDayNumber(end)).toBe('2100-12-31');
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-00', '24-01-01', '2024/01/01', '2024-1-01', '', 'abcd-ef-gh'])(
    'rejects %j',
    (bad) => {
      expect(toDayNumberOrNull(bad)).toBeNull();
      expect(isIsoDate(bad)).toBe(false);
      expect(() => toDayNumber(bad)).toThrow(RangeError);
    },
  );
  it('accepts 29 February in a leap year', () => expect(isIsoDate('2024-02-29')).toBe(true));
});

describe('daysBetween and addDays', () => {
  it.each([
    ['2018-09-01', '2018-09-29', 28],
    ['2018-09-01', '2018-09-30', 29],
    ['2018-07-01', '2018-09-30', 91],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2018-12-31', '2018-12-01', -30],
  ])('daysBetween(%s, %s) = %i', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
    expect(addDays(a, n)).toBe(b);
  });
});

describe('addMonths (calendar months, clamped to month end)', () => {
  it.each([
    ['2018-10-01', 3, '2019-01-01'], // the domain's own example
    ['2018-10-31', 3, '2019-01-31'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2024-08-31', 3, '2024-11-30'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2019-01-01', -3, '2018-10-01'],
    ['2018-12-15', 1, '2019-01-15'],
    ['2018-06-15', -6, '2017-12-15'],
    ['2018-06-15', 0, '2018-06-15'],
    ['2018-06-15', 24, '2020-06-15'],
  ])('%s + %i months = %s', (a, n, b) => expect(addMonths(a, n)).toBe(b));
});

describe('monthEnd and month sequences', () => {
  it.each([
    ['2024-02', '2024-02-29'],
    ['2023-02', '2023-02-28'],
    ['2018-10', '2018-10-31'],
    ['2018-11', '2018-11-30'],
    ['2018-12', '2018-12-31'],
  ])('monthEnd(%s) = %s', (m, d) => expect(monthEnd(m)).toBe(d));
  it('rejects a bad month', () => expect(() => monthEnd('2018-13')).toThrow(RangeError));
  it('lists months ending with a month, across a year end', () => {
    expect(monthsEndingWith('2019-02', 4)).toEqual(['2018-11', '2018-12', '2019-01', '2019-02']);
    expect(monthsEndingWith('2019-02', 24)).toHaveLength(24);
    expect(monthsEndingWith('2019-02', 24)[0]).toBe('2017-03');
  });
});
