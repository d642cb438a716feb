/**
 * Every window, threshold, list and tier rule of the overdose-risk profile (domain.md §2).
 * Nothing in the rules is a literal: an administrator changes these values and every
 * consumer (person page, caseload, worklists, report, CLI) follows.
 *
 * ## Window semantics (one rule for every window)
 * A window `{ amount, unit }` on the profile date D covers the dates from
 * `D − amount` up to and including D:
 *   - the lower bound is **inclusive**: a record dated exactly `D − amount` counts,
 *     one day earlier does not;
 *   - records dated after D are ignored (a profile for a past date sees only the past);
 *   - `unit: 'days'`: `D − amount` is whole days (UTC). Release 14 days ago is in the
 *     14-day critical window, 15 days ago is not; naloxone supplied 365 days ago is in
 *     the 365-day window, 366 days ago is not; TOP dated D − 91 is in the evidence
 *     window, D − 92 is not (same as MAT's `evidenceWindowDays`, domain §1.2).
 *   - `unit: 'months'`: `D − amount` is calendar months, clamped to the end of a shorter
 *     month (domain §1.2: "three months after 1 October is 1 January"). On 2024-06-15 a
 *     3-month window starts 2024-03-15; on 2024-05-31 it starts 2024-02-29.
 *
 * ## Interpretation choices (where domain.md is not explicit)
 *   - "12 months"/"3 months" (overdose, potent opioid, health) are calendar months, as
 *     domain §1.2 defines months. "4 weeks"/"2 weeks" are 28/14 days. Naloxone "last 12
 *     months" is 365 days (the product brief fixes 365 counts, 366 does not).
 *   - Alcohol: "more than 20 of 28 days" is `alcohol_days > 20`; "above 14 units on a
 *     drinking day" is `alcohol_units > 14` unless `alcohol_days` is recorded as 0 (no
 *     drinking day). Any TOP in the evidence window counts (not only the latest).
 *   - injecting uses only the latest TOP in the evidence window (as §2 says); TOPs sharing
 *     that date: any one with injecting days counts (as MAT's tie rule).
 *   - housing uses the latest TOP on or before D of any age (§2 gives no window);
 *     `housingTopWindow` can limit it.
 *   - on_top is MAT 2 only (§2 "(MAT 2)"): MAT 1 and MAT 4 are decided before on-top use.
 *   - treatment_transition: "reducing prescription below OG" is regime `reducing` with
 *     OG band `below`; MAT 4 detox (regime `detox`) is not included by default
 *     (`transitionRegimes`). Induction = stage MAT 1 or start within 28 days (either).
 *     An ended episode counts whatever the exit reason (`episodeEndedExcludedExitReasons`).
 *   - no_naloxone: supplies "to the person" are recipient `service_user` or not recorded;
 *     a supply to family or friends (even if linked to the person) does not count.
 *   - Tier conditions see counted flags only: a flag in `uncountedFlags` never changes the
 *     tier, even if critical. A gap in the rule list falls back to High (fail safe).
 */
import {
  FLAG_CODES,
  type DrugTestSubstance,
  type ExitReason,
  type FlagCode,
  type HousingStatus,
  type InjectingStatus,
  type MatStage,
  type NaloxoneRecipient,
  type OgBand,
  type Regime,
  type RiskEventType,
} from './types';
import { matchesTierCondition, type TierRule } from './rules';

export type { TierCondition, TierRule } from './rules';

export type WindowUnit = 'days' | 'months';

/** A look-back window ending on (and including) the profile date. */
export interface Window {
  amount: number;
  unit: WindowUnit;
}

export const days = (amount: number): Window => ({ amount, unit: 'days' });
export const months = (amount: number): Window => ({ amount, unit: 'months' });

export interface RiskConfig {
  /** TOP / drug-test look-back for injecting, depressant co-use and on-top evidence. Default 91 days. */
  evidenceWindow: Window;

  /** injecting: people.injecting_status values that raise the flag. Default C (current). */
  injectingStatuses: readonly InjectingStatus[];

  /** depressant_co_use: positive tests for these substances. Default benzodiazepine, gabapentinoid. */
  depressantSubstances: readonly DrugTestSubstance[];
  /** depressant_co_use: TOP `alcohol_days` strictly above this (default 20, i.e. 21+ of 28). */
  alcoholDaysAbove: number;
  /** depressant_co_use: TOP `alcohol_units` strictly above this on a drinking day (default 14, i.e. 15+). */
  alcoholUnitsAbove: number;

  /** recent_overdose: non-fatal overdose in this window. Default 12 months. */
  overdoseWindow: Window;
  /** recent_overdose is critical in this window. Default 3 months. */
  overdoseCriticalWindow: Window;

