import { describe, expect, it } from 'vitest';
import { days, defaultRiskConfig, months, resolveRiskConfig, type RiskConfig } from './config';
import {
  FLAG_RULES,
  depressantCoUse,
  health,
  housing,
  injecting,
  loweredTolerance,
  noNaloxone,
  onTop,
  potentOpioid,
  recentOverdose,
  riskContext,
  treatmentTransition,
  type FlagRule,
} from './flags';
import { AS_OF, daysAgo, episode, event, mat, monthsAgo, naloxone, person, quietInput, test, top } from './test-factories';
import type { RiskInput } from './types';

function run(rule: FlagRule, over: Partial<RiskInput>, asOf = AS_OF, config: RiskConfig = defaultRiskConfig) {
  return rule(quietInput(over), riskContext(asOf, config));
}

/** `null` = flag not raised; otherwise whether it is critical. */
type Expect = null | { critical: boolean };
const raised = (f: ReturnType<FlagRule>): Expect => (f === null ? null : { critical: f.critical });
const NOT = null;
const YES = { critical: false };
const CRIT = { critical: true };

describe('riskContext', () => {
  it('rejects an invalid date', () => {
    expect(() => riskContext('2024-02-30')).toThrow(RangeError);
  });
  it('computes inclusive lower bounds', () => {
    const ctx = riskContext(AS_OF);
    expect(ctx.asOfDay - ctx.bounds.evidence).toBe(91);
    expect(ctx.asOfDay - ctx.bounds.naloxone).toBe(365);
    expect(ctx.asOfDay - ctx.bounds.releaseCritical).toBe(14);
  });
});

describe('lowered_tolerance: release 4 weeks, critical 2 weeks (days)', () => {
  it.each<[string, string, Expect]>([
    ['released today', daysAgo(0), CRIT],
    ['released 14 days ago', daysAgo(14), CRIT],
    ['released 15 days ago', daysAgo(15), YES],
    ['released 28 days ago', daysAgo(28), YES],
    ['released 29 days ago', daysAgo(29), NOT],
    ['release dated tomorrow (ignored)', daysAgo(-1), NOT],
  ])('%s', (_name, date, want) => {
    expect(raised(run(loweredTolerance, { riskEvents: [event(date, 'prison_release')] }))).toEqual(want);
  });

  it.each<[string, Expect]>([
    ['prison_release', CRIT],
    ['hospital_discharge', CRIT],
    ['rehab_discharge', CRIT],
    ['bereavement', NOT],
    ['non_fatal_overdose', NOT],
  ])('%s counts?', (type, want) => {
    const f = run(loweredTolerance, { riskEvents: [event(daysAgo(3), type as 'prison_release')] });
    expect(raised(f)).toEqual(want);
  });

  it('critical is decided by the most recent release; evidence newest first', () => {
    const a = event(daysAgo(20), 'prison_release');
    const b = event(daysAgo(10), 'hospital_discharge');
    const f = run(loweredTolerance, { riskEvents: [a, b] });
    expect(f?.critical).toBe(true);
    expect(f?.evidence.map((e) => e.id)).toEqual([b.event_id, a.event_id]);
    expect(f?.reason).toContain('discharge from hospital');
    expect(f?.reason).toContain('10 days ago');
  });

  it('follows a configured window', () => {
    const cfg = resolveRiskConfig({ releaseWindow: days(42), releaseCriticalWindow: days(7) });
    expect(raised(run(loweredTolerance, { riskEvents: [event(daysAgo(8), 'prison_release')] }, AS_OF, cfg))).toEqual(YES);
    expect(raised(run(loweredTolerance, { riskEvents: [event(daysAgo(42), 'prison_release')] }, AS_OF, cfg))).toEqual(YES);
    expect(raised(run(loweredTolerance, { riskEvents: [event(daysAgo(43), 'prison_release')] }, AS_OF, cfg))).toEqual(NOT);
  });
});

