/**
 * The boundaries named in issue 3, each checked end to end through classifyPerson with
 * the toolkit's own reference definitions (seed 003):
 * - Table 2, MAT 1: "SU starts MAT and has a continuous prescription for up to 28 days";
 *   §7.1.1 "four weeks of a continuous MAT prescription from the date of starting a
 *   prescription to 28 days".
 * - §6.2.3: "methadone doses of 60-120mg and buprenorphine doses of 12mg or higher (OG dose)".
 * - Domain §1.1: the licensed injection conversion table; weekly ≥ 24 / monthly ≥ 96 mg at/above OG.
 * - Domain §1.2: "When a TOP and a test share the latest date, either positive makes it MAT 2."
 * - §5.2.2 "a TOP/drug screen at least every three months"; domain: evidence dated D − 91
 *   counts, D − 92 does not.
 * - Table 2, MAT 4: "a reducing dose plan that reaches 0mg within 3 months"; domain:
 *   three months after 1 October is 1 January.
 * - Domain §1.2: continuity tolerates gaps up to 7 uncovered days.
 */
import { describe, expect, it } from 'vitest';
import { classifyPerson } from './classify';
import { defaultMatConfig as cfg } from './config';
import { person, rx, test, top } from './test-factories';
import type { Cohort, Medication, MatStage, OgBand, PersonHistory, Regime } from './types';

const D = '2018-10-31';
const established = (medication: Medication, dose: number) => [rx('2018-01-01', null, dose, medication)];
const negativeTop = [top('2018-10-15', 0)];
const positiveTop = [top('2018-10-15', 4)];

function stageOf(h: PersonHistory, date = D) {
  const c = classifyPerson(h, date, cfg);
  return { stage: c.stage, cohort: c.cohort, ogBand: c.ogBand, regime: c.regime };
}

describe('induction: day 28 is MAT 1, day 29 is not', () => {
  it.each<[string, number, MatStage]>([
    ['2018-10-31', 0, 'MAT1'],
    ['2018-10-04', 27, 'MAT1'],
    ['2018-10-03', 28, 'MAT1'],
    ['2018-10-02', 29, 'MAT3'],
    ['2018-10-01', 30, 'MAT3'],
  ])('prescription from %s (D − start = %i) → %s', (start, _days, stage) => {
    expect(stageOf(person({ prescriptions: [rx(start, null, 60)], tops: negativeTop })).stage).toBe(stage);
  });
});

describe('OG threshold: exactly 60 mg methadone and exactly 12 mg buprenorphine are at/above', () => {
  it.each<[Medication, number, boolean, OgBand, Cohort]>([
    ['methadone', 59, false, 'below', 'grey'],
    ['methadone', 60, false, 'at_or_above', 'green'],
    ['methadone', 59, true, 'below', 'red'],
    ['methadone', 60, true, 'at_or_above', 'amber'],
    ['methadone', 120, false, 'at_or_above', 'green'],
    ['methadone', 121, false, 'at_or_above', 'green'],
    ['buprenorphine', 11, false, 'below', 'grey'],
    ['buprenorphine', 12, false, 'at_or_above', 'green'],
    ['buprenorphine', 11, true, 'below', 'red'],
    ['buprenorphine', 12, true, 'at_or_above', 'amber'],
  ])('%s %i mg, on top %s → %s, %s', (med, dose, onTop, band, cohort) => {
    const r = stageOf(person({ prescriptions: established(med, dose), tops: onTop ? positiveTop : negativeTop }));
    expect(r.ogBand).toBe(band);
    expect(r.cohort).toBe(cohort);
  });
  it('only methadone above 120 mg is high dose', () => {
    expect(classifyPerson(person({ prescriptions: established('methadone', 120), tops: negativeTop }), D, cfg).highDose).toBe(false);
    expect(classifyPerson(person({ prescriptions: established('methadone', 121), tops: negativeTop }), D, cfg).highDose).toBe(true);
  });
});

describe('injectable conversions', () => {
  it.each<[Medication, number, number, number, OgBand, Cohort]>([
    ['buprenorphine_weekly_injection', 8, 2, 6, 'below', 'grey'],
    ['buprenorphine_weekly_injection', 16, 8, 10, 'below', 'grey'],
    ['buprenorphine_weekly_injection', 24, 12, 16, 'at_or_above', 'green'],
    ['buprenorphine_weekly_injection', 32, 18, 24, 'at_or_above', 'green'],
    ['buprenorphine_monthly_injection', 64, 8, 10, 'below', 'grey'],
    ['buprenorphine_monthly_injection', 96, 12, 16, 'at_or_above', 'green'],
    ['buprenorphine_monthly_injection', 128, 18, 24, 'at_or_above', 'green'],
    ['buprenorphine_monthly_injection', 160, 26, 32, 'at_or_above', 'green'],
  ])('%s %i mg ≈ %i–%i mg SL → %s (%s)', (med, dose, min, max, band, cohort) => {
    const c = classifyPerson(person({ prescriptions: established(med, dose), tops: negativeTop }), D, cfg);
    expect(c.doseMg).toBe(dose);
    expect(c.slEquivalentMg).toEqual({ minMg: min, maxMg: max });
    expect(c.ogBand).toBe(band);
    expect(c.cohort).toBe(cohort);
  });
  it('a buprenorphine positive is the prescribed opioid for an injection patient', () => {
    const h = person({ prescriptions: established('buprenorphine_weekly_injection', 24), drug_tests: test('2018-10-15', { buprenorphine: 'positive' }) });
    expect(stageOf(h).stage).toBe('MAT3');
  });
});

