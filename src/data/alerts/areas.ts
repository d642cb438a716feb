/**
 * Areas, their step and their alarms as the alerts module reads them: from the early-
 * warning tables (issue 6: warning_steps, warning_step_history, warning_alarms) where they
 * hold a row for the area, otherwise a step *proposed* from the LDIS reports with the
 * default step rules (said as such wherever it is shown).
 */
import { LOCAL_AUTHORITIES } from '../demo/geography';
import type { Queryable } from '../db';
import { caseDefinitions, classify } from '../ldis/reports';
import { INCIDENT_SELECT, recordOf, type IncidentRow } from '../ldis/rows';
import { proposeStep, type CaseMatch, type DrugCheckResult } from '../../domain/ldis/steps';
import type { IncidentRecord, Step } from '../../domain/ldis/types';
import { dayNumber, isoDate } from '../../domain/ldis/dates';
import type { AreaScope } from './errors';

/** The name of an ONS local authority (the code itself when Beacon does not know it). */
export function areaName(code: string): string {
  return LOCAL_AUTHORITIES.find((a) => a.code === code)?.name ?? code;
}

async function hasTable(db: Queryable, name: string): Promise<boolean> {
  const r = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]);
  return (r[0]?.t ?? null) !== null;
}

export interface AreaStep {
  area: string;
  areaName: string;
  step: Step;
  basis: string;
  summary: string;
}

function isNitazene(r: IncidentRecord): boolean {
  return (
    r.tox_nitazene_present === 'Y' ||
    r.forensic_nitazene === 'Y' ||
    (r.substances ?? []).some((s) => /nitazene|isotonitazene|metonitazene|protonitazene/i.test(s))
  );
}

/** The incidents of an area with their case-definition level (exercises marked). */
export async function classifiedIncidents(
  db: Queryable,
  areas: readonly string[] | null,
  receivedFrom: string,
  receivedTo: string,
): Promise<Array<{ record: IncidentRecord; level: IncidentLevel; nitazene: boolean }>> {
  const rows = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_SELECT} FROM incidents i
      WHERE i.received_at >= $1::date AND i.received_at < ($2::date + 1)
        AND ($3::text[] IS NULL OR i.local_authority = ANY($3::text[]))
      ORDER BY i.received_at, i.report_id`,
    [receivedFrom, receivedTo, areas === null ? null : [...areas]],
  );
  const defs = await caseDefinitions(db);
  return rows.map((row) => {
    const record = recordOf(row);
    const c = classify(record, defs);
    return { record, level: c.meets ? c.level : null, nitazene: isNitazene(record) };
  });
}
type IncidentLevel = CaseMatch['level'] | null;

/** The step of an area: the early-warning step if recorded, else a proposal from LDIS data. */
export async function currentStep(db: Queryable, area: string, asOf: string): Promise<AreaStep> {
  const name = areaName(area);
  if (await hasTable(db, 'warning_steps')) {
    const r = await db.query<{ current_step: number; since: string }>('SELECT current_step, since FROM warning_steps WHERE area = $1', [area]);
    const row = r[0];
    if (row) {
      const step = (row.current_step >= 1 && row.current_step <= 3 ? row.current_step : 1) as Step;
      return { area, areaName: name, step, basis: 'Early warning (confirmed step)', summary: `Step ${step} since ${String(row.since).slice(0, 10)}.` };
    }
  }
  const d = dayNumber(asOf) ?? 0;
  const incidents = (await classifiedIncidents(db, [area], isoDate(d - 28), asOf)).filter((x) => !x.record.exercise);
  const caseMatches: CaseMatch[] = incidents
    .filter((x) => x.level !== null)
    .map((x) => ({ reportId: x.record.report_id, level: x.level ?? 'suspected', eventDate: x.record.event_date }));
  const drugChecks: DrugCheckResult[] = incidents
    .filter((x) => x.record.event_type === 'drug_check_result' || x.record.event_type === 'seizure_test')
    .map((x) => ({
      id: x.record.report_id,
      date: x.record.event_date,
      method: x.record.event_type === 'seizure_test' ? 'police_forensic' : 'drug_checking_service',
      nitazenePositive: x.nitazene,
    }));
  const p = proposeStep({ area, asOf, countTriggers: [], exceedances: [], caseMatches, drugChecks });
  return { area, areaName: name, step: p.step, basis: 'Proposed from LDIS reports (no step recorded by early warning)', summary: p.summary };
}

export interface StepChange {
  id: number;
  area: string;
  areaName: string;
  at: string;
  fromStep: Step;
  toStep: Step;
  reason: string | null;
}

/** Confirmed or overridden step changes recorded by early warning, newest first. */
export async function recentStepChanges(db: Queryable, scope: AreaScope, limit = 20): Promise<StepChange[]> {
  if (!(await hasTable(db, 'warning_step_history'))) return [];
  const rows = await db.query<{ id: number; area: string; at: string; step: number; previous_step: number; reason: string | null }>(
    `SELECT id, area, at, step, previous_step, reason FROM warning_step_history
      WHERE kind IN ('confirmed', 'overridden') AND step <> previous_step
        AND ($1::text[] IS NULL OR area = ANY($1::text[]))
      ORDER BY id DESC LIMIT $2`,
    [scope.localAuthorities ? [...scope.localAuthorities] : null, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    area: r.area,
    areaName: areaName(r.area),
    at: String(r.at),
    fromStep: r.previous_step as Step,
    toStep: r.step as Step,
    reason: r.reason,
  }));
}

export async function stepChange(db: Queryable, id: number): Promise<StepChange | null> {
  if (!(await hasTable(db, 'warning_step_history'))) return null;
  const rows = await db.query<{ id: number; area: string; at: string; step: number; previous_step: number; reason: string | null }>(
    `SELECT id, area, at, step, previous_step, reason FROM warning_step_history WHERE id = $1 AND kind IN ('confirmed', 'overridden') AND step <> previous_step`,
    [id],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), area: r.area, areaName: areaName(r.area), at: String(r.at), fromStep: r.previous_step as Step, toStep: r.step as Step, reason: r.reason } : null;
}

export interface AlarmRow {
  area: string;
  indicator: string;
  date: string;
  description: string;
}

/** Alarms raised by early warning for periods in [start, end]. */
export async function alarmsBetween(db: Queryable, areas: readonly string[] | null, start: string, end: string): Promise<AlarmRow[]> {
  if (!(await hasTable(db, 'warning_alarms'))) return [];
  const rows = await db.query<{ area: string; indicator: string; kind: string; period_start: string; reason: string }>(
    `SELECT area, indicator, kind, period_start, reason FROM warning_alarms
      WHERE period_start BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR area = ANY($3::text[]))
      ORDER BY period_start, area, indicator`,
    [start, end, areas === null ? null : [...areas]],
  );
  return rows.map((r) => ({
    area: areaName(r.area),
    indicator: r.indicator.replace(/_/g, ' '),
    date: String(r.period_start),
    description: `${r.kind === 'exceedance' ? 'Exceedance' : 'Count trigger'}: ${r.reason}`,
  }));
}