describe('recent_overdose: 12 months, critical 3 months (calendar months)', () => {
  it.each<[string, string, string, Expect]>([
    ['today', AS_OF, AS_OF, CRIT],
    ['exactly 3 months ago', AS_OF, '2024-03-15', CRIT],
    ['3 months + 1 day ago', AS_OF, '2024-03-14', YES],
    ['exactly 12 months ago', AS_OF, '2023-06-15', YES],
    ['12 months + 1 day ago', AS_OF, '2023-06-14', NOT],
    ['tomorrow (ignored)', AS_OF, '2024-06-16', NOT],
    // month-end clamping: 3 months before 31 May 2024 is 29 Feb 2024
    ['31 May: 29 Feb is exactly 3 months', '2024-05-31', '2024-02-29', CRIT],
    ['31 May: 28 Feb is 3 months + 1 day', '2024-05-31', '2024-02-28', YES],
    ['29 Feb 2024: 28 Feb 2023 is exactly 12 months', '2024-02-29', '2023-02-28', YES],
    ['29 Feb 2024: 27 Feb 2023 is 12 months + 1 day', '2024-02-29', '2023-02-27', NOT],
  ])('%s', (_name, asOf, date, want) => {
    expect(raised(run(recentOverdose, { riskEvents: [event(date, 'non_fatal_overdose')] }, asOf))).toEqual(want);
  });

  it('3 months is calendar months, not 91 days', () => {
    // 2024-03-15 is 92 days before 2024-06-15 but exactly 3 calendar months.
    expect(raised(run(recentOverdose, { riskEvents: [event(daysAgo(92), 'non_fatal_overdose')] }))).toEqual(CRIT);
  });

  it('ignores other event types and cites every overdose in the window', () => {
    expect(run(recentOverdose, { riskEvents: [event(daysAgo(5), 'self_harm')] })).toBeNull();
    const f = run(recentOverdose, {
      riskEvents: [event(monthsAgo(6), 'non_fatal_overdose'), event(monthsAgo(1), 'non_fatal_overdose'), event(monthsAgo(13), 'non_fatal_overdose')],
    });
    expect(f?.evidence).toHaveLength(2);
    expect(f?.evidence[0]?.date).toBe(monthsAgo(1));
    expect(f?.reason).toContain('2 in the last 12 months');
  });

  it('follows windows configured in days', () => {
    const cfg = resolveRiskConfig({ overdoseWindow: days(365), overdoseCriticalWindow: days(91) });
    expect(raised(run(recentOverdose, { riskEvents: [event(daysAgo(91), 'non_fatal_overdose')] }, AS_OF, cfg))).toEqual(CRIT);
    expect(raised(run(recentOverdose, { riskEvents: [event(daysAgo(92), 'non_fatal_overdose')] }, AS_OF, cfg))).toEqual(YES);
    expect(raised(run(recentOverdose, { riskEvents: [event(daysAgo(366), 'non_fatal_overdose')] }, AS_OF, cfg))).toEqual(NOT);
  });
});

