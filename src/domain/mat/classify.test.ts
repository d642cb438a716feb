import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyDates, classifyMonthEnds, classifyPerson, decideMat, toReportPerson } from './classify';
import { defaultMatConfig as cfg } from './config';
import { fromDayNumber, monthEnd, monthsEndingWith, toDayNumber } from './dates';
import { ogBand } from './dose';
import { isIllicitOpioid } from './evidence';
import { computeFeatures, prepareHistory, type MatFeatures } from './features';
import { cohortFor } from './stage';
import { person, review, rx, test, top } from './test-factories';
import { MEDICATIONS, SUBSTANCES, type DrugTestRow, type MatStage, type PersonHistory, type PrescriptionSegment, type Top } from './types';

describe('classifyPerson: whole decisions with reasons', () => {
  const example = person({
    prescriptions: [
      rx('2018-06-01', '2018-08-31', 50, 'methadone', { prescription_id: 'P1', supervised: true, pickup: 'daily' }),
      rx('2018-09-01', null, 40, 'methadone', { prescription_id: 'P2', supervised: true, pickup: 'daily' }),
    ],
    tops: [top('2018-09-14', 12, { top_id: 'TOP9' })],
  });

  it('reproduces the issue example: MAT 2 red, reducing, with its evidence', () => {
    const c = classifyPerson(example, '2018-09-17', cfg);
    expect(c).toMatchObject({
      date: '2018-09-17',
      inMat: true,
      stage: 'MAT2',
      cohort: 'red',
      ogBand: 'below',
      regime: 'reducing',
      medication: 'methadone',
      doseMg: 40,
      highDose: false,
      supervised: true,
      pickup: 'daily',
      prescriptionId: 'P2',
      continuousStart: '2018-06-01',
      daysSinceStart: 108,
      previousDoseMg: 50,
      previousDoseDate: '2018-08-20',
      reductionPlan: null,
      evidence: { date: '2018-09-14', source: 'top', positive: true, opiateDays: 12, illicitSubstances: [] },
      latestTop: { top_id: 'TOP9', date: '2018-09-14', opiate_days: 12 },
      lastEvidenceDate: '2018-09-14',
    });
    expect(c.reasons).toEqual([
      'MAT 2 (using on top): latest evidence shows illicit opioid use',
      'TOP 2018-09-14: opiates on 12 of 28 days',
      'methadone 40 mg since 2018-06-01, reducing from 50 mg on 2018-08-20',
      'Below OG dose (< 60 mg)',
    ]);
    expect(c.evidenceRefs).toEqual([
      { kind: 'prescription', id: 'P2', date: '2018-09-01' },
      { kind: 'prescription', id: 'P1', date: '2018-08-20' },
      { kind: 'top', id: 'TOP9', date: '2018-09-14' },
    ]);
  });

  it('reasons can be switched off for bulk work without changing the decision', () => {
    const a = classifyPerson(example, '2018-09-17', cfg);
    const b = classifyPerson(example, '2018-09-17', cfg, { reasons: false });
    expect(b.reasons).toEqual([]);
    expect(b.evidenceRefs).toEqual([]);
    expect({ ...b, reasons: a.reasons, evidenceRefs: a.evidenceRefs }).toEqual(a);
  });

  it('ignores records dated after the classification date', () => {
    const h = person({
      prescriptions: [rx('2018-01-01', null, 70)],
      tops: [top('2018-09-01', 0), top('2018-10-05', 20)],
      drug_tests: test('2018-10-02', { heroin_6mam: 'positive' }),
    });
    expect(classifyPerson(h, '2018-09-30', cfg).stage).toBe('MAT3');
    expect(classifyPerson(h, '2018-09-30', cfg).cohort).toBe('green');
    expect(classifyPerson(h, '2018-10-31', cfg).stage).toBe('MAT2');
  });

  it('not in MAT: no stage, band or cohort', () => {
    const h = person({ prescriptions: [rx('2018-01-01', '2018-08-31')], tops: [top('2018-09-10', 5)] });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c).toMatchObject({ inMat: false, stage: null, cohort: null, ogBand: null, regime: null, medication: null, doseMg: null });
    expect(c.reasons).toEqual(['Not in MAT on 2018-09-30: no OST prescription covers this date']);
  });

  it('uncategorised says when the last evidence was', () => {
    const h = person({ prescriptions: [rx('2018-01-01', null, 80)], tops: [top('2018-03-01', 0)] });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c.stage).toBe('uncategorised');
    expect(c.cohort).toBeNull();
    expect(c.ogBand).toBe('at_or_above');
    expect(c.regime).toBe('static');
    expect(c.reasons[0]).toBe('Uncategorised: no TOP or drug test from 2018-07-01 to 2018-09-30 (91-day window); last on 2018-03-01');
  });

  it('MAT 1 reason and regime unknown early in induction', () => {
    const h = person({ prescriptions: [rx('2018-09-20', null, 30)] });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c.stage).toBe('MAT1');
    expect(c.regime).toBeNull();
    expect(c.reasons[0]).toBe('MAT 1 (induction): continuous prescription since 2018-09-20, 10 days before 2018-09-30 (induction is up to 28 days)');
  });

  it('MAT 4: detox regime, reason names the plan; an overrun is pointed out', () => {
    const h = person({
      prescriptions: [
        rx('2018-01-01', '2018-08-31', 60),
        rx('2018-09-01', '2018-09-30', 40, 'methadone', { reduction_plan: true, planned_end_date: '2018-11-30', prescription_id: 'R1' }),
        rx('2018-10-01', null, 20, 'methadone', { reduction_plan: true, planned_end_date: null, prescription_id: 'R2' }),
      ],
      tops: [top('2018-09-15', 3)],
    });
    const c = classifyPerson(h, '2018-10-31', cfg);
    expect(c.stage).toBe('MAT4');
    expect(c.regime).toBe('detox');
    expect(c.cohort).toBeNull();
    expect(c.reductionPlan).toEqual({ start: '2018-09-01', plannedEnd: '2018-11-30', withinDetoxWindow: true });
    expect(c.reasons[0]).toBe('MAT 4 (detoxification): reduction plan from 2018-09-01 to 0 mg by 2018-11-30, within 3 months');
    expect(c.evidenceRefs.map((r) => r.id)).toEqual(['R2', 'R1']);
    const late = classifyPerson(h, '2018-12-31', cfg);
    expect(late.stage).toBe('MAT4');
    expect(late.reasons[1]).toBe('Reduction plan overran: planned to reach 0 mg by 2018-11-30 but still prescribed on 2018-12-31');
  });

  it('a slow reduction is MAT 2/3 with a reducing regime', () => {
    const h = person({
      prescriptions: [
        rx('2018-01-01', '2018-08-31', 60),
        rx('2018-09-01', null, 50, 'methadone', { reduction_plan: true, planned_end_date: '2019-06-01' }),
      ],
      drug_tests: test('2018-09-20', { heroin_6mam: 'negative', methadone: 'positive' }),
    });
    const c = classifyPerson(h, '2018-09-28', cfg);
    expect(c).toMatchObject({ stage: 'MAT3', cohort: 'grey', regime: 'reducing' });
    expect(c.reasons).toContain('Reduction plan from 2018-09-01 to 0 mg by 2019-06-01 is longer than 3 months (slow reduction): not MAT 4');
    expect(c.reasons).toContain('Drug test 2018-09-20: no illicit opioid (methadone positive, as prescribed)');
  });

  it('a buprenorphine positive for a methadone patient is on top (an opioid other than the one prescribed)', () => {
    const h = person({ prescriptions: [rx('2018-01-01', null, 70)], drug_tests: test('2018-09-20', { buprenorphine: 'positive', methadone: 'positive' }) });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c).toMatchObject({ stage: 'MAT2', cohort: 'amber' });
    expect(c.evidence?.illicitSubstances).toEqual(['buprenorphine']);
    expect(c.reasons).toContain('Drug test 2018-09-20: positive for buprenorphine');
  });

  it('other OST is in a stage with no OG band and no cohort', () => {
    const h = person({ prescriptions: [rx('2018-01-01', null, 400, 'diamorphine')], tops: [top('2018-09-10', 0)] });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c).toMatchObject({ stage: 'MAT3', ogBand: 'n/a', cohort: null });
    expect(c.reasons).toContain('No OG band for diamorphine');
  });

  it('injection: dose per injection with its sublingual equivalent', () => {
    const h = person({ prescriptions: [rx('2018-01-01', null, 96, 'buprenorphine_monthly_injection')], tops: [top('2018-09-10', 0)] });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c).toMatchObject({ stage: 'MAT3', ogBand: 'at_or_above', cohort: 'green', doseMg: 96, slEquivalentMg: { minMg: 12, maxMg: 16 } });
  });

  it('high dose methadone is flagged and still at/above OG', () => {
    const h = person({ prescriptions: [rx('2018-01-01', null, 150)], tops: [top('2018-09-10', 2)] });
    const c = classifyPerson(h, '2018-09-30', cfg);
    expect(c).toMatchObject({ highDose: true, ogBand: 'at_or_above', cohort: 'amber' });
    expect(c.reasons).toContain('High dose (> 120 mg methadone): review, ECG/QTc');
  });

  it('maps to the JSON contract person entry', () => {
    const c = classifyPerson(example, '2018-09-17', cfg);
    expect(toReportPerson('A1', 'S1', c)).toEqual({
      person_id: 'A1',
      service_id: 'S1',
      stage: 'MAT2',
      cohort: 'red',
      og_band: 'below',
      regime: 'reducing',
      medication: 'methadone',
      dose_mg: 40,
      high_dose: false,
      reasons: c.reasons,
    });
  });

  it('decideMat works from features computed elsewhere (e.g. SQL)', () => {
    const f: MatFeatures = {
      date: '2018-10-31',
      current: { prescription_id: 'P', medication: 'buprenorphine', dose_mg: 8, start_date: '2018-05-01', supervised: false, pickup: 'weekly' },
      continuousStart: '2018-01-01',
      previous: { date: '2018-10-03', prescription_id: 'P0', medication: 'buprenorphine', dose_mg: 6 },
      reductionPlan: null,
      latestEvidence: { date: '2018-10-20', tops: [{ top_id: 'T', opiate_days: 0 }], tests: [{ test_id: 'X', illicit: ['fentanyl'], prescribedPositives: [], otherPositives: [], rows: 1 }] },
      latestTop: { top_id: 'T', date: '2018-10-20', opiate_days: 0 },
      lastEvidenceDate: '2018-10-20',
    };
    const c = decideMat(f, cfg);
    expect(c).toMatchObject({ stage: 'MAT2', cohort: 'red', regime: 'increasing', evidence: { source: 'top_and_drug_test', positive: true, illicitSubstances: ['fentanyl'] } });
  });
});

