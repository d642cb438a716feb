import { describe, expect, it } from 'vitest';
import { classifyPerson } from './classify';
import { defaultMatConfig as cfg } from './config';
import { buildWorklists, type PriorityCandidate } from './priorities';
import { person, review, rx, test, top } from './test-factories';
import type { PrescriptionSegment, RiskTier, ScReview, Top } from './types';

const D = '2018-10-31';
const noRisk = { diverted: false, vulnerable: false, regular_on_top: false, other_risk: false };
/** A person on a prescription since January, with optional dose change 28 days before D. */
function cand(
  id: string,
  opts: { dose: number; earlier?: number; med?: PrescriptionSegment['medication']; tops?: Top[]; tier?: RiskTier | null; sc?: ScReview | null; supervised?: boolean; since?: string },
): PriorityCandidate {
  const since = opts.since ?? '2018-01-01';
  const prescriptions =
    opts.earlier === undefined
      ? [rx(since, null, opts.dose, opts.med ?? 'methadone', { supervised: opts.supervised ?? false })]
      : [rx(since, '2018-10-10', opts.earlier, opts.med ?? 'methadone'), rx('2018-10-11', null, opts.dose, opts.med ?? 'methadone', { supervised: opts.supervised ?? false })];
  const h = person({ prescriptions, tops: opts.tops ?? [top('2018-10-20', 0)] });
  return {
    person_id: id,
    service_id: 'S',
    classification: classifyPerson(h, D, cfg),
    riskTier: opts.tier ?? null,
    latestScReview: opts.sc === undefined ? review('2018-09-01', noRisk) : opts.sc,
  };
}
const onTop = [top('2018-10-20', 6)];
function mat3ByTest(id: string, topDate: string | null): PriorityCandidate {
  const h = person({
    prescriptions: [rx('2018-01-01', null, 70, 'methadone', { supervised: true })],
    tops: topDate === null ? [] : [top(topDate, 0)],
    drug_tests: test('2018-10-01', { heroin_6mam: 'negative' }),
  });
  return { person_id: id, service_id: 'S', classification: classifyPerson(h, D, cfg), latestScReview: review('2018-09-01', { ...noRisk, vulnerable: true }) };
}

describe('priorities 1–3: MAT 2, without overlap', () => {
  const people = [
    cand('p1-high', { dose: 80, tops: onTop, tier: 'high' }),
    cand('p1-reducing-below', { dose: 30, earlier: 40, tops: onTop, tier: 'low' }),
    cand('p2-static', { dose: 40, tops: onTop, tier: 'medium' }),
    cand('p1-reducing-below-no-tier', { dose: 50, earlier: 55, tops: onTop }),
    cand('p2-increasing', { dose: 50, earlier: 40, tops: onTop }),
    cand('p2-static-lower', { dose: 20, tops: onTop }),
    cand('p3-low', { dose: 70, tops: onTop, tier: 'low' }),
    cand('p3-medium', { dose: 90, tops: onTop, tier: 'medium' }),
    cand('p3-diamorphine', { dose: 400, med: 'diamorphine', tops: onTop }),
    cand('mat3', { dose: 70 }),
  ];
  const lists = buildWorklists(people, cfg).filter((e) => e.priority !== 4 && e.priority !== 5);
  it('assigns each MAT 2 person to one of P1–P3, in the documented order', () => {
    expect(lists.map((e) => [e.priority, e.position, e.person_id])).toEqual([
      [1, 1, 'p1-high'], // high tier first
      [1, 2, 'p1-reducing-below'], // then reducing below OG, lower dose first
      [1, 3, 'p1-reducing-below-no-tier'],
      [2, 1, 'p2-static-lower'],
      [2, 2, 'p2-static'],
      [2, 3, 'p2-increasing'],
      [3, 1, 'p3-medium'],
      [3, 2, 'p3-low'],
      [3, 3, 'p3-diamorphine'],
    ]);
  });
  it('gives a reason and an action', () => {
    const e = lists.find((x) => x.person_id === 'p1-reducing-below');
    expect(e?.reason).toBe('MAT 2 (using on top) with reducing prescription below OG: methadone 30 mg, reducing');
    expect(e?.action).toContain('do not reduce while using on top');
    expect(e).toMatchObject({ kind: 'p1_highest_risk', stage: 'MAT2', cohort: 'red', ogBand: 'below', regime: 'reducing', doseMg: 30, riskTier: 'low' });
    expect(lists.find((x) => x.person_id === 'p2-increasing')?.action).toBe('Check the titration reaches an OG dose and continue optimising');
  });
});

