/**
 * Monitoring one area × indicator series: the method chosen for the indicator (or, with
 * `auto`, for the history each week has), count triggers over the dated events, and a
 * plain-words reason for every evaluated week. Pure: no I/O. See docs/detection.md,
 * "Monitoring areas".
 *
 * `auto` (the default), week by week, with h = the number of weeks before the week:
 *  - Farrington flexible (Noufaily settings) with the largest b ≤ the configured b
 *    (default 5) whose reference weeks lie inside the history (b ≥ 2);
 *  - otherwise EARS C2 when h ≥ 9 (7-week baseline behind a 2-week guard band), EARS C1
 *    when h ≥ 7, and no statistical baseline below that (count triggers only);
 *  - a week where Farrington cannot fit a model (e.g. every reference week is zero)
 *    falls back to EARS C2, so a sparse series still shows an expected value.
 * A method named explicitly is used as it is: weeks without enough history for it get no
 * expected value and say so.
 *
 * EARS on sparse counts: a flat baseline of zeros has sd 0, so any event would alarm.
 * Monitoring therefore floors the baseline sd (`minSigma`, default 1 here, 0 in the CLI
 * and R): above a zero baseline it takes 4 events in a week to alarm with C1/C2 at the
 * package's α. Rare, severe events are the business of count triggers.
 */
import { formatIsoDate, parseIsoDate } from './dates';
import type { EarsParams } from './ears';
import { NOUFAILY_DEFAULTS, type FarringtonParams } from './farrington';
import { detect, explainRow, farringtonHistoryWeeks, type DetectionMethod, type DetectionRow, type Noun, type SeriesPoint } from './series';
import { evaluateCountTrigger, type CountTrigger, type DatedEvent } from './triggers';

export type MonitorMethod = 'auto' | DetectionMethod | 'none';
export const MONITOR_METHODS: readonly MonitorMethod[] = ['auto', 'farrington', 'ears-c1', 'ears-c2', 'ears-c3', 'none'];

export interface NamedTrigger extends CountTrigger {
  id: string;
  /** e.g. "2 or more deaths in 24 hours" (generated when absent) */
  description?: string;
}

export interface MonitorSettings {
  method: MonitorMethod;
  farrington?: Partial<FarringtonParams>;
  ears?: Partial<EarsParams>;
  /** weeks evaluated, counting back from the last week of the series */
  evaluateWeeks: number;
  triggers: readonly NamedTrigger[];
}

export const MONITOR_EARS_DEFAULTS: Readonly<Partial<EarsParams>> = Object.freeze({ minSigma: 1 });

export interface MonitoredWeek {
  period_start: string;
  count: number;
  expected: number | null;
  upper_bound: number | null;
  /** statistical exceedance */
  alarm: boolean;
  method: DetectionMethod | null;
  /** the plain-words reading of the week */
  reason: string;
  /** ids of the count triggers that fired during the week */
  triggers: string[];
}

export interface MonitoredEpisode {
  triggerId: string;
  description: string;
  firedAt: string;
  /** Monday of the week it fired in */
  week: string;
  peakCount: number;
}

export interface MonitorResult {
  weeks: MonitoredWeek[];
  episodes: MonitoredEpisode[];
  /** the method(s) used, in words */
  methodNote: string;
}

export class MonitorSettingsError extends Error {
  override name = 'MonitorSettingsError';
}

/** "3 or more deaths in 7 days" */
export function describeTrigger(t: CountTrigger, noun: Noun): string {
  const d = t.window.days ?? 0;
  const h = t.window.hours ?? 0;
  const span = d > 0 && h === 0 ? `${d} day${d === 1 ? '' : 's'}` : h > 0 && d === 0 ? `${h} hour${h === 1 ? '' : 's'}` : `${d * 24 + h} hours`;
  return `${t.threshold} or more ${t.threshold === 1 ? noun.singular : noun.plural} in ${span}`;
}

interface Plan {
  method: DetectionMethod | null;
  b: number | null;
}

function planFor(history: number, bMax: number): Plan {
  for (let b = bMax; b >= 2; b--) if (history >= farringtonHistoryWeeks(b)) return { method: 'farrington', b };
  if (history >= 9) return { method: 'ears-c2', b: null };
  if (history >= 7) return { method: 'ears-c1', b: null };
  return { method: null, b: null };
}

const METHOD_WORDS: Record<DetectionMethod, string> = {
  farrington: 'Farrington flexible',
  'ears-c1': 'EARS C1',
  'ears-c2': 'EARS C2',
  'ears-c3': 'EARS C3',
};

function needsWeeks(method: DetectionMethod, b: number): number {
  switch (method) {
    case 'farrington':
      return farringtonHistoryWeeks(b);
    case 'ears-c1':
      return 7;
    case 'ears-c2':
      return 9;
    case 'ears-c3':
      return 11;
  }
}

function plural(n: number, noun: Noun): string {
  return `${n} ${n === 1 ? noun.singular : noun.plural}`;
}

/**
 * Evaluates a weekly series (consecutive Mondays, counts ≥ 0; see `regularizeWeekly`)
 * and the dated events behind it (for count triggers; `weight` = events on that date).
 */
