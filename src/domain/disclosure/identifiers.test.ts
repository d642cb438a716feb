import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNhsNumber,
  isOutwardCode,
  isValidNhsNumber,
  isValidPostcode,
  nhsCheckDigit,
  normaliseNhsNumber,
  normalisePostcode,
  outwardCode,
  parsePostcode,
} from './identifiers';

describe('NHS number (modulus 11)', () => {
  it.each([
    ['9434765919', true],
    ['943 476 5919', true],
    ['943-476-5919', true],
    [' 9434765919 ', true],
    ['9434765918', false], // wrong check digit
    ['943 4765919', false], // mixed grouping
    ['943 476-5919', false], // mixed separators
    ['943476591', false], // nine digits
    ['94347659190', false], // eleven digits
    ['943476591A', false],
    ['', false],
    ['4010232137', true],
    ['0000000000', true], // passes the arithmetic; not issued, but the check is the check
  ])('%j → %s', (input, valid) => {
    expect(isValidNhsNumber(input)).toBe(valid);
  });

  it('check digit: remainder 0 gives 0, remainder 1 gives no valid number', () => {
    // weights 10..2; '000000001' → sum 2 → 11 − 2 = 9
    expect(nhsCheckDigit('000000001')).toBe(9);
    // '000000006' → sum 12 → 12 mod 11 = 1 → 10 → invalid
    expect(nhsCheckDigit('000000006')).toBeNull();
    // '000000000' → sum 0 → 11 → 0
    expect(nhsCheckDigit('000000000')).toBe(0);
    expect(() => nhsCheckDigit('12345')).toThrow(RangeError);
  });

  it('normalises and formats', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(normaliseNhsNumber('9434765918')).toBeNull();
    expect(formatNhsNumber('nonsense')).toBeNull();
  });

  it('property: every nine-digit prefix with a check digit makes a valid number; any other last digit does not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (prefix) => {
        const check = nhsCheckDigit(prefix);
        for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${prefix}${d}`)).toBe(check === d);
      }),
    );
  });
});

describe('UK postcodes', () => {
  it.each([
    ['B12 9QT', 'B12 9QT', 'B12'],
    ['b129qt', 'B12 9QT', 'B12'],
    ['  sw1a   1aa ', 'SW1A 1AA', 'SW1A'],
    ['M1 1AE', 'M1 1AE', 'M1'],
    ['W1A 0AX', 'W1A 0AX', 'W1A'],
    ['CR2 6XH', 'CR2 6XH', 'CR2'],
    ['DN55 1PT', 'DN55 1PT', 'DN55'],
    ['EC1A 1BB', 'EC1A 1BB', 'EC1A'],
    ['GIR 0AA', 'GIR 0AA', 'GIR'],
  ])('%j is valid, normalised %j, district %j', (input, norm, district) => {
    expect(isValidPostcode(input)).toBe(true);
    expect(normalisePostcode(input)).toBe(norm);
    expect(outwardCode(input)).toBe(district);
  });

  it.each(['QA1 1AA', 'BBB1 1AA', 'B12 9CI', 'B12', '12 9QT', 'GIR 1AA', 'B12 9Q', 'V1 1AA', 'B12 9QTX', ''])(
    '%j is not a full postcode',
    (input) => {
      expect(isValidPostcode(input)).toBe(false);
      expect(normalisePostcode(input)).toBeNull();
    },
  );

  it('parses area, district and sector', () => {
    expect(parsePostcode('b12 9qt')).toEqual({ postcode: 'B12 9QT', outward: 'B12', inward: '9QT', area: 'B', sector: 'B12 9' });
    expect(parsePostcode('SW1A1AA')?.area).toBe('SW');
  });

  it('outward code accepts a district on its own', () => {
    expect(outwardCode('b12')).toBe('B12');
    expect(isOutwardCode('SW1A')).toBe(true);
    expect(isOutwardCode('12')).toBe(false);
    expect(outwardCode('nowhere')).toBeNull();
  });
});
