/**
 * Input and output types of the overdose-risk profile (domain.md §2).
 *
 * Input rows use the column names of dataset v1 (dataset.md) so the data layer can pass
 * query rows straight in. Only the columns the rules read are declared; wider rows are
 * accepted (structural typing). Dates are ISO `YYYY-MM-DD` strings; Y/N columns are
 * booleans (the import parses them); empty = `null`/absent = unknown.
 */

// ---------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------

/**
 * The flag codes of domain.md §2, in the order the profile lists them. They are stable
 * identifiers: exports and `beacon report risk` JSON use them verbatim.
 */
export const FLAG_CODES = [
  'on_top',
  'injecting',
  'depressant_co_use',
  'recent_overdose',
  'lowered_tolerance',
  'treatment_transition',
  'potent_opioid',
  'housing',
  'health',
  'no_naloxone',
] as const;

export type FlagCode = (typeof FLAG_CODES)[number];

export function isFlagCode(value: string): value is FlagCode {
  return (FLAG_CODES as readonly string[]).includes(value);
}

/** Short plain-English labels for each flag (UI headings, report column titles). */
export const FLAG_LABELS: Readonly<Record<FlagCode, string>> = {
  on_top: "Illicit opioid use 'on top' of the prescription",
  injecting: 'Injecting',
  depressant_co_use: 'Depressant drugs or alcohol',
  recent_overdose: 'Recent non-fatal overdose',
  lowered_tolerance: 'Lowered tolerance (release or discharge)',
  treatment_transition: 'Treatment transition',
  potent_opioid: 'Potent opioid (fentanyl or nitazene)',
  housing: 'Acute housing problem',
  health: 'Health problems (respiratory, suicidal ideation, self-harm, mental-health crisis)',
  no_naloxone: 'No take-home naloxone',
};

export const TIERS = ['high', 'medium', 'low'] as const;
export type Tier = (typeof TIERS)[number];

// ---------------------------------------------------------------------------------------
// Dataset v1 enumerations used by the rules
// ---------------------------------------------------------------------------------------

/** people.csv `injecting_status`: C current, P previous, N never, Z unknown. */
export type InjectingStatus = 'C' | 'P' | 'N' | 'Z';
/** people.csv `housing`. */
export type HousingStatus = 'settled' | 'unsettled' | 'nfa' | 'street' | 'hmo';

/** drug_tests.csv `substance`. */
export type DrugTestSubstance =
  | 'heroin_6mam'
  | 'morphine'
  | 'codeine'
  | 'methadone'
  | 'buprenorphine'
  | 'fentanyl'
  | 'nitazene'
  | 'oxycodone'
  | 'tramadol'
  | 'benzodiazepine'
  | 'gabapentinoid'
  | 'cocaine'
  | 'amphetamine'
  | 'cannabis'
  | 'alcohol'
  | 'xylazine'
  | 'other';

export type DrugTestResult = 'positive' | 'negative';

/** risk_events.csv `type`. */
export type RiskEventType =
  | 'non_fatal_overdose'
  | 'prison_release'
  | 'hospital_discharge'
  | 'rehab_discharge'
  | 'suicidal_ideation'
  | 'self_harm'
  | 'respiratory_disease'
  | 'mental_health_crisis'
  | 'bereavement'
  | 'other';

/** naloxone.csv `recipient`. */
export type NaloxoneRecipient = 'service_user' | 'family' | 'friend' | 'professional' | 'organisation';

/** episodes.csv `exit_reason`. */
export type ExitReason = 'planned' | 'unplanned' | 'transferred' | 'prison' | 'died' | 'other';

// ---------------------------------------------------------------------------------------
// Input rows (dataset v1 column names)
// ---------------------------------------------------------------------------------------

/** people.csv (the columns the risk rules read). */
export interface PersonRow {
  person_id: string;
  service_id?: string | null;
  injecting_status?: InjectingStatus | null;
  housing?: HousingStatus | null;
}

