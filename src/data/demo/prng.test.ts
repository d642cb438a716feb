import { describe, expect, it } from 'vitest';
import { Rng, streamSeed, weightTable } from './prng';
import { fictitiousNhsNumber, FICTITIOUS_NHS_CAPACITY, isValidNhsNumber, nhsCheckDigit } from './nhs';
import { addMonths, dayOf, iso, monthEndOf, parseIsoDay } from './days';

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('pins the first outputs so a change to the generator is noticed', () => {
    const r = new Rng(1);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([393288148, 2174103013, 3814759091]);
  });

  it('keeps int() within bounds and uses all values', () => {
    const r = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 8);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(8);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
  });

  it('follows the weights of a table', () => {
    const r = new Rng(9);
    const table = weightTable([['a', 1], ['b', 3]] as const);
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (r.weighted(table) === 'b') b++;
    expect(b / 20_000).toBeCloseTo(0.75, 1);
  });

  it('gives independent streams per name and index', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 10_000; i++) seeds.add(streamSeed(1, 'person', i));
    expect(seeds.size).toBe(10_000);
    expect(streamSeed(1, 'person', 0)).not.toBe(streamSeed(1, 'layout', 0));
    expect(streamSeed(1, 'person', 5)).not.toBe(streamSeed(2, 'person', 5));
  });

  it('draws normals with mean 0 and sd 1, and Poisson counts with the right mean', () => {
    const r = new Rng(11);
    let sum = 0;
    let sq = 0;
    let pois = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      sum += x;
      sq += x * x;
      pois += r.poisson(2.5);
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(sq / n)).toBeCloseTo(1, 1);
    expect(pois / n).toBeCloseTo(2.5, 1);
  });
});

describe('NHS numbers', () => {
  it('computes the modulus-11 check digit', () => {
    expect(nhsCheckDigit('943476591')).toBe(9); // the public example 943 476 5919
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
  });

  it('issues distinct valid numbers in the 999 test range', () => {
    const seen = new Set<string>();
    const indexes = [...Array.from({ length: 20_000 }, (_, i) => i * 7), FICTITIOUS_NHS_CAPACITY - 1, 100_000, 800_123];
    for (const i of indexes) {
      const n = fictitiousNhsNumber(i);
      expect(n).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(indexes.length);
    expect(() => fictitiousNhsNumber(FICTITIOUS_NHS_CAPACITY)).toThrow(RangeError);
  });
});

describe('days', () => {
  it('round-trips dates and does calendar arithmetic', () => {
    const d = parseIsoDay('2024-02-29');
    expect(d).not.toBeNull();
    expect(iso(d ?? 0)).toBe('2024-02-29');
    expect(parseIsoDay('2023-02-29')).toBeNull();
    expect(parseIsoDay('31/01/2024')).toBeNull();
    expect(iso(monthEndOf(dayOf(2024, 2, 3)))).toBe('2024-02-29');
    expect(iso(addMonths(dayOf(2024, 5, 31), -3))).toBe('2024-02-29');
    expect(iso(addMonths(dayOf(2024, 10, 1), 3))).toBe('2025-01-01');
    expect(iso(dayOf(1969, 12, 31))).toBe('1969-12-31');
  });
});
