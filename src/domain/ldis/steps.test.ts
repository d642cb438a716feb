import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STEP_RULES,
  STEP3_RISE_ALONE_RULE,
  initialStepState,
  neighboursToNotify,
  proposeStep,
  replaySteps,
  stepChanges,
  stepReducer,
  type StepAction,
  type StepInputs,
} from './steps';

const AS_OF = '2024-03-28';
const empty: StepInputs = { area: 'E08000025', asOf: AS_OF, countTriggers: [], exceedances: [], caseMatches: [], drugChecks: [] };
const strip = (date: string, positive = true) => ({ id: `DC-${date}`, date, method: 'test_strip' as const, nitazenePositive: positive });
const forensic = (date: string) => ({ id: `F-${date}`, date, method: 'police_forensic' as const, nitazenePositive: true });
const match = (level: 'suspected' | 'probable' | 'confirmed', eventDate: string, reportId = `R-${level}-${eventDate}`) => ({ reportId, level, eventDate });
const alarm = (indicator: string, periodStart: string) => ({ indicator, periodStart, count: 17, expected: 6.2, upperBound: 12.4 });
const trigger = (indicator: string, firedOn: string) => ({ id: `T-${indicator}`, indicator, firedOn, description: '3 overdoses in 24 hours' });

describe('proposeStep (default rules)', () => {
  it.each<[string, Partial<StepInputs>, number, string[]]>([
    ['nothing → Step 1', {}, 1, []],
    ['positive test strip today → Step 2', { drugChecks: [strip('2024-03-28')] }, 2, ['step2-drug-check']],
    ['positive test strip 27 days ago (edge of 28-day window) → Step 2', { drugChecks: [strip('2024-03-01')] }, 2, ['step2-drug-check']],
    ['positive test strip 28 days ago → Step 1', { drugChecks: [strip('2024-02-29')] }, 1, []],
    ['positive result dated after asOf is ignored', { drugChecks: [strip('2024-03-29')] }, 1, []],
    ['negative drug check → Step 1', { drugChecks: [strip('2024-03-20', false)] }, 1, []],
    ['confirmed case → Step 2', { caseMatches: [match('confirmed', '2024-03-20')] }, 2, ['step2-confirmed-case']],
    ['one probable case → Step 1', { caseMatches: [match('probable', '2024-03-20')] }, 1, []],
    [
      'two probable cases in 14 days → Step 2',
      { caseMatches: [match('probable', '2024-03-15'), match('probable', '2024-03-27')] },
      2,
      ['step2-probable-cases'],
    ],
    ['two probable, one 14 days old → Step 1', { caseMatches: [match('probable', '2024-03-14'), match('probable', '2024-03-27')] }, 1, []],
    ['suspected cases only → Step 1', { caseMatches: [match('suspected', '2024-03-27'), match('suspected', '2024-03-26')] }, 1, []],
    ['rise alone → Step 1 (default "and")', { exceedances: [alarm('non_fatal_overdose', '2024-03-25')] }, 1, []],
    [
      'confirmed case + overdose exceedance → Step 3',
      { caseMatches: [match('confirmed', '2024-03-20')], exceedances: [alarm('non_fatal_overdose', '2024-03-25')] },
      3,
      ['step3-confirmed-and-rise', 'step2-confirmed-case'],
    ],
    [
      'forensic nitazene + count trigger on deaths → Step 3',
      { drugChecks: [forensic('2024-03-10')], countTriggers: [trigger('death', '2024-03-27')] },
      3,
      ['step3-confirmed-and-rise', 'step2-drug-check'],
    ],
    [
      'test strip (not confirmatory) + exceedance → Step 2 only',
      { drugChecks: [strip('2024-03-10')], exceedances: [alarm('death', '2024-03-25')] },
      2,
      ['step2-drug-check'],
    ],
    [
      'confirmed case + exceedance 14 days old → Step 2',
      { caseMatches: [match('confirmed', '2024-03-20')], exceedances: [alarm('death', '2024-03-14')] },
      2,
      ['step2-confirmed-case'],
    ],
    [
      'confirmed case + exceedance 13 days old → Step 3',
      { caseMatches: [match('confirmed', '2024-03-20')], exceedances: [alarm('death', '2024-03-15')] },
      3,
      ['step3-confirmed-and-rise', 'step2-confirmed-case'],
    ],
    [
      'confirmed case + exceedance in an unrelated indicator → Step 2',
      { caseMatches: [match('confirmed', '2024-03-20')], exceedances: [alarm('community_naloxone_supply', '2024-03-25')] },
      2,
      ['step2-confirmed-case'],
    ],
  ])('%s', (_name, change, step, ruleIds) => {
    const p = proposeStep({ ...empty, ...change });
    expect(p.step).toBe(step);
    expect(p.reasons.map((r) => r.ruleId)).toEqual(ruleIds);
  });

  it('explains itself with the evidence', () => {
    const p = proposeStep({ ...empty, caseMatches: [match('confirmed', '2024-03-20', 'R9')], exceedances: [alarm('non_fatal_overdose', '2024-03-25')] });
    expect(p.summary).toBe('Step 3: confirmed presence of synthetic opioids together with a rise in overdoses or deaths.');
    expect(p.reasons[0]?.evidence).toEqual([
      'confirmed case R9 on 2024-03-20',
      '17 non fatal overdose in the period from 2024-03-25 against an expected 6.2; threshold 12.4',
    ]);
    expect(proposeStep(empty).summary).toBe('Step 1 (prepared): no trigger met.');
  });

  it('the seed\'s "or" reading can be configured', () => {
    const p = proposeStep({ ...empty, exceedances: [alarm('death', '2024-03-25')] }, [...DEFAULT_STEP_RULES, STEP3_RISE_ALONE_RULE]);
    expect(p.step).toBe(3);
    expect(p.reasons.map((r) => r.ruleId)).toEqual(['step3-rise-alone']);
  });

  it('rules are data: a stricter local rule', () => {
    const p = proposeStep({ ...empty, drugChecks: [strip('2024-03-20')] }, [
      { id: 'two-checks', step: 2, text: 'Two positive checks', when: { kind: 'drugCheckPositive', withinDays: 28, atLeast: 2 } },
    ]);
    expect(p.step).toBe(1);
  });

  it('rejects a bad asOf', () => {
    expect(() => proposeStep({ ...empty, asOf: '28/03/2024' })).toThrow(RangeError);
  });
});

