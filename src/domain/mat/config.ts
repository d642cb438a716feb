/**
 * Every threshold, window and list of the MAT rules (domain §1), with its documented
 * default. Nothing in this folder hard-codes a clinical number: it reads it from here.
 */
import type { Medication, RiskTier, Substance } from './types';

/** One row of the licensed injection → sublingual conversion table. */
export interface InjectableConversion {
  strengthMg: number;
  slMinMg: number;
  slMaxMg: number;
}

export interface InjectableConfig {
  /** At/above OG from this strength (mg per injection). */
  ogMinMg: number;
  /** Licensed strengths and their sublingual equivalents. */
  conversions: InjectableConversion[];
}

/** One item of the supervised-consumption review questionnaire (the toolkit's ASCI). */
export interface ScQuestion {
  /** Stable id; the four shipped items match the sc_reviews.csv column names. */
  id: string;
  label: string;
  /** One of the items the toolkit found to drive SC decisions. */
  drivesDecision: boolean;
}

export interface ScQuestionnaire {
  version: string;
  items: ScQuestion[];
}

export interface MatConfig {
  /** Uncovered days tolerated between two segments of one continuous prescription (7 continues, 8 breaks). */
  continuityGapDays: number;
  /** MAT 1 while D − start of the continuous prescription ≤ this. */
  inductionDays: number;
  /** Evidence dated D − this still counts; one day older does not. */
  evidenceWindowDays: number;
  /** Regime compares the dose on D with the dose this many days earlier. */
  regimeWindowDays: number;
  /** Dose differences up to this many mg count as static. */
  regimeToleranceMg: number;
  /** MAT 4 when the reduction plan's planned end is at most this many calendar months after it started. */
  detoxMaxMonths: number;
  methadone: {
    /** At/above OG from this daily dose (exactly 60 is at/above). */
    ogMinMg: number;
    /** Above this: "high dose, review" (ECG/QTc); still at/above OG. */
    highDoseAboveMg: number;
  };
  buprenorphineSublingual: {
    /** At/above OG from this daily dose (exactly 12 is at/above). */
    ogMinMg: number;
    /** Hard maximum daily dose (advisory above it). */
    maxMg: number;
  };
  buprenorphineWeeklyInjection: InjectableConfig;
  buprenorphineMonthlyInjection: InjectableConfig;
  /** Which drug-test results are illicit opioid use. */
  illicitOpioids: {
    /** Substances that are opioids; a positive for any other substance never makes MAT 2. */
    opioidSubstances: Substance[];
    /**
     * Opioid results explained by a prescription of the given medication (so not illicit).
     * Everything else in `opioidSubstances` is "an opioid other than the one prescribed".
     */
    licitWhenPrescribed: Record<Medication, Substance[]>;
  };
  titration: {
    /** Methadone day-1 dose above this is advised against. */
    methadoneDay1MaxMg: number;
    /** ... or above this with depressant co-use. */
    methadoneDay1MaxMgWithDepressant: number;
    /** During induction: an increase above this from one day to the next. */
    inductionMaxDailyIncreaseMg: number;
    /** During induction: an increase above this within 7 days. */
    inductionMaxWeeklyIncreaseMg: number;
  };
  /** TOP recall period and score ranges (for validation). */
  top: { recallDays: number; scoreMax: number };
  /** TOP reviews are due every this many months (P5: "TOP older than 6 months"). */
  topReviewIntervalMonths: number;
  supervisedConsumption: {
    /** On-top use on more than this many days ... */
    onTopDaysThreshold: number;
    /** ... of this many (the TOP recall) → optimise dose. */
    onTopDaysOf: number;
    questionnaire: ScQuestionnaire;
    /** Organisation reference SC rate shown beside a service (toolkit, 2018: 52%). */
    referenceRate: number;
  };
  /** P5 candidates for GP shared care: MAT 3 and stable by these rules. */
  gpSharedCare: {
    minMonthsInTreatment: number;
    requireStaticRegime: boolean;
    requireNotSupervised: boolean;
    excludeRiskTiers: RiskTier[];
  };
  /** Doses above these (mg) are impossible and reported as data-quality issues; null = no limit. */
  impossibleDoseAboveMg: Record<Medication, number | null>;
}

