import { describe, expect, it } from 'vitest';
import { defaultRiskConfig, resolveRiskConfig } from './config';
import { newFlagsSince, riskProfile, toReportEntry } from './profile';
import { AS_OF, daysAgo, episode, event, mat, monthsAgo, naloxone, person, quietInput, test, top } from './test-factories';
import { FLAG_CODES, type RiskInput } from './types';

describe('riskProfile', () => {
  it('a quiet person is Low with no flags and one reason (the rule)', () => {
    const p = riskProfile(quietInput(), AS_OF);
    expect(p.tier).toBe('low');
    expect(p.flags).toEqual([]);
    expect(p.rule.id).toBe('low-none');
    expect(p.reasons).toEqual(['Low: no risk flags (no_naloxone is shown but not counted) [rule low-none]']);
    expect(p.actions).toEqual([]);
  });

  it('no naloxone alone: flag shown with actions, tier stays Low', () => {
    const p = riskProfile(quietInput({ naloxone: [] }), AS_OF);
    expect(p.flags.map((f) => f.code)).toEqual(['no_naloxone']);
    expect(p.counted).toEqual([]);
    expect(p.tier).toBe('low');
    expect(p.actions[0]?.flag).toBe('no_naloxone');
    expect(p.actions[0]?.actions.map((a) => a.id)).toContain('no_naloxone.supply');
  });

  it.each<[string, Partial<RiskInput>, 'high' | 'medium' | 'low']>([
    ['release 14 days ago → High (critical)', { riskEvents: [event(daysAgo(14), 'prison_release')] }, 'high'],
    ['release 15 days ago → Medium', { riskEvents: [event(daysAgo(15), 'prison_release')] }, 'medium'],
    ['release 29 days ago → Low', { riskEvents: [event(daysAgo(29), 'prison_release')] }, 'low'],
    ['overdose exactly 3 months ago → High', { riskEvents: [event(monthsAgo(3), 'non_fatal_overdose')] }, 'high'],
    ['overdose 3 months + 1 day ago → Medium', { riskEvents: [event(daysAgo(1, monthsAgo(3)), 'non_fatal_overdose')] }, 'medium'],
    ['nitazene positive 11 months ago → High', { drugTests: [test(monthsAgo(11), 'nitazene')] }, 'high'],
    [
      'two flags + no naloxone → Medium',
      { person: person({ housing: 'street', injecting_status: 'C' }), naloxone: [naloxone(daysAgo(366))] },
      'medium',
    ],
    [
      'three flags → High',
      { person: person({ housing: 'street', injecting_status: 'C' }), mat: mat({ stage: 'MAT2' }) },
      'high',
    ],
  ])('%s', (_name, over, tier) => {
    expect(riskProfile(quietInput(over), AS_OF).tier).toBe(tier);
  });

  it('lists flags in FLAG_CODES order with reasons and actions for each', () => {
    const input = quietInput({
      person: person({ housing: 'nfa' }),
      mat: mat({ stage: 'MAT2', regime: 'reducing', ogBand: 'below', doseMg: 30 }),
      tops: [top(daysAgo(10), { opiate_days: 14, injecting_days: 3, alcohol_days: 25 })],
      riskEvents: [event(daysAgo(40), 'non_fatal_overdose'), event(daysAgo(3), 'hospital_discharge')],
      naloxone: [],
    });
    const p = riskProfile(input, AS_OF);
    const codes = p.flags.map((f) => f.code);
    expect(codes).toEqual([
      'on_top',
      'injecting',
      'depressant_co_use',
      'recent_overdose',
      'lowered_tolerance',
      'treatment_transition',
      'housing',
      'no_naloxone',
    ]);
    expect(codes).toEqual(FLAG_CODES.filter((c) => codes.includes(c)));
    expect(p.critical).toEqual(['recent_overdose', 'lowered_tolerance']);
    expect(p.counted).toEqual(codes.filter((c) => c !== 'no_naloxone'));
    expect(p.tier).toBe('high');
    expect(p.rule.id).toBe('high-critical');
    expect(p.reasons).toHaveLength(codes.length + 1);
    expect(p.reasons[0]).toMatch(/^High: any critical flag/);
    expect(p.actions.map((a) => a.flag)).toEqual(codes);
    const onTop = p.actions.find((a) => a.flag === 'on_top')?.actions.map((a) => a.id) ?? [];
    expect(onTop).toEqual(expect.arrayContaining(['on_top.optimise_dose', 'on_top.restabilise', 'on_top.supervised_consumption', 'on_top.naloxone', 'on_top.increase_review']));
  });

  it('history after the profile date is ignored (a profile for a past date)', () => {
    const input = quietInput({ riskEvents: [event('2024-07-01', 'prison_release')] });
    expect(riskProfile(input, AS_OF).tier).toBe('low');
    expect(riskProfile(input, '2024-07-10').tier).toBe('high');
  });

  it('takes effect of a changed configuration at once', () => {
    const input = quietInput({ riskEvents: [event(daysAgo(20), 'prison_release')] });
    expect(riskProfile(input, AS_OF).tier).toBe('medium');
    const cfg = resolveRiskConfig({ releaseCriticalWindow: { amount: 21, unit: 'days' } });
    expect(riskProfile(input, AS_OF, cfg).tier).toBe('high');
    expect(riskProfile(input, AS_OF, defaultRiskConfig).tier).toBe('medium');
  });

  it('is deterministic and does not mutate its input', () => {
    const input = quietInput({ tops: [top(daysAgo(3), { injecting_days: 2 }), top(daysAgo(50))], naloxone: [] });
    const snapshot = JSON.stringify(input);
    const a = riskProfile(input, AS_OF);
    const b = riskProfile(input, AS_OF);
    expect(a).toEqual(b);
    expect(JSON.stringify(input)).toBe(snapshot);
  });
});

describe('report entries and caseload helpers', () => {
  it('toReportEntry uses the domain §2 codes', () => {
    const input = quietInput({ person: person({ person_id: 'P9', service_id: 'S2', injecting_status: 'C' }), naloxone: [] });
    const entry = toReportEntry(input.person, riskProfile(input, AS_OF));
    expect(entry).toEqual({
      person_id: 'P9',
      service_id: 'S2',
      tier: 'medium',
      flags: ['injecting', 'no_naloxone'],
      critical: [],
      reasons: [
        'Medium: 1–2 risk flags (no_naloxone is shown but not counted) [rule medium-count]',
        'Injecting: injecting status is current',
        'No take-home naloxone supplied to the person in the last 365 days (none on record)',
      ],
    });
  });

  it('newFlagsSince shows flags that appeared since an earlier date', () => {
    const input = quietInput({ riskEvents: [event(daysAgo(2), 'self_harm')], episodes: [episode(daysAgo(400), daysAgo(1), 'unplanned')] });
    const now = riskProfile(input, AS_OF);
    const lastWeek = riskProfile(input, daysAgo(7));
    expect(newFlagsSince(now, lastWeek)).toEqual(['treatment_transition', 'health']);
    expect(newFlagsSince(now, null)).toEqual(['treatment_transition', 'health']);
  });
});