describe('depressant_co_use: alcohol thresholds and tests in the evidence window', () => {
  it.each<[string, Partial<Parameters<typeof top>[1]>, Expect]>([
    ['alcohol 20 of 28 days', { alcohol_days: 20, alcohol_units: 4 }, NOT],
    ['alcohol 21 of 28 days', { alcohol_days: 21, alcohol_units: 4 }, YES],
    ['alcohol 28 of 28 days', { alcohol_days: 28, alcohol_units: 4 }, YES],
    ['14 units on a drinking day', { alcohol_days: 3, alcohol_units: 14 }, NOT],
    ['15 units on a drinking day', { alcohol_days: 3, alcohol_units: 15 }, YES],
    ['14.5 units on a drinking day', { alcohol_days: 3, alcohol_units: 14.5 }, YES],
    ['15 units but no drinking days recorded as 0', { alcohol_days: 0, alcohol_units: 15 }, NOT],
    ['15 units, drinking days unknown', { alcohol_days: null, alcohol_units: 15 }, YES],
    ['nothing recorded', { alcohol_days: null, alcohol_units: null }, NOT],
  ])('%s', (_name, over, want) => {
    expect(raised(run(depressantCoUse, { tops: [top(daysAgo(10), over)] }))).toEqual(want);
  });

  it.each<[string, number, Expect]>([
    ['TOP 91 days ago (inside the evidence window)', 91, YES],
    ['TOP 92 days ago (outside)', 92, NOT],
    ['TOP dated tomorrow (ignored)', -1, NOT],
  ])('%s', (_name, ago, want) => {
    expect(raised(run(depressantCoUse, { tops: [top(daysAgo(ago), { alcohol_days: 25 })] }))).toEqual(want);
  });

  it('any TOP in the window counts, not only the latest', () => {
    const f = run(depressantCoUse, { tops: [top(daysAgo(80), { alcohol_days: 25 }), top(daysAgo(5), { alcohol_days: 0 })] });
    expect(raised(f)).toEqual(YES);
  });

  it.each<[string, Parameters<typeof test>, Expect]>([
    ['benzodiazepine positive 91 days ago', [daysAgo(91), 'benzodiazepine'], YES],
    ['benzodiazepine positive 92 days ago', [daysAgo(92), 'benzodiazepine'], NOT],
    ['gabapentinoid positive', [daysAgo(3), 'gabapentinoid'], YES],
    ['benzodiazepine negative', [daysAgo(3), 'benzodiazepine', 'negative'], NOT],
    ['cocaine positive (not a depressant)', [daysAgo(3), 'cocaine'], NOT],
    ['alcohol positive test (not in the default list)', [daysAgo(3), 'alcohol'], NOT],
  ])('%s', (_name, args, want) => {
    expect(raised(run(depressantCoUse, { drugTests: [test(...args)] }))).toEqual(want);
  });

  it('follows configured thresholds', () => {
    const cfg = resolveRiskConfig({ alcoholDaysAbove: 10, alcoholUnitsAbove: 8 });
    expect(raised(run(depressantCoUse, { tops: [top(daysAgo(1), { alcohol_days: 11 })] }, AS_OF, cfg))).toEqual(YES);
    expect(raised(run(depressantCoUse, { tops: [top(daysAgo(1), { alcohol_days: 2, alcohol_units: 9 })] }, AS_OF, cfg))).toEqual(YES);
  });

  it('cites the records, newest first', () => {
    const t = top(daysAgo(40), { alcohol_days: 22, alcohol_units: 16 });
    const d = test(daysAgo(2), 'benzodiazepine');
    const f = run(depressantCoUse, { tops: [t], drugTests: [d] });
    expect(f?.evidence).toEqual([
      { kind: 'drug_test', id: d.test_id, date: d.date, detail: 'benzodiazepine positive' },
      { kind: 'top', id: t.top_id, date: t.date, detail: 'alcohol_days=22, alcohol_units=16' },
    ]);
  });
});

describe('no_naloxone: 365 days (365 ago protects, 366 does not)', () => {
  it.each<[string, Parameters<typeof naloxone> | null, Expect]>([
    ['supplied today', [daysAgo(0)], NOT],
    ['supplied 365 days ago', [daysAgo(365)], NOT],
    ['supplied 366 days ago', [daysAgo(366)], YES],
    ['never supplied', null, YES],
    ['supplied tomorrow (ignored)', [daysAgo(-1)], YES],
    ['supplied to family, not the person', [daysAgo(10), { recipient: 'family' }], YES],
    ['recipient not recorded', [daysAgo(10), { recipient: null }], NOT],
    ['invalid date', ['2024-02-30'], YES],
  ])('%s', (_name, args, want) => {
    const f = run(noNaloxone, { naloxone: args ? [naloxone(...args)] : [] });
    expect(raised(f)).toEqual(want);
  });

  it('is never critical and cites the last supply before the window', () => {
    const old = naloxone(daysAgo(400));
    const older = naloxone(daysAgo(900));
    const f = run(noNaloxone, { naloxone: [older, old] });
    expect(f?.critical).toBe(false);
    expect(f?.evidence.map((e) => e.id)).toEqual([old.supply_id]);
    expect(f?.reason).toContain(`last supply ${old.date}`);
  });

  it('across a leap day: 2025-03-01 counts supplies from 2024-03-01', () => {
    expect(raised(run(noNaloxone, { naloxone: [naloxone('2024-03-01')] }, '2025-03-01'))).toEqual(NOT);
    expect(raised(run(noNaloxone, { naloxone: [naloxone('2024-02-29')] }, '2025-03-01'))).toEqual(YES);
  });
});

