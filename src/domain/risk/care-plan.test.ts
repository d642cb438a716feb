import { describe, expect, it } from 'vitest';
import { compareCaseload, isOverdueAction, reviewsDue, summariseOpenActions, validateCareAction, type CaseloadSortKey, type OpenActionSummary } from './care-plan';

const valid = { flag: 'on_top', actionId: 'on_top.optimise_dose', text: 'Review the dose', status: 'planned', dueDate: '2024-07-01' };

describe('validateCareAction', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a planned recommended action', {}, []],
    ['a team action without an id', { actionId: null }, []],
    ['done, no due date', { status: 'done', dueDate: null }, []],
    ['declined with a reason', { status: 'declined', declinedReason: 'Person wants to reduce' }, []],
    ['declined without a reason', { status: 'declined', declinedReason: '  ' }, ['declinedReason']],
    ['unknown flag', { flag: 'bad', actionId: null }, ['flag']],
    ['action of another flag', { actionId: 'housing.refer' }, ['actionId']],
    ['empty text', { text: ' ' }, ['text']],
    ['text too long', { text: 'x'.repeat(2001) }, ['text']],
    ['text at the limit', { text: 'x'.repeat(2000) }, []],
    ['unknown status', { status: 'open' }, ['status']],
    ['impossible due date', { dueDate: '2024-02-30' }, ['dueDate']],
    ['owner too long', { owner: 'x'.repeat(201) }, ['owner']],
  ])('%s', (_name, change, fields) => {
    expect(validateCareAction({ ...valid, ...change } as Parameters<typeof validateCareAction>[0]).map((p) => p.field)).toEqual(fields);
  });
});

describe('isOverdueAction', () => {
  it.each<[string, string, string | null, boolean]>([
    ['planned, due yesterday', 'planned', '2024-06-29', true],
    ['planned, due today', 'planned', '2024-06-30', false],
    ['planned, no due date', 'planned', null, false],
    ['done, due long ago', 'done', '2024-01-01', false],
    ['declined, due long ago', 'declined', '2024-01-01', false],
  ])('%s → %s', (_n, status, due, want) => {
    expect(isOverdueAction({ status, due_date: due }, '2024-06-30')).toBe(want);
  });
});

describe('summariseOpenActions (open actions per person on a caseload or worklist line)', () => {
  type A = [status: string, due: string | null];
  it.each<[string, A[], OpenActionSummary | undefined]>([
    ['nothing recorded', [], undefined],
    ['only closed actions', [['done', '2024-06-01'], ['declined', null]], undefined],
    ['one planned, no due date', [['planned', null]], { open: 1, overdue: 0, nextDue: null, nextOverdue: false }],
    ['due today is not overdue', [['planned', '2024-06-30']], { open: 1, overdue: 0, nextDue: '2024-06-30', nextOverdue: false }],
    ['due yesterday is overdue', [['planned', '2024-06-29']], { open: 1, overdue: 1, nextDue: '2024-06-29', nextOverdue: true }],
    [
      'the earliest due date wins, undated and closed ones ignored for it',
      [['planned', '2024-08-01'], ['planned', null], ['planned', '2024-07-02'], ['done', '2024-01-01']],
      { open: 3, overdue: 0, nextDue: '2024-07-02', nextOverdue: false },
    ],
    ['two overdue and one later', [['planned', '2024-07-05'], ['planned', '2024-05-01'], ['planned', '2024-06-01']], { open: 3, overdue: 2, nextDue: '2024-05-01', nextOverdue: true }],
  ])('%s', (_n, actions, want) => {
    const got = summariseOpenActions(actions.map(([status, due_date]) => ({ person_id: 'P1', status, due_date })), '2024-06-30');
    expect(got.get('P1')).toEqual(want);
  });

  it('keeps people apart', () => {
    const got = summariseOpenActions(
      [
        { person_id: 'P1', status: 'planned', due_date: '2024-06-01' },
        { person_id: 'P2', status: 'planned', due_date: '2024-07-01' },
        { person_id: 'P1', status: 'planned', due_date: null },
      ],
      '2024-06-30',
    );
    expect(Object.fromEntries(got)).toEqual({
      P1: { open: 2, overdue: 1, nextDue: '2024-06-01', nextOverdue: true },
      P2: { open: 1, overdue: 0, nextDue: '2024-07-01', nextOverdue: false },
    });
  });
});

describe('reviewsDue (TOP every 6 months; TOP or test every 91 days in MAT)', () => {
  const s = { topReviewIntervalMonths: 6, evidenceWindowDays: 91 };
  it.each<[string, { inMat: boolean; top: string | null; test: string | null }, { top: boolean; test: boolean; due: string | null }]>([
    ['TOP exactly 6 months ago is in time', { inMat: true, top: '2023-12-30', test: null }, { top: false, test: true, due: '2024-06-30' }],
    ['TOP 6 months and a day ago is overdue', { inMat: true, top: '2023-12-29', test: null }, { top: true, test: true, due: '2024-06-29' }],
    ['month-end clamp: 31 Dec + 6 months = 30 Jun', { inMat: true, top: '2023-12-31', test: null }, { top: false, test: true, due: '2024-06-30' }],
    ['never a TOP', { inMat: true, top: null, test: '2024-06-01' }, { top: true, test: false, due: null }],
    ['test 91 days ago is in time', { inMat: true, top: null, test: '2024-03-31' }, { top: true, test: false, due: null }],
    ['test 92 days ago is overdue', { inMat: true, top: null, test: '2024-03-30' }, { top: true, test: true, due: null }],
    ['recent TOP counts as evidence', { inMat: true, top: '2024-06-01', test: '2023-01-01' }, { top: false, test: false, due: '2024-12-01' }],
    ['not in MAT: no test due', { inMat: false, top: null, test: null }, { top: true, test: false, due: null }],
  ])('%s', (_n, f, want) => {
    const r = reviewsDue({ inMat: f.inMat, latestTopDate: f.top, latestTestDate: f.test }, '2024-06-30', s);
    expect({ top: r.topOverdue, test: r.testOverdue, due: r.topDueDate }).toEqual(want);
  });
});

describe('compareCaseload', () => {
  const k = (person_id: string, tier: CaseloadSortKey['tier'], critical = 0, counted = 0, fresh = 0): CaseloadSortKey => ({
    person_id,
    tier,
    critical: Array(critical).fill('recent_overdose'),
    counted: Array(counted).fill('housing'),
    newFlags: Array(fresh).fill('housing'),
  });
  it('sorts by tier, then critical, counted and new flags, then id', () => {
    const list = [k('A', 'low'), k('B', 'medium', 0, 1), k('C', 'high', 0, 3), k('D', 'high', 1, 1), k('E', 'medium', 0, 2), k('F', 'medium', 0, 2, 1), k('G', 'high', 1, 1)];
    expect(list.sort(compareCaseload).map((p) => p.person_id)).toEqual(['D', 'G', 'C', 'F', 'E', 'B', 'A']);
  });
});