export function monitorSeries(
  series: readonly SeriesPoint[],
  events: readonly DatedEvent[],
  settings: MonitorSettings,
  noun: Noun,
): MonitorResult {
  const n = series.length;
  if (!(settings.evaluateWeeks >= 1)) throw new MonitorSettingsError('evaluateWeeks must be at least 1');
  const start = Math.max(0, n - Math.floor(settings.evaluateWeeks));
  const farringtonParams: Partial<FarringtonParams> = { ...settings.farrington };
  const earsParams: Partial<EarsParams> = { ...MONITOR_EARS_DEFAULTS, ...settings.ears };
  const rows = new Map<number, DetectionRow & { method: DetectionMethod }>();
  const firstDay = n > 0 ? parseIsoDate(series[0]!.period_start) : 0;
  const indexOf = (iso: string): number => Math.round((parseIsoDate(iso) - firstDay) / 7);
  const take = (found: DetectionRow[], method: DetectionMethod, lo: number, hi: number): void => {
    for (const r of found) {
      const i = indexOf(r.period_start);
      if (i >= lo && i <= hi && !rows.has(i)) rows.set(i, { ...r, method });
    }
  };
  const used = new Set<string>();
  let shortNote = '';

  if (settings.method === 'auto') {
    const bMax = farringtonParams.b ?? NOUFAILY_DEFAULTS.b;
    let i = start;
    while (i < n) {
      const plan = planFor(i, bMax);
      let j = i;
      while (j + 1 < n) {
        const next = planFor(j + 1, bMax);
        if (next.method !== plan.method || next.b !== plan.b) break;
        j++;
      }
      if (plan.method === 'farrington') {
        take(detect(series.slice(0, j + 1), 'farrington', { ...farringtonParams, b: plan.b! }, { from: series[i]!.period_start }), 'farrington', i, j);
      } else if (plan.method !== null) {
        take(detect(series.slice(0, j + 1), plan.method, earsParams, { from: series[i]!.period_start }), plan.method, i, j);
      }
      i = j + 1;
    }
    // Farrington weeks that could not be fitted fall back to EARS C2.
    const missing: number[] = [];
    for (let k = Math.max(start, 9); k < n; k++) if (!rows.has(k)) missing.push(k);
    if (missing.length > 0) take(detect(series, 'ears-c2', earsParams, { from: series[missing[0]!]!.period_start }), 'ears-c2', missing[0]!, n - 1);
  } else if (settings.method !== 'none') {
    const m = settings.method;
    take(detect(series, m, m === 'farrington' ? farringtonParams : earsParams, { from: series[start]?.period_start ?? '1970-01-05' }), m, start, n - 1);
    shortNote = `not enough history for ${METHOD_WORDS[m]} (it needs ${needsWeeks(m, farringtonParams.b ?? NOUFAILY_DEFAULTS.b)} weeks before the week)`;
  }

  const weeks: MonitoredWeek[] = [];
  for (let k = start; k < n; k++) {
    const pt = series[k]!;
    const count = pt.count ?? 0;
    const row = rows.get(k);
    if (row) {
      used.add(row.method === 'farrington' && row.details.method === 'farrington' ? 'farrington' : row.method);
      weeks.push({
        period_start: pt.period_start,
        count,
        expected: row.expected,
        upper_bound: row.upper_bound,
        alarm: row.alarm,
        method: row.method,
        reason: `${explainRow(row, noun)} (${METHOD_WORDS[row.method]})`,
        triggers: [],
      });
    } else {
      const why =
        settings.method === 'none'
          ? 'count triggers only for this indicator'
          : settings.method === 'auto'
            ? k < 7
              ? 'less than 7 weeks of history: count triggers only'
              : 'no baseline could be fitted'
            : shortNote;
      weeks.push({ period_start: pt.period_start, count, expected: null, upper_bound: null, alarm: false, method: null, reason: `${plural(count, noun)}; ${why}`, triggers: [] });
    }
  }

  const episodes: MonitoredEpisode[] = [];
  const from = weeks[0]?.period_start;
  for (const t of settings.triggers) {
    const description = t.description ?? describeTrigger(t, noun);
    const res = evaluateCountTrigger(events, t);
    for (const ep of res.episodes) {
      const day = parseIsoDate(ep.firedAt.slice(0, 10));
      const monday = formatIsoDate(day - ((((day + 3) % 7) + 7) % 7));
      if (from === undefined || monday < from) continue;
      const k = indexOf(monday) - start;
      const week = weeks[k];
      if (!week) continue;
      episodes.push({ triggerId: t.id, description, firedAt: ep.firedAt, week: monday, peakCount: ep.peakCount });
      if (!week.triggers.includes(t.id)) {
        week.triggers.push(t.id);
        week.reason += `; count trigger "${description}" fired on ${ep.firedAt.slice(0, 10)} (${ep.peakCount} in the window)`;
      }
    }
  }

  const methodNote =
    settings.method === 'none'
      ? 'No statistical baseline: count triggers only.'
      : used.size === 0
        ? 'Not enough history for a statistical baseline yet: count triggers only.'
        : `${[...used].map((m) => METHOD_WORDS[m as DetectionMethod]).join(', then ')}${settings.method === 'auto' ? ' (chosen for the history each week has)' : ''}.`;
  return { weeks, episodes, methodNote };
}

