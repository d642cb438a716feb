/**
 * One entry point over weekly series: `detect(series, method, params)`.
 *
 * Input: one point per week, `period_start` the ISO date of the week's first day
 * (Beacon uses Mondays), consecutive weeks with no gaps (`regularizeWeekly`
 * fills gaps), `count` a non-negative number or null when the week is missing.
 *
 * Output: one row per period that has enough history for the method:
 * - farrington: the b reference weeks (same week, 1…b years earlier by calendar
 *   date) must lie inside the series — with b = 5 the first 261 weeks (5 years)
 *   give no row; windows reaching before the first week are cut short. A week
 *   whose model cannot be fitted (no convergence with or without trend, or no
 *   reference data) gives no row.
 * - ears-c1 / ears-c2 / ears-c3: 7 / 9 / 11 previous weeks (baseline 7); a
 *   missing week inside a baseline gives no row for the periods that use it.
 * Missing weeks (null) are left out of the Farrington fit, count as 0 in its
 * "5 cases in 4 weeks" rule, and never alarm.
 *
 * Which method to use with a short history is the caller's decision;
 * `recommendMethod(historyWeeks)` gives a documented default.
 */
import { DetectionInputError, formatIsoDate, parseIsoDate, sameWeekdayYearsBefore } from './dates';
import { earsC, type EarsMethod, type EarsParams } from './ears';
import { farringtonFlexible, NOUFAILY_DEFAULTS, type FarringtonParams } from './farrington';

export { DetectionInputError } from './dates';

export type DetectionMethod = 'farrington' | 'ears-c1' | 'ears-c2' | 'ears-c3';
export const DETECTION_METHODS: readonly DetectionMethod[] = ['farrington', 'ears-c1', 'ears-c2', 'ears-c3'];

export interface SeriesPoint {
  /** ISO date (YYYY-MM-DD) of the first day of the week */
  period_start: string;
  /** events in the week; null = missing */
  count: number | null;
}

export interface FarringtonDetails {
  method: 'farrington';
  /** over-dispersion used for the threshold (≥ 1) */
  phi: number;
  /** whether the time trend was kept */
  trend: boolean;
  trendCoefficient: number | null;
  /** the package's exceedance score; the week is above threshold when > 1 */
  score: number;
  /** limit54: enough recent cases for an alarm */
  enoughCases: boolean;
}

export interface EarsDetails {
  method: 'ears-c1' | 'ears-c2' | 'ears-c3';
  /** C1/C2: (count − mean)/sd; C3: the C3 statistic */
  statistic: number;
  sd: number;
  /** C3: the excess of the two previous periods (the R package's C3 sum) */
  previousExcess?: number;
}

export interface DetectionRow {
  period_start: string;
  count: number | null;
  expected: number;
  upper_bound: number;
  alarm: boolean;
  details: FarringtonDetails | EarsDetails;
}

export type ParamsFor<M extends DetectionMethod> = M extends 'farrington' ? Partial<FarringtonParams> : Partial<EarsParams>;

export interface DetectOptions {
  /** only report periods starting on or after this ISO date (earlier weeks still serve as history) */
  from?: string;
}

interface Regular {
  firstDay: number;
  counts: Float64Array;
  dates: string[];
}

function toRegular(series: readonly SeriesPoint[]): Regular {
  const counts = new Float64Array(series.length);
  const dates: string[] = new Array<string>(series.length);
  let firstDay = 0;
  series.forEach((pt, i) => {
    const day = parseIsoDate(pt.period_start);
    if (i === 0) firstDay = day;
    else if (day !== firstDay + 7 * i) {
      throw new DetectionInputError(
        `weeks must be consecutive (7 days apart, ascending): ${pt.period_start} follows ${series[i - 1]!.period_start}`,
      );
    }
    const c = pt.count;
    if (c !== null && !(typeof c === 'number' && Number.isFinite(c) && c >= 0)) {
      throw new DetectionInputError(`count must be a non-negative number or null: ${String(c)} on ${pt.period_start}`);
    }
    counts[i] = c ?? Number.NaN;
    dates[i] = pt.period_start; // already canonical: parseIsoDate accepts only YYYY-MM-DD
  });
  return { firstDay, counts, dates };
}

/**
 * Sorts weekly points, rejects duplicates and weeks that are not 7·k days from
 * the first, and fills gaps with `fill` (0 by default: no report means no event;
 * pass null when a gap means "unknown").
 */