describe('stepReducer (coordinator confirm/override over the history)', () => {
  const t0 = '2024-03-01T09:00:00Z';
  const s0 = initialStepState('E08000025', t0);
  const p2 = proposeStep({ ...empty, drugChecks: [strip('2024-03-20')] });
  const p3 = proposeStep({ ...empty, caseMatches: [match('confirmed', '2024-03-20')], exceedances: [alarm('death', '2024-03-25')] });
  const p1 = proposeStep(empty);

  it('a proposal waits; confirm applies it; history records both', () => {
    const r = replaySteps(s0, [
      { type: 'propose', at: '2024-03-28T10:00:00Z', proposal: p2 },
      { type: 'confirm', at: '2024-03-28T11:00:00Z', by: 'coordinator' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.current).toBe(2);
    expect(r.state.since).toBe('2024-03-28T11:00:00Z');
    expect(r.state.pending).toBeNull();
    expect(r.state.history.map((h) => [h.kind, h.previousStep, h.step])).toEqual([
      ['initial', 1, 1],
      ['proposed', 1, 2],
      ['confirmed', 1, 2],
    ]);
    expect(stepChanges(r.state)).toEqual([{ from: 1, to: 2, at: '2024-03-28T11:00:00Z', by: 'coordinator' }]);
  });

  it('a proposal alone never changes the step', () => {
    const r = stepReducer(s0, { type: 'propose', at: '2024-03-28T10:00:00Z', proposal: p3 });
    expect(r.ok && r.state.current).toBe(1);
    expect(r.ok && r.state.pending?.step).toBe(3);
  });

  it('the same proposal again refreshes the evidence without a new entry; agreeing evidence clears it', () => {
    const r = replaySteps(s0, [
      { type: 'propose', at: '2024-03-28T10:00:00Z', proposal: p2 },
      { type: 'propose', at: '2024-03-28T11:00:00Z', proposal: p2 },
    ]);
    expect(r.ok && r.state.history.length).toBe(2);
    const cleared = replaySteps(s0, [
      { type: 'propose', at: '2024-03-28T10:00:00Z', proposal: p2 },
      { type: 'propose', at: '2024-03-29T10:00:00Z', proposal: p1 },
    ]);
    expect(cleared.ok && cleared.state.pending).toBeNull();
  });

  it('override with a reason sets any step, also against the proposal; keeping the step dismisses it', () => {
    const r = replaySteps(s0, [
      { type: 'propose', at: '2024-03-28T10:00:00Z', proposal: p3 },
      { type: 'override', at: '2024-03-28T11:00:00Z', by: 'coordinator', step: 2, reason: 'forensics pending; rise explained by one venue' },
    ]);
    expect(r.ok && r.state.current).toBe(2);
    expect(r.ok && r.state.history[2]).toMatchObject({ kind: 'overridden', step: 2, previousStep: 1, proposal: { step: 3 } });
    const dismissed = replaySteps(s0, [
      { type: 'propose', at: '2024-03-28T10:00:00Z', proposal: p2 },
      { type: 'override', at: '2024-03-28T11:00:00Z', by: 'c', step: 1, reason: 'test strip false positive (cross-reactivity)' },
    ]);
    expect(dismissed.ok && [dismissed.state.current, dismissed.state.pending, dismissed.state.since]).toEqual([1, null, t0]);
    expect(dismissed.ok && stepChanges(dismissed.state)).toEqual([]);
  });

  it('stepping down is proposed and confirmed like stepping up', () => {
    const r = replaySteps(s0, [
      { type: 'override', at: '2024-03-02T09:00:00Z', by: 'c', step: 3, reason: 'SCG stood up' },
      { type: 'propose', at: '2024-04-30T09:00:00Z', proposal: { ...p1, asOf: '2024-04-30' } },
      { type: 'confirm', at: '2024-04-30T10:00:00Z', by: 'c' },
    ]);
    expect(r.ok && r.state.current).toBe(1);
  });

  it.each<[string, StepAction[], string]>([
    ['confirm with nothing pending', [{ type: 'confirm', at: '2024-03-28T11:00:00Z', by: 'c' }], 'no_proposal'],
    ['override without a reason', [{ type: 'override', at: '2024-03-28T11:00:00Z', by: 'c', step: 2, reason: ' ' }], 'missing_reason'],
    ['override without an actor', [{ type: 'override', at: '2024-03-28T11:00:00Z', by: '', step: 2, reason: 'x' }], 'missing_actor'],
    ['act before the last entry', [{ type: 'override', at: '2024-02-28T11:00:00Z', by: 'c', step: 2, reason: 'x' }], 'time_order'],
    ['a proposal for another area', [{ type: 'propose', at: '2024-03-28T11:00:00Z', proposal: { ...p2, area: 'E08000026' } }], 'wrong_area'],
  ])('refuses to %s', (_name, actions, code) => {
    const r = replaySteps(s0, actions);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});

describe('neighboursToNotify', () => {
  const adjacency = { A: ['B', 'C'], D: ['A'] };
  it('notifies neighbours both ways when the step changes, nobody when it does not', () => {
    expect(neighboursToNotify('A', 1, 2, adjacency)).toEqual(['B', 'C', 'D']);
    expect(neighboursToNotify('B', 2, 1, adjacency)).toEqual(['A']);
    expect(neighboursToNotify('A', 2, 2, adjacency)).toEqual([]);
  });
});
