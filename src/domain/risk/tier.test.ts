import { describe, expect, it } from 'vitest';
import { defaultRiskConfig, resolveRiskConfig, validateRiskConfig, days } from './config';
import { decideTier, describeTierRule, describeTierRules } from './tier';
import type { FlagCode, RiskFlag } from './types';

/** Flags from codes; a trailing `!` marks a critical flag. */
function flags(...specs: string[]): RiskFlag[] {
  return specs.map((s) => ({
    code: s.replace('!', '') as FlagCode,
    critical: s.endsWith('!'),
    evidence: [],
    reason: s,
  }));
}

describe('decideTier with the default rules (domain §2)', () => {
  it.each<[string, string[], 'high' | 'medium' | 'low', string]>([
    ['no flags', [], 'low', 'low-none'],
    ['only no_naloxone (never counts)', ['no_naloxone'], 'low', 'low-none'],
    ['1 flag', ['housing'], 'medium', 'medium-count'],
    ['2 flags', ['housing', 'injecting'], 'medium', 'medium-count'],
    ['2 flags + no_naloxone is still 2', ['housing', 'injecting', 'no_naloxone'], 'medium', 'medium-count'],
    ['3 flags', ['housing', 'injecting', 'on_top'], 'high', 'high-count'],
    ['9 flags', ['on_top', 'injecting', 'depressant_co_use', 'recent_overdose', 'lowered_tolerance', 'treatment_transition', 'potent_opioid', 'housing', 'health'], 'high', 'high-count'],
    ['1 critical flag overrides the count', ['recent_overdose!'], 'high', 'high-critical'],
    ['critical release', ['lowered_tolerance!'], 'high', 'high-critical'],
    ['potent opioid', ['potent_opioid!'], 'high', 'high-critical'],
    ['critical + 3 flags: critical rule is first', ['recent_overdose!', 'housing', 'injecting'], 'high', 'high-critical'],
    ['non-critical overdose alone is medium', ['recent_overdose'], 'medium', 'medium-count'],
  ])('%s → %s', (_name, specs, tier, ruleId) => {
    const r = decideTier(flags(...specs));
    expect(r.tier).toBe(tier);
    expect(r.rule.id).toBe(ruleId);
  });

  it('reports counted and critical flags', () => {
    const r = decideTier(flags('recent_overdose!', 'housing', 'no_naloxone'));
    expect(r.counted).toEqual(['recent_overdose', 'housing']);
    expect(r.critical).toEqual(['recent_overdose']);
  });

  it('an uncounted flag never changes the tier, even if critical', () => {
    const cfg = resolveRiskConfig({ uncountedFlags: ['no_naloxone', 'potent_opioid'] });
    const r = decideTier(flags('potent_opioid!'), cfg);
    expect(r.tier).toBe('low');
    expect(r.critical).toEqual(['potent_opioid']);
    expect(r.counted).toEqual([]);
  });
});

describe('tier rules are data', () => {
  it('an administrator can change the thresholds', () => {
    const cfg = resolveRiskConfig({
      tierRules: [
        { id: 'high-critical', tier: 'high', when: { kind: 'anyCritical' } },
        { id: 'high-on-top-injecting', tier: 'high', when: { kind: 'allOf', codes: ['on_top', 'injecting'] } },
        { id: 'high-count', tier: 'high', when: { kind: 'countAtLeast', min: 4 } },
        { id: 'medium', tier: 'medium', when: { kind: 'countAtLeast', min: 2 } },
        { id: 'low', tier: 'low', when: { kind: 'always' }, text: 'Low: anything else' },
      ],
    });
    expect(validateRiskConfig(cfg)).toEqual([]);
    expect(decideTier(flags('housing', 'injecting', 'health'), cfg).tier).toBe('medium');
    expect(decideTier(flags('on_top', 'injecting'), cfg).rule.id).toBe('high-on-top-injecting');
    expect(decideTier(flags('housing'), cfg).rule).toEqual({ id: 'low', tier: 'low', text: 'Low: anything else' });
  });

  it('a gap in the rules fails safe (High) and validation reports it', () => {
    const cfg = resolveRiskConfig({ tierRules: defaultRiskConfig.tierRules.filter((r) => r.id !== 'medium-count') });
    expect(validateRiskConfig(cfg)).toEqual(['no tier rule matches 1 counted flag', 'no tier rule matches 2 counted flags']);
    const r = decideTier(flags('housing'), cfg);
    expect(r.tier).toBe('high');
    expect(r.rule.id).toBe('no-rule-matched');
  });

  it('flag-specific rules alone do not satisfy coverage', () => {
    const cfg = resolveRiskConfig({
      tierRules: [
        { id: 'h', tier: 'high', when: { kind: 'anyOf', codes: ['on_top'] } },
        { id: 'l', tier: 'low', when: { kind: 'countBetween', min: 0, max: 0 } },
      ],
    });
    expect(validateRiskConfig(cfg)).toContain('no tier rule matches 1 counted flag');
  });
});

describe('rule texts', () => {
  it('describe the default rules in plain words, from the configured windows', () => {
    expect(describeTierRules().map((r) => r.text)).toEqual([
      'High: any critical flag: a non-fatal overdose in the last 3 months, release from prison, hospital or residential rehab in the last 14 days or a test positive for fentanyl or nitazene in the last 12 months',
      'High: 3 or more risk flags (no_naloxone is shown but not counted)',
      'Medium: 1–2 risk flags (no_naloxone is shown but not counted)',
      'Low: no risk flags (no_naloxone is shown but not counted)',
    ]);
  });

  it('follow a changed window', () => {
    const cfg = resolveRiskConfig({ releaseCriticalWindow: days(7) });
    const rule = cfg.tierRules[0];
    expect(rule && describeTierRule(rule, cfg)).toContain('in the last 7 days');
  });

  it('the fired rule carries the text', () => {
    expect(decideTier(flags('housing')).rule.text).toBe('Medium: 1–2 risk flags (no_naloxone is shown but not counted)');
  });
});
