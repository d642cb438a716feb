import { describe, expect, test } from 'vitest';
import { formatDose, formatPct, isMonth, lastCompleteMonth, medicationLabel, monthLabel, monthsBack, ordinal } from './labels';

describe('MAT page labels', () => {
  test('months: the last complete month, months back across a year end, labels', () => {
    expect(lastCompleteMonth(new Date('2026-01-15T12:00:00Z'))).toBe('2025-12');
    expect(monthsBack('2026-02', 4)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
    expect(monthLabel('2026-10')).toBe('October 2026');
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-09')).toBe(true);
    expect(isMonth(null)).toBe(false);
  });

  test('figures: one decimal place for %, doses without trailing zeros, a dash for none', () => {
    expect(formatPct(19.672131147540984)).toBe('19.7%');
    expect(formatPct(0)).toBe('0.0%');
    expect(formatPct(null)).toBe('–');
    expect(formatDose(58.22)).toBe('58.2');
    expect(formatDose(60)).toBe('60');
    expect(formatDose(null)).toBe('–');
    expect(medicationLabel('buprenorphine_monthly_injection')).toBe('buprenorphine monthly injection');
  });

  test('ranks as ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']);
  });
});
