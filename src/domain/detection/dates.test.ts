import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  civilFromDays,
  daysFromCivil,
  DetectionInputError,
  formatIsoDate,
  minusYears,
  parseIsoDate,
  sameWeekdayYearsBefore,
  weekday,
} from './dates';

describe('dates', () => {
  it('parses and formats ISO dates', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(formatIsoDate(parseIsoDate('2024-02-29'))).toBe('2024-02-29');
    expect(() => parseIsoDate('2023-02-29')).toThrow(DetectionInputError);
    expect(() => parseIsoDate('2023-2-1')).toThrow(DetectionInputError);
    expect(weekday(parseIsoDate('2024-01-01'))).toBe(1); // Monday
  });

  it('civil conversions agree with Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        const d = new Date(day * 86_400_000);
        expect(civilFromDays(day)).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
        expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(day);
      }),
    );
  });

  it('moves back whole years like R’s seq(by = "-1 year"): 29 February becomes 1 March', () => {
    expect(formatIsoDate(minusYears(parseIsoDate('2024-02-29'), 1))).toBe('2023-03-01');
    expect(formatIsoDate(minusYears(parseIsoDate('2024-02-29'), 4))).toBe('2020-02-29');
    expect(formatIsoDate(minusYears(parseIsoDate('2023-12-31'), 5))).toBe('2018-12-31');
  });

  it('finds the closest same weekday (R’s algo.farrington.referencetimepoints)', () => {
    // Monday 2022-01-03: one year back is Sunday 2021-01-03 → Monday 2021-01-04
    expect(formatIsoDate(sameWeekdayYearsBefore(parseIsoDate('2022-01-03'), 1))).toBe('2021-01-04');
    // five years back: Sunday 2017-01-03 is a Tuesday → Monday 2017-01-02
    expect(formatIsoDate(sameWeekdayYearsBefore(parseIsoDate('2022-01-03'), 5))).toBe('2017-01-02');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 1, max: 10 }), (day, years) => {
        const r = sameWeekdayYearsBefore(day, years);
        expect(weekday(r)).toBe(weekday(day));
        expect(Math.abs(r - minusYears(day, years))).toBeLessThanOrEqual(3);
      }),
    );
  });
});
