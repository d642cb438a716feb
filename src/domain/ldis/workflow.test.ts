import { describe, expect, it } from 'vitest';
import {
  GRADING_QUESTIONS,
  allowedActions,
  applyWorkflow,
  canCirculate,
  newReportWorkflow,
  replayWorkflow,
  slaStatus,
  suggestDecision,
  validateGrading,
  type GradingAnswers,
  type ReportWorkflow,
  type WorkflowAction,
} from './workflow';

const RECEIVED = '2024-03-01T10:00:00Z';
const answers: GradingAnswers = {
  local_relevance: 'occurred_here',
  geographic_extent: 'one_area',
  likelihood_of_spread: 'high',
  plausibility: 'consistent',
  source_type: 'professional_direct',
};
const assess = (at: string): WorkflowAction => ({ type: 'assess', at, by: 'coord', answers });
const decide = (at: string, decision: 'no_further_action' | 'share_for_information' | 'formal_alert' = 'formal_alert'): WorkflowAction => ({
  type: 'decide',
  at,
  by: 'coord',
  decision,
  rationale: 'three linked overdoses, nitazene suspected',
});

function run(actions: WorkflowAction[]): ReportWorkflow {
  const r = replayWorkflow(RECEIVED, actions);
  if (!r.ok) throw new Error(`${r.index}: ${r.error.message}`);
  return r.state;
}

