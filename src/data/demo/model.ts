/**
 * The generator's calibration: every rate and proportion of the synthetic population in
 * one place, with what it stands for. Tuned so that, on the last month end, the MAT
 * picture resembles the toolkit's reference (seed 003, October 2018: Red 22%, 7.25%
 * uncategorised, MAT 2 mean methadone 58.22 mg / MAT 3 49.92 mg) with about 40% in MAT 2,
 * and so that 330,000 people give about 140,000 in MAT on the last month end.
 * `calibration.test.ts` measures the result with the MAT rules.
 */
import { weightTable } from './prng';

/** Person classes (fractions of everyone in the dataset). */
export type PersonClass =
  | 'retained' // in MAT on the last month end, prescription started before the window
  | 'newRetained' // in MAT on the last month end, started inside the window
  | 'exitedLongTerm' // started before the window, left during it
  | 'exitedNew' // started and left inside the window
  | 'nonOpiate'; // alcohol / non-opiate client: episodes and TOPs, no prescription

/**
 * National shape (NDTMS-like): ~140k of 330k in MAT on the last month end; opiate starts
 * and exits of roughly 3.5% of the caseload a year each way inside the window, balanced so
 * the caseload is steady; a large non-opiate caseload (alcohol, crack, cannabis) with
 * shorter episodes and no prescriptions.
 */
export const PERSON_CLASSES = weightTable<PersonClass>([
  ['retained', 0.33],
  ['newRetained', 0.098],
  ['exitedLongTerm', 0.09],
  ['exitedNew', 0.07],
  ['nonOpiate', 0.412],
]);

/**
 * In-window starts of people still in MAT at the end: days before the end date follow an
 * exponential with this mean (truncated to the window), because early leavers thin out
 * older cohorts. Gives ≈ 3% of MAT in induction (MAT 1) on any month end.
 */
export const NEW_RETAINED_START_MEAN_DAYS = 420;

/** Share of people in MAT on the last month end with an earlier, closed episode. */
export const PRIOR_EPISODE_RATE = 0.22;

export type Medication =
  | 'methadone'
  | 'buprenorphine'
  | 'buprenorphine_weekly_injection'
  | 'buprenorphine_monthly_injection'
  | 'diamorphine'
  | 'morphine_sr'
  | 'other';

/** First OST medication of an episode (England: methadone most, growing long-acting injectable use). */
export const MEDICATIONS = weightTable<Medication>([
  ['methadone', 0.7],
  ['buprenorphine', 0.205],
  ['buprenorphine_weekly_injection', 0.025],
  ['buprenorphine_monthly_injection', 0.05],
  ['diamorphine', 0.006],
  ['morphine_sr', 0.008],
  ['other', 0.006],
]);

/** Methadone maintenance ("base") dose: log-normal, rounded to 5 mg; long tail past 120. */
export const METHADONE_BASE = { medianMg: 45, sdLog: 0.5, minMg: 15, maxMg: 160 };
/** Sublingual buprenorphine base doses (mg/day) and weights. */
export const BUPRENORPHINE_BASE = weightTable<number>([
  [2, 0.05], [4, 0.12], [6, 0.13], [8, 0.22], [10, 0.12], [12, 0.14], [14, 0.05], [16, 0.1], [20, 0.04], [24, 0.02], [32, 0.01],
]);
export const WEEKLY_INJECTION_BASE = weightTable<number>([[8, 0.08], [16, 0.37], [24, 0.4], [32, 0.15]]);
export const MONTHLY_INJECTION_BASE = weightTable<number>([[64, 0.15], [96, 0.42], [128, 0.33], [160, 0.1]]);
/** Weekly strength used before moving to a monthly strength. */
export const WEEKLY_BEFORE_MONTHLY: Readonly<Record<number, number>> = { 64: 16, 96: 24, 128: 32, 160: 32 };

/**
 * On-top use (the latent state behind MAT 2 / MAT 3). Each person has a propensity type
 * with a stationary probability of using in a month and a lag-1 persistence; a month's
 * use is "heavy" (more than 20 of 28 days) with the given probability.
 */
export interface UseType {
  name: 'stable' | 'intermittent' | 'persistent';
  pUse: number;
  heavy: number;
  /**
   * Scales the methadone base dose: the toolkit's premise is that under-dosing goes with
   * on-top use (its Red cohort), so persistent users start from lower doses and are
   * optimised upwards while they use.
   */
  baseDoseFactor: number;
}
export const USE_TYPES = weightTable<UseType>([
  [{ name: 'stable', pUse: 0.08, heavy: 0.1, baseDoseFactor: 1 }, 0.38],
  [{ name: 'intermittent', pUse: 0.47, heavy: 0.18, baseDoseFactor: 1 }, 0.36],
  [{ name: 'persistent', pUse: 0.85, heavy: 0.45, baseDoseFactor: 0.92 }, 0.26],
]);
export const USE_PERSISTENCE = 0.55;
/** Relative extra use at the start of the window (the picture improves over time). */
export const USE_TREND = 0.08;

