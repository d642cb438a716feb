import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addMonths, addMonthsToDay, daysBetween, fromDay, isIsoDate, toDay } from './date';

describe('toDay / fromDay', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
    ['2024-02-29', 19782],
    ['2024-06-15', 19889],
  ])('%s is day %i', (iso, day) => {
    expect(toDay(iso)).toBe(day);
    expect(fromDay(day)).toBe(iso);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-00-10', '2024-6-15', '15/06/2024', '', '2024-06-1x', null, undefined])(
    'rejects %s',
    (iso) => {
      expect(toDay(iso)).toBeNaN();
      expect(isIsoDate(iso)).toBe(false);
    },
  );

  it('agrees with Date.UTC for every date 1900–2200 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1) / 86400000, max: Date.UTC(2200, 11, 31) / 86400000 }), (day) => {
        const iso = new Date(day * 86400000).toISOString().slice(0, 10);
        expect(toDay(iso)).toBe(day);
        expect(fromDay(day)).toBe(iso);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('addDays / daysBetween', () => {
  it.each([
    ['2024-03-01', -1, '2024-02-29'],
    ['2023-03-01', -1, '2023-02-28'],
    ['2024-06-15', -365, '2023-06-16'],
    ['2024-06-15', -366, '2023-06-15'],
    ['2024-12-31', 1, '2025-01-01'],
  ])('%s %+i days = %s', (iso, n, want) => {
    expect(addDays(iso, n)).toBe(want);
    expect(daysBetween(want, iso)).toBe(-n);
  });
});

describe('addMonths (calendar months, clamped to month end)', () => {
  it.each([
    ['2024-10-01', 3, '2025-01-01'], // domain §1.2
    ['2024-06-15', -3, '2024-03-15'],
    ['2024-06-15', -12, '2023-06-15'],
    ['2024-05-31', -3, '2024-02-29'], // leap year clamp
    ['2023-05-31', -3, '2023-02-28'],
    ['2024-02-29', -12, '2023-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-01-15', -1, '2023-12-15'],
    ['2024-01-15', -25, '2021-12-15'],
  ])('%s %+i months = %s', (iso, n, want) => {
    expect(addMonths(iso, n)).toBe(want);
  });

  it('keeps NaN for an invalid day', () => {
    expect(addMonthsToDay(NaN, 3)).toBeNaN();
  });
});
