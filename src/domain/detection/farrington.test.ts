import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './dates';
import {
  farringtonFlexible,
  FarringtonParamError,
  firstFarringtonIndex,
  NOUFAILY_DEFAULTS,
  referenceIndices,
  surveillanceWeights,
  type FarringtonParams,
} from './farrington';
import { detect, type DetectionRow } from './series';
import { median, num, readCsv, readInputSeries } from './fixtures/read-fixtures';

const input = readInputSeries();
const reference = readCsv('farrington.csv');

interface Agreement {
  bounds: number;
  medianRelDiff: number;
  exactBounds: number;
  alarms: number;
  alarmAgreement: number;
  alarmsR: number;
  alarmsOurs: number;
  missing: number;
}

/** Runs `detect` on every fixture series and compares with one set of R columns. */
function compareWithR(params: Partial<FarringtonParams>, suffix: string): Agreement {
  const ours = new Map<string, DetectionRow>();
  for (const [id, series] of input) for (const row of detect(series, 'farrington', params)) ours.set(`${id} ${row.period_start}`, row);
  const rel: number[] = [];
  let exact = 0;
  let alarms = 0;
  let agree = 0;
  let alarmsR = 0;
  let alarmsOurs = 0;
  let missing = 0;
  for (const r of reference) {
    const ub = num(r[`upperbound${suffix}`]);
    const alarm = num(r[`alarm${suffix}`]);
    if (alarm === null) continue; // the package could not fit this week
    const mine = ours.get(`${r['series_id']} ${r['period_start']}`);
    if (!mine) {
      missing++;
      continue;
    }
    alarms++;
    if ((alarm === 1) === mine.alarm) agree++;
    if (alarm === 1) alarmsR++;
    if (mine.alarm) alarmsOurs++;
    if (ub !== null) {
      const d = Math.abs(mine.upper_bound - ub);
      rel.push(ub === 0 ? d : d / ub);
      if (d <= 1e-6 * Math.max(1, ub)) exact++;
    }
  }
  return {
    bounds: rel.length,
    medianRelDiff: median(rel),
    exactBounds: exact / rel.length,
    alarms,
    alarmAgreement: agree / alarms,
    alarmsR,
    alarmsOurs,
    missing,
  };
}

describe('farringtonFlexible against R surveillance 1.20.3 (fixtures/reference.R)', () => {
  it('Noufaily settings (the issue’s defaults): upper bound and alarms', () => {
    const a = compareWithR({}, '');
    expect(a.missing).toBe(0);
    expect(a.bounds).toBeGreaterThan(2000);
    expect(a.medianRelDiff).toBeLessThanOrEqual(0.01);
    expect(a.alarmAgreement).toBeGreaterThanOrEqual(0.99);
    expect(a.alarmsR).toBeGreaterThan(20);
    // in practice the implementation reproduces R almost everywhere
    expect(a.exactBounds).toBeGreaterThan(0.99);
    expect(a.alarmAgreement).toBeGreaterThan(0.998);
  });

  it('expected values match R where R reports them', () => {
    const ours = new Map<string, DetectionRow>();
    for (const [id, series] of input) for (const row of detect(series, 'farrington')) ours.set(`${id} ${row.period_start}`, row);
    const rel: number[] = [];
    for (const r of reference) {
      const e = num(r['expected']);
      if (e === null) continue;
      const mine = ours.get(`${r['series_id']} ${r['period_start']}`)!;
      rel.push(Math.abs(mine.expected - e) / Math.max(e, 1e-8));
    }
    expect(median(rel)).toBeLessThan(1e-6);
  });

  it('the "muan" threshold', () => {
    const a = compareWithR({ thresholdMethod: 'muan' }, '_muan');
    expect(a.medianRelDiff).toBeLessThanOrEqual(0.01);
    expect(a.alarmAgreement).toBeGreaterThanOrEqual(0.99);
  });

  it('farringtonFlexible’s own defaults: delta threshold, no seasonal factor, trend test at 5%', () => {
    const a = compareWithR(
      {
        noPeriods: 1,
        pastWeeksNotIncluded: null,
        thresholdMethod: 'delta',
        weightsThreshold: 1,
        pThresholdTrend: 0.05,
        alpha: 0.01,
      },
      '_original',
    );
    expect(a.medianRelDiff).toBeLessThanOrEqual(0.01);
    expect(a.alarmAgreement).toBeGreaterThanOrEqual(0.99);
  });

  it('years of exactly 52 weeks (an sts without dates)', () => {
    const a = compareWithR({ yearLag: 'weeks52' }, '_weeks52');
    expect(a.medianRelDiff).toBeLessThanOrEqual(0.01);
    expect(a.alarmAgreement).toBeGreaterThanOrEqual(0.99);
  });
});