describe('injecting: latest TOP in the evidence window, or status current', () => {
  it.each<[string, Partial<RiskInput>, Expect]>([
    ['latest TOP injecting 91 days ago', { tops: [top(daysAgo(91), { injecting_days: 4 })] }, YES],
    ['latest TOP injecting 92 days ago', { tops: [top(daysAgo(92), { injecting_days: 4 })] }, NOT],
    ['latest TOP no injecting, earlier TOP injecting', { tops: [top(daysAgo(60), { injecting_days: 4 }), top(daysAgo(5), { injecting_days: 0 })] }, NOT],
    ['two TOPs on the latest date, one injecting', { tops: [top(daysAgo(5), { injecting_days: 0 }), top(daysAgo(5), { injecting_days: 1 })] }, YES],
    ['injecting days unknown', { tops: [top(daysAgo(5), { injecting_days: null })] }, NOT],
    ['status current, no TOP', { tops: [], person: person({ injecting_status: 'C' }) }, YES],
    ['status previous', { tops: [], person: person({ injecting_status: 'P' }) }, NOT],
    ['status unknown', { tops: [], person: person({ injecting_status: 'Z' }) }, NOT],
    ['future TOP ignored; latest real TOP has no injecting', { tops: [top(daysAgo(-3), { injecting_days: 9 }), top(daysAgo(3))] }, NOT],
  ])('%s', (_name, over, want) => {
    expect(raised(run(injecting, over))).toEqual(want);
  });

  it('cites both sources when both apply', () => {
    const t = top(daysAgo(7), { injecting_days: 12 });
    const f = run(injecting, { tops: [t], person: person({ injecting_status: 'C' }) });
    expect(f?.evidence).toEqual([
      { kind: 'top', id: t.top_id, date: t.date, detail: 'injecting_days=12' },
      { kind: 'person', id: 'P1', date: null, detail: 'injecting_status=C' },
    ]);
  });
});

describe('potent_opioid: fentanyl or nitazene positive in 12 months (critical)', () => {
  it.each<[string, Parameters<typeof test>, Expect]>([
    ['nitazene today', [AS_OF, 'nitazene'], CRIT],
    ['fentanyl exactly 12 months ago', [monthsAgo(12), 'fentanyl'], CRIT],
    ['fentanyl 12 months + 1 day ago', [addDay(monthsAgo(12), -1), 'fentanyl'], NOT],
    ['nitazene negative', [daysAgo(3), 'nitazene', 'negative'], NOT],
    ['heroin positive', [daysAgo(3), 'heroin_6mam'], NOT],
    ['xylazine positive (not an opioid)', [daysAgo(3), 'xylazine'], NOT],
  ])('%s', (_name, args, want) => {
    expect(raised(run(potentOpioid, { drugTests: [test(...args)] }))).toEqual(want);
  });

  it('can be configured not critical', () => {
    const cfg = resolveRiskConfig({ potentOpioidCritical: false });
    expect(raised(run(potentOpioid, { drugTests: [test(daysAgo(3), 'nitazene')] }, AS_OF, cfg))).toEqual(YES);
  });
});

