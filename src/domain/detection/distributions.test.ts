import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import nbinomQuantile from '@stdlib/stats-base-dists-negative-binomial-quantile';
import poissonQuantile from '@stdlib/stats-base-dists-poisson-quantile';
import {
  lgamma,
  pnormUpper,
  pt,
  qnbinom,
  qnorm,
  qpois,
  quickNbinomQuantile,
  quickPoissonQuantile,
} from './distributions';

// Reference values from R 4.2.2.
describe('distribution functions', () => {
  it('Student t and normal tails (R pt, pnorm)', () => {
    expect(pt(-2, 10)).toBeCloseTo(0.0366940173853702, 12);
    expect(pt(1.5, 3)).toBeCloseTo(0.884708067377589, 12);
    expect(pt(-0.3, 250)).toBeCloseTo(0.382213224508025, 12);
    expect(pt(Infinity, 5)).toBe(1);
    expect(pt(0, 5)).toBeCloseTo(0.5, 14);
    expect(pnormUpper(3)).toBeCloseTo(0.00134989803163009, 14);
    expect(pnormUpper(1.2)).toBeCloseTo(0.115069670221708, 13);
    expect(pnormUpper(8) / 6.22096057427178e-16).toBeCloseTo(1, 8);
    expect(pnormUpper(-1.2)).toBeCloseTo(1 - 0.115069670221708, 13);
  });

  it('quantiles from @stdlib match R qnbinom, qpois, qnorm', () => {
    expect(qnbinom(0.995, 5, 0.4)).toBe(22);
    expect(qnbinom(0.995, 0.37, 1 / 3.5)).toBe(10);
    expect(qnbinom(0.995, 120.5, 0.5)).toBe(163);
    expect(qnbinom(0.995, 0, 0.5)).toBe(0);
    expect(qpois(0.995, 3.2)).toBe(9);
    expect(qpois(0.995, 0.01)).toBe(1);
    expect(qpois(0.995, 850)).toBe(926);
    expect(qpois(0.995, 0)).toBe(0);
    expect(qnorm(0.999)).toBeCloseTo(3.09023230616781, 12);
    expect(qnorm(0.975)).toBeCloseTo(1.95996398454005, 12);
  });

  it('log-gamma', () => {
    expect(lgamma(1)).toBeCloseTo(0, 13);
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  // The quick quantiles must give the library's answer whenever they give one.
  const level = fc.constantFrom(0.995, 0.99, 0.999, 0.95, 0.9, 0.75, 0.5);
  const logUniform = (lo: number, hi: number) =>
    fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map((v) => Math.exp(v));

  it('quick negative binomial quantiles are the library’s (or defer to it)', () => {
    let answered = 0;
    fc.assert(
      fc.property(level, logUniform(1e-3, 1e5), fc.double({ min: 0.02, max: 0.999, noNaN: true }), (p, size, prob) => {
        const x = quickNbinomQuantile(p, size, prob);
        if (x < 0) return;
        answered++;
        expect(x).toBe(nbinomQuantile(p, size, prob));
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(2000);
  });

  it('quick Poisson quantiles are the library’s (or defer to it)', () => {
    let answered = 0;
    fc.assert(
      fc.property(level, logUniform(1e-4, 2000), (p, lambda) => {
        const x = quickPoissonQuantile(p, lambda);
        if (x < 0) return;
        answered++;
        expect(x).toBe(poissonQuantile(p, lambda));
      }),
      { numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(2500);
  });

  it('quick quantiles defer at a knife edge and for unusual arguments', () => {
    // F(2) for Poisson(1) is 0.9196986…: p just below it is within the margin
    const f2 = Math.exp(-1) * 2.5;
    expect(quickPoissonQuantile(f2 - 1e-9, 1)).toBe(-1);
    expect(quickPoissonQuantile(f2 - 1e-3, 1)).toBe(2);
    expect(qpois(f2 - 1e-9, 1)).toBe(poissonQuantile(f2 - 1e-9, 1));
    expect(quickPoissonQuantile(0.995, 800)).toBe(-1); // e^−800 underflows
    expect(quickNbinomQuantile(0.995, 5, 1)).toBe(-1);
    expect(quickNbinomQuantile(0.1, 5, 0.5)).toBe(-1);
    expect(quickNbinomQuantile(Number.NaN, 5, 0.5)).toBe(-1);
  });
});
