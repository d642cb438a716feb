/**
 * Whole-day UTC date arithmetic on ISO `YYYY-MM-DD` strings.
 *
 * A date is turned into a *day number*: whole days since 1970-01-01 (UTC). Day numbers
 * compare and subtract as plain integers, so "D − date" in the domain docs is
 * `toDay(D) - toDay(date)`. No `Date` objects and no time zones are involved, so the
 * result never depends on the machine's TZ and parsing is cheap enough for 140,000
 * people × several records each.
 *
 * An invalid or missing date parses to `NaN`. Every comparison with `NaN` is false, so a
 * record with an unusable date simply never falls inside a window (it is ignored rather
 * than crashing a whole report). Import validation is where bad dates are reported.
 */

/** A day number: whole days since 1970-01-01 (UTC). `NaN` when the date is invalid. */
export type DayNumber = number;

const DIGIT_0 = 48;

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - DIGIT_0;
  return d >= 0 && d <= 9 ? d : NaN;
}

/** Is `year` a Gregorian leap year? */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

/**
 * Day number of a civil date (proleptic Gregorian), after H. Hinnant's
 * `days_from_civil`. No validation: callers pass a valid date.
 */
export function dayFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = month > 2 ? month - 3 : month + 9; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (inverse of {@link dayFromCivil}). */
export function civilFromDay(dayNumber: DayNumber): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/**
 * Parse `YYYY-MM-DD` into a day number. Anything else (wrong shape, month 13,
 * 31 April, 29 February in a common year, null, undefined) gives `NaN`.
 */
export function toDay(iso: string | null | undefined): DayNumber {
  if (typeof iso !== 'string' || iso.length !== 10) return NaN;
  if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return NaN; // '-'
  const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const month = digit(iso, 5) * 10 + digit(iso, 6);
  const day = digit(iso, 8) * 10 + digit(iso, 9);
  if (Number.isNaN(year) || Number.isNaN(month) || Number.isNaN(day)) return NaN;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return dayFromCivil(year, month, day);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Format a day number as `YYYY-MM-DD`. */
export function fromDay(dayNumber: DayNumber): string {
  if (!Number.isFinite(dayNumber)) throw new RangeError(`not a day number: ${dayNumber}`);
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Is `iso` a valid `YYYY-MM-DD` date? */
export function isIsoDate(iso: string | null | undefined): iso is string {
  return !Number.isNaN(toDay(iso));
}

/** Add (or with a negative `days`, subtract) whole days. */
export function addDays(iso: string, days: number): string {
  return fromDay(toDay(iso) + days);
}

/**
 * Add (or subtract) calendar months to a day number. When the target month is shorter,
 * the day is clamped to its last day: 31 May − 3 months = 29 Feb in a leap year, 28 Feb
 * otherwise; 29 Feb 2024 − 12 months = 28 Feb 2023. "Three months after 1 October is
 * 1 January" (domain §1.2).
 */
export function addMonthsToDay(dayNumber: DayNumber, months: number): DayNumber {
  if (!Number.isFinite(dayNumber)) return NaN;
  const { year, month, day } = civilFromDay(dayNumber);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return dayFromCivil(y, m, Math.min(day, daysInMonth(y, m)));
}

/** {@link addMonthsToDay} on ISO strings. */
export function addMonths(iso: string, months: number): string {
  return fromDay(addMonthsToDay(toDay(iso), months));
}

/** Whole days from `earlier` to `later` (`later − earlier`); `NaN` if either is invalid. */
export function daysBetween(earlier: string, later: string): number {
  return toDay(later) - toDay(earlier);
}
