import { describe, expect, it } from 'vitest';
import { defaultMatConfig as cfg } from './config';
import { checkDataQuality, summariseDataQuality, type DataQualityCode } from './quality';
import { person, rx, top } from './test-factories';
import type { PersonHistory } from './types';

const codesOf = (h: PersonHistory, asOf: string | null = '2018-10-31') => checkDataQuality({ person_id: 'A', ...h }, asOf, cfg).map((i) => [i.code, i.field]);

describe('checkDataQuality', () => {
  it.each<[string, PersonHistory, [DataQualityCode, string | null][]]>([
    ['clean', person({ prescriptions: [rx('2018-01-01', null, 60)], tops: [top('2018-10-01', 3, { psych_health: 12 })] }), []],
    ['in MAT with no dose', person({ prescriptions: [rx('2018-01-01', null, null)] }), [['in_mat_no_dose', 'dose_mg']]],
    ['in MAT with 0 mg', person({ prescriptions: [rx('2018-01-01', null, 0)] }), [['in_mat_no_dose', 'dose_mg']]],
    ['no dose but not in MAT on the date', person({ prescriptions: [rx('2018-01-01', '2018-02-01', null)] }), []],
    ['methadone 900 mg', person({ prescriptions: [rx('2018-01-01', null, 900)] }), [['impossible_dose', 'dose_mg']]],
    ['methadone 400 mg is at the limit', person({ prescriptions: [rx('2018-01-01', null, 400)] }), []],
    ['negative dose', person({ prescriptions: [rx('2018-01-01', null, -5, 'buprenorphine')] }), [['impossible_dose', 'dose_mg']]],
    ['overlapping prescriptions', person({ prescriptions: [rx('2018-01-01', '2018-06-30', 60), rx('2018-06-30', null, 70)] }), [['overlapping_prescriptions', 'start_date']]],
    ['back-to-back segments do not overlap', person({ prescriptions: [rx('2018-01-01', '2018-06-29', 60), rx('2018-06-30', null, 70)] }), []],
    ['end before start', person({ prescriptions: [rx('2018-06-01', '2018-05-01', 60)] }), [['segment_end_before_start', 'end_date']]],
    ['bad date', person({ prescriptions: [rx('2018-02-30', null, 60)] }), [['invalid_date', 'start_date']]],
    [
      'reduction plan without planned end',
      person({ prescriptions: [rx('2018-01-01', null, 60, 'methadone', { reduction_plan: true })] }),
      [['reduction_plan_no_planned_end', 'planned_end_date']],
    ],
    [
      'planned end before the plan started',
      person({ prescriptions: [rx('2018-01-01', null, 60, 'methadone', { reduction_plan: true, planned_end_date: '2017-12-01' })] }),
      [['planned_end_before_plan_start', 'planned_end_date']],
    ],
    ['TOP opiate days 29', person({ tops: [top('2018-10-01', 29)] }), [['top_days_out_of_range', 'opiate_days']]],
    ['TOP opiate days −1', person({ tops: [top('2018-10-01', -1)] }), [['top_days_out_of_range', 'opiate_days']]],
    ['TOP days 2.5', person({ tops: [top('2018-10-01', 2.5)] }), [['top_days_out_of_range', 'opiate_days']]],
    ['TOP injecting days 30', person({ tops: [top('2018-10-01', 0, { injecting_days: 30 })] }), [['top_days_out_of_range', 'injecting_days']]],
    ['TOP 28 days is fine', person({ tops: [top('2018-10-01', 28, { paid_work_days: 28, alcohol_days: 0 })] }), []],
    ['TOP score 21', person({ tops: [top('2018-10-01', 0, { quality_of_life: 21 })] }), [['top_score_out_of_range', 'quality_of_life']]],
    ['TOP negative units', person({ tops: [top('2018-10-01', 0, { alcohol_units: -2 })] }), [['top_negative_value', 'alcohol_units']]],
  ])('%s', (_n, h, expected) => {
    expect(codesOf(h)).toEqual(expected);
  });

  it('messages name the record and value', () => {
    const [i] = checkDataQuality(person({ person_id: 'A', prescriptions: [rx('2018-01-01', null, 900, 'methadone', { prescription_id: 'RX9' })] }), null, cfg);
    expect(i).toEqual({
      code: 'impossible_dose',
      person_id: 'A',
      record: { kind: 'prescription', id: 'RX9' },
      field: 'dose_mg',
      value: 900,
      message: 'Prescription RX9: methadone 900 mg is not a possible dose (limit 400 mg)',
    });
  });

  it('limits are configuration', () => {
    const c = { ...cfg, impossibleDoseAboveMg: { ...cfg.impossibleDoseAboveMg, methadone: 300 } };
    expect(checkDataQuality(person({ prescriptions: [rx('2018-01-01', null, 350)] }), null, c).map((i) => i.code)).toEqual(['impossible_dose']);
  });
});

describe('summariseDataQuality (tracker footnote)', () => {
  it('counts issues and distinct people per code', () => {
    const issues = [
      ...checkDataQuality(person({ person_id: 'A', tops: [top('2018-10-01', 29), top('2018-10-02', 30)] }), null, cfg),
      ...checkDataQuality(person({ person_id: 'B', prescriptions: [rx('2018-01-01', null, null)], tops: [top('2018-10-01', 31)] }), '2018-10-31', cfg),
    ];
    expect(summariseDataQuality(issues)).toEqual({
      byCode: { top_days_out_of_range: { issues: 3, people: 2 }, in_mat_no_dose: { issues: 1, people: 1 } },
      issues: 4,
      people: 2,
    });
  });
});