  /** lowered_tolerance: risk-event types that are a release/discharge. */
  releaseEventTypes: readonly RiskEventType[];
  /** lowered_tolerance window. Default 28 days (4 weeks). */
  releaseWindow: Window;
  /** lowered_tolerance is critical in this window. Default 14 days (weeks 1–2). */
  releaseCriticalWindow: Window;

  /** treatment_transition: first weeks of OST (D − start inside this window), or stage MAT 1. Default 28 days. */
  inductionWindow: Window;
  /** treatment_transition: prescribing regimes that count as a risky reduction. Default reducing. */
  transitionRegimes: readonly Regime[];
  /** treatment_transition: ...when the dose is in one of these OG bands. Default below. */
  transitionOgBands: readonly OgBand[];
  /** treatment_transition: an episode ended in this window. Default 28 days. */
  episodeEndedWindow: Window;
  /** treatment_transition: exit reasons that do NOT count as an ended episode. Default none. */
  episodeEndedExcludedExitReasons: readonly ExitReason[];

  /** potent_opioid: positive tests for these substances. Default fentanyl, nitazene. */
  potentOpioidSubstances: readonly DrugTestSubstance[];
  /** potent_opioid window. Default 12 months. */
  potentOpioidWindow: Window;
  /** potent_opioid is critical whenever raised. Default true. */
  potentOpioidCritical: boolean;

  /** housing: people.housing values that raise the flag. Default nfa, street, hmo. */
  housingStatuses: readonly HousingStatus[];
  /**
   * housing: how old the "latest TOP" may be. Default `null`: the latest TOP on or
   * before D, however old (domain §2 says "latest TOP", with no window).
   */
  housingTopWindow: Window | null;

  /** health: risk-event types that raise the flag. */
  healthEventTypes: readonly RiskEventType[];
  /** health window. Default 12 months. */
  healthWindow: Window;

  /** no_naloxone: a supply in this window protects. Default 365 days. */
  naloxoneWindow: Window;
  /**
   * no_naloxone: supplies that count as "supplied to the person", by `recipient`;
   * `null` = recipient not recorded. Default service_user and not recorded.
   */
  naloxoneRecipients: readonly (NaloxoneRecipient | null)[];

  /** on_top: the MAT stages that mean illicit opioid use on top. Default MAT2. */
  onTopStages: readonly MatStage[];

  /** Flags that are shown and drive actions but never count towards the tier. */
  uncountedFlags: readonly FlagCode[];
  /** Tier rules, evaluated in order; the first that matches decides the tier. */
  tierRules: readonly TierRule[];
}

/** The default tier rules of domain.md §2. */
export const defaultTierRules: readonly TierRule[] = [
  { id: 'high-critical', tier: 'high', when: { kind: 'anyCritical' } },
  { id: 'high-count', tier: 'high', when: { kind: 'countAtLeast', min: 3 } },
  { id: 'medium-count', tier: 'medium', when: { kind: 'countBetween', min: 1, max: 2 } },
  { id: 'low-none', tier: 'low', when: { kind: 'countBetween', min: 0, max: 0 } },
];

export const defaultRiskConfig: RiskConfig = {
  evidenceWindow: days(91),

  injectingStatuses: ['C'],

  depressantSubstances: ['benzodiazepine', 'gabapentinoid'],
  alcoholDaysAbove: 20,
  alcoholUnitsAbove: 14,

  overdoseWindow: months(12),
  overdoseCriticalWindow: months(3),

  releaseEventTypes: ['prison_release', 'hospital_discharge', 'rehab_discharge'],
  releaseWindow: days(28),
  releaseCriticalWindow: days(14),

  inductionWindow: days(28),
  transitionRegimes: ['reducing'],
  transitionOgBands: ['below'],
  episodeEndedWindow: days(28),
  episodeEndedExcludedExitReasons: [],

  potentOpioidSubstances: ['fentanyl', 'nitazene'],
  potentOpioidWindow: months(12),
  potentOpioidCritical: true,

  housingStatuses: ['nfa', 'street', 'hmo'],
  housingTopWindow: null,

  healthEventTypes: ['respiratory_disease', 'suicidal_ideation', 'self_harm', 'mental_health_crisis'],
  healthWindow: months(12),

  naloxoneWindow: days(365),
  naloxoneRecipients: ['service_user', null],

  onTopStages: ['MAT2'],

  uncountedFlags: ['no_naloxone'],
  tierRules: defaultTierRules,
};

/**
 * An administrator's changes on top of the defaults. Each key replaces the default
 * whole (windows, lists and the rule list are replaced, not merged).
 */