describe('priority 4: supervised consumption', () => {
  it.each<[string, PriorityCandidate, string[]]>([
    ['on SC with no risk item → relax', cand('a', { dose: 70, supervised: true }), ['p4_relax_to_daily_pickup']],
    ['no SC review → review due', cand('b', { dose: 70, sc: null }), ['p4_review_due']],
    ['on-top on 22 of 28 days → optimise dose', cand('c', { dose: 70, tops: [top('2018-10-20', 22)] }), ['p4_optimise_dose']],
    ['on-top TOP older than the window does not count', cand('d', { dose: 70, tops: [top('2018-07-01', 22)] }), []],
    ['not supervised, weekly pick-up → nothing', cand('e', { dose: 70 }), []],
  ])('%s', (_n, c, kinds) => {
    expect(buildWorklists([c], cfg).filter((e) => e.priority === 4).map((e) => e.kind)).toEqual(kinds);
  });
});

describe('priority 5: MAT 3 recovery capital', () => {
  it.each<[string, PriorityCandidate, string[]]>([
    ['reducing regime', cand('a', { dose: 50, earlier: 60, supervised: true }), ['p5_reducing']],
    ['stable for over a year → GP shared care', cand('b', { dose: 70, since: '2017-06-01' }), ['p5_gp_shared_care']],
    ['stable but supervised → not shared care', cand('c', { dose: 70, since: '2017-06-01', supervised: true }), []],
    ['stable but high risk → not shared care', cand('d', { dose: 70, since: '2017-06-01', tier: 'high' }), []],
    ['in treatment under 12 months', cand('e', { dose: 70, since: '2018-01-01' }), []],
    ['MAT 3 by drug test, TOP older than 6 months', mat3ByTest('f', '2018-04-29'), ['p5_top_due']],
    ['TOP exactly 6 months old (30 April → 31 October) is not older', mat3ByTest('g', '2018-04-30'), []],
    ['MAT 3 by drug test with no TOP at all', mat3ByTest('h', null), ['p5_top_due']],
  ])('%s', (_n, c, kinds) => {
    expect(buildWorklists([c], cfg).filter((e) => e.priority === 5).map((e) => e.kind)).toEqual(kinds);
  });
});

describe('uncategorised worklist', () => {
  it('lists every uncategorised person, never-tested first', () => {
    const a = cand('old', { dose: 70, tops: [top('2018-03-01', 0)] });
    const b = cand('never', { dose: 70, tops: [] });
    const c = cand('recent', { dose: 70 });
    const u = buildWorklists([a, b, c], cfg).filter((e) => e.priority === 'uncategorised');
    expect(u.map((e) => [e.person_id, e.position, e.reason])).toEqual([
      ['never', 1, 'No TOP or drug test in the last 91 days; none on record'],
      ['old', 2, 'No TOP or drug test in the last 91 days; last on 2018-03-01'],
    ]);
    expect(u[0]?.action).toBe('Complete a TOP and/or a drug test as soon as possible');
  });
  it('people not in MAT are on no list', () => {
    const h = person({ prescriptions: [rx('2018-01-01', '2018-05-01')] });
    expect(buildWorklists([{ person_id: 'x', service_id: 'S', classification: classifyPerson(h, D, cfg) }], cfg)).toEqual([]);
  });
});
