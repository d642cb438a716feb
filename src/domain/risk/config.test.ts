import { describe, expect, it } from 'vitest';
import { days, defaultRiskConfig, months, resolveRiskConfig, validateRiskConfig } from './config';

describe('defaultRiskConfig (domain §2)', () => {
  it('has the documented defaults', () => {
    const c = defaultRiskConfig;
    expect(c.evidenceWindow).toEqual(days(91));
    expect([c.alcoholDaysAbove, c.alcoholUnitsAbove]).toEqual([20, 14]);
    expect([c.overdoseWindow, c.overdoseCriticalWindow]).toEqual([months(12), months(3)]);
    expect([c.releaseWindow, c.releaseCriticalWindow]).toEqual([days(28), days(14)]);
    expect([c.inductionWindow, c.episodeEndedWindow]).toEqual([days(28), days(28)]);
    expect([c.potentOpioidWindow, c.healthWindow]).toEqual([months(12), months(12)]);
    expect(c.naloxoneWindow).toEqual(days(365));
    expect(c.uncountedFlags).toEqual(['no_naloxone']);
    expect(c.tierRules.map((r) => `${r.id}:${r.tier}`)).toEqual(['high-critical:high', 'high-count:high', 'medium-count:medium', 'low-none:low']);
  });

  it('is valid', () => {
    expect(validateRiskConfig(defaultRiskConfig)).toEqual([]);
  });
});

describe('resolveRiskConfig', () => {
  it('replaces only the given keys and leaves the defaults untouched', () => {
    const c = resolveRiskConfig({ naloxoneWindow: days(180), alcoholUnitsAbove: undefined });
    expect(c.naloxoneWindow).toEqual(days(180));
    expect(c.alcoholUnitsAbove).toBe(14);
    expect(defaultRiskConfig.naloxoneWindow).toEqual(days(365));
  });
});

describe('validateRiskConfig', () => {
  it.each<[string, Parameters<typeof resolveRiskConfig>[0], string]>([
    ['negative window', { releaseWindow: days(-1) }, 'releaseWindow must be a whole, non-negative number of days or months'],
    ['fractional window', { evidenceWindow: days(91.5) }, 'evidenceWindow must be a whole, non-negative number of days or months'],
    ['critical longer than window', { releaseCriticalWindow: days(30) }, 'releaseCriticalWindow must not be longer than releaseWindow'],
    ['critical months longer than window', { overdoseCriticalWindow: months(13) }, 'overdoseCriticalWindow must not be longer than overdoseWindow'],
    ['negative threshold', { alcoholDaysAbove: -1 }, 'alcoholDaysAbove must be a non-negative number'],
    ['no rules', { tierRules: [] }, 'tierRules must contain at least one rule'],
    [
      'duplicate rule ids',
      { tierRules: [...defaultRiskConfig.tierRules, { id: 'low-none', tier: 'low', when: { kind: 'always' } }] },
      'duplicate tier rule id: low-none',
    ],
    ['bad range', { tierRules: [{ id: 'x', tier: 'low', when: { kind: 'countBetween', min: 3, max: 1 } }] }, 'tier rule x: min and max must be whole numbers with 0 ≤ min ≤ max'],
  ])('%s', (_name, over, message) => {
    expect(validateRiskConfig(resolveRiskConfig(over))).toContain(message);
  });
});
