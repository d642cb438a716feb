/**
 * Test-data factories for the risk module's tests (not part of the public API).
 * Each builder fills required columns with neutral values; pass overrides for the rest.
 */
import { addDays, addMonths } from './date';
import type {
  DrugTestRow,
  DrugTestSubstance,
  EpisodeRow,
  MatFacts,
  NaloxoneRow,
  PersonRow,
  RiskEventRow,
  RiskEventType,
  RiskInput,
  TopRow,
} from './types';

/** The profile date most tests use (mid-month, leap year). */
export const AS_OF = '2024-06-15';

export const daysAgo = (n: number, asOf: string = AS_OF): string => addDays(asOf, -n);
export const monthsAgo = (n: number, asOf: string = AS_OF): string => addMonths(asOf, -n);

let seq = 0;
const nextId = (prefix: string): string => `${prefix}${++seq}`;

export function person(over: Partial<PersonRow> = {}): PersonRow {
  return { person_id: 'P1', service_id: 'S1', injecting_status: 'N', housing: 'settled', ...over };
}

export function top(date: string, over: Partial<TopRow> = {}): TopRow {
  return {
    top_id: nextId('T'),
    date,
    opiate_days: 0,
    alcohol_days: 0,
    alcohol_units: 0,
    injecting_days: 0,
    acute_housing: false,
    ...over,
  };
}

export function test(date: string, substance: DrugTestSubstance, result: 'positive' | 'negative' = 'positive'): DrugTestRow {
  return { test_id: nextId('D'), date, substance, result };
}

export function event(date: string, type: RiskEventType, detail?: string): RiskEventRow {
  return { event_id: nextId('E'), date, type, detail: detail ?? null };
}

export function naloxone(date: string, over: Partial<NaloxoneRow> = {}): NaloxoneRow {
  return { supply_id: nextId('N'), date, product: 'nasal', recipient: 'service_user', ...over };
}

export function episode(start_date: string, end_date: string | null = null, exit_reason: EpisodeRow['exit_reason'] = null): EpisodeRow {
  return { episode_id: nextId('EP'), start_date, end_date, exit_reason };
}

/** MAT 3, at/above OG, static, in treatment for a year: no MAT-driven flag. */
export function mat(over: Partial<MatFacts> = {}): MatFacts {
  return {
    stage: 'MAT3',
    ogBand: 'at_or_above',
    regime: 'static',
    inMatStartDate: daysAgo(365),
    prescriptionId: 'RX1',
    medication: 'methadone',
    doseMg: 70,
    ...over,
  };
}

/**
 * A person with no risk flag at all on AS_OF: settled, never injected, MAT 3, recent
 * negative TOP, naloxone supplied last month.
 */
export function quietInput(over: Partial<RiskInput> = {}): RiskInput {
  return {
    person: person(),
    tops: [top(daysAgo(30))],
    drugTests: [],
    riskEvents: [],
    naloxone: [naloxone(daysAgo(30))],
    episodes: [episode(daysAgo(400))],
    mat: mat(),
    ...over,
  };
}
