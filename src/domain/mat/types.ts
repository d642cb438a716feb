/**
 * Input and output types of the MAT domain.
 *
 * Input records use the column names of dataset v1 (docs/dataset.md) so the data layer
 * can pass rows straight through. Optional columns are optional *and* nullable: a row
 * read from a CSV with an empty cell (unknown) and a row without the column at all are
 * both accepted. `person_id` is optional on child rows because a history is already
 * grouped by person.
 */
import type { IsoDate } from './dates';

export const MEDICATIONS = [
  'methadone',
  'buprenorphine',
  'buprenorphine_weekly_injection',
  'buprenorphine_monthly_injection',
  'diamorphine',
  'morphine_sr',
  'other',
] as const;
/** prescriptions.csv `medication`. `buprenorphine` is sublingual (daily mg); injections are mg per injection. */
export type Medication = (typeof MEDICATIONS)[number];

export const SUBSTANCES = [
  'heroin_6mam',
  'morphine',
  'codeine',
  'methadone',
  'buprenorphine',
  'fentanyl',
  'nitazene',
  'oxycodone',
  'tramadol',
  'benzodiazepine',
  'gabapentinoid',
  'cocaine',
  'amphetamine',
  'cannabis',
  'alcohol',
  'xylazine',
  'other',
] as const;
/** drug_tests.csv `substance`. */
export type Substance = (typeof SUBSTANCES)[number];

export type Pickup = 'daily' | 'twice_weekly' | 'weekly' | 'fortnightly';
export type TestResult = 'positive' | 'negative';
export type TopStage = 'start' | 'review' | 'exit' | 'post_exit';
export type ScDecision = 'supervised' | 'daily_pickup' | 'relaxed';

/** One row of prescriptions.csv: a dose segment. start_date and end_date are both covered (inclusive). */
export interface PrescriptionSegment {
  prescription_id: string;
  person_id?: string;
  medication: Medication;
  /** Daily mg (oral/sublingual) or mg per injection; null = unknown (a data-quality issue). */
  dose_mg: number | null;
  start_date: IsoDate;
  /** Last day covered; null = ongoing. */
  end_date: IsoDate | null;
  /** Y marks the segments of a planned reduction to 0 mg. */
  reduction_plan?: boolean | null;
  /** Day the dose is planned to reach 0 mg. */
  planned_end_date?: IsoDate | null;
  supervised?: boolean | null;
  pickup?: Pickup | null;
  prescriber?: string | null;
}

/** One row of top.csv (Treatment Outcomes Profile, 28-day recall). Every item may be unknown (null). */
export interface Top {
  top_id: string;
  person_id?: string;
  date: IsoDate;
  stage?: TopStage | null;
  opiate_days?: number | null;
  crack_days?: number | null;
  cocaine_days?: number | null;
  amphetamine_days?: number | null;
  cannabis_days?: number | null;
  other_days?: number | null;
  alcohol_days?: number | null;
  alcohol_units?: number | null;
  tobacco_per_day?: number | null;
  injecting_days?: number | null;
  sharing?: boolean | null;
  shoplifting_days?: number | null;
  selling_days?: number | null;
  theft?: boolean | null;
  assault?: boolean | null;
  psych_health?: number | null;
  phys_health?: number | null;
  quality_of_life?: number | null;
  paid_work_days?: number | null;
  education_days?: number | null;
  acute_housing?: boolean | null;
  eviction_risk?: boolean | null;
}

/** One row of drug_tests.csv: one substance result of a test. A test is all rows with its test_id. */
export interface DrugTestRow {
  test_id: string;
  person_id?: string;
  date: IsoDate;
  substance: Substance;
  /** null = unknown/void; such rows are ignored as evidence. */
  result: TestResult | null;
  sample?: 'urine' | 'oral_fluid' | 'blood' | 'hair' | null;
}

/**
 * One row of sc_reviews.csv: a supervised-consumption review (the toolkit's ASCI).
 * The four shipped questionnaire items are columns; items added to the questionnaire by
 * configuration are read from `answers` (keyed by item id), which also overrides columns.
 */
