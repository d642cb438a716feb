/**
 * Dataset v1 (docs: ../shared/docs/dataset.md): the one declaration of every file, column,
 * type, range, code list, key and reference. The validator, the loader, the exporter and
 * the tests are all driven by this table; nothing else lists the columns.
 *
 * Table and column names equal the file and column names (migrations/0001_dataset.sql).
 */

export type TableName =
  | 'services'
  | 'people'
  | 'episodes'
  | 'prescriptions'
  | 'top'
  | 'drug_tests'
  | 'risk_events'
  | 'naloxone'
  | 'sc_reviews'
  | 'incidents';

/** How a value is read and written. */
export type ValueType =
  /** Free text (identifiers too); trimmed, empty = unknown. */
  | { readonly kind: 'text'; readonly maxLength: number }
  /** A calendar date: YYYY-MM-DD, or UK DD/MM/YYYY on import. */
  | { readonly kind: 'date' }
  /** ISO 8601 date-time; without an offset it is UK local time (Europe/London). */
  | { readonly kind: 'timestamp' }
  /** Y/N (also yes/no, true/false, 1/0), any case. */
  | { readonly kind: 'boolean' }
  /** A whole number within [min, max]. */
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  /** A decimal number within [min, max]. */
  | { readonly kind: 'number'; readonly min: number; readonly max: number }
  /** One of a fixed list of codes (matched case-insensitively, stored as listed). */
  | { readonly kind: 'code'; readonly values: readonly string[] };

/** A format check on top of the type: `ons` E06000008, `nhs_number` (mod 11), `postcode`. */
export type FormatCheck = 'ons' | 'nhs_number' | 'postcode';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ValueType;
  readonly required: boolean;
  /** This column holds the key of a row in another file (which must exist). */
  readonly references?: TableName;
  readonly format?: { readonly check: FormatCheck; readonly severity: 'error' | 'warning' };
  /** Written when the value is empty (canonical form, e.g. 'N'). */
  readonly emptyAs?: string;
  readonly description: string;
}

/** A rule across columns of one row. */
export type RowRule =
  /** `column` must not be before `other` (both dates; skipped when either is empty). */
  | { readonly kind: 'not_before'; readonly column: string; readonly other: string }
  /** `column` (a date) must not be after the day of the import. */
  | { readonly kind: 'not_future'; readonly column: string };

export interface FileSpec {
  readonly table: TableName;
  /** The CSV file name; the XLSX sheet is the same without `.csv`. */
  readonly file: string;
  /** Primary key columns: unique within a file; re-importing a key updates that row. */
  readonly key: readonly string[];
  readonly columns: readonly ColumnSpec[];
  readonly rules: readonly RowRule[];
  readonly description: string;
}

const ID = { kind: 'text', maxLength: 200 } as const;
const TEXT = { kind: 'text', maxLength: 10_000 } as const;
const DATE = { kind: 'date' } as const;
const TIMESTAMP = { kind: 'timestamp' } as const;
const BOOL = { kind: 'boolean' } as const;
/** TOP "days used in the past 28 days" items. */
const DAYS_28 = { kind: 'integer', min: 0, max: 28 } as const;
/** TOP 0–20 self-rating scales. */
const SCORE_20 = { kind: 'integer', min: 0, max: 20 } as const;
const NON_NEGATIVE = { kind: 'number', min: 0, max: 1e9 } as const;
const code = (...values: string[]): ValueType => ({ kind: 'code', values });

function col(name: string, type: ValueType, description: string, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return { name, type, required: false, description, ...extra };
}
function req(name: string, type: ValueType, description: string, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return { name, type, required: true, description, ...extra };
}

export const SEX_CODES = ['M', 'F', 'X', 'U'] as const;
export const MEDICATIONS = [
  'methadone', 'buprenorphine', 'buprenorphine_weekly_injection', 'buprenorphine_monthly_injection',
  'diamorphine', 'morphine_sr', 'other',
] as const;
export const SUBSTANCES = [
  'heroin_6mam', 'morphine', 'codeine', 'methadone', 'buprenorphine', 'fentanyl', 'nitazene', 'oxycodone',
  'tramadol', 'benzodiazepine', 'gabapentinoid', 'cocaine', 'amphetamine', 'cannabis', 'alcohol', 'xylazine', 'other',
] as const;
export const RISK_EVENT_TYPES = [
  'non_fatal_overdose', 'prison_release', 'hospital_discharge', 'rehab_discharge', 'suicidal_ideation', 'self_harm',
  'respiratory_disease', 'mental_health_crisis', 'bereavement', 'other',
] as const;
export const INCIDENT_SOURCES = [
  'police', 'coroner', 'ambulance', 'emergency_department', 'treatment', 'hostel', 'outreach', 'prison',
  'drug_checking', 'pharmacy', 'community', 'other',
] as const;
export const INCIDENT_EVENT_TYPES = [
  'death', 'non_fatal_overdose', 'ae_attendance', 'ambulance_callout', 'naloxone_administration',
  'drug_check_result', 'seizure_test', 'prison_event', 'intelligence',
] as const;

