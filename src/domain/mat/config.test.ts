import { describe, expect, it } from 'vitest';
import { defaultMatConfig, makeMatConfig, validateMatConfig } from './config';

describe('defaultMatConfig carries the domain §1 defaults', () => {
  it.each<[string, unknown, unknown]>([
    ['continuityGapDays', defaultMatConfig.continuityGapDays, 7],
    ['inductionDays', defaultMatConfig.inductionDays, 28],
    ['evidenceWindowDays', defaultMatConfig.evidenceWindowDays, 91],
    ['regimeWindowDays', defaultMatConfig.regimeWindowDays, 28],
    ['detoxMaxMonths', defaultMatConfig.detoxMaxMonths, 3],
    ['methadone OG', defaultMatConfig.methadone.ogMinMg, 60],
    ['methadone high dose', defaultMatConfig.methadone.highDoseAboveMg, 120],
    ['buprenorphine OG', defaultMatConfig.buprenorphineSublingual.ogMinMg, 12],
    ['buprenorphine max', defaultMatConfig.buprenorphineSublingual.maxMg, 32],
    ['weekly injection OG', defaultMatConfig.buprenorphineWeeklyInjection.ogMinMg, 24],
    ['monthly injection OG', defaultMatConfig.buprenorphineMonthlyInjection.ogMinMg, 96],
    ['day-1 methadone', defaultMatConfig.titration.methadoneDay1MaxMg, 40],
    ['day-1 methadone with depressants', defaultMatConfig.titration.methadoneDay1MaxMgWithDepressant, 30],
    ['daily increase', defaultMatConfig.titration.inductionMaxDailyIncreaseMg, 10],
    ['weekly increase', defaultMatConfig.titration.inductionMaxWeeklyIncreaseMg, 30],
    ['SC on-top threshold', defaultMatConfig.supervisedConsumption.onTopDaysThreshold, 20],
    ['SC on-top of', defaultMatConfig.supervisedConsumption.onTopDaysOf, 28],
    ['SC reference rate', defaultMatConfig.supervisedConsumption.referenceRate, 0.52],
    ['TOP review interval', defaultMatConfig.topReviewIntervalMonths, 6],
  ])('%s', (_n, actual, expected) => expect(actual).toBe(expected));

  it('is valid', () => expect(validateMatConfig(defaultMatConfig)).toEqual([]));
});

describe('makeMatConfig and validateMatConfig', () => {
  it('overrides one level deep without touching the defaults', () => {
    const c = makeMatConfig({ evidenceWindowDays: 120, methadone: { ogMinMg: 50 } });
    expect(c.evidenceWindowDays).toBe(120);
    expect(c.methadone).toEqual({ ogMinMg: 50, highDoseAboveMg: 120 });
    expect(defaultMatConfig.methadone.ogMinMg).toBe(60);
  });
  it('reports bad values', () => {
    const c = makeMatConfig({ continuityGapDays: -1, methadone: { ogMinMg: 60, highDoseAboveMg: 50 } });
    expect(validateMatConfig(c)).toEqual(['continuityGapDays must be a whole number ≥ 0 (got -1)', 'methadone.highDoseAboveMg must be ≥ methadone.ogMinMg']);
  });
});
