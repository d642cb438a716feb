/**
 * A partner report to the local drug information system: one row of `incidents.csv`
 * (dataset.md), with the column names as property names so that a parsed row, an API
 * body and a rule in a configuration file all use the same words.
 *
 * Yes/no columns are tri-state: 'Y', 'N' or 'unknown' (an empty cell). A missing
 * optional property means the same as 'unknown' / not given.
 */

export const INCIDENT_SOURCES = [
  'police',
  'coroner',
  'ambulance',
  'emergency_department',
  'treatment',
  'hostel',
  'outreach',
  'prison',
  'drug_checking',
  'pharmacy',
  'community',
  'other',
] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const INCIDENT_EVENT_TYPES = [
  'death',
  'non_fatal_overdose',
  'ae_attendance',
  'ambulance_callout',
  'naloxone_administration',
  'drug_check_result',
  'seizure_test',
  'prison_event',
  'intelligence',
] as const;
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

export const ROUTES = ['injecting', 'oral_tablet', 'smoking', 'snorting', 'other'] as const;
export type Route = (typeof ROUTES)[number];

export const OUTCOMES = ['died', 'hospital', 'treated_at_scene', 'no_treatment', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type TriState = 'Y' | 'N' | 'unknown';

/** Sex as in dataset v1: M, F, X (other), U (unknown). */
export type Sex = 'M' | 'F' | 'X' | 'U';

/** The tri-state columns of incidents.csv. */
export const TRI_STATE_FIELDS = [
  'hmo',
  'street_sleeping',
  'class_a_user',
  'in_treatment',
  'synthetic_opioid_suspected',
  'forensic_nitazene',
  'tox_tested_nitazene',
  'tox_nitazene_present',
  'tox_n_desethyl_isotonitazene',
] as const;
export type TriStateField = (typeof TRI_STATE_FIELDS)[number];

export interface IncidentRecord {
  report_id: string;
  /** ISO 8601 timestamp. */
  received_at: string;
  source: IncidentSource;
  /** ISO date 'YYYY-MM-DD'. */
  event_date: string;
  event_type: IncidentEventType;
  /** ONS local authority code, e.g. E08000025. */
  local_authority: string;
  age?: number | null;
  sex?: Sex | null;
  postcode?: string | null;
  hmo?: TriState;
  street_sleeping?: TriState;
  class_a_user?: TriState;
  in_treatment?: TriState;
  route?: Route | null;
  naloxone_doses?: number | null;
  synthetic_opioid_suspected?: TriState;
  forensic_nitazene?: TriState;
  tox_tested_nitazene?: TriState;
  tox_nitazene_present?: TriState;
  tox_n_desethyl_isotonitazene?: TriState;
  /** The semicolon-separated column, split and trimmed. */
  substances?: readonly string[];
  outcome?: Outcome | null;
  location_type?: string | null;
  notes?: string | null;
  /** Drill data (exercise = Y). */
  exercise?: boolean;
}

/** A tri-state field's value, with a missing property read as 'unknown'. */
export function tri(r: Partial<Record<TriStateField, TriState>>, f: TriStateField): TriState {
  return r[f] ?? 'unknown';
}

/**
 * The stepped approach (seed 000 §1 and §5): 1 prepared; 2 reliable intelligence that
 * synthetic opioids may be circulating; 3 confirmed presence and/or a local rise in
 * overdoses or deaths.
 */
export type Step = 1 | 2 | 3;
export const STEPS: readonly Step[] = [1, 2, 3];
