/**
 * Measures Beacon can show beside an audit item (issue 9): the current value of something
 * the item is about, taken from Beacon's own data. One definition each: where another part
 * of Beacon already computes the figure (the MAT tracker, the risk report) the measure
 * reads that figure and names where else it is shown; the rest are defined here as pure
 * functions with tests.
 */
import { addMonthsToDay, fromDayNumber, toDayNumber } from '../mat/dates';

export const MEASURE_KEYS = [
  'naloxone_high_risk',
  'naloxone_in_mat',
  'mat_uncategorised',
  'mat_red',
  'top_completion',
  'ldis_assessed_24h',
  'partners_sharing',
  'trial_runs_12m',
  'penetration',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

export function isMeasureKey(v: unknown): v is MeasureKey {
  return typeof v === 'string' && (MEASURE_KEYS as readonly string[]).includes(v);
}

export interface MeasureDefinition {
  key: MeasureKey;
  label: string;
  unit: 'percent' | 'count';
  better: 'higher' | 'lower';
  /** How it is computed, in words. */
  definition: string;
  /** Where else Beacon shows the same figure. */
  shownIn: string;
}

export const MEASURES: Readonly<Record<MeasureKey, MeasureDefinition>> = Object.freeze({
  naloxone_high_risk: {
    key: 'naloxone_high_risk',
    label: 'Naloxone coverage among people at High risk',
    unit: 'percent',
    better: 'higher',
    definition: 'People in MAT at High overdose risk on the date who were supplied take-home naloxone in the last 12 months, as a % of everyone in MAT at High risk.',
    shownIn: 'Risk report, naloxone coverage (High)',
  },
  naloxone_in_mat: {
    key: 'naloxone_in_mat',
    label: 'Naloxone coverage among everyone in MAT',
    unit: 'percent',
    better: 'higher',
    definition: 'People in MAT on the date supplied take-home naloxone in the last 12 months, as a % of everyone in MAT.',
    shownIn: 'Risk report, naloxone coverage (all)',
  },
  mat_uncategorised: {
    key: 'mat_uncategorised',
    label: 'Uncategorised in MAT (no TOP or drug test in 3 months)',
    unit: 'percent',
    better: 'lower',
    definition: 'People in MAT on the month end with no TOP and no drug test in the evidence window, as a % of everyone in MAT.',
    shownIn: 'MAT tracker, Uncategorised',
  },
  mat_red: {
    key: 'mat_red',
    label: 'Red cohort: using on top below the Orange Guidelines dose',
    unit: 'percent',
    better: 'lower',
    definition: 'People in MAT 2 with a dose below the Orange Guidelines range, as a % of everyone in MAT on the month end.',
    shownIn: 'MAT tracker, Red',
  },
  top_completion: {
    key: 'top_completion',
    label: 'TOP completion (a TOP in the last 6 months)',
    unit: 'percent',
    better: 'higher',
    definition: 'People in MAT on the date with a Treatment Outcomes Profile dated within the TOP review interval (6 months by default) before it, as a % of everyone in MAT.',
    shownIn: 'MAT worklists (TOP older than the review interval)',
  },
  ldis_assessed_24h: {
    key: 'ldis_assessed_24h',
    label: 'LDIS reports assessed within 24 hours',
    unit: 'percent',
    better: 'higher',
    definition: 'Partner reports received in the month (drills excluded) assessed within the assessment SLA (24 hours from receipt), as a % of those whose SLA has ended.',
    shownIn: 'LDIS inbox, SLA timers',
  },
  partners_sharing: {
    key: 'partners_sharing',
    label: 'Partners sharing data with the LDIS in the month',
    unit: 'count',
    better: 'higher',
    definition: 'Partner organisations (or sources, for imported reports) with at least one report received in the month, drills excluded; beside it, how many of the partner directory’s PIN members shared.',
    shownIn: 'LDIS inbox (reports by partner)',
  },
  trial_runs_12m: {
    key: 'trial_runs_12m',
    label: 'Trial runs of the preparedness plan in the last 12 months',
    unit: 'count',
    better: 'higher',
    definition: 'Trial runs (LDIS drills) of the preparedness plan started in the 12 months to the date.',
    shownIn: 'Preparedness plan, trial runs',
  },
  penetration: {
    key: 'penetration',
    label: 'Penetration: people known to treatment ÷ estimated users',
    unit: 'percent',
    better: 'higher',
    definition: 'People in treatment in the 12 months to the date as a % of the latest prevalence estimate of opiate and/or crack users (all areas with an estimate).',
    shownIn: 'Needs assessment, penetration',
  },
});

export interface MeasureValue {
  key: MeasureKey;
  /** The figure (a percentage 0–100 or a count); null when it cannot be computed (nobody in the denominator, no estimate). */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** The date the figure is about. */
  asOf: string;
  /** Why there is no value, or a qualification. */
  note: string | null;
}

export function percent(numerator: number, denominator: number): number | null {
  return denominator > 0 ? (100 * numerator) / denominator : null;
}

// ---------------------------------------------------------------------------------------
// Measures defined here
// ---------------------------------------------------------------------------------------

/** The calendar month a date falls in, as [first day, last day]. */
export function monthOf(date: string): { from: string; to: string } {
  const from = `${date.slice(0, 7)}-01`;
  const to = fromDayNumber(addMonthsToDay(toDayNumber(from), 1) - 1);
  return { from, to };
}

export interface LdisTiming {
  /** ISO instants. */
  receivedAt: string;
  assessedAt: string | null;
  exercise: boolean;
}

/**
 * LDIS reports assessed within the SLA (default 24 h) among real reports received in
 * [from, to] (dates, inclusive, UTC). A report still unassessed whose SLA has not yet
 * ended at `now` is left out (it can still meet it); one unassessed past its SLA counts
 * as missed.
 */
export function ldisAssessedWithin(reports: readonly LdisTiming[], period: { from: string; to: string }, now: string, hours = 24): MeasureValue {
  const start = Date.parse(`${period.from}T00:00:00Z`);
  const end = Date.parse(`${period.to}T00:00:00Z`) + 86_400_000;
  const nowMs = Date.parse(now);
  const limit = hours * 3_600_000;
  let due = 0;
  let met = 0;
  for (const r of reports) {
    if (r.exercise) continue;
    const rec = Date.parse(r.receivedAt);
    if (!(rec >= start && rec < end)) continue;
    const ass = r.assessedAt === null ? null : Date.parse(r.assessedAt);
    if (ass !== null && ass - rec <= limit) {
      due += 1;
      met += 1;
    } else if (ass !== null || nowMs - rec > limit) {
      due += 1;
    }
  }
  return {
    key: 'ldis_assessed_24h',
    value: percent(met, due),
    numerator: met,
    denominator: due,
    asOf: period.to,
    note: due === 0 ? 'No reports received in the month whose assessment was due' : null,
  };
}

export interface PartnerReport {
  partner: string;
  /** ISO instant received. */
  receivedAt: string;
  exercise: boolean;
}

/** Partners with a real report received in [from, to]; beside it, how many of the PIN members shared. */
export function partnersSharing(reports: readonly PartnerReport[], period: { from: string; to: string }, pinPartners: readonly string[]): MeasureValue & { partners: string[] } {
  const start = Date.parse(`${period.from}T00:00:00Z`);
  const end = Date.parse(`${period.to}T00:00:00Z`) + 86_400_000;
  const seen = new Set<string>();
  for (const r of reports) {
    if (r.exercise) continue;
    const t = Date.parse(r.receivedAt);
    if (t >= start && t < end) seen.add(r.partner.trim().toLowerCase());
  }
  const pin = [...new Set(pinPartners.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''))];
  const pinSharing = pin.filter((p) => seen.has(p)).length;
  return {
    key: 'partners_sharing',
    value: seen.size,
    numerator: pin.length ? pinSharing : null,
    denominator: pin.length ? pin.length : null,
    asOf: period.to,
    note: pin.length ? `${pinSharing} of the ${pin.length} PIN members in the partner directory shared` : 'No PIN members in the partner directory to compare with',
    partners: [...seen].sort(),
  };
}

