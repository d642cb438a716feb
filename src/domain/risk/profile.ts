/**
 * The overdose-risk profile: the single definition used by the person page, caseload,
 * worklists, service report, exports and `beacon report risk`.
 */
import { actionsForFlag, RECOMMENDED_ACTIONS, type RecommendedAction } from './actions';
import { defaultRiskConfig, type RiskConfig } from './config';
import { FLAG_RULES, riskContext, type RiskContext } from './flags';
import { decideTier, type FiredRule } from './tier';
import { FLAG_CODES, type FlagCode, type RiskFlag, type RiskInput, type Tier } from './types';

export interface FlagActions {
  flag: FlagCode;
  /** Shared between profiles: read-only. */
  actions: readonly RecommendedAction[];
}

export interface RiskProfile {
  /** The profile date D. */
  asOf: string;
  tier: Tier;
  /** Raised flags, in the order of `FLAG_CODES`, each with evidence and reason. */
  flags: RiskFlag[];
  /** Codes of the raised flags that are critical. */
  critical: FlagCode[];
  /** Codes of the raised flags that count towards the tier (no_naloxone does not, by default). */
  counted: FlagCode[];
  /** The tier rule that produced `tier`. */
  rule: FiredRule;
  /**
   * Why, in plain words: first the tier rule that fired, then one sentence per raised
   * flag (same order as `flags`).
   */
  reasons: string[];
  /** What to do: the recommended actions for each raised flag. */
  actions: FlagActions[];
}

let cachedCtx: RiskContext | null = null;

/**
 * A context for (asOf, config), reused while the same pair is asked for (batch runs).
 * Keyed on the config object's identity: treat a `RiskConfig` as immutable and build a
 * new one (`resolveRiskConfig`) to change it.
 */
function contextFor(asOf: string, config: RiskConfig): RiskContext {
  if (cachedCtx === null || cachedCtx.asOf !== asOf || cachedCtx.config !== config) cachedCtx = riskContext(asOf, config);
  return cachedCtx;
}

/** Evaluate every flag rule. */
export function riskFlags(input: RiskInput, ctx: RiskContext): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const code of FLAG_CODES) {
    const f = FLAG_RULES[code](input, ctx);
    if (f) flags.push(f);
  }
  return flags;
}

/** The profile with a prepared context (see `riskContext`). */
export function riskProfileInContext(
  input: RiskInput,
  ctx: RiskContext,
  catalogue: Readonly<Record<FlagCode, readonly RecommendedAction[]>> = RECOMMENDED_ACTIONS,
): RiskProfile {
  const flags = riskFlags(input, ctx);
  const { tier, rule, counted, critical } = decideTier(flags, ctx.config);
  const reasons = [`${rule.text} [rule ${rule.id}]`];
  const actions: FlagActions[] = [];
  for (const f of flags) {
    reasons.push(f.reason);
    actions.push({ flag: f.code, actions: actionsForFlag(f, input, catalogue) });
  }
  return { asOf: ctx.asOf, tier, flags, critical, counted, rule, reasons, actions };
}

/**
 * The overdose-risk profile of one person on `asOf` (`YYYY-MM-DD`). Pure: the same input,
 * date and configuration always give the same profile. Throws `RangeError` only for an
 * invalid `asOf`.
 */
export function riskProfile(input: RiskInput, asOf: string, config: RiskConfig = defaultRiskConfig): RiskProfile {
  return riskProfileInContext(input, contextFor(asOf, config));
}

/** Profiles for many people on one date. */
export function riskProfiles(inputs: Iterable<RiskInput>, asOf: string, config: RiskConfig = defaultRiskConfig): RiskProfile[] {
  const ctx = riskContext(asOf, config);
  const out: RiskProfile[] = [];
  for (const input of inputs) out.push(riskProfileInContext(input, ctx));
  return out;
}

/** One `people` entry of `beacon report risk --format json`. */
export interface RiskReportEntry {
  person_id: string;
  service_id: string;
  tier: Tier;
  /** Codes of every raised flag (domain §2), including no_naloxone. */
  flags: FlagCode[];
  /** Codes of the critical flags. */
  critical: FlagCode[];
  reasons: string[];
}

export function toReportEntry(person: { person_id: string; service_id?: string | null }, profile: RiskProfile): RiskReportEntry {
  return {
    person_id: person.person_id,
    service_id: person.service_id ?? '',
    tier: profile.tier,
    flags: profile.flags.map((f) => f.code),
    critical: [...profile.critical],
    reasons: [...profile.reasons],
  };
}

/**
 * Flags raised now that were not raised in an earlier profile (the caseload highlights
 * "flags that appeared since last week"), in `FLAG_CODES` order.
 */
export function newFlagsSince(current: Pick<RiskProfile, 'flags'>, previous: Pick<RiskProfile, 'flags'> | null): FlagCode[] {
  const before = new Set(previous?.flags.map((f) => f.code) ?? []);
  return current.flags.filter((f) => !before.has(f.code)).map((f) => f.code);
}
