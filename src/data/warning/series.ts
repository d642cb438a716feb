/**
 * Daily and weekly counts per area × indicator, built in SQL from the dataset:
 * - LDIS reports (incidents): deaths, non-fatal overdoses, A&E attendances, ambulance
 *   call-outs, naloxone use, prison events by event type; nitazene-positive results from
 *   any report with a nitazene found (forensics, toxicology, or a drug check / seizure
 *   test naming a nitazene). Exercise (drill) reports are left out. Reports the
 *   coordinator linked into one case count once per indicator (on the earliest date).
 *   A run "as of" a date sees only reports received by the end of that day.
 * - naloxone supplies: by the area on the supply, else the person's service's area.
 * - imported weekly counts (warning_counts): where present for an area, indicator and
 *   week they replace the count built from reports for that week.
 */
import { formatIsoDate, parseIsoDate } from '../../domain/detection/dates';
import type { Queryable } from '../db';
import { loadLinkage } from '../ldis/linkage';
import { INDICATOR_IDS, type IndicatorId } from './config';

/** Monday of the week of an epoch day. */
export function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

const NITAZENE = `(coalesce(forensic_nitazene, false) OR coalesce(tox_nitazene_present, false) OR coalesce(tox_n_desethyl_isotonitazene, false)
  OR (event_type IN ('drug_check_result', 'seizure_test') AND coalesce(substances, '') ILIKE '%nitazene%'))`;

/** Report-level rows (report_id, area, indicator, day) for the indicators built from incidents. */
const REPORT_EVENTS = `
  SELECT report_id, local_authority AS area, event_type AS indicator, event_date AS day
    FROM incidents
   WHERE NOT exercise AND event_type IN ('death', 'non_fatal_overdose', 'ae_attendance', 'ambulance_callout', 'naloxone_administration', 'prison_event')
     AND event_date <= $1::date AND received_at < ($1::date + 1)
  UNION ALL
  SELECT report_id, local_authority, 'nitazene_positive', event_date
    FROM incidents
   WHERE NOT exercise AND ${NITAZENE} AND event_date <= $1::date AND received_at < ($1::date + 1)`;

export interface DailyCount {
  area: string;
  indicator: IndicatorId;
  day: string;
  count: number;
}

export interface BuiltCounts {
  /** every area with any data or a service */
  areas: string[];
  /** the first Monday of the series (shared by every series) */
  firstWeek: string;
  /** the Monday of the as-of week */
  lastWeek: string;
  /** area → indicator → day → count */
  daily: Map<string, Map<IndicatorId, Map<string, number>>>;
  /** area → indicator → Monday → imported count */
  imported: Map<string, Map<IndicatorId, Map<string, number>>>;
}

function put(m: Map<string, Map<IndicatorId, Map<string, number>>>, area: string, ind: IndicatorId, key: string, n: number): void {
  let a = m.get(area);
  if (!a) m.set(area, (a = new Map()));
  let i = a.get(ind);
  if (!i) a.set(ind, (i = new Map()));
  i.set(key, (i.get(key) ?? 0) + n);
}

/** The latest date with data (reports, supplies, imported weeks), not after `today`. */
export async function latestDataDate(db: Queryable, today: string): Promise<string | null> {
  const rows = await db.query<{ d: string | null }>(
    `SELECT least($1::date, greatest(
        (SELECT max(event_date) FROM incidents WHERE NOT exercise AND event_date <= $1::date),
        (SELECT max(date) FROM naloxone WHERE date <= $1::date),
        (SELECT max(period_start) + 6 FROM warning_counts WHERE period_start <= $1::date)))::text AS d`,
    [today],
  );
  return rows[0]?.d ?? null;
}

/**
 * Counts for every area and indicator from `historyWeeks` weeks before the as-of week
 * (or the first data, if later) to the as-of date.
 */
