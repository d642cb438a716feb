/** Small, pure date helpers for the LDIS rules (UTC throughout, no clock reads). */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of an ISO date 'YYYY-MM-DD', or null if it is not a real date. */
export function dayNumber(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.round(t / 86_400_000);
}

/** ISO date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp. A timestamp without an offset is
 * read as UTC (never as the server's local time). Null if it cannot be read.
 */
export function instant(ts: string): number | null {
  const s = ts.trim();
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.test(s)) return null;
  const hasTime = /[T ]\d{2}:/.test(s);
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) && hasTime;
  const normal = (hasTime ? s.replace(' ', 'T') : `${s}T00:00:00`) + (hasZone ? '' : 'Z');
  const t = Date.parse(normal);
  return Number.isNaN(t) ? null : t;
}

export function mustInstant(ts: string, what: string): number {
  const t = instant(ts);
  if (t === null) throw new RangeError(`${what} is not an ISO 8601 timestamp: ${JSON.stringify(ts)}`);
  return t;
}

export function mustDay(iso: string, what: string): number {
  const d = dayNumber(iso);
  if (d === null) throw new RangeError(`${what} is not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  return d;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