const ASCI_ITEMS: ScQuestion[] = [
  { id: 'diverted', label: 'Medication diverted this episode', drivesDecision: true },
  { id: 'vulnerable', label: 'Vulnerable or at risk of exploitation', drivesDecision: true },
  { id: 'regular_on_top', label: 'Regular illicit opioid use in the last 28 days', drivesDecision: true },
  { id: 'other_risk', label: 'Other risk (recorded in the rationale)', drivesDecision: false },
];

export const defaultMatConfig: MatConfig = {
  continuityGapDays: 7,
  inductionDays: 28,
  evidenceWindowDays: 91,
  regimeWindowDays: 28,
  regimeToleranceMg: 0,
  detoxMaxMonths: 3,
  methadone: { ogMinMg: 60, highDoseAboveMg: 120 },
  buprenorphineSublingual: { ogMinMg: 12, maxMg: 32 },
  buprenorphineWeeklyInjection: {
    ogMinMg: 24,
    conversions: [
      { strengthMg: 8, slMinMg: 2, slMaxMg: 6 },
      { strengthMg: 16, slMinMg: 8, slMaxMg: 10 },
      { strengthMg: 24, slMinMg: 12, slMaxMg: 16 },
      { strengthMg: 32, slMinMg: 18, slMaxMg: 24 },
    ],
  },
  buprenorphineMonthlyInjection: {
    ogMinMg: 96,
    conversions: [
      { strengthMg: 64, slMinMg: 8, slMaxMg: 10 },
      { strengthMg: 96, slMinMg: 12, slMaxMg: 16 },
      { strengthMg: 128, slMinMg: 18, slMaxMg: 24 },
      { strengthMg: 160, slMinMg: 26, slMaxMg: 32 },
    ],
  },
  illicitOpioids: {
    opioidSubstances: [
      'heroin_6mam',
      'morphine',
      'codeine',
      'methadone',
      'buprenorphine',
      'fentanyl',
      'nitazene',
      'oxycodone',
      'tramadol',
    ],
    licitWhenPrescribed: {
      methadone: ['methadone'],
      buprenorphine: ['buprenorphine'],
      buprenorphine_weekly_injection: ['buprenorphine'],
      buprenorphine_monthly_injection: ['buprenorphine'],
      // Diamorphine is metabolised to morphine, so prescribed diamorphine explains a
      // morphine result. heroin/6-MAM stays illicit as domain §1.2 lists it without
      // qualification; a heroin-assisted-treatment service can add 'heroin_6mam' here.
      diamorphine: ['morphine'],
      morphine_sr: ['morphine'],
      // 'other' names no substance, so no result can be matched to it. Configure locally
      // (e.g. ['codeine'] where 'other' means dihydrocodeine).
      other: [],
    },
  },
  titration: {
    methadoneDay1MaxMg: 40,
    methadoneDay1MaxMgWithDepressant: 30,
    inductionMaxDailyIncreaseMg: 10,
    inductionMaxWeeklyIncreaseMg: 30,
  },
  top: { recallDays: 28, scoreMax: 20 },
  topReviewIntervalMonths: 6,
  supervisedConsumption: {
    onTopDaysThreshold: 20,
    onTopDaysOf: 28,
    questionnaire: { version: 'asci-core-1', items: ASCI_ITEMS },
    referenceRate: 0.52,
  },
  gpSharedCare: {
    minMonthsInTreatment: 12,
    requireStaticRegime: true,
    requireNotSupervised: true,
    excludeRiskTiers: ['high'],
  },
  impossibleDoseAboveMg: {
    methadone: 400,
    buprenorphine: 64,
    buprenorphine_weekly_injection: 64,
    buprenorphine_monthly_injection: 320,
    diamorphine: 1500,
    morphine_sr: 2000,
    other: null,
  },
};

