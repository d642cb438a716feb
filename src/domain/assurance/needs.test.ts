import { describe, expect, it } from 'vitest';
import { defaultPlanContent, planContentSchema, planGaps, SEED_COMMS_AUDIENCES } from './plan';
import { knownFromNeverInContact, penetration, rate, SEED_004_KNOWN_TO_TREATMENT, SEED_004_OUTCOMES, SEED_004_PREVALENCE, shareRate, versus } from './needs';
import { APPENDIX3 } from '../ldis/appendix3';

describe('needs assessment (seed 004)', () => {
  it('reproduces the seed’s 62% known to treatment from its figures', () => {
    const k = SEED_004_KNOWN_TO_TREATMENT;
    expect(Math.round(knownFromNeverInContact(k.estimate, k.neverInContact)!)).toBe(k.pct);
  });
  it.each([
    [1647, 2659, 61.94],
    [0, 100, 0],
    [5, 0, null],
  ])('penetration %i ÷ %i', (known, est, pct) => {
    const p = penetration(known, est);
    if (pct === null) expect(p).toBeNull();
    else expect(p!).toBeCloseTo(pct, 2);
  });
  it('transcribes the seed’s comparators', () => {
    expect(SEED_004_OUTCOMES.successful_exits).toMatchObject({ local: 30, localCount: 385, regional: 29, national: 34 });
    expect(SEED_004_OUTCOMES.employment).toMatchObject({ local: 17, localCount: 58, regional: 27, national: 26 });
    expect(SEED_004_OUTCOMES.housing).toMatchObject({ local: 38, localCount: 13, regional: 66, national: 70 });
    expect(SEED_004_PREVALENCE.filter((p) => p.year === '2006/07').map((p) => [p.group, p.estimate, p.ratePer1000])).toEqual([
      ['opiates', 2288, 6.34],
      ['crack', 1612, 4.47],
      ['injectors', 1120, 3.1],
    ]);
  });
  it.each([
    // numerator, denominator → published numerator, denominator, pct
    [3, 40, null, 40, null],
    [12, 40, 10, 40, 25],
    [38, 41, 40, 40, 100],
    [0, 9, 0, 10, 0],
  ])('shares %i of %i with disclosure control', (n, d, pn, pd, pct) => {
    const s = shareRate(rate(n, d));
    expect(s.numerator.value).toBe(pn);
    expect(s.denominator.value).toBe(pd);
    expect(s.pct).toBe(pct);
  });
  it('compares with a comparator', () => {
    expect(versus(30, 34)).toEqual({ points: -4, better: false });
    expect(versus(null, 34)).toBeNull();
  });
});

describe('preparedness plan content', () => {
  it('starts from seed 000 Appendix 3 and §4 audiences, and is valid', () => {
    const p = defaultPlanContent();
    expect(p.activities).toHaveLength(APPENDIX3.length);
    expect(p.commsAudiences).toEqual(SEED_COMMS_AUDIENCES);
    expect(planContentSchema.safeParse(p).success).toBe(true);
    expect(planGaps(p, 0)).toContain('No coordinator named');
    expect(planGaps(p, 0)).toContain('No triggers configured in early warning');
  });
  it('refuses a bad email and an unknown field', () => {
    const p = defaultPlanContent();
    expect(planContentSchema.safeParse({ ...p, coordinator: { ...p.coordinator, email: 'nope' } }).success).toBe(false);
    expect(planContentSchema.safeParse({ ...p, extra: 1 }).success).toBe(false);
  });
});
