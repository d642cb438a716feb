/**
 * Date arithmetic on ISO calendar dates ('YYYY-MM-DD'), in whole UTC days.
 *
 * A date is converted once to a *day number* (days since 1970-01-01, proleptic
 * Gregorian calendar) with integer arithmetic only: no `Date` objects, no time zones.
 * The MAT rules run millions of times for the tracker, so the hot path works on day
 * numbers and converts back to strings only for display.
 */

/** An ISO calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A calendar month, 'YYYY-MM'. */
export type IsoMonth = string;
/** Whole days since 1970-01-01 (day 0). */
export type DayNumber = number;

/** Day number used for "no end" (an ongoing prescription). */
export const OPEN_END: DayNumber = Number.POSITIVE_INFINITY;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return MONTH_DAYS[m - 1] ?? 0;
}

/** Days from civil (H. Hinnant's algorithm): year, month 1–12, day 1–31 → day number. */
export function dayFromParts(y: number, m: number, d: number): DayNumber {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link dayFromParts}; writes into a reusable triple to avoid allocation. */
function partsFromDay(day: DayNumber, out: [number, number, number]): void {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400;
  out[1] = m;
  out[2] = d;
}

const scratch: [number, number, number] = [0, 0, 0];

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/**
 * 'YYYY-MM-DD' → day number, or null when the string is not a valid calendar date.
 * Uses character codes only (no regex, no Date), so it is cheap enough for hot loops.
 */
export function toDayNumberOrNull(iso: string): DayNumber | null {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null;
  const c0 = iso.charCodeAt(0) - 48;
  const c1 = iso.charCodeAt(1) - 48;
  const c2 = iso.charCodeAt(2) - 48;
  const c3 = iso.charCodeAt(3) - 48;
  const c5 = iso.charCodeAt(5) - 48;
  const c6 = iso.charCodeAt(6) - 48;
  const c8 = iso.charCodeAt(8) - 48;
  const c9 = iso.charCodeAt(9) - 48;
  // `>>> 0` turns a negative (a character below '0') into a large number
  if ((c0 >>> 0) > 9 || (c1 >>> 0) > 9 || (c2 >>> 0) > 9 || (c3 >>> 0) > 9 || (c5 >>> 0) > 9 || (c6 >>> 0) > 9 || (c8 >>> 0) > 9 || (c9 >>> 0) > 9) {
    return null;
  }
  const y = c0 * 1000 + c1 * 100 + c2 * 10 + c3;
  const m = c5 * 10 + c6;
  const d = c8 * 10 + c9;
  if (m < 1 || m > 12 || d < 1 || (d > 28 && d > daysInMonth(y, m))) return null;
  return dayFromParts(y, m, d);
}

/** 'YYYY-MM-DD' → day number; throws RangeError on anything else. */
export function toDayNumber(iso: IsoDate): DayNumber {
  const n = toDayNumberOrNull(iso);
  if (n === null) throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  return n;
}

/** True when `s` is a valid 'YYYY-MM-DD' calendar date. */
export function isIsoDate(s: string): boolean {
  return toDayNumberOrNull(s) !== null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad4(n: number): string {
  if (n >= 1000) return `${n}`;
  if (n >= 100) return `0${n}`;
  if (n >= 10) return `00${n}`;
  return `000${n}`;
}

/** Day number → 'YYYY-MM-DD' (years 0–9999). */
export function fromDayNumber(day: DayNumber): IsoDate {
  if (!Number.isFinite(day)) throw new RangeError(`Not a finite day number: ${day}`);
  partsFromDay(day, scratch);
  return `${pad4(scratch[0])}-${pad2(scratch[1])}-${pad2(scratch[2])}`;
}

// Memo for display conversions: the tracker asks for the same few dates (month ends and
// the days 28 before them) for every person. Bounded so it cannot grow without limit.
const isoCache = new Map<number, string>();
/** {@link fromDayNumber} with a small memo; same result. */
export function isoOf(day: DayNumber): IsoDate {
  const hit = isoCache.get(day);
  if (hit !== undefined) return hit;
  const s = fromDayNumber(day);
  if (isoCache.size > 4096) isoCache.clear();
  isoCache.set(day, s);
  return s;
}

/** Whole days from `from` to `to` (to − from): daysBetween('2024-01-01', '2024-01-29') = 28. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** `iso` plus `days` days (negative to go back). */
export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(iso) + days);
}

/**
 * Calendar-month addition on day numbers. The day of month is kept and clamped to the
 * end of a shorter month: 1 Oct + 3 months = 1 Jan; 31 Jan + 1 month = 28/29 Feb;
 * 30 Nov + 3 months = 28/29 Feb.
 */
export function addMonthsToDay(day: DayNumber, months: number): DayNumber {
  partsFromDay(day, scratch);
  const total = scratch[0] * 12 + (scratch[1] - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const d = Math.min(scratch[2], daysInMonth(y, m));
  return dayFromParts(y, m, d);
}

/** `iso` plus `months` calendar months (see {@link addMonthsToDay} for month-end clamping). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  return fromDayNumber(addMonthsToDay(toDayNumber(iso), months));
}

/** Parses 'YYYY-MM' → [year, month], or null. */
export function parseMonth(month: string): [number, number] | null {
  if (month.length !== 7 || month.charCodeAt(4) !== 45) return null;
  const y = digit(month, 0) * 1000 + digit(month, 1) * 100 + digit(month, 2) * 10 + digit(month, 3);
  const m = digit(month, 5) * 10 + digit(month, 6);
  if (!(m >= 1 && m <= 12) || !Number.isFinite(y)) return null;
  return [y, m];
}

/** Last day of a month 'YYYY-MM' as a day number. */
export function monthEndDay(month: IsoMonth): DayNumber {
  const p = parseMonth(month);
  if (p === null) throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return dayFromParts(p[0], p[1], daysInMonth(p[0], p[1]));
}

/** Last day of a month: monthEnd('2024-02') = '2024-02-29'. */
export function monthEnd(month: IsoMonth): IsoDate {
  return fromDayNumber(monthEndDay(month));
}

/** The month 'YYYY-MM' of a date. */
export function monthOf(iso: IsoDate): IsoMonth {
  toDayNumber(iso); // validates
  return iso.slice(0, 7);
}

/**
 * `count` consecutive months ending with `lastMonth` (oldest first):
 * monthsEndingWith('2024-02', 3) = ['2023-12', '2024-01', '2024-02'].
 */
export function monthsEndingWith(lastMonth: IsoMonth, count: number): IsoMonth[] {
  const p = parseMonth(lastMonth);
  if (p === null) throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(lastMonth)}`);
  const last = p[0] * 12 + p[1] - 1;
  const out: IsoMonth[] = [];
  for (let t = last - count + 1; t <= last; t++) {
    const y = Math.floor(t / 12);
    out.push(`${pad4(y)}-${pad2(t - y * 12 + 1)}`);
  }
  return out;
}