describe('farrington reference data', () => {
  const monday = parseIsoDate('2017-01-02');

  it('finds the same week 1…5 years back by calendar date, as R does', () => {
    // Monday 2022-01-03: the Mondays closest to 3 January 2021, 2020, 2019, 2018, 2017 are
    // 2021-01-04, 2020-01-06, 2018-12-31, 2018-01-01 and 2017-01-02: 52, 104, 157, 209, 261 weeks back.
    const k = (parseIsoDate('2022-01-03') - monday) / 7;
    const ref = referenceIndices(k, monday, 5, 'calendar');
    expect(ref?.map((i) => k - i)).toEqual([0, 52, 104, 157, 209, 261]);
    expect(referenceIndices(k, monday, 5, 'weeks52')?.map((i) => k - i)).toEqual([0, 52, 104, 156, 208, 260]);
  });

  it('needs b years of history', () => {
    expect(firstFarringtonIndex(400, monday)).toBe(261);
    expect(firstFarringtonIndex(400, monday, { b: 3 })).toBeLessThanOrEqual(157);
    expect(firstFarringtonIndex(200, monday)).toBeNull();
    const counts = new Float64Array(262).fill(3);
    expect(farringtonFlexible(counts, monday).map((p) => p.index)).toEqual([261]);
  });

  it('assigns surveillance weights: s⁻² above the threshold, 1 otherwise, scaled to mean 1', () => {
    const w = surveillanceWeights([0, 1, 3, -4], 2.58);
    const raw = [1, 1, 1 / 9, 1];
    const gamma = 4 / raw.reduce((a, b) => a + b, 0);
    Array.from(w).forEach((v, i) => expect(v).toBeCloseTo(raw[i]! * gamma, 14));
  });

  it('validates parameters', () => {
    const counts = new Float64Array(300).fill(1);
    expect(() => farringtonFlexible(counts, monday, { b: 0 })).toThrow(FarringtonParamError);
    expect(() => farringtonFlexible(counts, monday, { alpha: 1 })).toThrow(FarringtonParamError);
    expect(() => farringtonFlexible(counts, monday, { noPeriods: 60 })).toThrow(FarringtonParamError);
    expect(() => farringtonFlexible([1, -1], monday)).toThrow(FarringtonParamError);
  });

  it('gives no row when the reference data are all zero (the GLM does not converge, R returns NA)', () => {
    const counts = new Float64Array(300);
    counts[299] = 3;
    expect(farringtonFlexible(counts, monday)).toEqual([]);
  });

  it('handles sparse histories: small bounds, alarms only with enough recent cases', () => {
    const counts = new Float64Array(320);
    for (let i = 0; i < 320; i += 9) counts[i] = 1;
    counts[317] = 2;
    counts[318] = 1;
    counts[319] = 3;
    const pts = farringtonFlexible(counts, monday, {}, 300);
    expect(pts).toHaveLength(20);
    const last = pts.at(-1)!;
    expect(last.upperBound).toBeLessThanOrEqual(2);
    expect(last.enoughCases).toBe(true);
    expect(last.alarm).toBe(true);
    const quiet = farringtonFlexible(counts, monday, { limit54: [10, 4] }, 319)[0]!;
    expect(quiet.alarm).toBe(false); // same week, stricter recent-cases rule
  });

  it('raises an alarm on a clear spike with enough recent cases', () => {
    const counts = Float64Array.from({ length: 320 }, (_, i) => 10 + ((i * 7) % 5) - 2);
    counts[319] = 40;
    const pts = farringtonFlexible(counts, monday, NOUFAILY_DEFAULTS, 319);
    expect(pts).toHaveLength(1);
    expect(pts[0]!.alarm).toBe(true);
    expect(pts[0]!.expected).toBeGreaterThan(8);
    expect(pts[0]!.upperBound).toBeLessThan(25);
  });

  it('leaves missing weeks out of the fit and never alarms on them', () => {
    const counts = Float64Array.from({ length: 320 }, (_, i) => 10 + ((i * 7) % 5) - 2);
    counts[100] = Number.NaN;
    counts[319] = Number.NaN;
    const pts = farringtonFlexible(counts, monday, {}, 300);
    expect(pts.at(-1)!.alarm).toBe(false);
    expect(pts.every((p) => Number.isFinite(p.upperBound))).toBe(true);
  });
});
