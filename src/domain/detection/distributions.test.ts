import { describe, expect, it } from 'vitest';
import { lgamma, pnormUpper, pt, qnbinom, qnorm, qpois } from './distributions';

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
});