describe('a TOP and a drug test on the same latest date with different answers', () => {
  it.each<[string, MatStage, PersonHistory]>([
    ['TOP 0 days, test heroin positive', 'MAT2', person({ tops: [top('2018-10-15', 0)], drug_tests: test('2018-10-15', { heroin_6mam: 'positive' }) })],
    ['TOP 5 days, test negative', 'MAT2', person({ tops: [top('2018-10-15', 5)], drug_tests: test('2018-10-15', { heroin_6mam: 'negative', methadone: 'positive' }) })],
    ['TOP 0 days, test negative', 'MAT3', person({ tops: [top('2018-10-15', 0)], drug_tests: test('2018-10-15', { heroin_6mam: 'negative' }) })],
    ['TOP 0 days, test fentanyl positive', 'MAT2', person({ tops: [top('2018-10-15', 0)], drug_tests: test('2018-10-15', { fentanyl: 'positive' }) })],
    ['TOP 0 days, test morphine positive (not prescribed)', 'MAT2', person({ tops: [top('2018-10-15', 0)], drug_tests: test('2018-10-15', { morphine: 'positive' }) })],
    ['older positive TOP, newer negative test', 'MAT3', person({ tops: [top('2018-10-14', 9)], drug_tests: test('2018-10-15', { heroin_6mam: 'negative' }) })],
    ['older positive test, newer TOP 0 days', 'MAT3', person({ tops: [top('2018-10-15', 0)], drug_tests: test('2018-10-14', { heroin_6mam: 'positive' }) })],
  ])('%s → %s', (_name, stage, h) => {
    expect(stageOf({ ...h, prescriptions: established('methadone', 70) }).stage).toBe(stage);
  });
  it('the reasons show both records of the day', () => {
    const h = person({ prescriptions: established('methadone', 70), tops: [top('2018-10-15', 0)], drug_tests: test('2018-10-15', { heroin_6mam: 'positive' }) });
    const c = classifyPerson(h, D, cfg);
    expect(c.evidence?.source).toBe('top_and_drug_test');
    expect(c.reasons).toEqual(expect.arrayContaining(['TOP 2018-10-15: opiates on 0 of 28 days', 'Drug test 2018-10-15: positive for heroin (6-MAM)']));
  });
});

describe('evidence 91 days old counts, 92 does not', () => {
  it.each<[string, number, MatStage]>([
    ['2018-10-31', 0, 'MAT2'],
    ['2018-08-02', 90, 'MAT2'],
    ['2018-08-01', 91, 'MAT2'],
    ['2018-07-31', 92, 'uncategorised'],
  ])('TOP on %s (%i days before D) → %s', (date, _age, stage) => {
    expect(stageOf(person({ prescriptions: established('methadone', 70), tops: [top(date, 3)] })).stage).toBe(stage);
  });
  it.each<[string, MatStage]>([
    ['2018-08-01', 'MAT3'],
    ['2018-07-31', 'uncategorised'],
  ])('drug test on %s → %s', (date, stage) => {
    expect(stageOf(person({ prescriptions: established('methadone', 70), drug_tests: test(date, { heroin_6mam: 'negative' }) })).stage).toBe(stage);
  });
});

describe('reduction plan: exactly three months is MAT 4, three months and a day is not', () => {
  const plan = (plannedEnd: string) =>
    person({
      prescriptions: [
        rx('2018-01-01', '2018-09-30', 60),
        rx('2018-10-01', '2018-10-15', 45, 'methadone', { reduction_plan: true, planned_end_date: plannedEnd }),
        rx('2018-10-16', null, 30, 'methadone', { reduction_plan: true, planned_end_date: plannedEnd }),
      ],
      tops: [top('2018-10-20', 2)],
    });
  it.each<[string, MatStage, Regime, Cohort | null]>([
    ['2018-12-15', 'MAT4', 'detox', null],
    ['2019-01-01', 'MAT4', 'detox', null], // 1 October + 3 months = 1 January
    ['2019-01-02', 'MAT2', 'reducing', 'red'], // slow reduction
    ['2019-04-01', 'MAT2', 'reducing', 'red'],
  ])('plan from 2018-10-01 reaching 0 mg on %s → %s, %s', (end, stage, regime, cohort) => {
    expect(stageOf(plan(end))).toEqual({ stage, regime, cohort, ogBand: 'below' });
  });
});

describe('prescription gap: 7 uncovered days continue, 8 break', () => {
  // First segment ends 2018-10-05; D = 2018-10-31.
  it.each<[string, number, MatStage, string]>([
    ['2018-10-06', 0, 'MAT3', '2018-01-01'],
    ['2018-10-13', 7, 'MAT3', '2018-01-01'],
    ['2018-10-14', 8, 'MAT1', '2018-10-14'],
  ])('restart on %s (gap %i) → %s, continuous since %s', (restart, _gap, stage, since) => {
    const h = person({ prescriptions: [rx('2018-01-01', '2018-10-05', 70), rx(restart, null, 70)], tops: negativeTop });
    const c = classifyPerson(h, D, cfg);
    expect(c.stage).toBe(stage);
    expect(c.continuousStart).toBe(since);
  });
  it('a month end inside the gap is not in MAT', () => {
    const h = person({ prescriptions: [rx('2018-01-01', '2018-10-28', 70), rx('2018-11-03', null, 70)], tops: negativeTop });
    expect(classifyPerson(h, D, cfg).inMat).toBe(false);
    expect(classifyPerson(h, '2018-11-30', cfg).stage).toBe('MAT3'); // continuous since January
  });
});
