/**
 * Calendar helpers for weekly series. Dates are ISO `YYYY-MM-DD` strings at the
 * boundary and "epoch days" (whole days since 1970-01-01, UTC) inside.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class DetectionInputError extends Error {
  override name = 'DetectionInputError';
}

/** Parses `YYYY-MM-DD` into epoch days; throws on malformed or impossible dates. */
export function parseIsoDate(iso: string): number {
  if (typeof iso !== 'string' || !ISO_DATE.test(iso)) {
    throw new DetectionInputError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  }
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new DetectionInputError(`impossible date: ${iso}`);
  return daysFromCivil(y, m, d);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Formats epoch days as `YYYY-MM-DD` (years 0–9999). */
export function formatIsoDate(epochDay: number): string {
  const [y, m, d] = civilFromDays(epochDay);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Day of week as R's `format(x, "%w")`: 0 = Sunday … 6 = Saturday. */
export function weekday(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Epoch day of a proleptic Gregorian date (H. Hinnant's days_from_civil); day may overflow the month. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + day - 1;
}

// civil_from_days's result, for callers that should not allocate a tuple
let civilY = 0;
let civilM = 0;
let civilD = 0;

/** H. Hinnant's civil_from_days into civilY, civilM, civilD. */
function setCivil(epochDay: number): void {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  civilD = doy - Math.floor((153 * mp + 2) / 5) + 1;
  civilM = mp < 10 ? mp + 3 : mp - 9;
  civilY = yoe + era * 400 + (civilM <= 2 ? 1 : 0);
}

/** [year, month (1–12), day] of an epoch day (H. Hinnant's civil_from_days). */
export function civilFromDays(epochDay: number): [number, number, number] {
  setCivil(epochDay);
  return [civilY, civilM, civilD];
}

/**
 * The same calendar date `years` years earlier, normalised the way R's
 * `seq(date, by = "-1 year")` normalises it (POSIXlt): 29 February in a year
 * without one becomes 1 March.
 */
export function minusYears(epochDay: number, years: number): number {
  setCivil(epochDay);
  return daysFromCivil(civilY - years, civilM, civilD);
}

/**
 * The reference date `years` years before `epochDay`, moved to the same day of
 * the week as `epochDay` (the closer of the two candidates; ties keep the first),
 * exactly as `surveillance:::algo.farrington.referencetimepoints` does for
 * weekly data with dates (`epochAsDate = TRUE`).
 */
export function sameWeekdayYearsBefore(epochDay: number, years: number): number {
  const ref = minusYears(epochDay, years);
  const a = ref - (weekday(ref) - weekday(epochDay));
  const b = a + (a > ref ? -7 : 7);
  return Math.abs(a - ref) > Math.abs(b - ref) ? b : a;
}
