import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outwardCode } from '../disclosure/identifiers';
import { dayNumber } from './dates';
import {
  DEFAULT_LINKAGE_CONFIG,
  applyLinkage,
  bandOf,
  canonicalSubstance,
  candidatePairs,
  clustersFromLinks,
  findCandidates,
  scorePair,
  type LinkageConfig,
  type LinkageOp,
  type LinkageReport,
} from './linkage';

const C = DEFAULT_LINKAGE_CONFIG;

function rep(id: string, o: Partial<LinkageReport> = {}): LinkageReport {
  return { report_id: id, event_date: '2024-03-01', event_type: 'non_fatal_overdose', local_authority: 'E08000025', ...o };
}

/** A configuration that scores on one component only, to test that component exactly. */
function only(name: keyof LinkageConfig['weights'], extra: Partial<LinkageConfig> = {}): LinkageConfig {
  const weights = { date: 0, age: 0, sex: 0, area: 0, substances: 0, outcome: 0, eventType: 0, [name]: 1 };
  return { ...C, weights, vetoes: [], ...extra };
}

describe('scorePair components', () => {
  it.each([
    ['2024-03-01', 1],
    ['2024-03-02', 0.666667],
    ['2024-02-28', 0.333333], // 2 days: the edge of the window
    ['2024-03-04', 0], // 3 days: outside
  ])('date %s vs 2024-03-01 → %f', (date, score) => {
    expect(scorePair(rep('a'), rep('b', { event_date: date }), only('date')).score).toBe(score);
  });

  it.each([
    [30, 30, 1],
    [30, 31, 0.833333],
    [30, 35, 0.166667], // 5 apart: the tolerance
    [30, 36, 0], // 6 apart: beyond
    [30, null, 0.5], // unknown
  ])('age %s vs %s → %f', (x, y, score) => {
    expect(scorePair(rep('a', { age: x }), rep('b', { age: y }), only('age')).score).toBe(score);
  });

  it.each([
    ['M', 'M', 1],
    ['M', 'F', 0],
    ['M', 'U', 0.5],
    [null, 'F', 0.5],
  ] as const)('sex %s vs %s → %f', (x, y, score) => {
    expect(scorePair(rep('a', { sex: x }), rep('b', { sex: y }), only('sex')).score).toBe(score);
  });

  it.each<[Partial<LinkageReport>, Partial<LinkageReport>, number]>([
    [{ postcode: 'B12 9QT' }, { postcode: 'b12 8aa' }, 1],
    [{ postcode: 'B12 9QT' }, {}, 0.7],
    [{ postcode: 'B12 9QT' }, { postcode: 'B13 9QT' }, 0.4],
    [{ postcode: 'B12 9QT' }, { postcode: 'B12 9QT', local_authority: 'E08000028' }, 0.6],
    [{}, { local_authority: 'E08000028' }, 0],
  ])('area %j vs %j → %f', (x, y, score) => {
    expect(scorePair(rep('a', x), rep('b', y), only('area')).score).toBe(score);
  });

  it.each<[string[] | undefined, string[] | undefined, number]>([
    [['heroin'], ['Diamorphine', 'isotonitazene'], 1], // overlap coefficient, synonyms
    [['heroin', 'crack'], ['heroin', 'benzos'], 0.5],
    [['protonitazene'], ['metonitazene'], 1], // both nitazenes
    [['heroin'], ['cocaine'], 0],
    [['heroin'], [], 0.5],
    [undefined, ['heroin'], 0.5],
  ])('substances %j vs %j → %f', (x, y, score) => {
    expect(scorePair(rep('a', { substances: x }), rep('b', { substances: y }), only('substances')).score).toBe(score);
  });

  it.each<[LinkageReport['outcome'], LinkageReport['outcome'], number]>([
    ['died', 'died', 1],
    ['hospital', 'died', 0.6],
    ['treated_at_scene', 'hospital', 0.4],
    ['unknown', 'hospital', 0.5],
  ])('outcome %s vs %s → %f', (x, y, score) => {
    expect(scorePair(rep('a', { outcome: x }), rep('b', { outcome: y }), only('outcome')).score).toBe(score);
  });

  it.each<[LinkageReport['event_type'], LinkageReport['event_type'], number]>([
    ['ambulance_callout', 'ae_attendance', 1],
    ['ae_attendance', 'ambulance_callout', 1],
    ['death', 'ambulance_callout', 0.8],
    ['death', 'non_fatal_overdose', 0.1],
    ['drug_check_result', 'non_fatal_overdose', 0],
  ])('event type %s vs %s → %f', (x, y, score) => {
    expect(scorePair(rep('a', { event_type: x }), rep('b', { event_type: y }), only('eventType')).score).toBe(score);
  });
});