/**
 * TOP completion: of the people in MAT on `date` (given with the dates of their TOPs),
 * those with a TOP dated after `date` − `months` calendar months and on or before `date`.
 */
export function topCompletion(people: readonly { topDates: readonly string[] }[], date: string, months = 6): MeasureValue {
  const d = toDayNumber(date);
  const cutoff = addMonthsToDay(d, -months);
  let met = 0;
  for (const p of people) {
    if (p.topDates.some((t) => {
      const n = toDayNumber(t);
      return n > cutoff && n <= d;
    })) met += 1;
  }
  return {
    key: 'top_completion',
    value: percent(met, people.length),
    numerator: met,
    denominator: people.length,
    asOf: date,
    note: people.length === 0 ? 'Nobody in MAT on the date' : null,
  };
}

/** Trial runs started in the 12 months to `date` (after date − 12 months, on or before date). */
export function trialRunsInYear(startedOn: readonly string[], date: string): MeasureValue {
  const d = toDayNumber(date);
  const cutoff = addMonthsToDay(d, -12);
  const n = startedOn.filter((s) => {
    const x = toDayNumber(s.slice(0, 10));
    return x > cutoff && x <= d;
  }).length;
  return { key: 'trial_runs_12m', value: n, numerator: n, denominator: null, asOf: date, note: null };
}

/** A measure read from a figure Beacon already computes elsewhere. */
export function fromFigure(key: MeasureKey, asOf: string, figure: { numerator: number; denominator: number; pct?: number | null } | null, note?: string): MeasureValue {
  if (figure === null) return { key, value: null, numerator: null, denominator: null, asOf, note: note ?? 'Not available' };
  const value = figure.pct !== undefined ? figure.pct : percent(figure.numerator, figure.denominator);
  return { key, value, numerator: figure.numerator, denominator: figure.denominator, asOf, note: figure.denominator === 0 ? (note ?? 'Nobody in the denominator') : null };
}

/** How a measure moved between two rounds (null when either has no value). */
export function measureTrend(key: MeasureKey, before: number | null, after: number | null): 'better' | 'worse' | 'same' | null {
  if (before === null || after === null) return null;
  if (Math.abs(after - before) < 1e-9) return 'same';
  const up = after > before;
  return (MEASURES[key].better === 'higher') === up ? 'better' : 'worse';
}

/** A measure value in words: "62.5% (5 of 8)", "4 partners". */
export function formatMeasure(v: MeasureValue): string {
  const def = MEASURES[v.key];
  if (v.value === null) return v.note ?? 'No value';
  if (def.unit === 'percent') {
    const pct = `${(Math.round(v.value * 10) / 10).toFixed(1)}%`;
    return v.numerator !== null && v.denominator !== null ? `${pct} (${v.numerator.toLocaleString('en-GB')} of ${v.denominator.toLocaleString('en-GB')})` : pct;
  }
  const base = v.value.toLocaleString('en-GB');
  if (v.key === 'partners_sharing') return `${base} partner${v.value === 1 ? '' : 's'}${v.numerator !== null && v.denominator !== null ? ` (${v.numerator} of ${v.denominator} PIN members)` : ''}`;
  if (v.key === 'trial_runs_12m') return `${base} trial run${v.value === 1 ? '' : 's'}`;
  return base;
}