describe('classifyMonthEnds', () => {
  it('classifies each month end from one prepared history', () => {
    const h = person({
      prescriptions: [rx('2018-01-15', '2018-05-31', 40), rx('2018-06-01', null, 60)],
      tops: [top('2018-03-10', 10), top('2018-07-20', 0)],
    });
    const months = monthsEndingWith('2018-12', 13);
    const cs = classifyMonthEnds(h, months, cfg, { reasons: false });
    expect(cs.map((c) => [c.date, c.stage, c.cohort])).toEqual([
      ['2017-12-31', null, null],
      ['2018-01-31', 'MAT1', null],
      ['2018-02-28', 'uncategorised', null], // 44 days in, no evidence yet
      ['2018-03-31', 'MAT2', 'red'],
      ['2018-04-30', 'MAT2', 'red'],
      ['2018-05-31', 'MAT2', 'red'],
      ['2018-06-30', 'uncategorised', null], // TOP of 03-10 is 112 days old
      ['2018-07-31', 'MAT3', 'green'],
      ['2018-08-31', 'MAT3', 'green'],
      ['2018-09-30', 'MAT3', 'green'],
      ['2018-10-31', 'uncategorised', null], // TOP of 07-20 is 103 days old
      ['2018-11-30', 'uncategorised', null],
      ['2018-12-31', 'uncategorised', null],
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// A day-by-day reference implementation, written independently from the domain text, to
// check the fast classifier on random histories.

const D0 = toDayNumber('2017-01-01');
const SPAN = 760;

function refClassify(h: PersonHistory, date: string): { inMat: boolean; start: string | null; stage: MatStage | null; band: string | null; cohort: string | null } {
  const d = toDayNumber(date);
  const segs = h.prescriptions.map((s) => ({ s, a: toDayNumber(s.start_date), b: s.end_date === null ? Infinity : toDayNumber(s.end_date) }));
  const covered = (x: number) => segs.some((g) => g.a <= x && x <= g.b && g.a <= d);
  const current = segs
    .filter((g) => g.a <= d && d <= g.b)
    .sort((x, y) => x.a - y.a || (x.s.prescription_id < y.s.prescription_id ? -1 : 1))
    .pop();
  if (current === undefined) return { inMat: false, start: null, stage: null, band: null, cohort: null };
  // Walk back day by day; stop after more than 7 consecutive uncovered days.
  let start = d;
  let uncovered = 0;
  for (let x = d - 1; x >= D0 - 400; x--) {
    if (covered(x)) {
      start = x;
      uncovered = 0;
    } else if (++uncovered > cfg.continuityGapDays) break;
  }
  const band = ogBand(current.s.medication, current.s.dose_mg, cfg);
  let stage: MatStage;
  if (d - start <= 28) stage = 'MAT1';
  else {
    const evDates = [
      ...h.tops.filter((t) => typeof t.opiate_days === 'number' && t.opiate_days >= 0 && t.opiate_days <= 28).map((t) => t.date),
      ...h.drug_tests.filter((t) => t.result !== null).map((t) => t.date),
    ].filter((x) => toDayNumber(x) <= d && d - toDayNumber(x) <= 91);
    if (evDates.length === 0) stage = 'uncategorised';
    else {
      const e = evDates.sort().at(-1) as string;
      const ed = toDayNumber(e);
      const meds = segs.filter((g) => g.a <= ed && ed <= g.b + cfg.continuityGapDays).map((g) => g.s.medication);
      const pos =
        h.tops.some((t) => t.date === e && typeof t.opiate_days === 'number' && t.opiate_days > 0 && t.opiate_days <= 28) ||
        h.drug_tests.some((t) => t.date === e && t.result === 'positive' && isIllicitOpioid(t.substance, meds, cfg));
      stage = pos ? 'MAT2' : 'MAT3';
    }
  }
  return { inMat: true, start: fromDayNumber(start), stage, band, cohort: cohortFor(stage, band) };
}

const dayArb = fc.integer({ min: 0, max: SPAN });
const segArb = fc
  .record({
    start: dayArb,
    len: fc.integer({ min: 0, max: 200 }),
    open: fc.boolean(),
    dose: fc.constantFrom(null, 20, 40, 59, 60, 61, 8, 12, 16, 24, 96, 300),
    med: fc.constantFrom(...MEDICATIONS),
  })
  .map((r): Omit<PrescriptionSegment, 'prescription_id'> => ({
    medication: r.med,
    dose_mg: r.dose,
    start_date: fromDayNumber(D0 + r.start),
    end_date: r.open ? null : fromDayNumber(D0 + r.start + r.len),
  }));
const topArb = fc
  .record({ day: dayArb, opiate: fc.constantFrom(null, 0, 0, 1, 12, 28, 29) })
  .map((r): Omit<Top, 'top_id'> => ({ date: fromDayNumber(D0 + r.day), opiate_days: r.opiate }));
const testArb = fc
  .record({ day: dayArb, substance: fc.constantFrom(...SUBSTANCES), result: fc.constantFrom('positive' as const, 'negative' as const, null) })
  .map((r): Omit<DrugTestRow, 'test_id'> => ({ date: fromDayNumber(D0 + r.day), substance: r.substance, result: r.result }));
const historyArb = fc
  .record({
    segs: fc.array(segArb, { maxLength: 8 }),
    tops: fc.array(topArb, { maxLength: 6 }),
    tests: fc.array(testArb, { maxLength: 8 }),
  })
  .map(
    (r): PersonHistory => ({
      prescriptions: r.segs.map((s, i) => ({ ...s, prescription_id: `p${i}` })),
      tops: r.tops.map((t, i) => ({ ...t, top_id: `t${i}` })),
      drug_tests: r.tests.map((t, i) => ({ ...t, test_id: `x${i % 3}` })),
    }),
  );

/** The same histories with random reduction plans (MAT 4 paths), for consistency checks. */
const historyWithPlansArb = fc.tuple(historyArb, fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -10, max: 130 })), { minLength: 8, maxLength: 8 })).map(
  ([h, plans]): PersonHistory => ({
    ...h,
    prescriptions: h.prescriptions.map((s, i) => {
      const [on, len] = plans[i] ?? [false, 0];
      return on ? { ...s, reduction_plan: true, planned_end_date: fromDayNumber(toDayNumber(s.start_date) + len) } : s;
    }),
  }),
);

describe('against a day-by-day reference implementation', () => {
  const months = monthsEndingWith('2018-12', 24);
  it('agrees on in-MAT, continuous start, stage, band and cohort at every month end', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const fast = classifyMonthEnds(h, months, cfg, { reasons: false });
        months.forEach((m, i) => {
          const ref = refClassify(h, monthEnd(m));
          const c = fast[i];
          expect({ inMat: c?.inMat, start: c?.continuousStart ?? null, stage: c?.stage ?? null, band: c?.ogBand ?? null, cohort: c?.cohort ?? null }).toEqual({
            inMat: ref.inMat,
            start: ref.start,
            stage: ref.stage,
            band: ref.band,
            cohort: ref.cohort,
          });
        });
      }),
      { numRuns: 300, seed: 20181031 },
    );
  });

  it('classifyMonthEnds, classifyDates and classifyPerson agree', () => {
    fc.assert(
      fc.property(historyWithPlansArb, (h) => {
        const dates = months.map(monthEnd);
        const a = classifyMonthEnds(h, months, cfg);
        const b = classifyDates(h, dates, cfg);
        const c = dates.map((d) => classifyPerson(h, d, cfg));
        expect(a).toEqual(c);
        expect(b).toEqual(c);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('decideMat gives the same answer from features without the day-number hints (as SQL would supply them)', () => {
    fc.assert(
      fc.property(historyWithPlansArb, dayArb, (h, day) => {
        const date = fromDayNumber(D0 + day);
        const f = computeFeatures(prepareHistory(h, cfg), D0 + day, date, cfg);
        const plain: MatFeatures = JSON.parse(JSON.stringify({ ...f, dateDay: undefined, continuousStartDay: undefined, reductionPlanIsDetox: undefined }));
        if (plain.latestEvidence !== null) delete plain.latestEvidence.day;
        expect(decideMat(plain, cfg)).toEqual(decideMat(f, cfg));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('never throws and always returns a contract-valid stage/cohort/band/regime', () => {
    fc.assert(
      fc.property(historyWithPlansArb, dayArb, (h, day) => {
        const c = classifyPerson({ ...h, sc_reviews: [review('2018-01-01', {})] }, fromDayNumber(D0 + day), cfg);
        if (c.inMat) {
          expect(['MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised']).toContain(c.stage);
          expect(['below', 'at_or_above', 'n/a']).toContain(c.ogBand);
          expect(c.reasons.length).toBeGreaterThan(0);
        }
        expect([null, 'red', 'amber', 'green', 'grey']).toContain(c.cohort);
        expect([null, 'increasing', 'static', 'reducing', 'detox']).toContain(c.regime);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
