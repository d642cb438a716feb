/**
 * Fictitious NHS numbers.
 *
 * An NHS number is 10 digits; the 10th is a modulus-11 check digit over the first nine
 * (weights 10 down to 2; check = 11 − (sum mod 11), 11 → 0, 10 → the number is invalid).
 *
 * The generator only issues numbers beginning **999**. NHS England reserves the 999 range
 * for test data: such numbers are never allocated to patients, so a demo or benchmark
 * dataset can never name a real person, yet every number passes the check-digit test that
 * importers and case-management systems apply.
 */

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Check digit of nine digits, or null when the modulus-11 rule makes the number invalid. */
export function nhsCheckDigit(nineDigits: string): number | null {
  if (!/^\d{9}$/.test(nineDigits)) throw new RangeError(`expected nine digits, got ${nineDigits}`);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nineDigits.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** True for 10 digits with a correct modulus-11 check digit. */
export function isValidNhsNumber(s: string): boolean {
  if (!/^\d{10}$/.test(s)) return false;
  const check = nhsCheckDigit(s.slice(0, 9));
  return check !== null && check === s.charCodeAt(9) - 48;
}

/** How many distinct numbers {@link fictitiousNhsNumber} can issue. */
export const FICTITIOUS_NHS_CAPACITY = 900_000;

const PREFIX_COUNT = 100_000; // digits 4–8 (five digits) after the 999 prefix
const PREFIX_MULTIPLIER = 7_927; // odd and not a multiple of 5: a bijection mod 10^5

/**
 * The `index`-th fictitious NHS number (0 ≤ index < {@link FICTITIOUS_NHS_CAPACITY}),
 * distinct for distinct indexes. Digits 4–8 are a scrambled function of `index`; digit 9
 * takes the k-th value (k = ⌊index / 10^5⌋, 0–8) among those that give a valid check
 * digit. Changing digit 9 (weight 2) moves the sum through ten distinct residues mod 11,
 * so at most one of its ten values is invalid and at least nine remain.
 */
export function fictitiousNhsNumber(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= FICTITIOUS_NHS_CAPACITY) {
    throw new RangeError(`NHS number index out of range: ${index}`);
  }
  const slot = Math.floor(index / PREFIX_COUNT);
  const middle = ((index % PREFIX_COUNT) * PREFIX_MULTIPLIER + 4_211) % PREFIX_COUNT;
  const eight = `999${String(middle).padStart(5, '0')}`;
  let seen = 0;
  for (let last = 0; last <= 9; last++) {
    const nine = `${eight}${last}`;
    const check = nhsCheckDigit(nine);
    if (check === null) continue;
    if (seen === slot) return `${nine}${check}`;
    seen++;
  }
  throw new Error('unreachable: every prefix has at least nine valid numbers');
}