/** top.csv (the columns the risk rules read). */
export interface TopRow {
  top_id: string;
  date: string;
  /** Days of illicit opiate use in the last 28 (0–28). */
  opiate_days?: number | null;
  /** Days of alcohol use in the last 28 (0–28). */
  alcohol_days?: number | null;
  /** Units on a typical drinking day. */
  alcohol_units?: number | null;
  /** Injecting days in the last 28 (0–28). */
  injecting_days?: number | null;
  /** Acute housing problem (Y/N). */
  acute_housing?: boolean | null;
  /** Risk of eviction (Y/N). Shown as context only; not part of the housing flag. */
  eviction_risk?: boolean | null;
}

/** drug_tests.csv: one row per substance result. */
export interface DrugTestRow {
  test_id: string;
  date: string;
  substance: DrugTestSubstance;
  result: DrugTestResult;
}

/** risk_events.csv. */
export interface RiskEventRow {
  event_id: string;
  date: string;
  type: RiskEventType;
  detail?: string | null;
}

/** naloxone.csv: the supplies linked to this person (by `person_id`). */
export interface NaloxoneRow {
  supply_id: string;
  date: string;
  product?: 'nasal' | 'intramuscular' | null;
  recipient?: NaloxoneRecipient | null;
}

/** episodes.csv. */
export interface EpisodeRow {
  episode_id: string;
  start_date: string;
  end_date?: string | null;
  exit_reason?: ExitReason | null;
}

// ---------------------------------------------------------------------------------------
// MAT facts (decided by src/domain/mat; passed in so the two modules stay independent)
// ---------------------------------------------------------------------------------------

export type MatStage = 'MAT1' | 'MAT2' | 'MAT3' | 'MAT4' | 'uncategorised';
/** Orange Guidelines band of the dose on the date; `n/a` for OST with no OG band. */
export type OgBand = 'below' | 'at_or_above' | 'n/a';
export type Regime = 'increasing' | 'static' | 'reducing' | 'detox';

/** A record cited by a flag. */
export interface Evidence {
  kind: EvidenceKind;
  /** The record's source identifier (top_id, test_id, event_id, supply_id, episode_id, prescription_id, person_id). */
  id: string;
  /** The record's date; `null` for undated facts (e.g. the people row). */
  date: string | null;
  /** What the record says that matters here, e.g. `injecting_days=12`. */
  detail: string;
}

export type EvidenceKind = 'top' | 'drug_test' | 'risk_event' | 'naloxone' | 'episode' | 'prescription' | 'person';

/**
 * The MAT classification of the person on the profile date. `stage: null` means the
 * person is not in MAT on that date (no OST prescription covers it): `on_top` and the
 * MAT parts of `treatment_transition` then cannot apply.
 */
export interface MatFacts {
  stage: MatStage | null;
  ogBand: OgBand | null;
  regime: Regime | null;
  /** First day of the current continuous prescription (the MAT "start"). */
  inMatStartDate?: string | null;
  /**
   * Days in treatment on the profile date (D − start), used only when
   * `inMatStartDate` is not given.
   */
  daysInTreatment?: number | null;
  /** The prescription segment covering the profile date (cited as evidence). */
  prescriptionId?: string | null;
  medication?: string | null;
  doseMg?: number | null;
  /**
   * The records MAT used to decide the stage (e.g. the latest TOP/test for MAT 2).
   * When absent, `on_top` cites the latest TOP/test in the evidence window itself.
   */
  stageEvidence?: readonly Evidence[];
}

/** Everything the profile needs about one person. Arrays need not be sorted. */
export interface RiskInput {
  person: PersonRow;
  tops?: readonly TopRow[];
  drugTests?: readonly DrugTestRow[];
  riskEvents?: readonly RiskEventRow[];
  naloxone?: readonly NaloxoneRow[];
  episodes?: readonly EpisodeRow[];
  /** `null`/absent when the person is not in MAT or MAT was not computed. */
  mat?: MatFacts | null;
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

export interface RiskFlag {
  code: FlagCode;
  critical: boolean;
  /** The records behind the flag, most relevant (usually most recent) first. */
  evidence: Evidence[];
  /** One human-readable sentence: what was found and when. */
  reason: string;
}
