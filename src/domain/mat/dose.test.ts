import { describe, expect, it } from 'vitest';
import { defaultMatConfig as cfg } from './config';
import { assessDose, describeDose, ogBand } from './dose';
import type { Medication, OgBand } from './types';

describe('OG band, high dose and maximum (domain §1.1)', () => {
  it.each<[Medication, number | null, OgBand, boolean, boolean]>([
    // medication, dose, band, highDose, aboveMaximum
    ['methadone', 30, 'below', false, false],
    ['methadone', 59, 'below', false, false],
    ['methadone', 59.9, 'below', false, false],
    ['methadone', 60, 'at_or_above', false, false],
    ['methadone', 120, 'at_or_above', false, false],
    ['methadone', 121, 'at_or_above', true, false],
    ['buprenorphine', 11, 'below', false, false],
    ['buprenorphine', 11.9, 'below', false, false],
    ['buprenorphine', 12, 'at_or_above', false, false],
    ['buprenorphine', 32, 'at_or_above', false, false],
    ['buprenorphine', 34, 'at_or_above', false, true],
    ['buprenorphine_weekly_injection', 16, 'below', false, false],
    ['buprenorphine_weekly_injection', 24, 'at_or_above', false, false],
    ['buprenorphine_monthly_injection', 64, 'below', false, false],
    ['buprenorphine_monthly_injection', 96, 'at_or_above', false, false],
    ['diamorphine', 300, 'n/a', false, false],
    ['morphine_sr', 200, 'n/a', false, false],
    ['other', 20, 'n/a', false, false],
    ['methadone', null, 'n/a', false, false],
  ])('%s %s mg → %s (high dose %s, above max %s)', (m, dose, band, high, aboveMax) => {
    const a = assessDose(m, dose, cfg);
    expect(a.ogBand).toBe(band);
    expect(ogBand(m, dose, cfg)).toBe(band);
    expect(a.highDose).toBe(high);
    expect(a.aboveMaximum).toBe(aboveMax);
  });
});

describe('injectable conversion table (domain §1.1)', () => {
  it.each<[Medication, number, number, number, OgBand]>([
    ['buprenorphine_weekly_injection', 8, 2, 6, 'below'],
    ['buprenorphine_weekly_injection', 16, 8, 10, 'below'],
    ['buprenorphine_weekly_injection', 24, 12, 16, 'at_or_above'],
    ['buprenorphine_weekly_injection', 32, 18, 24, 'at_or_above'],
    ['buprenorphine_monthly_injection', 64, 8, 10, 'below'],
    ['buprenorphine_monthly_injection', 96, 12, 16, 'at_or_above'],
    ['buprenorphine_monthly_injection', 128, 18, 24, 'at_or_above'],
    ['buprenorphine_monthly_injection', 160, 26, 32, 'at_or_above'],
  ])('%s %i mg ≈ %i–%i mg SL, %s', (m, dose, min, max, band) => {
    const a = assessDose(m, dose, cfg);
    expect(a.slEquivalentMg).toEqual({ minMg: min, maxMg: max });
    expect(a.licensedStrength).toBe(true);
    expect(a.ogBand).toBe(band);
  });

  it.each<[Medication, number, OgBand]>([
    ['buprenorphine_weekly_injection', 20, 'below'],
    ['buprenorphine_weekly_injection', 40, 'at_or_above'],
    ['buprenorphine_monthly_injection', 80, 'below'],
    ['buprenorphine_monthly_injection', 100, 'at_or_above'],
  ])('unlicensed %s %i mg: no SL equivalent, banded by threshold (%s)', (m, dose, band) => {
    const a = assessDose(m, dose, cfg);
    expect(a.slEquivalentMg).toBeNull();
    expect(a.licensedStrength).toBe(false);
    expect(a.ogBand).toBe(band);
  });

  it('a weekly strength is not read from the monthly table', () => {
    expect(assessDose('buprenorphine_weekly_injection', 64, cfg).slEquivalentMg).toBeNull();
    expect(assessDose('methadone', 64, cfg).slEquivalentMg).toBeNull();
    expect(assessDose('methadone', 64, cfg).licensedStrength).toBeNull();
  });

  it('describes doses for reasons', () => {
    expect(describeDose('methadone', 40, cfg)).toBe('methadone 40 mg');
    expect(describeDose('buprenorphine_weekly_injection', 24, cfg)).toBe('buprenorphine weekly injection 24 mg (≈ 12–16 mg SL)');
    expect(describeDose('buprenorphine', 2.5, cfg)).toBe('buprenorphine 2.5 mg');
    expect(describeDose('methadone', null, cfg)).toBe('methadone (dose unknown)');
  });

  it('thresholds come from configuration', () => {
    const c = { ...cfg, methadone: { ogMinMg: 50, highDoseAboveMg: 100 } };
    expect(ogBand('methadone', 50, c)).toBe('at_or_above');
    expect(assessDose('methadone', 101, c).highDose).toBe(true);
  });
});
