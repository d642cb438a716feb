import { describe, expect, it } from 'vitest';
import { doseAdvisories, type AdvisoryCode } from './advisories';
import { defaultMatConfig as cfg } from './config';
import { rx } from './test-factories';
import type { PrescriptionSegment } from './types';

const codes = (segs: PrescriptionSegment[], depressantCoUse?: boolean | ((d: string) => boolean)) =>
  doseAdvisories(segs, cfg, depressantCoUse === undefined ? {} : { depressantCoUse }).map((a) => [a.code, a.date]);

describe('methadone day-1 dose', () => {
  it.each<[number, boolean, [AdvisoryCode, string][]]>([
    [40, false, []],
    [45, false, [['methadone_day1_above_max', '2018-01-01']]],
    [30, true, []],
    [35, true, [['methadone_day1_above_max', '2018-01-01']]],
  ])('%i mg, depressant co-use %s', (dose, coUse, expected) => {
    expect(codes([rx('2018-01-01', null, dose)], coUse)).toEqual(expected);
  });
  it('co-use can be given by date', () => {
    expect(codes([rx('2018-01-01', null, 35)], (d) => d >= '2018-01-01')).toHaveLength(1);
    expect(codes([rx('2018-01-01', null, 35)], (d) => d > '2018-01-01')).toHaveLength(0);
  });
  it('a switch to methadone within a continuous prescription is a methadone day 1', () => {
    expect(codes([rx('2018-01-01', '2018-03-31', 16, 'buprenorphine'), rx('2018-04-01', null, 50)])).toEqual([['methadone_day1_above_max', '2018-04-01']]);
  });
  it('a restart within the gap tolerance is not a new day 1', () => {
    expect(codes([rx('2018-01-01', '2018-03-31', 40), rx('2018-04-05', null, 60)])).toEqual([]);
  });
});

describe('increases during induction', () => {
  it('more than 10 mg in a day', () => {
    expect(codes([rx('2018-01-01', '2018-01-03', 30), rx('2018-01-04', null, 41)])).toEqual([['induction_daily_increase', '2018-01-04']]);
    expect(codes([rx('2018-01-01', '2018-01-03', 30), rx('2018-01-04', null, 40)])).toEqual([]);
  });
  it('more than 30 mg within a week', () => {
    const segs = [rx('2018-01-01', '2018-01-02', 30), rx('2018-01-03', '2018-01-04', 40), rx('2018-01-05', '2018-01-06', 50), rx('2018-01-07', '2018-01-07', 60), rx('2018-01-08', null, 70)];
    // 01-07: 60 − day-1 30 = 30 (not more than 30); 01-08: 70 − 30 (dose on 01-01) = 40
    expect(codes(segs)).toEqual([['induction_weekly_increase', '2018-01-08']]);
  });
  it('induction ends when D − day 1 passes 28: day 1 + 28 is checked, day 1 + 29 is not', () => {
    expect(codes([rx('2018-01-01', '2018-01-29', 30), rx('2018-01-30', null, 61)])).toEqual([]);
    expect(codes([rx('2018-01-01', '2018-01-28', 30), rx('2018-01-29', null, 61)])).toEqual([
      ['induction_daily_increase', '2018-01-29'],
      ['induction_weekly_increase', '2018-01-29'],
    ]);
  });
  it('buprenorphine titration is not held to the methadone limits', () => {
    expect(codes([rx('2018-01-01', '2018-01-01', 4, 'buprenorphine'), rx('2018-01-02', null, 16, 'buprenorphine')])).toEqual([]);
  });
});

describe('dose safety', () => {
  it.each<[PrescriptionSegment, AdvisoryCode[]]>([
    [rx('2018-01-01', null, 32, 'buprenorphine'), []],
    [rx('2018-01-01', null, 34, 'buprenorphine'), ['buprenorphine_above_max']],
    [rx('2018-01-01', null, 24, 'buprenorphine_weekly_injection'), []],
    [rx('2018-01-01', null, 20, 'buprenorphine_weekly_injection'), ['injection_unlicensed_strength']],
    [rx('2018-01-01', null, 64, 'buprenorphine_weekly_injection'), ['injection_unlicensed_strength']],
    [rx('2018-01-01', null, 160, 'buprenorphine_monthly_injection'), []],
    [rx('2018-01-01', null, 100, 'buprenorphine_monthly_injection'), ['injection_unlicensed_strength']],
    [rx('2018-01-01', null, 30, 'methadone'), []],
  ])('%j → %j', (seg, expected) => {
    expect(doseAdvisories([seg], cfg).map((a) => a.code)).toEqual(expected);
  });
  it('methadone above 120 mg is a high dose to review', () => {
    const a = doseAdvisories([rx('2017-01-01', '2018-01-31', 40), rx('2018-02-01', null, 130)], cfg);
    expect(a.map((x) => x.code)).toEqual(['methadone_high_dose']);
    expect(a[0]?.message).toBe('Methadone 130 mg is above 120 mg: high dose, review (ECG/QTc)');
  });
});