function addDay(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe('housing: latest TOP acute housing, or housing nfa/street/hmo', () => {
  it.each<[string, Partial<RiskInput>, Expect]>([
    ['latest TOP acute housing', { tops: [top(daysAgo(10), { acute_housing: true })] }, YES],
    ['earlier TOP acute, latest not', { tops: [top(daysAgo(50), { acute_housing: true }), top(daysAgo(10))] }, NOT],
    ['latest TOP 2 years old with acute housing (no window by default)', { tops: [top(monthsAgo(24), { acute_housing: true })] }, YES],
    ['acute housing unknown', { tops: [top(daysAgo(10), { acute_housing: null })] }, NOT],
    ['housing nfa', { person: person({ housing: 'nfa' }) }, YES],
    ['housing street', { person: person({ housing: 'street' }) }, YES],
    ['housing hmo', { person: person({ housing: 'hmo' }) }, YES],
    ['housing unsettled', { person: person({ housing: 'unsettled' }) }, NOT],
    ['housing settled', { person: person({ housing: 'settled' }) }, NOT],
  ])('%s', (_name, over, want) => {
    expect(raised(run(housing, over))).toEqual(want);
  });

  it('an old TOP stops counting when a TOP window is configured', () => {
    const cfg = resolveRiskConfig({ housingTopWindow: days(91) });
    expect(raised(run(housing, { tops: [top(daysAgo(92), { acute_housing: true })] }, AS_OF, cfg))).toEqual(NOT);
    expect(raised(run(housing, { tops: [top(daysAgo(91), { acute_housing: true })] }, AS_OF, cfg))).toEqual(YES);
  });
});

describe('health: respiratory, suicidal ideation, self-harm, crisis in 12 months', () => {
  it.each<[string, Parameters<typeof event>, Expect]>([
    ['suicidal ideation last week', [daysAgo(7), 'suicidal_ideation'], YES],
    ['self-harm exactly 12 months ago', [monthsAgo(12), 'self_harm'], YES],
    ['mental-health crisis 12 months + 1 day ago', [addDay(monthsAgo(12), -1), 'mental_health_crisis'], NOT],
    ['respiratory disease', [daysAgo(100), 'respiratory_disease'], YES],
    ['bereavement (not a health event)', [daysAgo(7), 'bereavement'], NOT],
  ])('%s', (_name, args, want) => {
    expect(raised(run(health, { riskEvents: [event(...args)] }))).toEqual(want);
  });
});

describe('treatment_transition', () => {
  it.each<[string, Partial<RiskInput>, Expect]>([
    ['stage MAT1', { mat: mat({ stage: 'MAT1', inMatStartDate: daysAgo(10) }) }, YES],
    ['started 28 days ago', { mat: mat({ stage: 'MAT3', inMatStartDate: daysAgo(28) }) }, YES],
    ['started 29 days ago', { mat: mat({ stage: 'MAT3', inMatStartDate: daysAgo(29) }) }, NOT],
    ['days in treatment 28 (no start date)', { mat: mat({ stage: 'MAT2', inMatStartDate: null, daysInTreatment: 28 }) }, YES],
    ['days in treatment 29 (no start date)', { mat: mat({ stage: 'MAT2', inMatStartDate: null, daysInTreatment: 29 }) }, NOT],
    ['reducing below OG', { mat: mat({ regime: 'reducing', ogBand: 'below' }) }, YES],
    ['reducing at/above OG', { mat: mat({ regime: 'reducing', ogBand: 'at_or_above' }) }, NOT],
    ['static below OG', { mat: mat({ regime: 'static', ogBand: 'below' }) }, NOT],
    ['detox below OG (MAT 4; not by default)', { mat: mat({ stage: 'MAT4', regime: 'detox', ogBand: 'below' }) }, NOT],
    ['not in MAT', { mat: mat({ stage: null, regime: 'reducing', ogBand: 'below', inMatStartDate: daysAgo(3) }) }, NOT],
    ['no MAT facts', { mat: null }, NOT],
    ['episode ended 28 days ago', { episodes: [episode(daysAgo(300), daysAgo(28), 'unplanned')] }, YES],
    ['episode ended 29 days ago', { episodes: [episode(daysAgo(300), daysAgo(29), 'unplanned')] }, NOT],
    ['episode ends tomorrow', { episodes: [episode(daysAgo(300), daysAgo(-1), 'planned')] }, NOT],
    ['episode open', { episodes: [episode(daysAgo(300), null)] }, NOT],
    ['episode transferred 5 days ago (counts by default)', { episodes: [episode(daysAgo(300), daysAgo(5), 'transferred')] }, YES],
  ])('%s', (_name, over, want) => {
    expect(raised(run(treatmentTransition, over))).toEqual(want);
  });

  it('detox below OG counts when configured', () => {
    const cfg = resolveRiskConfig({ transitionRegimes: ['reducing', 'detox'] });
    const f = run(treatmentTransition, { mat: mat({ stage: 'MAT4', regime: 'detox', ogBand: 'below' }) }, AS_OF, cfg);
    expect(raised(f)).toEqual(YES);
  });

  it('excluded exit reasons do not count', () => {
    const cfg = resolveRiskConfig({ episodeEndedExcludedExitReasons: ['transferred'] });
    const f = run(treatmentTransition, { episodes: [episode(daysAgo(300), daysAgo(5), 'transferred')] }, AS_OF, cfg);
    expect(f).toBeNull();
  });

  it('a longer induction window follows the configuration', () => {
    const cfg = resolveRiskConfig({ inductionWindow: months(2) });
    expect(raised(run(treatmentTransition, { mat: mat({ inMatStartDate: monthsAgo(2) }) }, AS_OF, cfg))).toEqual(YES);
  });

  it('combines the parts with evidence for each', () => {
    const ep = episode(daysAgo(300), daysAgo(3), 'unplanned');
    const f = run(treatmentTransition, {
      mat: mat({ stage: 'MAT1', inMatStartDate: daysAgo(2), regime: 'reducing', ogBand: 'below', prescriptionId: 'RX9' }),
      episodes: [ep],
    });
    expect(f?.evidence.map((e) => `${e.kind}:${e.id}`)).toEqual(['prescription:RX9', 'prescription:RX9', `episode:${ep.episode_id}`]);
    expect(f?.reason).toContain('first 28 days of OST');
    expect(f?.reason).toContain('reducing prescription below OG');
    expect(f?.reason).toContain('episode ended');
  });
});

describe('on_top: MAT 2', () => {
  it.each<[string, Partial<RiskInput>, Expect]>([
    ['MAT2', { mat: mat({ stage: 'MAT2' }) }, YES],
    ['MAT3', { mat: mat({ stage: 'MAT3' }) }, NOT],
    ['MAT1 (induction decides first)', { mat: mat({ stage: 'MAT1' }) }, NOT],
    ['uncategorised', { mat: mat({ stage: 'uncategorised' }) }, NOT],
    ['not in MAT', { mat: mat({ stage: null }) }, NOT],
  ])('%s', (_name, over, want) => {
    expect(raised(run(onTop, over))).toEqual(want);
  });

  it('cites the latest evidence in the window when MAT passes none', () => {
    const old = top(daysAgo(40), { opiate_days: 20 });
    const latest = top(daysAgo(6), { opiate_days: 12 });
    const heroin = test(daysAgo(6), 'heroin_6mam');
    const methadone = test(daysAgo(6), 'methadone'); // prescribed: not cited
    const f = run(onTop, { mat: mat({ stage: 'MAT2' }), tops: [old, latest], drugTests: [heroin, methadone] });
    expect(f?.evidence.map((e) => `${e.kind}:${e.id}`)).toEqual([`top:${latest.top_id}`, `drug_test:${heroin.test_id}`, 'prescription:RX1']);
    expect(f?.reason).toContain(latest.date);
  });

  it('uses the evidence MAT passes', () => {
    const stageEvidence = [{ kind: 'drug_test' as const, id: 'D77', date: daysAgo(4), detail: 'fentanyl positive' }];
    const f = run(onTop, { mat: mat({ stage: 'MAT2', stageEvidence, prescriptionId: null }) });
    expect(f?.evidence).toEqual(stageEvidence);
  });
});

describe('a quiet person raises no flag', () => {
  it.each(Object.entries(FLAG_RULES))('%s', (_code, rule) => {
    expect(run(rule, {})).toBeNull();
  });
});