describe('scorePair overall', () => {
  const ambulance = rep('AMB-1', {
    source: 'ambulance',
    event_type: 'ambulance_callout',
    age: 35,
    sex: 'M',
    substances: ['heroin'],
    outcome: 'hospital',
  });
  const ae = rep('ED-7', {
    source: 'emergency_department',
    event_type: 'ae_attendance',
    age: 36,
    sex: 'M',
    postcode: 'B12 9QT',
    substances: ['heroin', 'crack'],
    outcome: 'hospital',
  });

  it('ambulance and A&E reports of one overdose are a likely match, every component explained', () => {
    const s = scorePair(ambulance, ae);
    expect(s.score).toBe(0.915);
    expect(s.band).toBe('likely');
    expect(s.vetoedBy).toBeNull();
    expect(s.components.map((c) => [c.name, c.known, c.text])).toEqual([
      ['date', true, 'same event date'],
      ['age', true, 'ages 35 and 36 (1 apart)'],
      ['sex', true, 'same sex (M)'],
      ['area', true, 'same local authority (E08000025); district not known on both'],
      ['substances', true, 'substances in common: heroin'],
      ['outcome', true, 'same outcome (hospital)'],
      ['eventType', true, 'ambulance callout and ae attendance'],
    ]);
    expect(s.components.reduce((x, c) => x + c.contribution, 0)).toBeCloseTo(0.915, 5);
    expect(s.summary).toBe('Likely the same event (score 0.92).');
  });

  it('is symmetric', () => {
    const x = scorePair(ambulance, ae);
    const y = scorePair(ae, ambulance);
    expect(y.score).toBe(x.score);
    expect(y.band).toBe(x.band);
  });

  it('sparse reports (date and area only) are possible, for a person to look at', () => {
    expect(scorePair(rep('a'), rep('b')).band).toBe('possible');
    expect(scorePair(rep('a'), rep('b')).score).toBe(0.715);
  });

  it('two different people on the same day in the same area are unlikely', () => {
    const s = scorePair(rep('a', { age: 25, sex: 'F', substances: ['cocaine'] }), rep('b', { age: 50, sex: 'M', substances: ['heroin'] }));
    expect(s.band).toBe('unlikely');
  });

  it('vetoes: dates outside the window, a drug check against an overdose, drill against real', () => {
    expect(scorePair(ambulance, { ...ae, event_date: '2024-03-04' })).toMatchObject({ score: 0, vetoedBy: 'date', band: 'unlikely' });
    expect(scorePair(ambulance, { ...ae, event_type: 'drug_check_result' })).toMatchObject({ score: 0, vetoedBy: 'eventType' });
    const drill = scorePair(ambulance, { ...ae, exercise: true });
    expect(drill).toMatchObject({ score: 0, vetoedBy: 'exercise' });
    expect(drill.summary).toBe('Not the same event: an exercise report never links with a real one.');
    expect(scorePair({ ...ambulance, exercise: true }, { ...ae, exercise: true }).band).toBe('likely');
  });

  it.each([
    [0.85, 'likely'],
    [0.849999, 'possible'],
    [0.65, 'possible'],
    [0.649999, 'unlikely'],
    [0, 'unlikely'],
  ] as const)('band of %f is %s (thresholds inclusive)', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });

  it('threshold boundary through scorePair: a 1-day gap scores 0.666667 on date alone', () => {
    const at = only('date', { thresholds: { likely: 0.9, possible: 0.666667 } });
    const above = only('date', { thresholds: { likely: 0.9, possible: 0.666668 } });
    const pair = [rep('a'), rep('b', { event_date: '2024-03-02' })] as const;
    expect(scorePair(...pair, at).band).toBe('possible');
    expect(scorePair(...pair, above).band).toBe('unlikely');
  });

  it('weights are configurable and must not all be zero', () => {
    const sexHeavy: LinkageConfig = { ...C, weights: { ...C.weights, sex: 10 } };
    const a = rep('a', { sex: 'M' });
    const b = rep('b', { sex: 'F' });
    expect(scorePair(a, b, sexHeavy).score).toBeLessThan(scorePair(a, b).score);
    expect(() => scorePair(a, b, only('date', { weights: { date: 0, age: 0, sex: 0, area: 0, substances: 0, outcome: 0, eventType: 0 } }))).toThrow(
      RangeError,
    );
  });

  it('canonical substances', () => {
    expect(canonicalSubstance(' Crack Cocaine ')).toBe('crack');
    expect(canonicalSubstance('N-pyrrolidino etonitazene')).toBe('nitazene');
    expect(canonicalSubstance('bromazolam')).toBe('benzodiazepine');
    expect(canonicalSubstance('ketamine')).toBe('ketamine');
  });
});

