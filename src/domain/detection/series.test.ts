import { describe, expect, it } from 'vitest';
import {
  DetectionInputError,
  detect,
  explainRow,
  farringtonHistoryWeeks,
  recommendMethod,
  regularizeWeekly,
  type DetectionRow,
  type SeriesPoint,
} from './series';
import { formatIsoDate, parseIsoDate } from './dates';

function weekly(counts: readonly (number | null)[], start = '2018-01-01'): SeriesPoint[] {
  const d0 = parseIsoDate(start);
  return counts.map((count, i) => ({ period_start: formatIsoDate(d0 + 7 * i), count }));
}

const seasonal = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(8 + 4 * Math.sin((2 * Math.PI * i) / 52) + ((i * 13) % 5) - 2));

describe('detect', () => {
  it('returns one row per period with enough history, with the CLI’s columns', () => {
    const s = weekly(seasonal(300));
    const rows = detect(s, 'farrington');
    expect(rows[0]!.period_start).toBe(s[261]!.period_start);
    expect(rows).toHaveLength(300 - 261);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['alarm', 'count', 'details', 'expected', 'period_start', 'upper_bound']);
      expect(r.expected).toBeGreaterThan(0);
      expect(r.upper_bound).toBeGreaterThanOrEqual(0);
    }
    expect(detect(s, 'ears-c1')).toHaveLength(300 - 7);
    expect(detect(s, 'ears-c2')).toHaveLength(300 - 9);
    expect(detect(s, 'ears-c3')).toHaveLength(300 - 11);
  });

  it('Farrington gives nothing without b years of history, and more with a smaller b', () => {
    const s = weekly(seasonal(200));
    expect(detect(s, 'farrington')).toEqual([]);
    expect(detect(s, 'farrington', { b: 3 }).length).toBeGreaterThan(40);
  });

  it('reports from a date on while using the earlier weeks as history', () => {
    const s = weekly(seasonal(300));
    const all = detect(s, 'farrington');
    const tail = detect(s, 'farrington', {}, { from: s[295]!.period_start });
    expect(tail).toEqual(all.slice(-5));
    const c2 = detect(s, 'ears-c2', { alpha: 0.01 }, { from: s[290]!.period_start });
    expect(c2[0]!.period_start).toBe(s[290]!.period_start);
  });

  it('flags a spike and explains it in plain words', () => {
    const counts = seasonal(300);
    counts[299] = 40;
    const rows = detect(weekly(counts), 'farrington');
    const last = rows.at(-1)!;
    expect(last.alarm).toBe(true);
    const text = explainRow(last, { singular: 'non-fatal overdose', plural: 'non-fatal overdoses' });
    expect(text).toMatch(/^40 non-fatal overdoses against an expected \d+(\.\d)?; threshold \d+ — alarm$/);
  });

  it('treats null as a missing week: no alarm, left out of the fit', () => {
    const counts: (number | null)[] = seasonal(300);
    counts[299] = null;
    counts[150] = null;
    const rows = detect(weekly(counts), 'farrington');
    expect(rows.at(-1)!.count).toBeNull();
    expect(rows.at(-1)!.alarm).toBe(false);
    expect(explainRow(rows.at(-1)!)).toMatch(/^no data/);
  });

  it('rejects malformed input', () => {
    expect(() => detect([{ period_start: '2020-01-01', count: 1 }, { period_start: '2020-01-09', count: 1 }], 'ears-c1')).toThrow(
      DetectionInputError,
    );
    expect(() => detect([{ period_start: '2020-02-30', count: 1 }], 'ears-c1')).toThrow(DetectionInputError);
    expect(() => detect([{ period_start: '2020-01-01', count: -1 }], 'ears-c1')).toThrow(DetectionInputError);
    expect(() => detect(weekly([1]), 'shewhart' as 'ears-c1')).toThrow(DetectionInputError);
    expect(detect([], 'farrington')).toEqual([]);
  });
});

describe('regularizeWeekly', () => {
  it('sorts and fills gaps with 0 (or null)', () => {
    const pts = [
      { period_start: '2024-01-15', count: 3 },
      { period_start: '2024-01-01', count: 1 },
    ];
    expect(regularizeWeekly(pts)).toEqual([
      { period_start: '2024-01-01', count: 1 },
      { period_start: '2024-01-08', count: 0 },
      { period_start: '2024-01-15', count: 3 },
    ]);
    expect(regularizeWeekly(pts, null)[1]!.count).toBeNull();
  });

  it('rejects duplicates and off-grid weeks', () => {
    expect(() => regularizeWeekly([{ period_start: '2024-01-01', count: 1 }, { period_start: '2024-01-01', count: 2 }])).toThrow(
      DetectionInputError,
    );
    expect(() => regularizeWeekly([{ period_start: '2024-01-01', count: 1 }, { period_start: '2024-01-03', count: 2 }])).toThrow(
      DetectionInputError,
    );
  });
});

describe('recommendMethod', () => {
  it('knows how many weeks "b years back" needs', () => {
    expect([1, 2, 3, 4, 5].map(farringtonHistoryWeeks)).toEqual([52, 104, 157, 209, 261]);
  });

  it.each([
    [400, 'farrington', undefined],
    [261, 'farrington', undefined],
    [260, 'farrington', 4],
    [157, 'farrington', 3],
    [120, 'farrington', 2],
    [103, 'ears-c2', undefined],
    [9, 'ears-c2', undefined],
    [8, 'ears-c1', undefined],
    [6, null, undefined],
  ] as const)('%i weeks of history → %s (b = %s)', (weeks, method, b) => {
    const r = recommendMethod(weeks);
    expect(r.method).toBe(method);
    expect((r.params as { b?: number }).b).toBe(b);
    expect(r.reason.length).toBeGreaterThan(10);
  });

  it('a recommended Farrington b always yields a row for the week after that history', () => {
    for (const weeks of [104, 157, 209, 261]) {
      const r = recommendMethod(weeks);
      if (r.method !== 'farrington') throw new Error('expected Farrington');
      const s = weekly(seasonal(weeks + 1), '2019-06-03');
      const rows = detect(s, 'farrington', r.params);
      expect(rows.at(-1)?.period_start).toBe(s[weeks]!.period_start);
    }
  });
});

describe('explainRow', () => {
  const base: DetectionRow = {
    period_start: '2024-03-04',
    count: 17,
    expected: 6.2,
    upper_bound: 12.4,
    alarm: true,
    details: { method: 'ears-c2', statistic: 5, sd: 2 },
  };
  it('uses the indicator’s noun', () => {
    expect(explainRow(base, { singular: 'non-fatal overdose', plural: 'non-fatal overdoses' })).toBe(
      '17 non-fatal overdoses against an expected 6.2; threshold 12.4 — alarm',
    );
    expect(explainRow({ ...base, count: 1, alarm: false })).toBe('1 event against an expected 6.2; threshold 12.4 — no alarm');
  });
  it('says when Farrington’s recent-cases rule held an alarm back', () => {
    const row: DetectionRow = {
      ...base,
      count: 4,
      expected: 0.4,
      upper_bound: 3,
      alarm: false,
      details: { method: 'farrington', phi: 1, trend: false, trendCoefficient: null, score: 1.3, enoughCases: false },
    };
    expect(explainRow(row)).toMatch(/too few recent cases/);
  });
});
