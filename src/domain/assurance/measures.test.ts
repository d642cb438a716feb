import { describe, expect, it } from 'vitest';
import { formatMeasure, fromFigure, ldisAssessedWithin, measureTrend, monthOf, partnersSharing, topCompletion, trialRunsInYear } from './measures';

const MARCH = { from: '2024-03-01', to: '2024-03-31' };

describe('monthOf', () => {
  it.each([
    ['2024-02-10', '2024-02-01', '2024-02-29'],
    ['2023-12-31', '2023-12-01', '2023-12-31'],
  ])('%s', (d, from, to) => expect(monthOf(d)).toEqual({ from, to }));
});

describe('LDIS reports assessed within 24 hours', () => {
  const now = '2024-04-10T00:00:00Z';
  it.each([
    ['assessed in 23 h: met', [{ receivedAt: '2024-03-05T10:00:00Z', assessedAt: '2024-03-06T09:00:00Z', exercise: false }], 1, 1],
    ['assessed in exactly 24 h: met', [{ receivedAt: '2024-03-05T10:00:00Z', assessedAt: '2024-03-06T10:00:00Z', exercise: false }], 1, 1],
    ['assessed in 25 h: missed', [{ receivedAt: '2024-03-05T10:00:00Z', assessedAt: '2024-03-06T11:00:00Z', exercise: false }], 0, 1],
    ['never assessed, SLA over: missed', [{ receivedAt: '2024-03-05T10:00:00Z', assessedAt: null, exercise: false }], 0, 1],
    ['drill: left out', [{ receivedAt: '2024-03-05T10:00:00Z', assessedAt: null, exercise: true }], 0, 0],
    ['received in another month: left out', [{ receivedAt: '2024-04-01T00:00:00Z', assessedAt: null, exercise: false }], 0, 0],
    ['received on the last day of the month: in', [{ receivedAt: '2024-03-31T23:59:00Z', assessedAt: '2024-04-01T01:00:00Z', exercise: false }], 1, 1],
  ])('%s', (_name, reports, met, due) => {
    const v = ldisAssessedWithin(reports, MARCH, now);
    expect([v.numerator, v.denominator]).toEqual([met, due]);
    expect(v.value).toBe(due ? (100 * met) / due : null);
  });

  it('leaves out an unassessed report whose SLA has not ended', () => {
    const v = ldisAssessedWithin([{ receivedAt: '2024-03-31T20:00:00Z', assessedAt: null, exercise: false }], MARCH, '2024-04-01T08:00:00Z');
    expect(v.denominator).toBe(0);
  });
});

describe('partners sharing data', () => {
  const r = (partner: string, receivedAt: string, exercise = false) => ({ partner, receivedAt, exercise });
  it('counts distinct partners in the month, drills out, beside the PIN members', () => {
    const v = partnersSharing(
      [r('police', '2024-03-02T00:00:00Z'), r('Police', '2024-03-09T00:00:00Z'), r('ambulance', '2024-03-10T00:00:00Z'), r('hostel', '2024-03-10T00:00:00Z', true), r('coroner', '2024-02-29T23:00:00Z')],
      MARCH,
      ['police', 'coroner', 'hostel', 'a_and_e'],
    );
    expect(v.value).toBe(2);
    expect(v.partners).toEqual(['ambulance', 'police']);
    expect([v.numerator, v.denominator]).toEqual([1, 4]);
    expect(formatMeasure(v)).toBe('2 partners (1 of 4 PIN members)');
  });
});

describe('TOP completion', () => {
  it.each([
    ['TOP 5 months before', ['2023-10-31'], 1],
    ['TOP exactly 6 months before: too old', ['2023-09-30'], 0],
    ['TOP the day after the 6-month cutoff', ['2023-10-01'], 1],
    ['TOP after the date: not counted', ['2024-04-01'], 0],
    ['no TOP', [], 0],
  ])('%s', (_n, topDates, met) => {
    const v = topCompletion([{ topDates }], '2024-03-31');
    expect(v.numerator).toBe(met);
    expect(v.denominator).toBe(1);
  });
  it('is null with nobody in MAT', () => expect(topCompletion([], '2024-03-31').value).toBeNull());
});

describe('trial runs and trends', () => {
  it('counts trial runs in the 12 months to the date', () => {
    expect(trialRunsInYear(['2023-03-31T10:00:00Z', '2023-04-01T00:00:00Z', '2024-03-31T09:00:00Z', '2024-04-01T00:00:00Z'], '2024-03-31').value).toBe(2);
  });
  it.each([
    ['naloxone_high_risk', 50, 60, 'better'],
    ['mat_uncategorised', 5, 7, 'worse'],
    ['mat_uncategorised', 7, 7, 'same'],
    ['mat_red', null, 7, null],
  ] as const)('%s %s → %s is %s', (key, a, b, trend) => expect(measureTrend(key, a, b)).toBe(trend));
  it('reads a figure and formats it', () => {
    const v = fromFigure('naloxone_high_risk', '2024-03-31', { numerator: 5, denominator: 8, pct: 62.5 });
    expect(formatMeasure(v)).toBe('62.5% (5 of 8)');
    expect(fromFigure('mat_red', '2024-03-31', null).value).toBeNull();
  });
});
