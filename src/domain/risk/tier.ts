/**
 * Tier from flags, by the configured rule list (domain.md §2). No weights, no score: the
 * first rule that matches decides, and the result names that rule in plain words.
 */
import { defaultRiskConfig, type RiskConfig } from './config';
import { describeWindow } from './flags';
import { matchesTierCondition, type TierCondition, type TierRule } from './rules';
import type { FlagCode, RiskFlag, Tier } from './types';

export const TIER_LABELS: Readonly<Record<Tier, string>> = { high: 'High', medium: 'Medium', low: 'Low' };

/** The rule that produced a tier, as shown beside the result. */
export interface FiredRule {
  id: string;
  tier: Tier;
  text: string;
}

export interface TierResult {
  tier: Tier;
  rule: FiredRule;
  /** Raised flags that count towards the tier (not in `uncountedFlags`). */
  counted: FlagCode[];
  /** Raised flags that are critical (whether or not they count). */
  critical: FlagCode[];
}

/**
 * Used only if no rule matches (an administrator saved a rule list with a gap, which
 * `validateRiskConfig` refuses). Fails safe: High, with a text that says why.
 */
export const NO_RULE_MATCHED: FiredRule = {
  id: 'no-rule-matched',
  tier: 'high',
  text: 'High: no tier rule matched these flags, so the person is shown as High to be safe; check the tier rules',
};

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function countedNote(config: RiskConfig): string {
  const u = config.uncountedFlags;
  if (u.length === 0) return '';
  return ` (${u.join(', ')} ${u.length === 1 ? 'is' : 'are'} shown but not counted)`;
}

/** Plain-English condition, using the current windows (so it never goes stale). */
export function describeTierCondition(when: TierCondition, config: RiskConfig = defaultRiskConfig): string {
  switch (when.kind) {
    case 'anyCritical': {
      const which = [
        `a non-fatal overdose in the last ${describeWindow(config.overdoseCriticalWindow)}`,
        `release from prison, hospital or residential rehab in the last ${describeWindow(config.releaseCriticalWindow)}`,
      ];
      if (config.potentOpioidCritical) {
        which.push(`a test positive for ${joinOr([...config.potentOpioidSubstances])} in the last ${describeWindow(config.potentOpioidWindow)}`);
      }
      return `any critical flag: ${joinOr(which)}`;
    }
    case 'countAtLeast':
      return `${when.min} or more risk flags${countedNote(config)}`;
    case 'countBetween':
      if (when.min === 0 && when.max === 0) return `no risk flags${countedNote(config)}`;
      if (when.min === when.max) return `exactly ${when.min} risk flag${when.min === 1 ? '' : 's'}${countedNote(config)}`;
      return `${when.min}–${when.max} risk flags${countedNote(config)}`;
    case 'anyOf':
      return `any of these flags: ${when.codes.join(', ')}`;
    case 'allOf':
      return `all of these flags: ${when.codes.join(', ')}`;
    case 'always':
      return 'in all other cases';
  }
}

/** The rule's own text, or one generated from its condition: "High: 3 or more risk flags …". */
export function describeTierRule(rule: TierRule, config: RiskConfig = defaultRiskConfig): string {
  return rule.text ?? `${TIER_LABELS[rule.tier]}: ${describeTierCondition(rule.when, config)}`;
}

const describedCache = new WeakMap<RiskConfig, readonly FiredRule[]>();

/**
 * Every configured rule in order, for showing the whole rule list beside a result.
 * Cached per configuration object: treat a `RiskConfig` as immutable (build a new one to
 * change it, e.g. with `resolveRiskConfig`).
 */
export function describeTierRules(config: RiskConfig = defaultRiskConfig): readonly FiredRule[] {
  let described = describedCache.get(config);
  if (!described) {
    described = config.tierRules.map((r) => ({ id: r.id, tier: r.tier, text: describeTierRule(r, config) }));
    describedCache.set(config, described);
  }
  return described;
}

/** Decide the tier of a set of raised flags. */
export function decideTier(flags: readonly RiskFlag[], config: RiskConfig = defaultRiskConfig): TierResult {
  const uncounted = config.uncountedFlags;
  const counted: FlagCode[] = [];
  const critical: FlagCode[] = [];
  let anyCritical = false;
  for (const f of flags) {
    if (f.critical) critical.push(f.code);
    if (uncounted.includes(f.code)) continue;
    counted.push(f.code);
    if (f.critical) anyCritical = true;
  }
  const facts = { counted, count: counted.length, anyCritical };
  const rules = config.tierRules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule && matchesTierCondition(rule.when, facts)) {
      const fired = describeTierRules(config)[i] ?? { id: rule.id, tier: rule.tier, text: describeTierRule(rule, config) };
      return { tier: rule.tier, rule: { ...fired }, counted, critical };
    }
  }
  return { tier: NO_RULE_MATCHED.tier, rule: { ...NO_RULE_MATCHED }, counted, critical };
}