/**
 * Dose adjustments in maintenance, once a month at most. Each episode has an
 * "optimisation" offset the prescriber adds while the person uses on top; after
 * `stableMonthsToReduce` months without use the target drops a little below the base
 * dose. The dose moves towards the target (up quickly, down slowly) with a little drift,
 * so doses are mean-reverting and the picture is stable over the 24 months.
 */
export const DOSE_DYNAMICS = {
  upTowardsTarget: 0.2,
  downTowardsTarget: 0.1,
  drift: 0.01,
  stableMonthsToReduce: 6,
};
/** Offsets (mg) above the base dose while using on top, by medication. */
export const OPTIMISATION_OFFSETS: Readonly<Record<Medication, readonly number[]>> = {
  methadone: [0, 10, 10, 15, 20, 20, 25, 30],
  buprenorphine: [0, 2, 2, 4, 4, 6],
  buprenorphine_weekly_injection: [0],
  buprenorphine_monthly_injection: [0],
  diamorphine: [0, 50, 100],
  morphine_sr: [0, 100],
  other: [0],
};
/** Reduction (mg) below the base dose after a long stable spell. */
export const STABLE_REDUCTION: Readonly<Record<Medication, number>> = {
  methadone: 15, buprenorphine: 4, buprenorphine_weekly_injection: 0, buprenorphine_monthly_injection: 0, diamorphine: 50, morphine_sr: 100, other: 0,
};

/** Short gaps (1–6 days, tolerated) and long gaps (re-induction) per month of maintenance. */
export const GAPS = { shortPerMonth: 0.012, longPerMonth: 0.003 };

/** Reduction plans. */
export const REDUCTION = {
  /** People in MAT at the end who are on a ≤ 3-month detox plan that day. */
  activeDetoxAtEnd: 0.008,
  /** ... on a slow (> 3 months) reduction that day. */
  activeSlowAtEnd: 0.04,
  /** Planned exits preceded by a reduction plan; the rest stop without one. */
  plannedExitWithPlan: 0.85,
  /** Of those, a detox (≤ 3 months) rather than a slow reduction. */
  detoxShare: 0.45,
  /** Oral-OST episodes with a detox started and abandoned during the data. */
  abandonedDetox: 0.12,
};

export type ExitReason = 'planned' | 'unplanned' | 'transferred' | 'prison' | 'died' | 'other';
export const EXIT_REASONS_LONG_TERM = weightTable<ExitReason>([
  ['planned', 0.33], ['unplanned', 0.36], ['transferred', 0.12], ['prison', 0.1], ['died', 0.055], ['other', 0.035],
]);
export const EXIT_REASONS_NEW = weightTable<ExitReason>([
  ['planned', 0.2], ['unplanned', 0.52], ['transferred', 0.1], ['prison', 0.1], ['died', 0.03], ['other', 0.05],
]);
export const EXIT_REASONS_NON_OPIATE = weightTable<ExitReason>([
  ['planned', 0.55], ['unplanned', 0.35], ['transferred', 0.05], ['other', 0.05],
]);

/**
 * Evidence (TOP reviews and drug tests). Keywork "visits" come at intervals (days) set by
 * engagement; a visit is a TOP review when one is due (`topEvery` days since the last)
 * and otherwise a drug test with probability `testChance`. Most people are seen about
 * every 2–3 months, so they have evidence in the 91-day window; a minority drift ("poor"
 * engagement) and make up the uncategorised on a month end.
 */
export const ENGAGEMENT = {
  poorShare: 0.065,
  good: { visitEvery: [70, 105], topEvery: [150, 200], testChance: 0.98 },
  poor: { visitEvery: [100, 240], topEvery: [180, 360], testChance: 0.75 },
} as const;

/** Evidence is generated from this many days before the first reported month. */
export const EVIDENCE_PREROLL_DAYS = 75;

/** Routine drug tests that are a rapid opiate screen (one 6-MAM result) rather than a lab panel. */
export const RAPID_SCREEN_SHARE = 0.55;

/** Prescriptions that started this long before the data have their induction compressed to two segments. */
export const COMPRESS_INDUCTION_BEFORE_DAYS = 60;

/** Supervised consumption: share of oral-OST episodes with SC reviews on record. */
export const SC = {
  reviewedShare: 0.75,
  /** Status of long-term clients when the window opens (no earlier reviews in the data). */
  initial: weightTable<'supervised' | 'daily_pickup' | 'relaxed'>([['supervised', 0.42], ['daily_pickup', 0.13], ['relaxed', 0.45]]),
};

/** Monthly hazards of risk events while in treatment, by use state (0 none, 1 some, 2 heavy). */
export const RISK_HAZARDS = {
  nonFatalOverdose: [0.0025, 0.008, 0.02],
  hospitalDischarge: 0.004,
  suicidalIdeation: 0.002,
  selfHarm: 0.0015,
  mentalHealthCrisis: 0.002,
  bereavement: 0.0015,
  other: 0.0005,
  respiratoryDiseaseLifetime: 0.08,
};