export interface ScReview {
  review_id: string;
  person_id?: string;
  date: IsoDate;
  decision: ScDecision | null;
  diverted?: boolean | null;
  vulnerable?: boolean | null;
  regular_on_top?: boolean | null;
  other_risk?: boolean | null;
  rationale?: string | null;
  next_review_date?: IsoDate | null;
  answers?: Readonly<Record<string, boolean | null>>;
}

/** Everything the MAT rules need about one person. Records dated after the classification date are ignored. */
export interface PersonHistory {
  person_id?: string;
  service_id?: string;
  prescriptions: readonly PrescriptionSegment[];
  tops: readonly Top[];
  drug_tests: readonly DrugTestRow[];
  sc_reviews?: readonly ScReview[];
}

export type MatStage = 'MAT1' | 'MAT2' | 'MAT3' | 'MAT4' | 'uncategorised';
export type Cohort = 'red' | 'amber' | 'green' | 'grey';
export type OgBand = 'below' | 'at_or_above' | 'n/a';
export type Regime = 'increasing' | 'static' | 'reducing' | 'detox';
/** Overdose-risk tier from the risk module (domain §2); passed in, never computed here. */
export type RiskTier = 'high' | 'medium' | 'low';

/** Sublingual-equivalent range of a buprenorphine injection (licensed conversion table). */
export interface SlRange {
  minMg: number;
  maxMg: number;
}

/** A record that contributed to a decision (for drill-down). */
export interface EvidenceRef {
  kind: 'prescription' | 'top' | 'drug_test';
  id: string;
  date: IsoDate;
}

/** The latest evidence (TOP and/or drug test) used for MAT 2 / MAT 3. */
export interface EvidenceSummary {
  date: IsoDate;
  source: 'top' | 'drug_test' | 'top_and_drug_test';
  /** True = illicit opioid use (MAT 2). */
  positive: boolean;
  /** Highest illicit-opiate days among the TOPs of that date, or null when no TOP that day. */
  opiateDays: number | null;
  /** Illicit opioids found by the drug test(s) of that date. */
  illicitSubstances: Substance[];
}

/** The single MAT decision for one person on one date, used by UI, API, CLI and exports. */
export interface MatClassification {
  date: IsoDate;
  /** An OST prescription covers the date. */
  inMat: boolean;
  /** null when not in MAT. */
  stage: MatStage | null;
  /** Only for MAT 2 / MAT 3 with an OG band; otherwise null. */
  cohort: Cohort | null;
  /** null when not in MAT. */
  ogBand: OgBand | null;
  regime: Regime | null;
  medication: Medication | null;
  /** Daily mg, or mg per injection for buprenorphine injections. */
  doseMg: number | null;
  /** Sublingual equivalent for buprenorphine injections at a licensed strength. */
  slEquivalentMg: SlRange | null;
  /** Methadone above the high-dose threshold (review, ECG/QTc). */
  highDose: boolean;
  supervised: boolean | null;
  pickup: Pickup | null;
  prescriptionId: string | null;
  /** Start of the continuous prescription covering the date. */
  continuousStart: IsoDate | null;
  /** date − continuousStart. */
  daysSinceStart: number | null;
  /** Dose in effect `regimeWindowDays` earlier in the same continuous prescription. */
  previousDoseMg: number | null;
  previousDoseDate: IsoDate | null;
  reductionPlan: { start: IsoDate; plannedEnd: IsoDate | null; withinDetoxWindow: boolean } | null;
  /** Latest evidence within the evidence window (null = none, uncategorised if not MAT 1/4). */
  evidence: EvidenceSummary | null;
  /** Latest TOP on or before the date, any age (for "TOP older than 6 months"). */
  latestTop: { top_id: string; date: IsoDate; opiate_days: number | null } | null;
  /** Latest TOP or drug test on or before the date, any age. */
  lastEvidenceDate: IsoDate | null;
  /** Human-readable reasons with their evidence (empty when reasons were not requested). */
  reasons: string[];
  evidenceRefs: EvidenceRef[];
}