/** Recursive partial for configuration overrides. Arrays and records of lists are replaced whole. */
export type MatConfigOverrides = {
  [K in keyof MatConfig]?: MatConfig[K] extends unknown[]
    ? MatConfig[K]
    : MatConfig[K] extends object
      ? Partial<MatConfig[K]>
      : MatConfig[K];
};

/** defaultMatConfig (or `base`) with overrides applied one level deep. */
export function makeMatConfig(overrides: MatConfigOverrides = {}, base: MatConfig = defaultMatConfig): MatConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = (base as unknown as Record<string, unknown>)[key];
    if (current !== null && typeof current === 'object' && !Array.isArray(current) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out[key] = { ...(current as Record<string, unknown>), ...(value as Record<string, unknown>) };
    } else {
      out[key] = value;
    }
  }
  return out as unknown as MatConfig;
}

/** Problems with a configuration, as readable messages (empty = valid). */
export function validateMatConfig(c: MatConfig): string[] {
  const problems: string[] = [];
  const nonNegInt = (name: string, v: number): void => {
    if (!Number.isInteger(v) || v < 0) problems.push(`${name} must be a whole number ≥ 0 (got ${v})`);
  };
  const positive = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v > 0)) problems.push(`${name} must be a positive number (got ${v})`);
  };
  nonNegInt('continuityGapDays', c.continuityGapDays);
  nonNegInt('inductionDays', c.inductionDays);
  nonNegInt('evidenceWindowDays', c.evidenceWindowDays);
  nonNegInt('regimeWindowDays', c.regimeWindowDays);
  nonNegInt('detoxMaxMonths', c.detoxMaxMonths);
  nonNegInt('topReviewIntervalMonths', c.topReviewIntervalMonths);
  if (!(c.regimeToleranceMg >= 0)) problems.push('regimeToleranceMg must be ≥ 0');
  positive('methadone.ogMinMg', c.methadone.ogMinMg);
  if (!(c.methadone.highDoseAboveMg >= c.methadone.ogMinMg)) problems.push('methadone.highDoseAboveMg must be ≥ methadone.ogMinMg');
  positive('buprenorphineSublingual.ogMinMg', c.buprenorphineSublingual.ogMinMg);
  if (!(c.buprenorphineSublingual.maxMg >= c.buprenorphineSublingual.ogMinMg)) problems.push('buprenorphineSublingual.maxMg must be ≥ ogMinMg');
  for (const [name, inj] of [
    ['buprenorphineWeeklyInjection', c.buprenorphineWeeklyInjection],
    ['buprenorphineMonthlyInjection', c.buprenorphineMonthlyInjection],
  ] as const) {
    positive(`${name}.ogMinMg`, inj.ogMinMg);
    for (const row of inj.conversions) {
      if (!(row.strengthMg > 0 && row.slMinMg > 0 && row.slMaxMg >= row.slMinMg)) {
        problems.push(`${name}.conversions: bad row ${JSON.stringify(row)}`);
      }
    }
  }
  const sc = c.supervisedConsumption;
  if (!(sc.onTopDaysThreshold >= 0 && sc.onTopDaysThreshold <= sc.onTopDaysOf)) problems.push('supervisedConsumption.onTopDaysThreshold must be within 0..onTopDaysOf');
  const ids = new Set<string>();
  for (const item of sc.questionnaire.items) {
    if (ids.has(item.id)) problems.push(`supervisedConsumption.questionnaire: duplicate item id ${item.id}`);
    ids.add(item.id);
  }
  if (!(sc.referenceRate >= 0 && sc.referenceRate <= 1)) problems.push('supervisedConsumption.referenceRate must be within 0..1');
  return problems;
}
