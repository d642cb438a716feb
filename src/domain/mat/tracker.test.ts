import { describe, expect, it } from 'vitest';
import { buildServiceData, buildTracker, buildTrackerSeries, rankServices, TrackerAccumulator, trackerGroupOf, type ClassifiedRow, type TrackerSummary } from './tracker';
import type { Cohort, MatStage, Medication, OgBand, Regime } from './types';

type C = ClassifiedRow['classification'];
const cls = (stage: MatStage | null, cohort: Cohort | null, medication: Medication | null, doseMg: number | null, ogBand: OgBand | null = null, regime: Regime | null = null): C => ({
  inMat: stage !== null,
  stage,
  cohort,
  medication,
  doseMg,
  ogBand,
  regime,
});

describe('trackerGroupOf', () => {
  it.each<[C, string | null]>([
    [cls('MAT1', null, 'methadone', 30), 'mat1'],
    [cls('MAT2', 'red', 'methadone', 30), 'red'],
    [cls('MAT2', 'amber', 'methadone', 60), 'amber'],
    [cls('MAT3', 'green', 'methadone', 60), 'green'],
    [cls('MAT3', 'grey', 'methadone', 30), 'grey'],
    [cls('MAT4', null, 'methadone', 30), 'mat4'],
    [cls('uncategorised', null, 'methadone', 30), 'uncategorised'],
    [cls('MAT2', null, 'diamorphine', 300), 'mat2NoBand'],
    [cls('MAT3', null, 'other', 10), 'mat3NoBand'],
    [cls(null, null, null, null), null],
  ])('%j → %s', (c, g) => expect(trackerGroupOf(c)).toBe(g));
});

const rows: ClassifiedRow[] = [
  { service_id: 'A', classification: cls('MAT1', null, 'methadone', 30, 'below') },
  { service_id: 'A', classification: cls('MAT2', 'red', 'methadone', 40, 'below', 'reducing') },
  { service_id: 'A', classification: cls('MAT2', 'red', 'methadone', 50, 'below', 'static') },
  { service_id: 'A', classification: cls('MAT2', 'red', 'buprenorphine', 8, 'below', 'static') },
  { service_id: 'A', classification: cls('MAT2', 'amber', 'methadone', 80, 'at_or_above', 'increasing') },
  { service_id: 'A', classification: cls('MAT3', 'green', 'buprenorphine', 16, 'at_or_above', 'static') },
  { service_id: 'A', classification: cls('MAT3', 'green', 'buprenorphine_weekly_injection', 24, 'at_or_above', 'static') },
  { service_id: 'A', classification: cls('MAT3', null, 'diamorphine', 300, 'n/a', null) },
  { service_id: 'B', classification: cls('MAT3', 'grey', 'methadone', 30, 'below', 'reducing') },
  { service_id: 'B', classification: cls('MAT4', null, 'methadone', 20, 'below', 'detox') },
  { service_id: 'B', classification: cls('uncategorised', null, 'methadone', null, 'n/a', null) },
  { service_id: 'B', classification: cls(null, null, null, null) }, // not in MAT: ignored
];

describe('buildTracker', () => {
  const t = buildTracker(rows);
  it('counts everyone in MAT once, in exactly one group', () => {
    const a = t.services.A as TrackerSummary;
    expect(a.inMat).toBe(8);
    expect(Object.fromEntries(Object.entries(a.groups).map(([k, v]) => [k, v.count]))).toEqual({
      mat1: 1,
      red: 3,
      amber: 1,
      green: 2,
      grey: 0,
      mat4: 0,
      uncategorised: 0,
      mat2NoBand: 0,
      mat3NoBand: 1,
    });
    for (const s of [t.organisation, a, t.services.B as TrackerSummary]) {
      expect(Object.values(s.groups).reduce((n, g) => n + g.count, 0)).toBe(s.inMat);
    }
    expect(t.organisation.inMat).toBe(11);
  });
  it('percentages of in MAT and mean doses per cohort', () => {
    const a = t.services.A as TrackerSummary;
    expect(a.groups.red.pct).toBeCloseTo(37.5, 10);
    expect(a.groups.red.meanMethadoneMg).toBe(45);
    expect(a.groups.red.meanBuprenorphineMg).toBe(8);
    expect(a.groups.green.meanBuprenorphineMg).toBe(16); // the injection is left out of the SL mean
    expect(a.groups.grey).toEqual({ count: 0, pct: 0, meanMethadoneMg: null, meanBuprenorphineMg: null });
    expect(a.mat2).toMatchObject({ count: 4, pct: 50, meanMethadoneMg: (40 + 50 + 80) / 3, meanBuprenorphineMg: 8 });
    expect(a.mat3.count).toBe(3);
    expect(t.organisation.groups.uncategorised).toEqual({ count: 1, pct: (1 / 11) * 100, meanMethadoneMg: null, meanBuprenorphineMg: null });
    expect(t.organisation.maintenance.count).toBe(4 + 4 + 1);
  });
  it('empty population: zero counts and null percentages', () => {
    const e = buildTracker([]).organisation;
    expect(e.inMat).toBe(0);
    expect(e.groups.red).toEqual({ count: 0, pct: null, meanMethadoneMg: null, meanBuprenorphineMg: null });
  });
});

