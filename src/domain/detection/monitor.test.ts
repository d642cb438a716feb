import { describe, expect, it } from 'vitest';
import { formatIsoDate, parseIsoDate } from './dates';
import { describeTrigger, monitorSeries, MonitorSettingsError, type MonitorSettings } from './monitor';
import { detect, farringtonHistoryWeeks, type SeriesPoint } from './series';

const NOUN = { singular: 'non-fatal overdose', plural: 'non-fatal overdoses' };
const START = parseIsoDate('2020-01-06'); // a Monday

function weekly(counts: readonly number[]): SeriesPoint[] {
  return counts.map((count, i) => ({ period_start: formatIsoDate(START + 7 * i), count }));
}

/** A deterministic, gently seasonal baseline around `level` per week. */
function baseline(weeks: number, level: number): number[] {
  return Array.from({ length: weeks }, (_, i) => Math.max(0, Math.round(level + level * 0.3 * Math.sin((2 * Math.PI * i) / 52) + ((i * 7919) % 5) - 2)));
}

const auto = (over: Partial<MonitorSettings> = {}): MonitorSettings => ({ method: 'auto', evaluateWeeks: 104, triggers: [], ...over });

describe('monitorSeries: the method each week gets with auto', () => {
  const cases: Array<{ name: string; weeks: number; expectFirst: string | null; expectLast: string | null }> = [
    { name: '5 weeks: no baseline at all', weeks: 5, expectFirst: null, expectLast: null },
    { name: '8 weeks: EARS C1 for the 8th week only', weeks: 8, expectFirst: null, expectLast: 'ears-c1' },
    { name: '1 year: EARS C2 from week 10', weeks: 52, expectFirst: null, expectLast: 'ears-c2' },
    { name: '3 years: Farrington for the latest weeks, EARS C2 before', weeks: 160, expectFirst: 'ears-c2', expectLast: 'farrington' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = monitorSeries(weekly(baseline(c.weeks, 8)), [], auto(), NOUN);
      expect(r.weeks).toHaveLength(Math.min(c.weeks, 104));
      expect(r.weeks[0]!.method).toBe(c.expectFirst);
      expect(r.weeks.at(-1)!.method).toBe(c.expectLast);
    });
  }

  it('uses the largest b the history allows (b = 2 from 2 years, b = 3 from 3 years)', () => {
    const n = farringtonHistoryWeeks(3) + 1;
    const series = weekly(baseline(n, 10));
    const r = monitorSeries(series, [], auto({ evaluateWeeks: 60 }), NOUN);
    const last = r.weeks.at(-1)!;
    const b3 = detect(series, 'farrington', { b: 3 }, { from: last.period_start })[0]!;
    expect(last.expected).toBeCloseTo(b3.expected, 10);
    expect(last.upper_bound).toBeCloseTo(b3.upper_bound, 10);
    // a week with between 2 and 3 years of history: b = 2
    const k = farringtonHistoryWeeks(2) + 5;
    const wk = r.weeks.find((w) => w.period_start === series[k]!.period_start)!;
    const b2 = detect(series.slice(0, k + 1), 'farrington', { b: 2 }, { from: series[k]!.period_start })[0]!;
    expect(wk.method).toBe('farrington');
    expect(wk.expected).toBeCloseTo(b2.expected, 10);
  });

  it('floors the EARS sd at 1 so one event after empty weeks is not an alarm', () => {
    const r = monitorSeries(weekly([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), [], auto(), NOUN);
    const last = r.weeks.at(-1)!;
    expect(last.method).toBe('ears-c2');
    expect(last.alarm).toBe(false);
    expect(last.upper_bound).toBeCloseTo(0 + 3.090232, 5);
    const spike = monitorSeries(weekly([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]), [], auto(), NOUN).weeks.at(-1)!;
    expect(spike.alarm).toBe(true);
  });
});

describe('monitorSeries: explicit methods and reasons', () => {
  it('an explicit method with too short a history says so', () => {
    const r = monitorSeries(weekly(baseline(30, 5)), [], { method: 'farrington', evaluateWeeks: 10, triggers: [] }, NOUN);
    expect(r.weeks.every((w) => w.expected === null)).toBe(true);
    expect(r.weeks[0]!.reason).toMatch(/not enough history for Farrington flexible \(it needs 261 weeks before the week\)/);
  });

  it('reads an alarm week in plain words', () => {
    const counts = [...baseline(20, 6), 17];
    const r = monitorSeries(weekly(counts), [], { method: 'ears-c1', evaluateWeeks: 1, triggers: [] }, NOUN);
    const w = r.weeks[0]!;
    expect(w.alarm).toBe(true);
    expect(w.reason).toMatch(/^17 non-fatal overdoses against an expected \d+(\.\d)?; threshold \d+(\.\d)? — alarm \(EARS C1\)$/);
  });

  it('method none: counts only, with triggers', () => {
    const r = monitorSeries(weekly([0, 1, 0]), [{ at: formatIsoDate(START + 8), weight: 1 }], { method: 'none', evaluateWeeks: 3, triggers: [{ id: 'any', threshold: 1, window: { days: 1 } }] }, NOUN);
    expect(r.weeks.map((w) => w.expected)).toEqual([null, null, null]);
    expect(r.weeks[1]!.triggers).toEqual(['any']);
    expect(r.methodNote).toBe('No statistical baseline: count triggers only.');
  });

  it('rejects a non-positive evaluation window', () => {
    expect(() => monitorSeries(weekly([1]), [], auto({ evaluateWeeks: 0 }), NOUN)).toThrow(MonitorSettingsError);
  });
});

describe('monitorSeries: count triggers', () => {
  const cases: Array<{ name: string; days: Array<[number, number]>; trigger: MonitorSettings['triggers'][number]; fires: string[] }> = [
    { name: '24-hour spike: 3 on one day fires', days: [[10, 3]], trigger: { id: 'spike', threshold: 3, window: { hours: 24 } }, fires: ['2020-01-13'] },
    { name: '24-hour spike: 2 + 1 on consecutive days does not', days: [[10, 2], [11, 1]], trigger: { id: 'spike', threshold: 3, window: { hours: 24 } }, fires: [] },
    { name: '3 in 7 days across a week boundary fires in the week of the third', days: [[11, 1], [12, 1], [14, 1]], trigger: { id: 'd7', threshold: 3, window: { days: 7 } }, fires: ['2020-01-20'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const events = c.days.map(([d, n]) => ({ at: formatIsoDate(START + d), weight: n }));
      const r = monitorSeries(weekly([0, 0, 0, 0]), events, { method: 'none', evaluateWeeks: 4, triggers: [c.trigger] }, NOUN);
      expect(r.episodes.map((e) => e.week)).toEqual(c.fires);
      for (const w of r.weeks) expect(w.triggers.length > 0).toBe(c.fires.includes(w.period_start));
    });
  }

  it('describes triggers in words', () => {
    expect(describeTrigger({ threshold: 2, window: { hours: 24 } }, { singular: 'death', plural: 'deaths' })).toBe('2 or more deaths in 24 hours');
    expect(describeTrigger({ threshold: 3, window: { days: 7 } }, { singular: 'death', plural: 'deaths' })).toBe('3 or more deaths in 7 days');
    expect(describeTrigger({ threshold: 1, window: { days: 1, hours: 12 } }, { singular: 'death', plural: 'deaths' })).toBe('1 or more death in 36 hours');
  });
});