export async function buildCounts(db: Queryable, asOf: string, historyWeeks: number): Promise<BuiltCounts> {
  const lastWeekDay = mondayOf(parseIsoDate(asOf));
  const floorDay = lastWeekDay - 7 * historyWeeks;
  const first = await db.query<{ d: string | null }>(
    `SELECT least(
        (SELECT min(event_date) FROM incidents WHERE NOT exercise),
        (SELECT min(date) FROM naloxone),
        (SELECT min(period_start) FROM warning_counts))::text AS d`,
  );
  const firstData = first[0]?.d ? mondayOf(parseIsoDate(first[0].d)) : lastWeekDay;
  const firstDay = Math.min(lastWeekDay, Math.max(floorDay, firstData));
  const from = formatIsoDate(firstDay);

  const daily: BuiltCounts['daily'] = new Map();
  const reportRows = await db.query<{ area: string; indicator: IndicatorId; day: string; n: number }>(
    `SELECT area, indicator, day::text AS day, count(*)::int AS n FROM (${REPORT_EVENTS}) e
      WHERE day >= $2::date GROUP BY area, indicator, day`,
    [asOf, from],
  );
  for (const r of reportRows) put(daily, r.area, r.indicator, r.day, r.n);

  // Linked reports: one case counts once per indicator, on its earliest date.
  const linkage = await loadLinkage(db);
  const linked = linkage.state.cases.filter((c) => c.reportIds.length > 1).flatMap((c) => c.reportIds);
  if (linked.length > 0) {
    const members = await db.query<{ report_id: string; area: string; indicator: IndicatorId; day: string }>(
      `SELECT report_id, area, indicator, day::text AS day FROM (${REPORT_EVENTS}) e WHERE day >= $2::date AND report_id = ANY($3::text[])`,
      [asOf, from, linked],
    );
    const byCase = new Map<string, typeof members>();
    for (const m of members) {
      const key = `${linkage.state.caseOf.get(m.report_id) ?? m.report_id}\u0000${m.indicator}`;
      const list = byCase.get(key) ?? [];
      list.push(m);
      byCase.set(key, list);
    }
    for (const list of byCase.values()) {
      list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.report_id < b.report_id ? -1 : 1));
      for (const extra of list.slice(1)) put(daily, extra.area, extra.indicator, extra.day, -1);
    }
  }

  const supplies = await db.query<{ area: string; day: string; n: number }>(
    `SELECT coalesce(n.local_authority, s.local_authority) AS area, n.date::text AS day, count(*)::int AS n
       FROM naloxone n LEFT JOIN people p ON p.person_id = n.person_id LEFT JOIN services s ON s.service_id = p.service_id
      WHERE n.date BETWEEN $2::date AND $1::date AND coalesce(n.local_authority, s.local_authority) IS NOT NULL
      GROUP BY 1, 2`,
    [asOf, from],
  );
  for (const r of supplies) put(daily, r.area, 'naloxone_supply', r.day, r.n);

  const imported: BuiltCounts['imported'] = new Map();
  const importedRows = await db.query<{ area: string; indicator: string; week: string; count: number }>(
    `SELECT area, indicator, period_start::text AS week, count FROM warning_counts WHERE period_start BETWEEN $2::date AND $1::date`,
    [asOf, from],
  );
  for (const r of importedRows) {
    if ((INDICATOR_IDS as readonly string[]).includes(r.indicator)) put(imported, r.area, r.indicator as IndicatorId, r.week, r.count);
  }

  const areaRows = await db.query<{ area: string }>(
    `SELECT local_authority AS area FROM services WHERE local_authority IS NOT NULL
     UNION SELECT DISTINCT local_authority FROM incidents WHERE NOT exercise
     UNION SELECT DISTINCT local_authority FROM naloxone WHERE local_authority IS NOT NULL
     UNION SELECT DISTINCT area FROM warning_counts
     ORDER BY 1`,
  );
  return { areas: areaRows.map((r) => r.area), firstWeek: from, lastWeek: formatIsoDate(lastWeekDay), daily, imported };
}

/** The weekly series of one area × indicator, every week from firstWeek to lastWeek. */
export function weeklySeries(built: BuiltCounts, area: string, indicator: IndicatorId): { period_start: string; count: number }[] {
  const first = parseIsoDate(built.firstWeek);
  const last = parseIsoDate(built.lastWeek);
  const weeks = (last - first) / 7 + 1;
  const counts = new Array<number>(weeks).fill(0);
  const days = built.daily.get(area)?.get(indicator);
  if (days) {
    for (const [day, n] of days) {
      const k = Math.floor((parseIsoDate(day) - first) / 7);
      if (k >= 0 && k < weeks) counts[k]! += n;
    }
  }
  const imp = built.imported.get(area)?.get(indicator);
  if (imp) {
    for (const [week, n] of imp) {
      const k = (parseIsoDate(week) - first) / 7;
      if (Number.isInteger(k) && k >= 0 && k < weeks) counts[k] = n;
    }
  }
  return counts.map((count, k) => ({ period_start: formatIsoDate(first + 7 * k), count: Math.max(0, count) }));
}

/** The dated events of one area × indicator (one per day, weighted by the day's count). */
export function dailyEvents(built: BuiltCounts, area: string, indicator: IndicatorId): { at: string; weight: number }[] {
  const days = built.daily.get(area)?.get(indicator);
  if (!days) return [];
  const out: { at: string; weight: number }[] = [];
  for (const [day, n] of days) if (n > 0) out.push({ at: day, weight: n });
  return out.sort((a, b) => (a.at < b.at ? -1 : 1));
}
