import { describe, expect, it } from 'vitest';
import { defaultMatConfig as cfg } from './config';
import { cohortFor, decideStage, isDetoxPlan, isInduction, regimeFor, type RegimeFacts, type StageFacts } from './stage';
import type { Cohort, MatStage, OgBand, Regime } from './types';

describe('decideStage, in the domain order', () => {
  const base: StageFacts = { inMat: true, daysSinceStart: 100, detoxPlan: false, evidencePositive: null };
  it.each<[string, Partial<StageFacts>, MatStage | null]>([
    ['not in MAT', { inMat: false, evidencePositive: true }, null],
    ['day 0 of induction', { daysSinceStart: 0 }, 'MAT1'],
    ['day 28 is induction', { daysSinceStart: 28, evidencePositive: true }, 'MAT1'],
    ['day 29 is not', { daysSinceStart: 29, evidencePositive: true }, 'MAT2'],
    ['induction beats detox', { daysSinceStart: 10, detoxPlan: true }, 'MAT1'],
    ['detox beats evidence', { detoxPlan: true, evidencePositive: true }, 'MAT4'],
    ['positive evidence', { evidencePositive: true }, 'MAT2'],
    ['negative evidence', { evidencePositive: false }, 'MAT3'],
    ['no evidence', { evidencePositive: null }, 'uncategorised'],
  ])('%s', (_name, facts, expected) => {
    expect(decideStage({ ...base, ...facts }, cfg)).toBe(expected);
  });
  it('isInduction boundaries', () => {
    expect([isInduction(-1, cfg), isInduction(0, cfg), isInduction(28, cfg), isInduction(29, cfg)]).toEqual([false, true, true, false]);
  });
});

describe('isDetoxPlan: planned end at most 3 calendar months after the plan started', () => {
  it.each<[string, string | null, boolean]>([
    ['2018-10-01', '2019-01-01', true], // exactly 3 months
    ['2018-10-01', '2019-01-02', false], // 3 months + 1 day
    ['2018-10-01', '2018-11-15', true],
    ['2018-10-01', '2018-10-01', true],
    ['2024-11-30', '2025-02-28', true], // clamped month end
    ['2024-11-30', '2025-03-01', false],
    ['2023-11-30', '2024-02-29', true], // leap year
    ['2018-10-01', null, false], // no planned end
    ['2018-10-01', '2018-09-30', false], // end before start
  ])('%s → %s: %s', (start, end, ok) => expect(isDetoxPlan(start, end, cfg)).toBe(ok));
});

describe('cohortFor', () => {
  it.each<[MatStage | null, OgBand | null, Cohort | null]>([
    ['MAT2', 'below', 'red'],
    ['MAT2', 'at_or_above', 'amber'],
    ['MAT3', 'at_or_above', 'green'],
    ['MAT3', 'below', 'grey'],
    ['MAT2', 'n/a', null],
    ['MAT3', 'n/a', null],
    ['MAT1', 'below', null],
    ['MAT4', 'at_or_above', null],
    ['uncategorised', 'below', null],
    [null, null, null],
  ])('%s, %s → %s', (stage, band, cohort) => expect(cohortFor(stage, band)).toBe(cohort));
});

describe('regimeFor', () => {
  const base: RegimeFacts = { stage: 'MAT2', medication: 'methadone', doseMg: 50, previousMedication: 'methadone', previousDoseMg: 50 };
  it.each<[string, Partial<RegimeFacts>, Regime | null]>([
    ['same dose', {}, 'static'],
    ['higher', { doseMg: 55 }, 'increasing'],
    ['lower', { doseMg: 45 }, 'reducing'],
    ['MAT 4 is detox whatever the doses', { stage: 'MAT4', doseMg: 60 }, 'detox'],
    ['no earlier dose', { previousDoseMg: null, previousMedication: null }, null],
    ['unknown dose now', { doseMg: null }, null],
    ['medication changed', { medication: 'buprenorphine', doseMg: 12 }, null],
    ['not in MAT', { stage: null }, null],
  ])('%s → %s', (_n, f, expected) => expect(regimeFor({ ...base, ...f }, cfg)).toBe(expected));
  it('tolerance is configuration', () => {
    expect(regimeFor({ ...base, doseMg: 52 }, { ...cfg, regimeToleranceMg: 2 })).toBe('static');
    expect(regimeFor({ ...base, doseMg: 53 }, { ...cfg, regimeToleranceMg: 2 })).toBe('increasing');
  });
});
