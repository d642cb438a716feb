import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codeLookup,
  explainDate,
  isNhsNumber,
  isOnsCode,
  isPostcode,
  parseBoolean,
  parseDate,
  parseInteger,
  parseNumber,
  parseTimestamp,
} from './values';

describe('parseDate', () => {
  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2023-12-31', '2023-12-31'],
    ['02/03/1975', '1975-03-02'],
    ['2/3/1975', '1975-03-02'],
    ['31/12/2024', '2024-12-31'],
    ['29/02/2000', '2000-02-29'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each([
    ['2024-02-30', 'February 2024 has 29 days'],
    ['2023-02-29', 'February 2023 has 28 days'],
    ['31/13/2024', 'there is no month 13'],
    ['2024-13-01', 'there is no month 13'],
    ['2024-00-10', 'there is no month 0'],
    ['1900-02-29', 'February 1900 has 28 days'],
    ['0224-01-01', 'the year must be from 1900'],
    ['2024-1-5', 'two-digit month and day'],
    ['31/12/24', 'four digits'],
    ['31-12-2024', 'known format'],
    ['2024-03-01T10:00:00', 'has a time'],
    ['yesterday', 'not a date'],
    ['2024/03/01', 'not a date'],
  ])('%s is rejected (%s)', (input, why) => {
    expect(parseDate(input)).toBeNull();
    expect(explainDate(input)).toContain(why);
  });

  it('reads every real date in both formats to the same ISO date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-');
        expect(parseDate(iso)).toBe(iso);
        expect(parseDate(`${day}/${m}/${y}`)).toBe(iso);
      }),
    );
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-03-01T10:15:00Z', '2024-03-01T10:15:00Z'],
    ['2024-03-01T10:15Z', '2024-03-01T10:15:00Z'],
    ['2024-03-01 10:15:30.123+01:00', '2024-03-01T10:15:30.123+01:00'],
    ['2024-03-01T10:15:30+0530', '2024-03-01T10:15:30+05:30'],
    ['2024-03-01T10:15:30-08', '2024-03-01T10:15:30-08:00'],
    ['2024-07-01 09:00', '2024-07-01T09:00:00'],
    ['2024-07-01', '2024-07-01T00:00:00'],
    ['01/07/2024 09:05', '2024-07-01T09:05:00'],
  ])('%s → %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });

  it.each(['2024-03-01 25:00', '2024-02-30T10:00Z', '2024-03-01T10:61Z', 'now', '2024-03-01T10:00+15:00', '10:00'])('%s is rejected', (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe('parseBoolean', () => {
  it.each([
    ['Y', 't'], ['y', 't'], ['yes', 't'], ['YES', 't'], ['true', 't'], ['True', 't'], ['1', 't'],
    ['N', 'f'], ['n', 'f'], ['no', 'f'], ['No', 'f'], ['false', 'f'], ['FALSE', 'f'], ['0', 'f'],
  ])('%s → %s', (input, expected) => {
    expect(parseBoolean(input)).toBe(expected);
  });
  it.each(['maybe', 't', 'f', '2', 'yess', 'Yes please', '-1'])('%s is rejected', (input) => {
    expect(parseBoolean(input)).toBeNull();
  });
});

describe('numbers', () => {
  it.each([['0', 0], ['28', 28], ['-3', -3], ['+4', 4]])('integer %s → %d', (input, n) => {
    expect(parseInteger(input)).toBe(n);
  });
  it.each(['2.5', '1e3', '', '-', '12a', '1 000', '9999999999999999'])('integer %s is rejected', (input) => {
    expect(parseInteger(input)).toBeNaN();
  });
  it.each([['12.5', '12.5'], ['+60', '60'], ['.5', '.5'], ['5.', '5.'], ['-5', '-5'], ['007', '007']])('number %s → %s', (input, out) => {
    expect(parseNumber(input)).toBe(out);
  });
  it.each(['1e3', '1,000', 'ten', '--5', '5mg', 'NaN', 'Infinity'])('number %s is rejected', (input) => {
    expect(parseNumber(input)).toBeNull();
  });
});

describe('codes and formats', () => {
  it('matches codes case-insensitively and returns them as listed', () => {
    const sex = codeLookup(['M', 'F', 'X', 'U']);
    expect(sex('m')).toBe('M');
    expect(sex('F')).toBe('F');
    expect(sex('Q')).toBeUndefined();
    const result = codeLookup(['positive', 'negative']);
    expect(result('Positive')).toBe('positive');
  });
  it('checks ONS codes, NHS numbers and postcodes', () => {
    expect(isOnsCode('E06000008')).toBe(true);
    expect(isOnsCode('Blackpool')).toBe(false);
    expect(isOnsCode('E0600008')).toBe(false);
    expect(isNhsNumber('9434765919')).toBe(true);
    expect(isNhsNumber('943 476 5919')).toBe(true);
    expect(isNhsNumber('9434765918')).toBe(false);
    expect(isNhsNumber('123')).toBe(false);
    expect(isPostcode('FY1 1AA')).toBe(true);
    expect(isPostcode('M13 9PL')).toBe(true);
    expect(isPostcode('EC1A1BB')).toBe(true);
    expect(isPostcode('FY1')).toBe(true);
    expect(isPostcode('not a postcode')).toBe(false);
  });
});
