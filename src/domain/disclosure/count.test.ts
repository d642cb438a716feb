import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrimarySensitive, protectCount } from './count';
import { DEFAULT_DISCLOSURE_POLICY, disclosureNote, resolvePolicy, roundHalfUp, roundedInterval } from './policy';

const P = DEFAULT_DISCLOSURE_POLICY;

describe('protectCount (default policy)', () => {
  it.each([
    [0, 'sub-national', '0', 'shown', 0],
    [1, 'sub-national', '*', 'primary-suppressed', null],
    [7, 'sub-national', '*', 'primary-suppressed', null],
    [8, 'sub-national', '10', 'rounded', 10],
    [12, 'sub-national', '10', 'rounded', 10],
    [13, 'sub-national', '15', 'rounded', 15],
    [15, 'sub-national', '15', 'rounded', 15],
    [0, 'national', '0', 'shown', 0],
    [7, 'national', '*', 'primary-suppressed', null],
    [8, 'national', '8', 'shown', 8],
    [13, 'national', '13', 'shown', 13],
  ] as const)('%i (%s) → %s', (n, geography, display, status, value) => {
    expect(protectCount(n, P, { geography })).toEqual({ display, status, value });
  });

  it('defaults to sub-national (rounded)', () => {
    expect(protectCount(12).display).toBe('10');
  });

  it('rejects negative and fractional counts', () => {
    expect(() => protectCount(-1)).toThrow(RangeError);
    expect(() => protectCount(2.5)).toThrow(RangeError);
  });

  it('property: a published count is never 1–7', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.constantFrom('national', 'sub-national' as const), (n, geography) => {
        const c = protectCount(n, P, { geography });
        expect(c.value === null || c.value === 0 || c.value >= 8).toBe(true);
      }),
    );
  });
});

describe('policy', () => {
  it('suppressZeros makes zero sensitive', () => {
    expect(isPrimarySensitive(0, P)).toBe(false);
    expect(isPrimarySensitive(0, resolvePolicy({ suppressZeros: true }))).toBe(true);
    expect(protectCount(0, resolvePolicy({ suppressZeros: true })).display).toBe('*');
  });

  it('a custom range and symbol', () => {
    const p = resolvePolicy({ suppressFrom: 1, suppressTo: 4, roundingBase: 1, symbol: '[c]' });
    expect(protectCount(4, p).display).toBe('[c]');
    expect(protectCount(5, p).display).toBe('5');
  });

  it('roundNational rounds national figures too', () => {
    expect(protectCount(13, resolvePolicy({ roundNational: true }), { geography: 'national' }).display).toBe('15');
  });

  it.each([
    ['negative range', { suppressFrom: -1 }],
    ['zero suppressFrom', { suppressFrom: 0 }],
    ['fractional base', { roundingBase: 2.5 }],
    ['base 0', { roundingBase: 0 }],
    ['base that rounds 8 to 0', { roundingBase: 20 }],
    ['rounding without suppression would show 1 as 0', { suppressTo: 0, roundingBase: 5 }],
    ['minUncertainty wider than the suppressed range', { minUncertainty: 7 }],
    ['digit symbol', { symbol: '5' }],
    ['empty symbol', { symbol: '' }],
  ])('rejects %s', (_name, partial) => {
    expect(() => resolvePolicy(partial)).toThrow(RangeError);
  });

  it('rounding helpers', () => {
    expect(roundHalfUp(12, 5)).toBe(10);
    expect(roundHalfUp(13, 5)).toBe(15);
    expect(roundHalfUp(15, 10)).toBe(20);
    expect(roundHalfUp(7, 1)).toBe(7);
    expect(roundedInterval(10, P)).toEqual([8, 12]);
    expect(roundedInterval(20, P)).toEqual([18, 22]);
  });

  it('footnote', () => {
    expect(disclosureNote(P)).toBe(
      '* = a count of 1 to 7, or a figure hidden so that another cannot be worked out; other figures are rounded to the nearest 5, so totals may not add up.',
    );
    expect(disclosureNote(P, 'national')).toBe('* = a count of 1 to 7, or a figure hidden so that another cannot be worked out.');
  });
});