export function regularizeWeekly(points: readonly SeriesPoint[], fill: number | null = 0): SeriesPoint[] {
  if (points.length === 0) return [];
  const byDay = new Map<number, SeriesPoint>();
  for (const pt of points) {
    const day = parseIsoDate(pt.period_start);
    if (byDay.has(day)) throw new DetectionInputError(`duplicate week ${pt.period_start}`);
    byDay.set(day, pt);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const out: SeriesPoint[] = [];
  for (let d = first; d <= last; d += 7) {
    const pt = byDay.get(d);
    out.push({ period_start: formatIsoDate(d), count: pt ? pt.count : fill });
    byDay.delete(d);
  }
  if (byDay.size > 0) {
    const odd = formatIsoDate([...byDay.keys()][0]!);
    throw new DetectionInputError(`week ${odd} is not a whole number of weeks after ${formatIsoDate(first)}`);
  }
  return out;
}

const EARS_OF: Record<Exclude<DetectionMethod, 'farrington'>, EarsMethod> = {
  'ears-c1': 'C1',
  'ears-c2': 'C2',
  'ears-c3': 'C3',
};

/**
 * Runs a detection method over one weekly series.
 * Throws DetectionInputError for malformed input and the method's ParamError for bad parameters.
 */
export function detect<M extends DetectionMethod>(
  series: readonly SeriesPoint[],
  method: M,
  params: ParamsFor<M> = {} as ParamsFor<M>,
  options: DetectOptions = {},
): DetectionRow[] {
  if (!DETECTION_METHODS.includes(method)) throw new DetectionInputError(`unknown method ${String(method)}`);
  const { firstDay, counts, dates } = toRegular(series);
  let from = 0;
  if (options.from !== undefined) from = Math.max(0, Math.ceil((parseIsoDate(options.from) - firstDay) / 7));
  const countOf = (i: number): number | null => series[i]!.count;
  if (method === 'farrington') {
    return farringtonFlexible(counts, firstDay, params as Partial<FarringtonParams>, from).map((pt) => ({
      period_start: dates[pt.index]!,
      count: countOf(pt.index),
      expected: pt.expected,
      upper_bound: pt.upperBound,
      alarm: pt.alarm,
      details: {
        method: 'farrington',
        phi: pt.phi,
        trend: pt.trend,
        trendCoefficient: pt.trendCoefficient,
        score: pt.score,
        enoughCases: pt.enoughCases,
      },
    }));
  }
  const m = method as Exclude<DetectionMethod, 'farrington'>;
  return earsC(counts, EARS_OF[m], params as Partial<EarsParams>, from).map((pt) => {
    const details: EarsDetails = { method: m, statistic: pt.statistic, sd: pt.sd };
    if (pt.previousExcess !== undefined) details.previousExcess = pt.previousExcess;
    return {
      period_start: dates[pt.index]!,
      count: countOf(pt.index),
      expected: pt.expected,
      upper_bound: pt.upperBound,
      alarm: pt.alarm,
      details,
    };
  });
}

const lagCache = new Map<number, number>();

/**
 * Weeks of history Farrington needs before a week can be evaluated with `b`
 * years (calendar reference weeks): the largest "same week b years ago" lag
 * over the calendar (52 for b = 1, 104, 157, 209, 261 for b = 5).
 */
export function farringtonHistoryWeeks(b: number): number {
  const cached = lagCache.get(b);
  if (cached !== undefined) return cached;
  let max = 0;
  const start = parseIsoDate('2001-01-01');
  for (let d = start; d < start + 28 * 366; d += 7) max = Math.max(max, (d - sameWeekdayYearsBefore(d, b)) / 7);
  lagCache.set(b, max);
  return max;
}

export type MethodRecommendation =
  | { method: 'farrington'; params: Partial<FarringtonParams>; reason: string }
  | { method: 'ears-c1' | 'ears-c2' | 'ears-c3'; params: Partial<EarsParams>; reason: string }
  | { method: null; params: Record<string, never>; reason: string };

/**
 * A documented default for the method to use when `historyWeeks` weeks of data
 * precede the week to evaluate (a caller may always choose otherwise):
 * - ≥ 261 weeks (5 years): Farrington flexible with the Noufaily defaults;
 * - ≥ 104 weeks (2 years): Farrington flexible with b = the whole years available
 *   (2–4; the trend is only considered from b = 3);
 * - ≥ 9 weeks: EARS C2 (7-week baseline with a 2-week guard band, so the start
 *   of an outbreak does not raise its own baseline);
 * - ≥ 7 weeks: EARS C1;
 * - fewer: no statistical method; use count triggers ("N events in T days").
 * For rare, severe events (deaths) count triggers are advised whatever the history.
 */
export function recommendMethod(historyWeeks: number): MethodRecommendation {
  const b0 = NOUFAILY_DEFAULTS.b;
  if (historyWeeks >= farringtonHistoryWeeks(b0)) {
    return { method: 'farrington', params: {}, reason: `${b0} years of history: Farrington flexible (Noufaily settings)` };
  }
  for (let b = b0 - 1; b >= 2; b--) {
    if (historyWeeks >= farringtonHistoryWeeks(b)) {
      return {
        method: 'farrington',
        params: { b },
        reason: `${b} years of history: Farrington flexible with b = ${b}${b < 3 ? ' (no time trend below 3 years)' : ''}`,
      };
    }
  }
  if (historyWeeks >= 9) return { method: 'ears-c2', params: {}, reason: 'less than 2 years of history: EARS C2' };
  if (historyWeeks >= 7) return { method: 'ears-c1', params: {}, reason: 'less than 9 weeks of history: EARS C1' };
  return { method: null, params: {}, reason: 'less than 7 weeks of history: use count triggers' };
}

export interface Noun {
  singular: string;
  plural: string;
}

function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/**
 * Plain-words explanation of one row, e.g.
 * "17 non-fatal overdoses against an expected 6.2; threshold 12 — alarm".
 */
export function explainRow(row: DetectionRow, noun: Noun = { singular: 'event', plural: 'events' }): string {
  if (row.count === null) return `no data for the week of ${row.period_start}`;
  const what = `${fmt(row.count)} ${row.count === 1 ? noun.singular : noun.plural}`;
  const base = `${what} against an expected ${fmt(row.expected)}; threshold ${fmt(row.upper_bound)}`;
  if (row.alarm) {
    if (row.details.method === 'ears-c3' && row.count <= row.upper_bound) {
      return `${base} — alarm carried by the excess of the two previous weeks (EARS C3)`;
    }
    return `${base} — alarm`;
  }
  if (row.details.method === 'farrington' && !row.details.enoughCases && row.count > row.upper_bound) {
    return `${base} — above threshold but too few recent cases for an alarm`;
  }
  return `${base} — no alarm`;
}
