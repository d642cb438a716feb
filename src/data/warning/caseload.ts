/**
 * From area to people (issue 6 item 4): when an area is at Step 2 or 3, treatment staff
 * see the people in their caseload there who are most at risk — High tier, or with no
 * naloxone, a recent release (lowered tolerance), injecting, or potent-opioid exposure —
 * with the alert context. Only the services the caller may see; the route audits it.
 */
import type { FlagCode, Tier } from '../../domain/risk/types';
import type { Db } from '../db';
import { riskReport } from '../risk/report';
import { areaNamer } from './run';
import { loadWarningSettings } from './config';

/** The flags that put someone on the list whatever their tier. */
export const ALERT_FLAGS: readonly FlagCode[] = ['no_naloxone', 'lowered_tolerance', 'injecting', 'potent_opioid'];

export interface AlertArea {
  area: string;
  name: string;
  step: 2 | 3;
  since: string;
  summary: string | null;
}

export interface AlertCaseloadPerson {
  person_id: string;
  service_id: string;
  area: string;
  tier: Tier;
  /** the alert flags this person has, in ALERT_FLAGS order */
  alert_flags: FlagCode[];
  critical: FlagCode[];
  reasons: string[];
}

export interface AlertCaseload {
  date: string | null;
  areas: AlertArea[];
  people: AlertCaseloadPerson[];
}

const TIER_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

/** Pure: who of these profiles goes on the list, most at risk first. */
export function selectAtRisk<T extends { person_id: string; tier: Tier; flags: FlagCode[] }>(people: readonly T[]): Array<T & { alert_flags: FlagCode[] }> {
  return people
    .map((p) => ({ ...p, alert_flags: ALERT_FLAGS.filter((f) => p.flags.includes(f)) }))
    .filter((p) => p.tier === 'high' || p.alert_flags.length > 0)
    .sort((a, b) => (TIER_RANK[a.tier] ?? 9) - (TIER_RANK[b.tier] ?? 9) || b.alert_flags.length - a.alert_flags.length || (a.person_id < b.person_id ? -1 : 1));
}

export async function alertCaseload(db: Db, visibleServiceIds: readonly string[] | null): Promise<AlertCaseload> {
  const settings = await loadWarningSettings(db);
  const name = areaNamer(settings);
  const steps = await db.query<{ area: string; current_step: number; since: string; last_proposal: { summary?: string } | null }>(
    'SELECT area, current_step, since, last_proposal FROM warning_steps WHERE current_step >= 2 ORDER BY area',
  );
  const asOf = await db.query<{ d: string | null }>(`SELECT max(as_of)::text AS d FROM warning_series`);
  const date = asOf[0]?.d ?? null;
  const areas: AlertArea[] = steps.map((s) => ({ area: s.area, name: name(s.area), step: s.current_step as 2 | 3, since: s.since, summary: s.last_proposal?.summary ?? null }));
  if (areas.length === 0 || date === null) return { date, areas, people: [] };
  const services = await db.query<{ service_id: string; local_authority: string }>(
    'SELECT service_id, local_authority FROM services WHERE local_authority = ANY($1::text[])',
    [areas.map((a) => a.area)],
  );
  const areaOf = new Map(services.map((s) => [s.service_id, s.local_authority]));
  const ids = services.map((s) => s.service_id).filter((id) => visibleServiceIds === null || visibleServiceIds.includes(id));
  if (ids.length === 0) return { date, areas, people: [] };
  const report = await riskReport(db, { date, serviceIds: ids });
  const people = selectAtRisk(report.people.filter((p) => ids.includes(p.service_id))).map((p) => ({
    person_id: p.person_id,
    service_id: p.service_id,
    area: areaOf.get(p.service_id) ?? '',
    tier: p.tier,
    alert_flags: p.alert_flags,
    critical: p.critical,
    reasons: p.reasons,
  }));
  return { date, areas, people };
}
