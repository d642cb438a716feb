/**
 * Whole-day UTC dates as integers (days since 1970-01-01), for the generator's hot loops.
 *
 * The generator formats millions of dates, so formatting goes through a cache filled on
 * first use for each day. No `Date` objects and no time zones are involved.
 */

export type Day = number;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Day number of a civil date (H. Hinnant's days_from_civil). */
export function dayOf(y: number, m: number, d: number): Day {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number. */
export function civil(day: Day): { y: number; m: number; d: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Parse a strict `YYYY-MM-DD`; null when it is not a real date. */
export function parseIsoDay(iso: string): Day | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return dayOf(y, m, d);
}

const CACHE_BASE = dayOf(1900, 1, 1);
const CACHE_SIZE = dayOf(2200, 1, 1) - CACHE_BASE;
const cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE);

function formatUncached(day: Day): string {
  const { y, m, d } = civil(day);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** `YYYY-MM-DD` of a day number (cached). */
export function iso(day: Day): string {
  const i = day - CACHE_BASE;
  if (i >= 0 && i < CACHE_SIZE) {
    const hit = cache[i];
    if (hit !== undefined) return hit;
    const s = formatUncached(day);
    cache[i] = s;
    return s;
  }
  return formatUncached(day);
}

/** Last day of the month containing `day`. */
export function monthEndOf(day: Day): Day {
  const { y, m } = civil(day);
  return dayOf(y, m, daysInMonth(y, m));
}

/** First day of the month containing `day`. */
export function monthStartOf(day: Day): Day {
  const { y, m } = civil(day);
  return dayOf(y, m, 1);
}

/** `day` plus whole calendar months, clamped to the end of a shorter month. */
export function addMonths(day: Day, months: number): Day {
  const { y, m, d } = civil(day);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return dayOf(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}
