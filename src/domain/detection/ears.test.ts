import { describe, expect, it } from 'vitest';
import { earsC, EarsParamError, firstEarsIndex } from './ears';
import { qnorm } from './distributions';
import { detect, type DetectionRow } from './series';
import { median, num, readCsv, readInputSeries } from './fixtures/read-fixtures';

const input = readInputSeries();
const reference = readCsv('ears.csv');

function run(method: 'ears-c1' | 'ears-c2' | 'ears-c3'): Map<string, DetectionRow> {
  const out = new Map<string, DetectionRow>();
  for (const [id, series] of input) for (const row of detect(series, method)) out.set(`${id} ${row.period_start}`, row);
  return out;
}

function compare(method: 'ears-c1' | 'ears-c2', prefix: string) {
  const ours = run(method);
  const rel: number[] = [];
  let n = 0;
  let agree = 0;
  let alarmsR = 0;
  for (const r of reference) {
    const ub = num(r[`${prefix}_upperbound`]);
    const alarm = num(r[`${prefix}_alarm`]);
    if (ub === null || alarm === null) continue;
    const mine = ours.get(`${r['series_id']} ${r['period_start']}`);
    expect(mine, `${r['series_id']} ${r['period_start']}`).toBeDefined();
    rel.push(ub === 0 ? Math.abs(mine!.upper_bound) : Math.abs(mine!.upper_bound - ub) / ub);
    n++;
    if ((alarm === 1) === mine!.alarm) agree++;
    if (alarm === 1) alarmsR++;
  }
  return { n, medianRelDiff: median(rel), maxRelDiff: Math.max(...rel), agreement: agree / n, alarmsR };
}

describe('EARS against R surveillance::earsC (baseline 7, default alphas)', () => {
  it('C1 reproduces upper bounds and alarms', () => {
    const c = compare('ears-c1', 'c1');
    expect(c.n).toBeGreaterThan(10_000);
    expect(c.medianRelDiff).toBeLessThanOrEqual(0.01);
    expect(c.agreement).toBeGreaterThanOrEqual(0.99);
    expect(c.maxRelDiff).toBeLessThan(1e-8); // in fact identical to rounding
    expect(c.agreement).toBe(1);
  });

  it('C2 reproduces upper bounds and alarms', () => {
    const c = compare('ears-c2', 'c2');
    expect(c.n).toBeGreaterThan(10_000);
    expect(c.medianRelDiff).toBeLessThanOrEqual(0.01);
    expect(c.agreement).toBeGreaterThanOrEqual(0.99);
    expect(c.maxRelDiff).toBeLessThan(1e-8);
    expect(c.agreement).toBe(1);
  });

  it('C3 implements the documented statistic (independent R computation in reference.R)', () => {
    const ours = run('ears-c3');
    let n = 0;
    let agree = 0;
    for (const r of reference) {
      const stat = num(r['c3_stat']);
      if (stat === null) continue;
      const mine = ours.get(`${r['series_id']} ${r['period_start']}`)!;
      if (mine.details.method !== 'ears-c3') throw new Error('expected C3 details');
      n++;
      if (Number.isFinite(stat)) expect(mine.details.statistic).toBeCloseTo(stat, 6);
      else expect(mine.details.statistic).toBe(Infinity);
      if ((num(r['c3_alarm']) === 1) === mine.alarm) agree++;
    }
    expect(n).toBeGreaterThan(10_000);
    expect(agree).toBe(n);
  });

  it('C3: the package sums only the two previous periods — its alarm lags by one period', () => {
    const ours = run('ears-c3');
    const z = qnorm(1 - 0.025);
    let checkedBounds = 0;
    let pkgAlarms = 0;
    let docAlarmsWithoutPkg = 0;
    for (const [id, series] of input) {
      const rows = series.map((s) => ours.get(`${id} ${s.period_start}`));
      const refRows = new Map(reference.filter((r) => r['series_id'] === id).map((r) => [r['period_start'], r]));
      rows.forEach((mine, t) => {
        if (!mine || mine.details.method !== 'ears-c3') return;
        const r = refRows.get(mine.period_start);
        const ubPkg = num(r?.['c3_upperbound_pkg']);
        const alarmPkg = num(r?.['c3_alarm_pkg']);
        const prevExcess = mine.details.previousExcess!;
        // The package's bound is max(0, y + sd·(z − excess of the two previous periods)).
        if (ubPkg !== null && Number.isFinite(ubPkg) && Number.isFinite(prevExcess) && mine.details.sd > 0) {
          expect(Math.max(0, mine.count! + mine.details.sd * (z - prevExcess))).toBeCloseTo(ubPkg, 5);
          checkedBounds++;
        }
        if (alarmPkg === 1) {
          pkgAlarms++;
          // …so a package alarm in week t means the documented C3 had already alarmed in week t − 1
          const prev = rows[t - 1];
          if (prev) expect(prev.alarm).toBe(true);
        }
        if (mine.alarm && alarmPkg === 0) docAlarmsWithoutPkg++;
      });
    }
    expect(checkedBounds).toBeGreaterThan(5_000);
    expect(pkgAlarms).toBeGreaterThan(50);
    expect(docAlarmsWithoutPkg).toBeGreaterThan(0); // e.g. the first week of an outbreak
  });
});

