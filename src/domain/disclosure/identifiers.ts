/**
 * NHS numbers and UK postcodes: validation, normalisation and generalisation
 * (domain.md §5: "NHS number: 10 digits, modulus-11 check. Postcodes: validated; analysis
 * and sharing at district level").
 */

// ---------------------------------------------------------------------------------------
// NHS number
// ---------------------------------------------------------------------------------------

/**
 * Modulus-11 check digit of the first nine digits (weights 10 … 2). Returns null when
 * the remainder gives 10, which no valid NHS number has.
 */
export function nhsCheckDigit(nineDigits: string): number | null {
  if (!/^\d{9}$/.test(nineDigits)) throw new RangeError('nhsCheckDigit needs exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/**
 * Digits of an NHS number written as 10 digits, or 3-3-4 with single spaces or hyphens
 * ("943 476 5919", "943-476-5919"), or null if the shape is wrong. No check-digit test.
 */
function nhsDigits(input: string): string | null {
  const s = input.trim();
  if (/^\d{10}$/.test(s)) return s;
  const m = /^(\d{3})([ -])(\d{3})\2(\d{4})$/.exec(s);
  return m ? `${m[1]}${m[3]}${m[4]}` : null;
}

/** Whether `input` is a valid NHS number (shape and modulus-11 check digit). */
export function isValidNhsNumber(input: string): boolean {
  const d = nhsDigits(input);
  if (d === null) return false;
  return nhsCheckDigit(d.slice(0, 9)) === Number(d[9]);
}

/** The ten digits of a valid NHS number, or null. */
export function normaliseNhsNumber(input: string): string | null {
  return isValidNhsNumber(input) ? nhsDigits(input) : null;
}

/** A valid NHS number in the display form "943 476 5919", or null. */
export function formatNhsNumber(input: string): string | null {
  const d = normaliseNhsNumber(input);
  return d === null ? null : `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
}

// ---------------------------------------------------------------------------------------
// Postcodes
// ---------------------------------------------------------------------------------------

/**
 * Outward code formats A9, A99, AA9, AA99, A9A, AA9A with the letters each position
 * allows (Royal Mail's rules, as in the gov.uk data standard), plus GIR (Girobank).
 */
export const OUTWARD_PATTERN =
  '(?:GIR|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?))';
/** Inward code: a digit and two letters (not C, I, K, M, O, V). */
export const INWARD_PATTERN = '[0-9][ABD-HJLNP-UW-Z]{2}';

const FULL_RE = new RegExp(`^(${OUTWARD_PATTERN})\\s*(${INWARD_PATTERN})$`);
const OUTWARD_RE = new RegExp(`^${OUTWARD_PATTERN}$`);

export interface ParsedPostcode {
  /** Normalised: upper case, one space before the inward code ("B12 9QT"). */
  postcode: string;
  /** Outward code = postcode district ("B12"). */
  outward: string;
  /** Inward code ("9QT"). */
  inward: string;
  /** Postcode area: the leading letters ("B"). */
  area: string;
  /** Postcode sector ("B12 9"). */
  sector: string;
}

function clean(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** Parse a full UK postcode (any case, any spacing), or null if it is not one. */
export function parsePostcode(input: string): ParsedPostcode | null {
  const m = FULL_RE.exec(clean(input));
  if (!m) return null;
  const outward = m[1] ?? '';
  const inward = m[2] ?? '';
  if (outward === 'GIR' && inward !== '0AA') return null;
  return {
    postcode: `${outward} ${inward}`,
    outward,
    inward,
    area: /^[A-Z]+/.exec(outward)?.[0] ?? outward,
    sector: `${outward} ${inward[0] ?? ''}`,
  };
}

export function isValidPostcode(input: string): boolean {
  return parsePostcode(input) !== null;
}

/** "b129qt" → "B12 9QT"; null if not a valid full postcode. */
export function normalisePostcode(input: string): string | null {
  return parsePostcode(input)?.postcode ?? null;
}

/** Whether `input` is an outward code on its own ("B12", "sw1a"). */
export function isOutwardCode(input: string): boolean {
  const s = clean(input);
  return OUTWARD_RE.test(s) && s !== 'GIR';
}

/**
 * The postcode district (outward code) of a full postcode or of an outward code given on
 * its own; null otherwise. This is the level at which Beacon shares locations.
 */
export function outwardCode(input: string): string | null {
  const p = parsePostcode(input);
  if (p) return p.outward;
  const s = clean(input);
  return isOutwardCode(s) ? s : null;
}

/** Alias of `outwardCode`: the district is the outward code. */
export const postcodeDistrict = outwardCode;
