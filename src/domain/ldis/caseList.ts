/**
 * The incident case list (issue 5 item 5): one row per linked case, its reports combined
 * into one record in the Op Mabble dataset's columns, and a summary of cases by area and
 * week. Pure: the caller supplies the reports of each case and their classification.
 */
import { dayNumber, isoDate } from './dates';
import { TRI_STATE_FIELDS, type IncidentRecord, type Outcome, type TriState } from './types';

/** Most to least informative: a death outranks everything, unknown nothing. */
const OUTCOME_RANK: Record<Outcome, number> = { died: 5, hospital: 4, treated_at_scene: 3, no_treatment: 2, unknown: 1 };

/** Yes outranks No (a positive test or a finding settles it), No outranks unknown. */
function combineTri(values: readonly TriState[]): TriState {
  if (values.includes('Y')) return 'Y';
  if (values.includes('N')) return 'N';
  return 'unknown';
}

function firstKnown<T>(values: ReadonlyArray<T | null | undefined>, unknown?: T): T | null {
  for (const v of values) if (v !== null && v !== undefined && v !== unknown) return v;
  return null;
}

/**
 * One record for a case from its reports (first received first): the earliest event
 * date; age, sex, postcode, route and location from the first report that gives them;
 * yes/no items Y if any report says Y, else N if any says N; the most serious outcome; the
 * largest naloxone dose count; every substance named by any report.
 */
export function combineCaseReports(reports: readonly IncidentRecord[]): IncidentRecord {
  const first = reports[0];
  if (!first) throw new RangeError('a case has at least one report');
  const byDate = [...reports].sort((a, b) => a.event_date.localeCompare(b.event_date));
  const outcomes = reports.map((r) => r.outcome).filter((o): o is Outcome => o !== null && o !== undefined);
  const substances: string[] = [];
  for (const r of reports) for (const s of r.substances ?? []) if (!substances.some((x) => x.toLowerCase() === s.toLowerCase())) substances.push(s);
  const doses = reports.map((r) => r.naloxone_doses).filter((d): d is number => typeof d === 'number');
  const out: IncidentRecord = {
    ...first,
    event_date: byDate[0]?.event_date ?? first.event_date,
    age: firstKnown(reports.map((r) => r.age)),
    sex: firstKnown(reports.map((r) => r.sex), 'U'),
    postcode: firstKnown(reports.map((r) => r.postcode)),
    route: firstKnown(reports.map((r) => r.route)),
    location_type: firstKnown(reports.map((r) => r.location_type)),
    outcome: outcomes.length === 0 ? null : outcomes.reduce((a, b) => (OUTCOME_RANK[b] > OUTCOME_RANK[a] ? b : a)),
    naloxone_doses: doses.length === 0 ? null : Math.max(...doses),
    substances,
    exercise: reports.some((r) => r.exercise === true),
  };
  if (reports.some((r) => r.event_type === 'death') || out.outcome === 'died') out.event_type = 'death';
  if (out.sex === null && reports.some((r) => r.sex === 'U')) out.sex = 'U';
  for (const f of TRI_STATE_FIELDS) out[f] = combineTri(reports.map((r) => r[f] ?? 'unknown'));
  return out;
}

/** The Monday (ISO week start) of an ISO date. */
export function weekStart(iso: string): string {
  const d = dayNumber(iso);
  if (d === null) throw new RangeError(`not an ISO date: ${iso}`);
  // 1970-01-01 was a Thursday: day 0 → weekday 3 counting from Monday = 0.
  const weekday = (((d + 3) % 7) + 7) % 7;
  return isoDate(d - weekday);
}

export interface CaseSummaryInput {
  local_authority: string;
  event_date: string;
  level: 'suspected' | 'probable' | 'confirmed';
  died: boolean;
}

export interface AreaWeekSummary {
  local_authority: string;
  week: string;
  cases: number;
  suspected: number;
  probable: number;
  confirmed: number;
  deaths: number;
}

/** Cases by area and ISO week (Monday), sorted by area then week. */
export function summariseByAreaWeek(cases: readonly CaseSummaryInput[]): AreaWeekSummary[] {
  const map = new Map<string, AreaWeekSummary>();
  for (const c of cases) {
    const week = weekStart(c.event_date);
    const key = `${c.local_authority}|${week}`;
    let s = map.get(key);
    if (!s) {
      s = { local_authority: c.local_authority, week, cases: 0, suspected: 0, probable: 0, confirmed: 0, deaths: 0 };
      map.set(key, s);
    }
    s.cases++;
    s[c.level]++;
    if (c.died) s.deaths++;
  }
  return [...map.values()].sort((a, b) => a.local_authority.localeCompare(b.local_authority) || a.week.localeCompare(b.week));
}
