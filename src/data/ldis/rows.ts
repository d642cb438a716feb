/** Incidents rows ⇄ the LDIS domain's IncidentRecord, and the visibility filter. */
import { TRI_STATE_FIELDS, type IncidentRecord, type TriState, type TriStateField } from '../../domain/ldis/types';
import type { SqlParam } from '../db';
import type { IncidentInput } from './schema';

/** The incidents columns after report_id and received_at, in table order. */
export const CONTENT_COLUMNS = [
  'source', 'event_date', 'event_type', 'local_authority', 'age', 'sex', 'postcode', 'hmo', 'street_sleeping',
  'class_a_user', 'in_treatment', 'route', 'naloxone_doses', 'synthetic_opioid_suspected', 'forensic_nitazene',
  'tox_tested_nitazene', 'tox_nitazene_present', 'tox_n_desethyl_isotonitazene', 'substances', 'outcome',
  'location_type', 'notes', 'exercise',
] as const;
export type ContentColumn = (typeof CONTENT_COLUMNS)[number];

export type IncidentRow = { report_id: string; received_at: string } & Record<ContentColumn, string | number | boolean | null>;

export const INCIDENT_SELECT = `i.report_id, i.received_at, ${CONTENT_COLUMNS.map((c) => `i.${c}`).join(', ')}`;

function tri(v: unknown): TriState {
  return v === true ? 'Y' : v === false ? 'N' : 'unknown';
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

export function recordOf(row: IncidentRow): IncidentRecord {
  const r: IncidentRecord = {
    report_id: row.report_id,
    received_at: row.received_at,
    source: row.source as IncidentRecord['source'],
    event_date: String(row.event_date),
    event_type: row.event_type as IncidentRecord['event_type'],
    local_authority: String(row.local_authority),
    age: num(row.age),
    sex: str(row.sex) as IncidentRecord['sex'],
    postcode: str(row.postcode),
    route: str(row.route) as IncidentRecord['route'],
    naloxone_doses: num(row.naloxone_doses),
    substances: (str(row.substances) ?? '').split(';').map((s) => s.trim()).filter((s) => s !== ''),
    outcome: str(row.outcome) as IncidentRecord['outcome'],
    location_type: str(row.location_type),
    notes: str(row.notes),
    exercise: row.exercise === true,
  };
  for (const f of TRI_STATE_FIELDS) r[f] = tri(row[f]);
  return r;
}

function triParam(v: TriState | undefined): boolean | null {
  return v === 'Y' ? true : v === 'N' ? false : null;
}

/** The SQL value of one content column of an input. */
export function columnValue(input: IncidentInput, c: ContentColumn): SqlParam {
  if ((TRI_STATE_FIELDS as readonly string[]).includes(c)) return triParam(input[c as TriStateField]);
  switch (c) {
    case 'substances':
      return input.substances && input.substances.length > 0 ? input.substances.join('; ') : null;
    case 'exercise':
      return input.exercise === true;
    case 'age':
    case 'naloxone_doses':
      return input[c] ?? null;
    default: {
      const v = input[c as Exclude<ContentColumn, TriStateField | 'substances' | 'exercise' | 'age' | 'naloxone_doses'>];
      return v ?? null;
    }
  }
}

/**
 * Who may see which reports: a partner submitter only what their organisation submitted;
 * an area-scoped coordinator or panel member the reports of their local authorities;
 * organisation-wide roles everything.
 */
export interface ReportScope {
  partner?: string | null;
  localAuthorities?: readonly string[] | null;
}

/** A SQL condition (on incidents i) for the scope, with its parameters numbered from `from`. */
export function scopeCondition(scope: ReportScope, from: number): { sql: string; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (scope.partner !== undefined && scope.partner !== null) {
    params.push(scope.partner);
    parts.push(`EXISTS (SELECT 1 FROM ldis_submissions s WHERE s.report_id = i.report_id AND s.partner = $${from + params.length - 1})`);
  }
  if (scope.localAuthorities !== undefined && scope.localAuthorities !== null) {
    params.push([...scope.localAuthorities]);
    parts.push(`i.local_authority = ANY($${from + params.length - 1}::text[])`);
  }
  return { sql: parts.length === 0 ? 'true' : parts.join(' AND '), params };
}