describe('transitions', () => {
  it('the happy path: received → assessed → decided → issued → closed', () => {
    const s = run([
      assess('2024-03-01T12:00:00Z'),
      decide('2024-03-01T15:00:00Z'),
      { type: 'issue', at: '2024-03-01T16:00:00Z', by: 'coord' },
      { type: 'close', at: '2024-03-10T09:00:00Z', by: 'coord', reason: 'completed' },
    ]);
    expect(s.status).toBe('closed');
    expect(s.history.map((h) => `${h.from}→${h.to}`)).toEqual([
      'received→assessed',
      'assessed→decided',
      'decided→issued',
      'issued→closed',
    ]);
    expect(s.history[1]?.detail).toBe('formal_alert: three linked overdoses, nitazene suspected');
  });

  it('no further action is closed directly, never issued', () => {
    const s = run([assess('2024-03-01T12:00:00Z'), decide('2024-03-01T13:00:00Z', 'no_further_action')]);
    expect(allowedActions(s)).toEqual(['decide', 'close']);
    expect(applyWorkflow(s, { type: 'issue', at: '2024-03-01T14:00:00Z', by: 'coord' })).toMatchObject({
      ok: false,
      error: { code: 'not_circulable' },
    });
    expect(applyWorkflow(s, { type: 'close', at: '2024-03-01T14:00:00Z', by: 'coord', reason: 'completed' }).ok).toBe(true);
  });

  it.each<[string, WorkflowAction[], WorkflowAction, string]>([
    ['decide before assessing', [], decide('2024-03-01T11:00:00Z'), 'invalid_transition'],
    ['issue before deciding', [assess('2024-03-01T11:00:00Z')], { type: 'issue', at: '2024-03-01T12:00:00Z', by: 'c' }, 'invalid_transition'],
    ['close as completed before a decision', [], { type: 'close', at: '2024-03-01T11:00:00Z', by: 'c', reason: 'completed' }, 'decision_required'],
    [
      'close an alert as completed before issuing it',
      [assess('2024-03-01T11:00:00Z'), decide('2024-03-01T12:00:00Z')],
      { type: 'close', at: '2024-03-01T13:00:00Z', by: 'c', reason: 'completed' },
      'issue_required',
    ],
    ['assess with a missing answer', [], { type: 'assess', at: '2024-03-01T11:00:00Z', by: 'c', answers: { ...answers, plausibility: '' } }, 'invalid_grading'],
    ['assess with an invalid option', [], { type: 'assess', at: '2024-03-01T11:00:00Z', by: 'c', answers: { ...answers, source_type: 'gossip' } }, 'invalid_grading'],
    ['decide without a rationale', [assess('2024-03-01T11:00:00Z')], { type: 'decide', at: '2024-03-01T12:00:00Z', by: 'c', decision: 'formal_alert', rationale: '  ' }, 'missing_rationale'],
    ['act without an actor', [], { ...assess('2024-03-01T11:00:00Z'), by: ' ' }, 'missing_actor'],
    ['act before the report was received', [], assess('2024-03-01T09:59:00Z'), 'time_order'],
    ['act before the last event', [assess('2024-03-01T12:00:00Z')], decide('2024-03-01T11:00:00Z'), 'time_order'],
    ['reopen an open report', [], { type: 'reopen', at: '2024-03-01T11:00:00Z', by: 'c', reason: 'tox' }, 'invalid_transition'],
  ])('refuses to %s', (_name, before, action, code) => {
    const s = run(before);
    const r = applyWorkflow(s, action);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('closing early as a duplicate or withdrawn is allowed', () => {
    expect(run([{ type: 'close', at: '2024-03-01T11:00:00Z', by: 'c', reason: 'duplicate' }]).closeReason).toBe('duplicate');
    expect(run([assess('2024-03-01T11:00:00Z'), { type: 'close', at: '2024-03-01T12:00:00Z', by: 'c', reason: 'withdrawn' }]).status).toBe(
      'closed',
    );
  });

  it('re-grading and changing a decision before issue keep the first times', () => {
    const s = run([assess('2024-03-01T11:00:00Z'), assess('2024-03-01T12:00:00Z'), decide('2024-03-01T13:00:00Z', 'share_for_information'), decide('2024-03-01T14:00:00Z')]);
    expect(s.assessedAt).toBe('2024-03-01T11:00:00Z');
    expect(s.decidedAt).toBe('2024-03-01T13:00:00Z');
    expect(s.decision).toBe('formal_alert');
  });

  it('reopening on new information clears the decision and keeps the history', () => {
    const s = run([
      assess('2024-03-01T11:00:00Z'),
      decide('2024-03-01T12:00:00Z', 'no_further_action'),
      { type: 'close', at: '2024-03-01T13:00:00Z', by: 'c', reason: 'completed' },
      { type: 'reopen', at: '2024-03-08T09:00:00Z', by: 'c', reason: 'toxicology: nitazene present' },
    ]);
    expect(s.status).toBe('assessed');
    expect(s.decision).toBeNull();
    expect(s.history.map((h) => h.action)).toEqual(['assess', 'decide', 'close', 'reopen']);
    expect(slaStatus(s, '2024-03-08T10:00:00Z').decide).toMatchObject({ dueAt: '2024-03-09T09:00:00.000Z', state: 'pending' });
  });

  it('does not change the state it was given', () => {
    const s = newReportWorkflow(RECEIVED);
    const copy = structuredClone(s);
    applyWorkflow(s, assess('2024-03-01T11:00:00Z'));
    expect(s).toEqual(copy);
  });
});

describe('nothing is circulated before the decision', () => {
  it.each<[string, WorkflowAction[], boolean]>([
    ['received', [], false],
    ['assessed', [assess('2024-03-01T11:00:00Z')], false],
    ['decided: no further action', [assess('2024-03-01T11:00:00Z'), decide('2024-03-01T12:00:00Z', 'no_further_action')], false],
    ['decided: share for information', [assess('2024-03-01T11:00:00Z'), decide('2024-03-01T12:00:00Z', 'share_for_information')], true],
    ['decided: formal alert', [assess('2024-03-01T11:00:00Z'), decide('2024-03-01T12:00:00Z')], true],
    ['issued', [assess('2024-03-01T11:00:00Z'), decide('2024-03-01T12:00:00Z'), { type: 'issue', at: '2024-03-01T13:00:00Z', by: 'c' }], true],
    [
      'closed',
      [
        assess('2024-03-01T11:00:00Z'),
        decide('2024-03-01T12:00:00Z'),
        { type: 'issue', at: '2024-03-01T13:00:00Z', by: 'c' },
        { type: 'close', at: '2024-03-02T13:00:00Z', by: 'c', reason: 'completed' },
      ],
      false,
    ],
  ])('%s → %s', (_name, actions, expected) => {
    expect(canCirculate(run(actions))).toBe(expected);
  });
});

describe('SLA timers', () => {
  const fresh = newReportWorkflow(RECEIVED);

  it.each<[string, string, string]>([
    ['2024-03-01T10:00:00Z', 'pending', 'pending'],
    ['2024-03-02T05:59:00Z', 'pending', 'pending'], // 4 h 1 min before the 24 h mark
    ['2024-03-02T06:00:00Z', 'due_soon', 'pending'], // 4 h before
    ['2024-03-02T10:00:00Z', 'due_soon', 'pending'], // exactly 24 h: due, not yet overdue
    ['2024-03-02T10:01:00Z', 'overdue', 'pending'], // 24 h + 1 min
    ['2024-03-03T06:00:00Z', 'overdue', 'due_soon'],
    ['2024-03-03T10:00:00Z', 'overdue', 'due_soon'], // exactly 48 h
    ['2024-03-03T10:01:00Z', 'overdue', 'overdue'], // 48 h + 1 min
  ])('an untouched report at %s: assess %s, decide %s', (now, a, d) => {
    const s = slaStatus(fresh, now);
    expect(s.assess.state).toBe(a);
    expect(s.decide.state).toBe(d);
    expect(s.overdue).toBe(a === 'overdue' || d === 'overdue');
  });

  it('due times and minutes remaining', () => {
    const s = slaStatus(fresh, '2024-03-02T10:01:00Z');
    expect(s.assess).toEqual({ dueAt: '2024-03-02T10:00:00.000Z', completedAt: null, state: 'overdue', minutesRemaining: -1 });
    expect(s.decide.dueAt).toBe('2024-03-03T10:00:00.000Z');
    expect(s.decide.minutesRemaining).toBe(24 * 60 - 1);
  });

  it.each<[string, string]>([
    ['2024-03-02T10:00:00Z', 'met'], // assessed at exactly 24 h
    ['2024-03-02T10:01:00Z', 'missed'], // 24 h + 1 min
  ])('assessed at %s → %s', (at, state) => {
    const s = run([assess(at)]);
    expect(slaStatus(s, '2024-03-05T00:00:00Z').assess.state).toBe(state);
  });

  it.each<[string, string]>([
    ['2024-03-03T10:00:00Z', 'met'],
    ['2024-03-03T10:01:00Z', 'missed'],
  ])('decided at %s → %s (48 h from receipt)', (at, state) => {
    const s = run([assess('2024-03-01T11:00:00Z'), decide(at)]);
    expect(slaStatus(s, '2024-03-05T00:00:00Z').decide.state).toBe(state);
  });

  it('timestamps with an offset are compared as instants', () => {
    const s = newReportWorkflow('2024-06-01T10:00:00+01:00');
    expect(slaStatus(s, '2024-06-02T09:00:00Z').assess.state).toBe('due_soon');
    expect(slaStatus(s, '2024-06-02T09:01:00Z').assess.state).toBe('overdue');
  });

  it('a duplicate closed before assessment has no running timers', () => {
    const s = run([{ type: 'close', at: '2024-03-01T11:00:00Z', by: 'c', reason: 'duplicate' }]);
    const t = slaStatus(s, '2024-03-09T00:00:00Z');
    expect([t.assess.state, t.decide.state, t.overdue]).toEqual(['not_applicable', 'not_applicable', false]);
  });

  it('custom hours', () => {
    const s = slaStatus(fresh, '2024-03-01T22:01:00Z', { assessWithinHours: 12, decideWithinHours: 24, redecideWithinHours: 12, dueSoonMinutes: 60 });
    expect(s.assess.state).toBe('overdue');
  });
});

describe('grading questions', () => {
  it('are the five of domain §3.3, each with options', () => {
    expect(GRADING_QUESTIONS.map((q) => q.id)).toEqual(['local_relevance', 'geographic_extent', 'likelihood_of_spread', 'plausibility', 'source_type']);
    for (const q of GRADING_QUESTIONS) expect(q.options.length).toBeGreaterThanOrEqual(3);
  });

  it('validation names every problem', () => {
    expect(validateGrading(answers)).toEqual([]);
    expect(validateGrading({ local_relevance: 'nope', extra: 'x' })).toEqual([
      'local_relevance: "nope" is not one of occurred_here, affects_our_population, neighbouring, not_local, unknown',
      'geographic_extent: answer required',
      'likelihood_of_spread: answer required',
      'plausibility: answer required',
      'source_type: answer required',
      'extra: no such question',
    ]);
  });

  it.each<[Partial<GradingAnswers>, string]>([
    [{}, 'formal_alert'],
    [{ plausibility: 'doubtful' }, 'no_further_action'],
    [{ local_relevance: 'not_local' }, 'no_further_action'],
    [{ plausibility: 'plausible' }, 'share_for_information'],
    [{ likelihood_of_spread: 'low' }, 'share_for_information'],
    [{ likelihood_of_spread: 'low', geographic_extent: 'several_areas' }, 'formal_alert'],
  ])('suggests a decision for %j → %s', (change, decision) => {
    expect(suggestDecision({ ...answers, ...change }).decision).toBe(decision);
  });
});
