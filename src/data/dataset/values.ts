/**
 * Value parsers for dataset v1, written for speed: each takes a trimmed, non-empty string
 * and returns the canonical form PostgreSQL receives, or null when the value is invalid.
 * They run once per cell of multi-million-row files, so they read character codes instead
 * of running regular expressions where it matters. The `explain*` functions run only for
 * invalid values and say what is wrong.
 */

/** Dates outside these years are treated as typing errors (e.g. 0224 for 2024). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2099;

const C0 = 48; // '0'
const DASH = 45;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Two digits at i, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - C0;
  const b = s.charCodeAt(i + 1) - C0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Four digits at i, or -1. */
function four(s: string, i: number): number {
  const hi = two(s, i);
  const lo = two(s, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** One or two digits from i up to (not including) end, or -1. */
function oneOrTwo(s: string, i: number, end: number): number {
  const n = end - i;
  if (n === 1) {
    const a = s.charCodeAt(i) - C0;
    return a >= 0 && a <= 9 ? a : -1;
  }
  return n === 2 ? two(s, i) : -1;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * YYYY-MM-DD or UK D/M/YYYY (one- or two-digit day and month) → YYYY-MM-DD, or null when
 * the text is not a real calendar date between MIN_YEAR and MAX_YEAR.
 */
export function parseDate(s: string): string | null {
  const len = s.length;
  if (len === 10 && s.charCodeAt(4) === DASH && s.charCodeAt(7) === DASH) {
    const y = four(s, 0);
    const m = two(s, 5);
    const d = two(s, 8);
    if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
    return s;
  }
  if (len < 8 || len > 10) return null;
  const a = s.indexOf('/');
  const b = a < 0 ? -1 : s.indexOf('/', a + 1);
  if (a < 1 || b < 0 || len - b !== 5) return null;
  const d = oneOrTwo(s, 0, a);
  const m = oneOrTwo(s, a + 1, b);
  const y = four(s, b + 1);
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why `s` is not a date (for the report). */
export function explainDate(s: string): string {
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4})$/.exec(s);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[2]?.length !== 2 || iso[3]?.length !== 2) return `${s} is not a date: write it as YYYY-MM-DD with two-digit month and day`;
  } else if (uk) {
    [d, m, y] = [Number(uk[1]), Number(uk[2]), Number(uk[3])];
    if (uk[3]?.length !== 4) return `${s} is not a date: the year must have four digits (DD/MM/YYYY)`;
  } else if (/^\d{1,2}-\d{1,2}-\d{4}$/.test(s) || /^\d{1,2}\.\d{1,2}\.\d{4}$/.test(s)) {
    return `${s} is not a date in a known format: use YYYY-MM-DD or DD/MM/YYYY`;
  } else if (/^\d{4}-\d{2}-\d{2}[T ]/.test(s)) {
    return `${s} has a time: a date column takes only the day (YYYY-MM-DD)`;
  } else {
    return `${s} is not a date: use YYYY-MM-DD or DD/MM/YYYY`;
  }
  if (m < 1 || m > 12) return `${s} is not a real date: there is no month ${m}${uk && d <= 12 && m > 12 ? ' (dates are read day first, DD/MM/YYYY)' : ''}`;
  if (d < 1 || d > daysIn(y, m)) return `${s} is not a real date: ${MONTHS[m - 1]} ${y} has ${daysIn(y, m)} days`;
  if (y < MIN_YEAR || y > MAX_YEAR) return `${s} is out of range: the year must be from ${MIN_YEAR} to ${MAX_YEAR}`;
  return `${s} is not a date`;
}

const ISO_TS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const UK_TS = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * An ISO 8601 date-time (`T` or a space; seconds and fraction optional; `Z` or an offset
 * optional; a bare date means midnight) or a UK `DD/MM/YYYY HH:MM[:SS]`. Returns text
 * PostgreSQL reads as timestamptz; values without an offset are read in the import
 * session's time zone (Europe/London).
 */
export function parseTimestamp(s: string): string | null {
  let y: number;
  let mo: number;
  let d: number;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let frac = '';
  let zone = '';
  const iso = ISO_TS.exec(s);
  if (iso) {
    y = Number(iso[1]);
    mo = Number(iso[2]);
    d = Number(iso[3]);
    if (iso[4] !== undefined) {
      h = Number(iso[4]);
      mi = Number(iso[5]);
      sec = iso[6] === undefined ? 0 : Number(iso[6]);
      frac = iso[7] ?? '';
    }
    zone = iso[8] ?? '';
  } else {
    const uk = UK_TS.exec(s);
    if (!uk) return null;
    d = Number(uk[1]);
    mo = Number(uk[2]);
    y = Number(uk[3]);
    if (uk[4] !== undefined) {
      h = Number(uk[4]);
      mi = Number(uk[5]);
      sec = uk[6] === undefined ? 0 : Number(uk[6]);
    }
  }
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  if (h > 23 || mi > 59 || sec > 59) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    if (oh > 14 || om > 59) return null;
    zone = `${zone.slice(0, 3)}:${pad2(om)}`;
  } else if (zone) {
    zone = 'Z';
  }
  return `${y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sec)}${frac}${zone}`;
}

const BOOLEANS = new Map<string, 't' | 'f'>([
  ['y', 't'], ['yes', 't'], ['true', 't'], ['1', 't'],
  ['n', 'f'], ['no', 'f'], ['false', 'f'], ['0', 'f'],
]);

/** Y/N, yes/no, true/false, 1/0 (any case) → 't' | 'f', or null. */
export function parseBoolean(s: string): 't' | 'f' | null {
  if (s.length === 1) {
    const c = s.charCodeAt(0) | 0x20; // lower-case
    if (c === 121 /* y */ || s === '1') return 't';
    if (c === 110 /* n */ || s === '0') return 'f';
    return null;
  }
  if (s.length > 5) return null;
  return BOOLEANS.get(s.toLowerCase()) ?? null;
}

/** An optionally signed run of digits → its value, or NaN. */
export function parseInteger(s: string): number {
  const len = s.length;
  let i = 0;
  let neg = false;
  const first = s.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    neg = first === 45;
    i = 1;
  }
  if (i === len || len - i > 15) return NaN;
  let n = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i) - C0;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return neg ? -n : n;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A decimal number (no exponent, no thousands separators) → canonical text, or null. */
export function parseNumber(s: string): string | null {
  if (!NUMBER.test(s) || s.length > 40) return null;
  return s.charCodeAt(0) === 43 ? s.slice(1) : s;
}

/** Case-insensitive code lookup: the canonical code, or undefined. */
export function codeLookup(values: readonly string[]): (s: string) => string | undefined {
  const exact = new Map<string, string>(values.map((v) => [v, v]));
  const lower = new Map<string, string>(values.map((v) => [v.toLowerCase(), v]));
  return (s) => exact.get(s) ?? lower.get(s.toLowerCase());
}

const ONS = /^[EWSN]\d{8}$/;
/** A UK postcode (outward and inward code, space optional) or a postcode district. */
const POSTCODE = /^(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]?)$/i;

/** ONS GSS code such as E06000008. */
export function isOnsCode(s: string): boolean {
  return ONS.test(s);
}

/** 10 digits (spaces allowed) with a valid modulus-11 check digit. */
export function isNhsNumber(s: string): boolean {
  const digits = s.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - C0) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits.charCodeAt(9) - C0;
}

export function isPostcode(s: string): boolean {
  return POSTCODE.test(s);
}