describe('buildTrackerSeries equals one buildTracker per month', () => {
  it('for a two-month series', () => {
    const people = [
      { service_id: 'A', classifications: [rows[1]?.classification as C, rows[5]?.classification as C] },
      { service_id: 'B', classifications: [rows[8]?.classification as C, rows[11]?.classification as C] },
    ];
    const series = buildTrackerSeries(people, ['2018-09', '2018-10']);
    expect(series[0]).toEqual({ month: '2018-09', ...buildTracker(people.map((p) => ({ service_id: p.service_id, classification: p.classifications[0] as C }))) });
    expect(series[1]).toEqual({ month: '2018-10', ...buildTracker(people.map((p) => ({ service_id: p.service_id, classification: p.classifications[1] as C }))) });
  });
});

describe('buildServiceData (Figure 8)', () => {
  const sd = buildServiceData(rows);
  it('splits MAT 2 and MAT 3 by OG band × regime', () => {
    const a = sd.services.A;
    expect(a?.inMat).toBe(8);
    expect(a?.mat1.count).toBe(1);
    expect(a?.mat2.count).toBe(4);
    expect(a?.mat2.byBand.below).toMatchObject({ count: 3, pct: 37.5, meanMethadoneMg: 45, meanBuprenorphineMg: 8 });
    expect(a?.mat2.byBand.at_or_above).toMatchObject({ count: 1, meanMethadoneMg: 80 });
    expect(a?.mat2.byRegime).toMatchObject({ reducing: { count: 1 }, static: { count: 2 }, increasing: { count: 1 }, detox: { count: 0 }, unknown: { count: 0 } });
    expect(a?.mat2.byBandRegime.below.static.count).toBe(2);
    expect(a?.mat2.byBandRegime.below.reducing).toMatchObject({ count: 1, pct: 12.5, meanMethadoneMg: 40 });
    expect(a?.mat3.byBand['n/a'].count).toBe(1);
    expect(a?.mat3.byBandRegime['n/a'].unknown.count).toBe(1);
    expect(sd.services.B?.mat4.count).toBe(1);
    expect(sd.organisation.uncategorised.count).toBe(1);
    expect(sd.organisation.mat3.byBandRegime.below.reducing.count).toBe(1);
  });
});

describe('rankServices', () => {
  const summary = (red: number, green: number, n = 100): TrackerSummary => {
    const t = buildTracker([
      ...Array.from({ length: red }, () => ({ service_id: 'x', classification: cls('MAT2', 'red', 'methadone', 40) })),
      ...Array.from({ length: green }, () => ({ service_id: 'x', classification: cls('MAT3', 'green', 'methadone', 70) })),
      ...Array.from({ length: n - red - green }, () => ({ service_id: 'x', classification: cls('MAT1', null, 'methadone', 30) })),
    ]);
    return t.organisation;
  };
  const services = { S1: summary(30, 20), S2: summary(10, 50), S3: summary(30, 40), S4: summary(0, 0, 0) };
  it('lower red is better; ties share a rank; no data ranks last', () => {
    expect(rankServices(services, 'red')).toEqual([
      { service_id: 'S2', value: 10, rank: 1, of: 3 },
      { service_id: 'S1', value: 30, rank: 2, of: 3 },
      { service_id: 'S3', value: 30, rank: 2, of: 3 },
      { service_id: 'S4', value: null, rank: null, of: 3 },
    ]);
  });
  it('higher green is better', () => {
    expect(rankServices(services, 'green').map((r) => [r.service_id, r.rank])).toEqual([
      ['S2', 1],
      ['S3', 2],
      ['S1', 3],
      ['S4', null],
    ]);
  });
  it('a metric with no direction needs one', () => {
    expect(() => rankServices(services, 'mat1')).toThrow(RangeError);
    expect(rankServices(services, 'mat1', 'lower')[0]?.service_id).toBe('S3'); // MAT 1: S1 50%, S2 40%, S3 30%
  });
});

describe('TrackerAccumulator.remove', () => {
  const c = (stage: 'MAT2' | 'MAT3' | 'uncategorised', cohort: 'red' | 'amber' | null, medication: 'methadone' | 'buprenorphine', doseMg: number | null) =>
    ({ inMat: true, stage, cohort, medication, doseMg }) as const;
  const people = [
    c('MAT2', 'red', 'methadone', 55.3),
    c('MAT2', 'amber', 'methadone', 0.1),
    c('MAT3', null, 'buprenorphine', 0.2),
    c('MAT2', 'red', 'methadone', 60),
    c('uncategorised', null, 'methadone', null),
    c('MAT3', null, 'buprenorphine', 12.7),
  ];

  it('takes a person back exactly: the same figures as never adding them, in any order', () => {
    const kept = people.slice(1, 5);
    const churned = new TrackerAccumulator();
    for (const p of people) churned.add(p);
    churned.remove(people[0] as (typeof people)[0]);
    churned.remove(people[5] as (typeof people)[0]);
    const fresh = new TrackerAccumulator();
    for (const p of [...kept].reverse()) fresh.add(p);
    expect(churned.summary()).toEqual(fresh.summary());
    expect(fresh.summary().mat2.meanMethadoneMg).toBe((0.1 + 60) / 2);
  });

  it('sums doses exactly whatever the order', () => {
    const a = new TrackerAccumulator();
    const b = new TrackerAccumulator();
    for (const p of people) a.add(p);
    for (const p of [...people].reverse()) b.add(p);
    expect(a.summary()).toEqual(b.summary());
    expect(a.summary().all.meanBuprenorphineMg).toBe(12.9 / 2);
  });
});