const PERSON = (description = 'the person (people.csv person_id)') =>
  req('person_id', ID, description, { references: 'people' });

/** Every file of dataset v1, in dependency order (a file only references files before it). */
export const DATASET: readonly FileSpec[] = [
  {
    table: 'services',
    file: 'services.csv',
    key: ['service_id'],
    description: 'Treatment services.',
    columns: [
      req('service_id', ID, "the source system's service identifier"),
      req('name', TEXT, 'service name'),
      col('organisation', TEXT, 'provider organisation'),
      col('local_authority', { kind: 'text', maxLength: 9 }, 'ONS local authority code, e.g. E06000008', {
        format: { check: 'ons', severity: 'error' },
      }),
      col('region', TEXT, 'region name'),
    ],
    rules: [],
  },
  {
    table: 'people',
    file: 'people.csv',
    key: ['person_id'],
    description: 'People in treatment.',
    columns: [
      req('person_id', ID, "the source system's person identifier"),
      req('service_id', ID, 'the service (services.csv service_id)', { references: 'services' }),
      req('date_of_birth', DATE, 'date of birth'),
      req('sex', code(...SEX_CODES), 'M, F, X or U'),
      col('nhs_number', { kind: 'text', maxLength: 20 }, 'NHS number (10 digits, modulus-11 check)', {
        format: { check: 'nhs_number', severity: 'warning' },
      }),
      col('postcode', { kind: 'text', maxLength: 10 }, 'UK postcode or district', {
        format: { check: 'postcode', severity: 'warning' },
      }),
      col('injecting_status', code('C', 'P', 'N', 'Z'), 'C current, P previous, N never, Z unknown'),
      col('housing', code('settled', 'unsettled', 'nfa', 'street', 'hmo'), 'housing situation'),
      col('lives_alone', BOOL, 'lives alone'),
      col('consent', BOOL, 'consent to share'),
    ],
    rules: [{ kind: 'not_future', column: 'date_of_birth' }],
  },
  {
    table: 'episodes',
    file: 'episodes.csv',
    key: ['episode_id'],
    description: 'Treatment episodes.',
    columns: [
      req('episode_id', ID, "the source system's episode identifier"),
      PERSON(),
      req('start_date', DATE, 'first day of the episode'),
      col('end_date', DATE, 'last day of the episode (empty = open)'),
      col('exit_reason', code('planned', 'unplanned', 'transferred', 'prison', 'died', 'other'), 'why the episode ended'),
    ],
    rules: [{ kind: 'not_before', column: 'end_date', other: 'start_date' }],
  },
  {
    table: 'prescriptions',
    file: 'prescriptions.csv',
    key: ['prescription_id'],
    description: 'Prescription dose segments (one row per dose).',
    columns: [
      req('prescription_id', ID, "the source system's segment identifier"),
      PERSON(),
      req('medication', code(...MEDICATIONS), 'medication'),
      req('dose_mg', NON_NEGATIVE, 'dose in mg (daily, or per injection)'),
      req('start_date', DATE, 'first day the segment covers'),
      col('end_date', DATE, 'last day the segment covers (empty = ongoing)'),
      col('supervised', BOOL, 'supervised consumption'),
      col('pickup', code('daily', 'twice_weekly', 'weekly', 'fortnightly'), 'pick-up regime'),
      col('reduction_plan', BOOL, 'part of a planned reduction to 0 mg'),
      col('planned_end_date', DATE, 'day the dose is planned to reach 0 mg'),
      col('prescriber', TEXT, 'prescriber'),
    ],
    rules: [{ kind: 'not_before', column: 'end_date', other: 'start_date' }],
  },
  {
    table: 'top',
    file: 'top.csv',
    key: ['top_id'],
    description: 'Treatment Outcomes Profiles (days are within the past 28 days).',
    columns: [
      req('top_id', ID, "the source system's TOP identifier"),
      PERSON(),
      req('date', DATE, 'date of the TOP'),
      col('stage', code('start', 'review', 'exit', 'post_exit'), 'TOP stage'),
      col('opiate_days', DAYS_28, 'days of illicit opiate use (0–28)'),
      col('crack_days', DAYS_28, 'days of crack use (0–28)'),
      col('cocaine_days', DAYS_28, 'days of cocaine use (0–28)'),
      col('amphetamine_days', DAYS_28, 'days of amphetamine use (0–28)'),
      col('cannabis_days', DAYS_28, 'days of cannabis use (0–28)'),
      col('other_days', DAYS_28, 'days of other drug use (0–28)'),
      col('alcohol_days', DAYS_28, 'days of alcohol use (0–28)'),
      col('alcohol_units', NON_NEGATIVE, 'units of alcohol per drinking day'),
      col('tobacco_per_day', NON_NEGATIVE, 'cigarettes per day'),
      col('injecting_days', DAYS_28, 'days injected (0–28)'),
      col('sharing', BOOL, 'shared injecting equipment'),
      col('shoplifting_days', DAYS_28, 'days of shoplifting (0–28)'),
      col('selling_days', DAYS_28, 'days of selling drugs (0–28)'),
      col('theft', BOOL, 'theft or burglary'),
      col('assault', BOOL, 'assault or violence'),
      col('psych_health', SCORE_20, 'psychological health (0–20)'),
      col('phys_health', SCORE_20, 'physical health (0–20)'),
      col('quality_of_life', SCORE_20, 'quality of life (0–20)'),
      col('paid_work_days', DAYS_28, 'days of paid work (0–28)'),
      col('education_days', DAYS_28, 'days of education (0–28)'),
      col('acute_housing', BOOL, 'acute housing problem'),
      col('eviction_risk', BOOL, 'at risk of eviction'),
    ],
    rules: [],
  },
  {
    table: 'drug_tests',
    file: 'drug_tests.csv',
    key: ['test_id', 'substance'],
    description: 'Drug test results, one row per substance.',
    columns: [
      req('test_id', ID, "the source system's test identifier"),
      PERSON(),
      req('date', DATE, 'date of the test'),
      req('substance', code(...SUBSTANCES), 'substance tested'),
      req('result', code('positive', 'negative'), 'positive or negative'),
      col('sample', code('urine', 'oral_fluid', 'blood', 'hair'), 'sample type'),
    ],
    rules: [],
  },
  {
    table: 'risk_events',
    file: 'risk_events.csv',
    key: ['event_id'],
    description: 'Risk events.',
    columns: [
      req('event_id', ID, "the source system's event identifier"),
      PERSON(),
      req('date', DATE, 'date of the event'),
      req('type', code(...RISK_EVENT_TYPES), 'event type'),
      col('detail', TEXT, 'free-text detail'),
    ],
    rules: [],
  },
  {
    table: 'naloxone',
    file: 'naloxone.csv',
    key: ['supply_id'],
    description: 'Take-home naloxone supplies.',
    columns: [
      req('supply_id', ID, "the source system's supply identifier"),
      req('date', DATE, 'date of supply'),
      req('product', code('nasal', 'intramuscular'), 'nasal or intramuscular'),
      col('person_id', ID, 'the person supplied, when a service user (people.csv person_id)', { references: 'people' }),
      col('recipient', code('service_user', 'family', 'friend', 'professional', 'organisation'), 'who received it'),
      col('reason', code('new', 'replacement_used', 'replacement_lost', 'replacement_expired'), 'reason for supply'),
      col('local_authority', { kind: 'text', maxLength: 9 }, 'ONS local authority code', {
        format: { check: 'ons', severity: 'warning' },
      }),
    ],
    rules: [],
  },
  {
    table: 'sc_reviews',
    file: 'sc_reviews.csv',
    key: ['review_id'],
    description: 'Supervised-consumption reviews.',
    columns: [
      req('review_id', ID, "the source system's review identifier"),
      PERSON(),
      req('date', DATE, 'date of the review'),
      req('decision', code('supervised', 'daily_pickup', 'relaxed'), 'decision'),
      col('diverted', BOOL, 'evidence of diversion'),
      col('vulnerable', BOOL, 'vulnerable'),
      col('regular_on_top', BOOL, 'regular use on top'),
      col('other_risk', BOOL, 'other risk'),
      col('rationale', TEXT, 'rationale'),
      col('next_review_date', DATE, 'date of the next review'),
    ],
    rules: [{ kind: 'not_before', column: 'next_review_date', other: 'date' }],
  },
  {
    table: 'incidents',
    file: 'incidents.csv',
    key: ['report_id'],
    description: 'Partner reports to the local drug information system (Op Mabble items).',
    columns: [
      req('report_id', ID, "the partner's report identifier"),
      req('received_at', TIMESTAMP, 'when the report was received (ISO 8601)'),
      req('source', code(...INCIDENT_SOURCES), 'reporting partner type'),
      req('event_date', DATE, 'date of the event'),
      req('event_type', code(...INCIDENT_EVENT_TYPES), 'event type'),
      req('local_authority', { kind: 'text', maxLength: 9 }, 'ONS local authority code', {
        format: { check: 'ons', severity: 'warning' },
      }),
      col('age', { kind: 'integer', min: 0, max: 120 }, 'age in years'),
      col('sex', code(...SEX_CODES), 'M, F, X or U'),
      col('postcode', { kind: 'text', maxLength: 10 }, 'postcode or district', {
        format: { check: 'postcode', severity: 'warning' },
      }),
      col('hmo', BOOL, 'lives in a house in multiple occupation'),
      col('street_sleeping', BOOL, 'street sleeping'),
      col('class_a_user', BOOL, 'suspected class A user'),
      col('in_treatment', BOOL, 'currently in treatment'),
      col('route', code('injecting', 'oral_tablet', 'smoking', 'snorting', 'other'), 'route of use'),
      col('naloxone_doses', { kind: 'integer', min: 0, max: 100 }, 'naloxone doses given'),
      col('synthetic_opioid_suspected', BOOL, 'synthetic opioid suspected'),
      col('forensic_nitazene', BOOL, 'forensics indicate a nitazene'),
      col('tox_tested_nitazene', BOOL, 'toxicology tested for nitazenes'),
      col('tox_nitazene_present', BOOL, 'toxicology: nitazene present'),
      col('tox_n_desethyl_isotonitazene', BOOL, 'toxicology: N-desethyl isotonitazene present'),
      col('substances', TEXT, 'substances involved, separated by semicolons'),
      col('outcome', code('died', 'hospital', 'treated_at_scene', 'no_treatment', 'unknown'), 'outcome'),
      col('location_type', TEXT, 'type of location'),
      col('notes', TEXT, 'notes'),
      col('exercise', BOOL, 'Y for drill (exercise) data', { emptyAs: 'N' }),
    ],
    rules: [],
  },
];

