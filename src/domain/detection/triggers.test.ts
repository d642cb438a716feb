import { describe, expect, it } from 'vitest';
import { evaluateCountTrigger, evaluateCountTriggers, parseInstant, TriggerInputError, type DatedEvent } from './triggers';

const ev = (at: string, id?: string, weight?: number): DatedEvent => {
  const e: DatedEvent = { at };
  if (id !== undefined) e.id = id;
  if (weight !== undefined) e.weight = weight;
  return e;
};

describe('count triggers: N events in T days', () => {
  it('fires when N dated events fall within T days of each other', () => {
    const t = { threshold: 3, window: { days: 7 } };
    expect(evaluateCountTrigger([ev('2024-01-01'), ev('2024-01-04'), ev('2024-01-07')], t).fired).toBe(true);
    expect(evaluateCountTrigger([ev('2024-01-01'), ev('2024-01-04'), ev('2024-01-08')], t).fired).toBe(false);
  });

  it.each([
    // [events, N, days, fired]
    [['2024-03-01', '2024-03-02'], 2, 1, false],
    [['2024-03-01', '2024-03-01'], 2, 1, true],
    [['2024-03-01'], 1, 1, true],
    [[], 1, 1, false],
    [['2024-03-01', '2024-03-10', '2024-03-20', '2024-03-29'], 2, 10, true],
    [['2024-03-01', '2024-03-11', '2024-03-21'], 2, 10, false],
  ] as const)('%j with N=%i in %i days → %s', (dates, n, days, fired) => {
    const r = evaluateCountTrigger(dates.map((d) => ev(d)), { threshold: n, window: { days } });
    expect(r.fired).toBe(fired);
  });

  it('returns episodes with when they fired, their span, peak and events', () => {
    const events = [
      ev('2024-05-01', 'a'),
      ev('2024-05-03', 'b'),
      ev('2024-05-04', 'c'),
      ev('2024-05-06', 'd'),
      ev('2024-06-20', 'e'),
      ev('2024-06-21', 'f'),
      ev('2024-06-22', 'g'),
    ];
    const r = evaluateCountTrigger(events, { id: 'deaths-3-in-7', threshold: 3, window: { days: 7 } });
    expect(r.triggerId).toBe('deaths-3-in-7');
    expect(r.episodes).toHaveLength(2);
    const [first, second] = r.episodes;
    expect(first).toMatchObject({
      firedAt: '2024-05-04T00:00:00.000Z',
      windowEnd: '2024-05-06T00:00:00.000Z',
      peakCount: 4,
    });
    expect(first!.eventIds.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(second!.firedAt).toBe('2024-06-22T00:00:00.000Z');
    expect(second!.eventIds.sort()).toEqual(['e', 'f', 'g']);
  });

  it('ODMAP-style spike: 3 overdoses in 24 hours, with time zones', () => {
    const t = { threshold: 3, window: { hours: 24 } };
    const spike = [ev('2024-07-01T22:00:00+01:00'), ev('2024-07-02T09:30:00Z'), ev('2024-07-02T20:59:00Z')];
    expect(evaluateCountTrigger(spike, t).fired).toBe(true); // 21:00Z → 20:59Z next day
    const slow = [ev('2024-07-01T20:00:00Z'), ev('2024-07-02T09:30:00Z'), ev('2024-07-02T20:00:00Z')];
    expect(evaluateCountTrigger(slow, t).fired).toBe(false); // exactly 24 h apart: not within
  });

  it('counts weighted events (one report, several casualties)', () => {
    const r = evaluateCountTrigger([ev('2024-02-01', 'x', 3)], { threshold: 3, window: { days: 1 } });
    expect(r.fired).toBe(true);
    expect(r.episodes[0]!.peakCount).toBe(3);
  });

  it('calendar windows: fixed days or weeks from an origin', () => {
    const events = [ev('2024-01-07T23:00:00Z'), ev('2024-01-08T01:00:00Z'), ev('2024-01-08T02:00:00Z')];
    const daily = { threshold: 3, window: { days: 1 }, alignment: 'calendar' as const };
    expect(evaluateCountTrigger(events, daily).fired).toBe(false); // split over two calendar days
    expect(evaluateCountTrigger(events, { threshold: 3, window: { days: 1 } }).fired).toBe(true); // sliding
    const weekly = { threshold: 3, window: { days: 7 }, alignment: 'calendar' as const, origin: '2024-01-01' };
    const r = evaluateCountTrigger(events, weekly);
    expect(r.fired).toBe(false); // Sunday 7 Jan and Monday 8 Jan are in different ISO weeks
    const r2 = evaluateCountTrigger([...events, ev('2024-01-09')], weekly);
    expect(r2.episodes).toEqual([
      {
        firedAt: '2024-01-09T00:00:00.000Z',
        windowStart: '2024-01-08T00:00:00.000Z',
        windowEnd: '2024-01-15T00:00:00.000Z',
        peakCount: 3,
        eventIds: ['1', '2', '3'],
      },
    ]);
  });

  it('reports the current window when asked asOf', () => {
    const events = [ev('2024-01-01'), ev('2024-01-05'), ev('2024-01-06')];
    const r = evaluateCountTrigger(events, { threshold: 3, window: { days: 7 } }, { asOf: '2024-01-07' });
    expect(r.current).toEqual({
      count: 3,
      firing: true,
      windowStart: '2023-12-31T00:00:00.000Z',
      windowEnd: '2024-01-07T00:00:00.000Z',
    });
    const later = evaluateCountTrigger(events, { threshold: 3, window: { days: 7 } }, { asOf: '2024-01-09' });
    expect(later.current?.firing).toBe(false);
    expect(later.fired).toBe(true); // it did fire in the past
  });

  it('evaluates several triggers and validates input', () => {
    const rs = evaluateCountTriggers([ev('2024-01-01')], [
      { threshold: 1, window: { days: 1 } },
      { threshold: 2, window: { days: 1 } },
    ]);
    expect(rs.map((r) => r.fired)).toEqual([true, false]);
    expect(() => evaluateCountTrigger([ev('1/1/2024')], { threshold: 1, window: { days: 1 } })).toThrow(TriggerInputError);
    expect(() => evaluateCountTrigger([], { threshold: 0, window: { days: 1 } })).toThrow(TriggerInputError);
    expect(() => evaluateCountTrigger([], { threshold: 1, window: {} })).toThrow(TriggerInputError);
    expect(parseInstant('2024-01-01T12:00')).toBe(Date.UTC(2024, 0, 1, 12));
  });
});
