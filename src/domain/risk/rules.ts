/**
 * Tier rules as data (domain.md §2: "Do not invent a weighted score. Tier by transparent
 * rules, every rule shown beside the result"). A rule list is evaluated top to bottom and
 * the first rule whose condition matches decides the tier.
 */
import type { FlagCode, Tier } from './types';

/**
 * A tier condition. Conditions only ever see *counted* flags: the raised flags not listed
 * in `RiskConfig.uncountedFlags` (by default everything except `no_naloxone`), so an
 * uncounted flag never changes the tier, even if it were critical.
 */
export type TierCondition =
  /** At least one counted flag is critical. */
  | { kind: 'anyCritical' }
  /** At least `min` counted flags. */
  | { kind: 'countAtLeast'; min: number }
  /** Between `min` and `max` counted flags, both inclusive. */
  | { kind: 'countBetween'; min: number; max: number }
  /** Any of these flags is raised (and counted). */
  | { kind: 'anyOf'; codes: readonly FlagCode[] }
  /** All of these flags are raised (and counted). */
  | { kind: 'allOf'; codes: readonly FlagCode[] }
  /** Always matches (a catch-all last rule). */
  | { kind: 'always' };

export interface TierRule {
  /** Stable identifier shown with the result and kept with audit records. */
  id: string;
  tier: Tier;
  when: TierCondition;
  /**
   * Plain-English statement of the rule. When absent it is generated from the condition
   * and the current windows (`describeTierRule`), so it cannot go stale when an
   * administrator changes a window.
   */
  text?: string;
}

/** What a condition is evaluated against. */
export interface TierFacts {
  /** The counted flags that are raised. */
  counted: readonly FlagCode[];
  /** Number of counted flags raised. */
  count: number;
  /** Whether any counted flag is critical. */
  anyCritical: boolean;
}

export function matchesTierCondition(when: TierCondition, facts: TierFacts): boolean {
  switch (when.kind) {
    case 'anyCritical':
      return facts.anyCritical;
    case 'countAtLeast':
      return facts.count >= when.min;
    case 'countBetween':
      return facts.count >= when.min && facts.count <= when.max;
    case 'anyOf':
      return when.codes.some((c) => facts.counted.includes(c));
    case 'allOf':
      return when.codes.length > 0 && when.codes.every((c) => facts.counted.includes(c));
    case 'always':
      return true;
  }
}