describe('candidatePairs (blocking)', () => {
  it('pairs reports sharing an authority or a district within the window, once each', () => {
    const reports = [
      rep('a', { postcode: 'B12 9QT' }),
      rep('b', { event_date: '2024-03-03', postcode: 'B12 1AA' }),
      rep('c', { event_date: '2024-03-04' }), // 3 days after a: outside
      rep('d', { local_authority: 'E08000028', postcode: 'B12 7ZZ' }), // other LA, same district as a
      rep('e', { local_authority: 'E08000028', event_date: '2024-03-02' }),
      rep('f', { exercise: true }), // drill: never with real reports
      rep('g', { event_date: 'not a date' }),
    ];
    expect(candidatePairs(reports)).toEqual([
      ['a', 'b'],
      ['a', 'd'],
      ['b', 'c'],
      ['b', 'd'],
      ['d', 'e'],
    ]);
    expect(candidatePairs(reports, { keys: ['local_authority'] })).toEqual([
      ['a', 'b'],
      ['b', 'c'],
      ['d', 'e'],
    ]);
    expect(candidatePairs(reports, { windowDays: 0, keys: ['local_authority'] })).toEqual([]);
  });

  it('property: equals the all-pairs filter', () => {
    const arbReport = fc.record({
      la: fc.constantFrom('L1', 'L2', 'L3'),
      pc: fc.option(fc.constantFrom('B1 1AA', 'B2 1AA', 'B1 2BB', 'CV1 1AA'), { nil: undefined }),
      day: fc.integer({ min: 0, max: 20 }),
      ex: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbReport, { maxLength: 30 }), fc.integer({ min: 0, max: 4 }), (rs, w) => {
        const reports = rs.map((r, i) =>
          rep(`r${String(i).padStart(2, '0')}`, {
            local_authority: r.la,
            ...(r.pc ? { postcode: r.pc } : {}),
            event_date: `2024-01-${String(r.day + 1).padStart(2, '0')}`,
            exercise: r.ex,
          }),
        );
        const expected: Array<[string, string]> = [];
        for (let i = 0; i < reports.length; i++) {
          for (let j = i + 1; j < reports.length; j++) {
            const a = reports[i] as LinkageReport;
            const b = reports[j] as LinkageReport;
            const gap = Math.abs((dayNumber(a.event_date) ?? 0) - (dayNumber(b.event_date) ?? 0));
            const da = a.postcode ? outwardCode(a.postcode) : null;
            const db = b.postcode ? outwardCode(b.postcode) : null;
            const share = a.local_authority === b.local_authority || (da !== null && da === db);
            if (share && gap <= w && Boolean(a.exercise) === Boolean(b.exercise)) expected.push([a.report_id, b.report_id]);
          }
        }
        expect(candidatePairs(reports, { windowDays: w })).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('findCandidates scores the blocked pairs and keeps the possible ones, best first', () => {
    const reports = [
      rep('amb', { event_type: 'ambulance_callout', age: 40, sex: 'F', outcome: 'hospital', substances: ['heroin'] }),
      rep('ed', { event_type: 'ae_attendance', age: 41, sex: 'F', outcome: 'hospital', substances: ['heroin', 'nitazene'] }),
      rep('pol', { event_type: 'death', age: 70, sex: 'M', outcome: 'died', event_date: '2024-03-02' }),
      rep('chk', { event_type: 'drug_check_result' }),
    ];
    const found = findCandidates(reports);
    expect(found.map((s) => [s.a, s.b, s.band])).toEqual([['amb', 'ed', 'likely']]);
  });
});

describe('applyLinkage (cases from merges, splits and undos)', () => {
  const reports = ['A', 'B', 'C', 'D'].map((id, i) => ({ report_id: id, received_at: `2024-03-01T0${9 - i}:00:00Z` }));
  const ids = (ops: LinkageOp[]) => applyLinkage(reports, ops).cases.map((c) => c.reportIds);

  it('every report is its own case at first; case id = earliest received', () => {
    expect(ids([])).toEqual([['D'], ['C'], ['B'], ['A']]);
    expect(applyLinkage(reports, [{ id: 'm1', type: 'merge', reportIds: ['A', 'B'] }]).caseOf.get('A')).toBe('B');
  });

  it('merge joins whole cases; split takes reports out and leaves the rest together', () => {
    const log: LinkageOp[] = [
      { id: 'm1', type: 'merge', reportIds: ['A', 'B'] },
      { id: 'm2', type: 'merge', reportIds: ['B', 'C'] },
    ];
    expect(ids(log)).toEqual([['D'], ['C', 'B', 'A']]);
    expect(ids([...log, { id: 's1', type: 'split', reportIds: ['B'] }])).toEqual([['D'], ['C', 'A'], ['B']]);
  });

  it('undo of a merge is an operation; later operations still apply; undo of the undo restores it', () => {
    const log: LinkageOp[] = [
      { id: 'm1', type: 'merge', reportIds: ['A', 'B'] },
      { id: 'm2', type: 'merge', reportIds: ['B', 'C'] },
      { id: 'u1', type: 'undo', target: 'm1' },
    ];
    const s = applyLinkage(reports, log);
    expect(s.cases.map((c) => c.reportIds)).toEqual([['D'], ['C', 'B'], ['A']]);
    expect(s.activeOps).toEqual(['m2', 'u1']);
    expect(ids([...log, { id: 'u2', type: 'undo', target: 'u1' }])).toEqual([['D'], ['C', 'B', 'A']]);
    expect(ids([...log, { id: 'u3', type: 'undo', target: 'm2' }])).toEqual([['D'], ['C'], ['B'], ['A']]);
  });

  it('undo of a split puts the report back', () => {
    expect(
      ids([
        { id: 'm1', type: 'merge', reportIds: ['A', 'B', 'C'] },
        { id: 's1', type: 'split', reportIds: ['A'] },
        { id: 'u1', type: 'undo', target: 's1' },
      ]),
    ).toEqual([['D'], ['C', 'B', 'A']]);
  });

  it('warns about and ignores bad operations', () => {
    const s = applyLinkage(reports, [
      { id: 'm1', type: 'merge', reportIds: ['A', 'Z'] },
      { id: 'u1', type: 'undo', target: 'nope' },
      { id: 'u2', type: 'undo', target: 'm9' },
      { id: 'm9', type: 'merge', reportIds: ['C', 'D'] },
      { id: 'm9', type: 'merge', reportIds: ['A', 'B'] },
    ]);
    expect(s.warnings).toEqual([
      'operation id m9 is used twice; the later one is ignored',
      'undo u2: m9 comes later in the log',
      'undo u1: no operation nope',
      'merge m1: unknown report Z ignored',
      'merge m1: needs at least two known reports',
    ]);
    expect(s.cases.map((c) => c.reportIds)).toEqual([['D', 'C'], ['B'], ['A']]);
  });

  it('clustersFromLinks is the union of confirmed links', () => {
    expect(
      clustersFromLinks(reports, [
        ['A', 'B'],
        ['C', 'B'],
      ]).map((c) => c.reportIds),
    ).toEqual([['D'], ['C', 'B', 'A']]);
  });

  it('property: undoing every operation gives singletons; the partition covers every report once', () => {
    const opArb = fc.oneof(
      fc.record({ type: fc.constant('merge' as const), reportIds: fc.subarray(['A', 'B', 'C', 'D'], { minLength: 2 }) }),
      fc.record({ type: fc.constant('split' as const), reportIds: fc.subarray(['A', 'B', 'C', 'D'], { minLength: 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 8 }), (raw) => {
        const log: LinkageOp[] = raw.map((o, i) => ({ id: `o${i}`, ...o }));
        const s = applyLinkage(reports, log);
        expect(s.cases.flatMap((c) => c.reportIds).sort()).toEqual(['A', 'B', 'C', 'D']);
        const undone: LinkageOp[] = [...log, ...log.map((o, i): LinkageOp => ({ id: `u${i}`, type: 'undo', target: o.id }))];
        expect(applyLinkage(reports, undone).cases.length).toBe(4);
      }),
    );
  });
});