export type RiskConfigOverrides = Partial<RiskConfig>;

export function resolveRiskConfig(overrides: RiskConfigOverrides = {}): RiskConfig {
  const out: RiskConfig = { ...defaultRiskConfig };
  for (const key of Object.keys(overrides) as (keyof RiskConfig)[]) {
    const value = overrides[key];
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

const WINDOW_KEYS = [
  'evidenceWindow',
  'overdoseWindow',
  'overdoseCriticalWindow',
  'releaseWindow',
  'releaseCriticalWindow',
  'inductionWindow',
  'episodeEndedWindow',
  'potentOpioidWindow',
  'healthWindow',
  'naloxoneWindow',
] as const satisfies readonly (keyof RiskConfig)[];

/** Window length in days, approximately (months as 30.44 days): for comparisons only. */
function approxDays(w: Window): number {
  return w.unit === 'days' ? w.amount : w.amount * 30.436875;
}

function validWindow(w: Window | null | undefined): boolean {
  return (
    w !== null &&
    w !== undefined &&
    (w.unit === 'days' || w.unit === 'months') &&
    Number.isInteger(w.amount) &&
    w.amount >= 0 &&
    w.amount <= 120 * 12 * 31
  );
}

/**
 * Problems with a configuration, as readable sentences (empty when valid). The admin
 * screen shows them and refuses to save; nothing here throws.
 */
export function validateRiskConfig(config: RiskConfig): string[] {
  const errors: string[] = [];
  for (const key of WINDOW_KEYS) {
    if (!validWindow(config[key])) errors.push(`${key} must be a whole, non-negative number of days or months`);
  }
  if (config.housingTopWindow !== null && !validWindow(config.housingTopWindow)) {
    errors.push('housingTopWindow must be null or a whole, non-negative number of days or months');
  }
  if (errors.length === 0) {
    if (approxDays(config.overdoseCriticalWindow) > approxDays(config.overdoseWindow)) {
      errors.push('overdoseCriticalWindow must not be longer than overdoseWindow');
    }
    if (approxDays(config.releaseCriticalWindow) > approxDays(config.releaseWindow)) {
      errors.push('releaseCriticalWindow must not be longer than releaseWindow');
    }
  }
  for (const key of ['alcoholDaysAbove', 'alcoholUnitsAbove'] as const) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) errors.push(`${key} must be a non-negative number`);
  }
  if (config.tierRules.length === 0) errors.push('tierRules must contain at least one rule');
  errors.push(...uncoveredTierCases(config));
  const ids = new Set<string>();
  for (const rule of config.tierRules) {
    if (!rule.id) errors.push('every tier rule needs an id');
    if (ids.has(rule.id)) errors.push(`duplicate tier rule id: ${rule.id}`);
    ids.add(rule.id);
    const w = rule.when;
    if (w.kind === 'countAtLeast' && !(Number.isInteger(w.min) && w.min >= 0)) {
      errors.push(`tier rule ${rule.id}: min must be a whole number ≥ 0`);
    }
    if (w.kind === 'countBetween' && !(Number.isInteger(w.min) && Number.isInteger(w.max) && w.min >= 0 && w.max >= w.min)) {
      errors.push(`tier rule ${rule.id}: min and max must be whole numbers with 0 ≤ min ≤ max`);
    }
    if ((w.kind === 'anyOf' || w.kind === 'allOf') && w.codes.length === 0) {
      errors.push(`tier rule ${rule.id}: list at least one flag code`);
    }
  }
  return errors;
}

/**
 * Every possible outcome (number of counted flags 0…n, with and without a critical one)
 * must be matched by some rule, or a person could end up with no tier. Returns one
 * sentence per uncovered case.
 */
export function uncoveredTierCases(config: RiskConfig): string[] {
  const uncounted = new Set(config.uncountedFlags);
  const countable = FLAG_CODES.filter((c) => !uncounted.has(c));
  const out: string[] = [];
  for (let n = 0; n <= countable.length; n++) {
    for (const anyCritical of n === 0 ? [false] : [false, true]) {
      // Which flags are raised is unknown here, so flag-specific conditions (anyOf,
      // allOf) are treated as not matching: only count, critical and catch-all rules
      // can guarantee a tier. An empty list of raised codes does exactly that.
      const facts = { counted: [] as FlagCode[], count: n, anyCritical };
      const covered = config.tierRules.some((r) => matchesTierCondition(r.when, facts));
      if (!covered) {
        out.push(`no tier rule matches ${n} counted flag${n === 1 ? '' : 's'}${anyCritical ? ' with a critical one' : ''}`);
      }
    }
  }
  return out;
}