describe('EARS basics', () => {
  it('C1: mean + z·sd over the previous 7 periods', () => {
    const counts = [1, 2, 3, 4, 5, 6, 7, 20];
    const [pt] = earsC(counts, 'C1');
    const mean = 4;
    const sd = Math.sqrt(28 / 6);
    expect(pt!.index).toBe(7);
    expect(pt!.expected).toBeCloseTo(mean, 12);
    expect(pt!.upperBound).toBeCloseTo(mean + qnorm(0.999) * sd, 12);
    expect(pt!.alarm).toBe(true);
  });

  it('C2 skips the two most recent periods', () => {
    const counts = [1, 1, 1, 1, 1, 1, 1, 50, 50, 2];
    const [pt] = earsC(counts, 'C2');
    expect(pt!.index).toBe(9);
    expect(pt!.expected).toBe(1);
    expect(pt!.upperBound).toBe(1); // flat baseline: sd 0, the bound is the mean (as R)
    expect(pt!.alarm).toBe(true);
  });

  it('C3 alarms in the first week of a jump; the package would wait a week', () => {
    const counts = [5, 6, 5, 4, 5, 6, 5, 4, 5, 5, 5, 30];
    const [pt] = earsC(counts, 'C3');
    expect(pt!.index).toBe(11);
    expect(pt!.previousExcess).toBe(0);
    expect(pt!.alarm).toBe(true);
    expect(pt!.count).toBeGreaterThan(pt!.upperBound);
  });

  it('C3 keeps alarming while the previous weeks carry the excess', () => {
    const counts = [5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 30, 30, 0];
    const pts = earsC(counts, 'C3');
    const last = pts.at(-1)!;
    expect(last.previousExcess!).toBeGreaterThan(qnorm(0.975));
    expect(last.alarm).toBe(true);
    expect(last.upperBound).toBe(0);
  });

  it('history requirements and parameters', () => {
    expect([firstEarsIndex('C1'), firstEarsIndex('C2'), firstEarsIndex('C3')]).toEqual([7, 9, 11]);
    expect(earsC([1, 2, 3], 'C1')).toEqual([]);
    expect(() => earsC([1, 2, 3], 'C1', { baseline: 2 })).toThrow(EarsParamError);
    expect(() => earsC([1, 2, 3], 'C1', { alpha: 0 })).toThrow(EarsParamError);
    const lower = earsC([1, 2, 3, 4, 5, 6, 7, 8], 'C1', { alpha: 0.05 })[0]!;
    const higher = earsC([1, 2, 3, 4, 5, 6, 7, 8], 'C1')[0]!;
    expect(lower.upperBound).toBeLessThan(higher.upperBound);
    expect(earsC([1, 1, 1, 1, 1, 1, 1, 2], 'C1', { minSigma: 1 })[0]!.upperBound).toBeCloseTo(1 + qnorm(0.999), 12);
  });

  it('skips periods whose baseline has a missing week', () => {
    const counts = [1, 2, Number.NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const idx = earsC(counts, 'C1').map((p) => p.index);
    expect(idx).toEqual([10, 11, 12, 13, 14, 15]);
  });
});
