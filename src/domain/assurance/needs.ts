/**
 * Needs assessment (seed 004; domain.md §4): prevalence estimates per area, penetration
 * (people known to treatment ÷ estimated users), outcomes (successful exits, housing and
 * employment from TOP) and trends, beside regional and national comparators.
 *
 * Seed 004's figures are transcribed as the reference pattern with their source; an area
 * enters or imports its own estimates and comparators. Anything shared goes through
 * disclosure control (src/domain/disclosure).
 */
import { protectCount, type DisclosurePolicy, DEFAULT_DISCLOSURE_POLICY, type PublishedCell } from '../disclosure';
import { percent } from './measures';

export const SUBSTANCE_GROUPS = ['opiates_crack', 'opiates', 'crack', 'injectors'] as const;
export type SubstanceGroup = (typeof SUBSTANCE_GROUPS)[number];
export const SUBSTANCE_GROUP_LABELS: Readonly<Record<SubstanceGroup, string>> = {
  opiates_crack: 'Opiate and/or crack users (OCU)',
  opiates: 'Opiate users',
  crack: 'Crack cocaine users',
  injectors: 'Injectors',
};

export const OUTCOME_KEYS = ['successful_exits', 'employment', 'housing'] as const;
export type OutcomeKey = (typeof OUTCOME_KEYS)[number];

export const OUTCOME_DEFINITIONS: Readonly<Record<OutcomeKey, { label: string; definition: string; seedHeading: string }>> = {
  successful_exits: {
    label: 'Exits from treatment that were successful',
    definition: 'Episodes ending in the 12 months with a planned exit, as a % of all episodes ending then (transfers left out).',
    seedHeading: '% of clients exiting tx successfully',
  },
  employment: {
    label: 'Working 10 or more days (TOP)',
    definition: 'People whose latest TOP in the 12 months records paid work days, and of them the % who worked on 10 or more of the 28 days.',
    seedHeading: '% reporting working 10 + days',
  },
  housing: {
    label: 'No longer reporting a housing problem (TOP)',
    definition: 'People with an acute housing problem on a start TOP and a later TOP in the 12 months, and of them the % whose latest TOP no longer records one.',
    seedHeading: '% no longer reporting housing problems',
  },
};

export const SEED_004_SOURCE = 'Worcestershire Substance Misuse Action Team, Adult drug treatment plan 2009/10, Part 1 (seed 004)';

export interface ReferenceFigure {
  measure: string;
  local: number;
  localCount: number | null;
  regional: number | null;
  national: number | null;
  period: string;
  source: string;
}

/** Seed 004's outcome tables (local = Worcestershire), transcribed. */
export const SEED_004_OUTCOMES: Readonly<Record<OutcomeKey | 'parents', ReferenceFigure>> = {
  successful_exits: { measure: '% of clients exiting tx successfully (No of clients exiting tx system, 18+)', local: 30, localCount: 385, regional: 29, national: 34, period: 'latest 12 months (2008/09)', source: `${SEED_004_SOURCE}, Treatment Exits` },
  employment: { measure: '% reporting working 10 + days (No of clients reporting TOP employment status, 18+)', local: 17, localCount: 58, regional: 27, national: 26, period: '2008/09', source: `${SEED_004_SOURCE}, Employment` },
  housing: { measure: '% no longer reporting housing problems (No of clients reporting housing problems at start with discharge TOP, 18+)', local: 38, localCount: 13, regional: 66, national: 70, period: '2008/09', source: `${SEED_004_SOURCE}, Housing` },
  parents: { measure: '% of parents in effective tx from all in effective tx (No of parents in effective tx, latest 12 months)', local: 32, localCount: 527, regional: 35, national: 31, period: 'latest 12 months (2008/09)', source: `${SEED_004_SOURCE}, Drug using parents` },
};

export interface PrevalenceFigure {
  group: SubstanceGroup;
  area: string;
  estimate: number;
  ratePer1000: number | null;
  year: string;
  source: string;
}

/** Seed 004's prevalence estimates (Glasgow University) and the West Midlands comparator. */
export const SEED_004_PREVALENCE: readonly PrevalenceFigure[] = [
  { group: 'opiates_crack', area: 'Worcestershire', estimate: 2659, ratePer1000: 7, year: 'latest (2006/07)', source: `${SEED_004_SOURCE}, Prevalence (Glasgow University estimates)` },
  { group: 'opiates', area: 'Worcestershire', estimate: 2545, ratePer1000: 7.0, year: '2005/06', source: `${SEED_004_SOURCE}, Prevalence table` },
  { group: 'opiates', area: 'Worcestershire', estimate: 2288, ratePer1000: 6.34, year: '2006/07', source: `${SEED_004_SOURCE}, Prevalence table` },
  { group: 'crack', area: 'Worcestershire', estimate: 1316, ratePer1000: 3.62, year: '2005/06', source: `${SEED_004_SOURCE}, Prevalence table` },
  { group: 'crack', area: 'Worcestershire', estimate: 1612, ratePer1000: 4.47, year: '2006/07', source: `${SEED_004_SOURCE}, Prevalence table` },
  { group: 'injectors', area: 'Worcestershire', estimate: 974, ratePer1000: 2.68, year: '2005/06', source: `${SEED_004_SOURCE}, Prevalence table` },
  { group: 'injectors', area: 'Worcestershire', estimate: 1120, ratePer1000: 3.1, year: '2006/07', source: `${SEED_004_SOURCE}, Prevalence table` },
];
/** "compared with a West Midlands average of 11 PDU's per 1000", and 62% known to treatment. */
export const SEED_004_REGIONAL_RATE_PER_1000 = 11;
export const SEED_004_KNOWN_TO_TREATMENT = { pct: 62, neverInContact: 1012, estimate: 2659 } as const;

/** Penetration: people known to treatment ÷ estimated users, as a %. */
export function penetration(known: number, estimate: number): number | null {
  if (!(estimate > 0)) return null;
  return (100 * known) / estimate;
}

/** Seed 004's arithmetic, as a check: (2659 − 1012) ÷ 2659 = 62%. */
export function knownFromNeverInContact(estimate: number, neverInContact: number): number | null {
  return penetration(estimate - neverInContact, estimate);
}

export interface Rate {
  numerator: number;
  denominator: number;
  pct: number | null;
}

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, pct: percent(numerator, denominator) };
}

export interface SharedRate {
  numerator: PublishedCell;
  denominator: PublishedCell;
  /** Computed from the published (rounded) counts; null when either is suppressed. */
  pct: number | null;
}

/**
 * A rate for sharing: both counts protected (suppressed 1–7, rounded to 5 for
 * sub-national figures) and the percentage worked out from the published counts, so it
 * cannot give back a hidden or unrounded count.
 */
export function shareRate(r: Rate, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): SharedRate {
  const numerator = protectCount(r.numerator, policy);
  const denominator = protectCount(r.denominator, policy);
  const pct = numerator.value === null || denominator.value === null ? null : percent(numerator.value, denominator.value);
  return { numerator, denominator: denominator, pct: pct === null ? null : Math.min(100, pct) };
}

/** Difference from a comparator in percentage points, with whether it is better. */
export function versus(local: number | null, comparator: number | null, better: 'higher' | 'lower' = 'higher'): { points: number; better: boolean } | null {
  if (local === null || comparator === null) return null;
  const points = local - comparator;
  return { points, better: better === 'higher' ? points >= 0 : points <= 0 };
}
