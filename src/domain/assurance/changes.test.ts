import { describe, expect, it } from 'vitest';
import { compareRounds, diffDocuments, type RoundItem } from './changes';
import { compareRatings, parseSeedRag, ragCounts } from './rag';

const item = (key: string, extra: Partial<RoundItem> = {}): RoundItem => ({ key, rating: null, comments: '', actions: [], evidence: [], measures: [], ...extra });

describe('ratings', () => {
  it.each([
    ['R', 'red'], ['a', 'amber'], ['G', 'green'], ['G / A', 'green_amber'], ['A/G', 'green_amber'], ['G/A', 'green_amber'], ['X', null],
  ])('seed notation %s → %s', (t, r) => expect(parseSeedRag(t)).toBe(r));
  it.each([
    ['red', 'amber', 'improved'], ['green', 'amber', 'worsened'], ['amber', 'amber', 'unchanged'], [null, 'red', 'newly_rated'], ['red', null, 'no_longer_rated'], [null, null, 'not_rated'], ['amber', 'green_amber', 'improved'],
  ] as const)('%s → %s is %s', (a, b, c) => expect(compareRatings(a, b)).toBe(c));
  it('counts', () => expect(ragCounts(['red', null, 'red', 'green'])).toEqual({ red: 2, amber: 0, green_amber: 0, green: 1, not_rated: 1 }));
});

describe('compareRounds', () => {
  it('reports rating moves, new and completed actions, new evidence and measure trends', () => {
    const prev = [
      item('a', { rating: 'red', actions: [{ text: 'Write strategy', owner: 'DAAT', due: '2024-01-31', status: 'open' }] }),
      item('b', { rating: 'green', comments: 'ok', measures: [{ key: 'mat_uncategorised', value: 9, numerator: 9, denominator: 100, asOf: '2023-03-31', note: null }] }),
      item('c', { rating: 'amber' }),
    ];
    const cur = [
      item('a', { rating: 'amber', actions: [{ text: 'Write strategy', owner: 'DAAT', due: '2024-01-31', status: 'done' }, { text: 'Appoint lead', owner: null, due: null, status: 'open' }] }),
      item('b', { rating: 'green', comments: 'ok', evidence: [{ label: 'Minutes', url: 'https://example.org/m' }], measures: [{ key: 'mat_uncategorised', value: 6, numerator: 6, denominator: 100, asOf: '2024-03-31', note: null }] }),
      item('c', { rating: 'amber' }),
      item('d', { rating: 'red' }),
    ];
    const c = compareRounds(prev, cur);
    expect(c.summary).toMatchObject({ improved: 1, unchanged: 2, newly_rated: 1 });
    const [a, b, cc, d] = c.items;
    expect(a).toMatchObject({ actionsAdded: 1, actionsCompleted: 1, changed: true, rating: { before: 'red', after: 'amber', change: 'improved' } });
    expect(b).toMatchObject({ evidenceAdded: 1, changed: true, commentsChanged: false });
    expect(b!.measures).toEqual([{ key: 'mat_uncategorised', before: 9, after: 6, trend: 'better' }]);
    expect(cc!.changed).toBe(false);
    expect(d!.rating.change).toBe('newly_rated');
  });
});

describe('diffDocuments', () => {
  it('names what changed in a plan', () => {
    const before = { coordinator: { name: 'A', email: '' }, invitees: [1, 2], commsAudiences: ['x'], activities: [{ agency: 'LDIS', step: 1 }] };
    const after = { coordinator: { name: 'B', email: 'b@example.org' }, invitees: [2, 3], commsAudiences: ['x'], activities: [{ agency: 'LDIS', step: 2 }, { agency: 'Police', step: 1 }] };
    expect(diffDocuments(before, after)).toEqual([
      { path: 'activities[1].step', kind: 'changed', before: '1', after: '2' },
      { path: 'activities[2]', kind: 'added', before: null, after: '{"agency":"Police","step":1}' },
      { path: 'coordinator.email', kind: 'added', before: null, after: 'b@example.org' },
      { path: 'coordinator.name', kind: 'changed', before: 'A', after: 'B' },
      { path: 'invitees', kind: 'added', before: null, after: '3' },
      { path: 'invitees', kind: 'removed', before: '1', after: null },
    ]);
    expect(diffDocuments(after, after)).toEqual([]);
  });
});