const BY_TABLE = new Map<string, FileSpec>(DATASET.map((f) => [f.table, f]));

/** The spec of one table, or undefined for a name that is not part of dataset v1. */
export function fileSpec(table: string): FileSpec | undefined {
  return BY_TABLE.get(table);
}

/** The spec of a table that is known to exist. */
export function specOf(table: TableName): FileSpec {
  const spec = BY_TABLE.get(table);
  if (!spec) throw new Error(`no dataset file for table ${table}`);
  return spec;
}

/** Which table a file or sheet name means (case-insensitive, `.csv` optional), or undefined. */
export function tableForName(name: string): TableName | undefined {
  const base = name.trim().toLowerCase().replace(/\.csv$/, '');
  return BY_TABLE.get(base)?.table;
}

/** Human description of what a value of this type must look like (used in reports). */
export function expectedText(column: ColumnSpec): string {
  const t = column.type;
  switch (t.kind) {
    case 'text':
      return `text of at most ${t.maxLength} characters`;
    case 'date':
      return 'a date as YYYY-MM-DD or DD/MM/YYYY';
    case 'timestamp':
      return 'an ISO 8601 date and time, e.g. 2024-03-01T14:30:00Z';
    case 'boolean':
      return 'Y or N (also yes/no, true/false, 1/0)';
    case 'integer':
      return `a whole number from ${t.min} to ${t.max}`;
    case 'number':
      return t.max >= 1e9 ? `a number >= ${t.min}` : `a number from ${t.min} to ${t.max}`;
    case 'code':
      return `one of: ${t.values.join(', ')}`;
  }
}

/** The PostgreSQL type a column is stored as (for export formatting). */
export function sqlTypeOf(column: ColumnSpec): 'text' | 'date' | 'timestamptz' | 'boolean' | 'smallint' | 'numeric' {
  switch (column.type.kind) {
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamptz';
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'smallint';
    case 'number':
      return 'numeric';
    default:
      return 'text';
  }
}
