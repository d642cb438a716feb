import { describe, expect, it } from 'vitest';
import {
  OP_MABBLE_CASE_DEFINITION,
  classifyForAreas,
  classifyIncident,
  defaultCaseDefinition,
  validateCaseDefinition,
  type CaseDefinition,
} from './caseDefinition';
import { describeCondition, evaluateCondition } from './conditions';
import { makeIncident } from './testFactories';
import type { IncidentRecord } from './types';

const DEF = OP_MABBLE_CASE_DEFINITION;
const so = { synthetic_opioid_suspected: 'Y' } as const;

describe('classifyIncident with the Op Mabble default', () => {
  it.each<[string, Partial<IncidentRecord>, string | null, string | null]>([
    // name, overrides, level, rule id
    ['toxicology nitazene present → confirmed', { tox_nitazene_present: 'Y' }, 'confirmed', 'confirmed-toxicology'],
    [
      'N-desethyl isotonitazene → confirmed',
      { tox_n_desethyl_isotonitazene: 'Y' },
      'confirmed',
      'confirmed-toxicology-n-desethyl-isotonitazene',
    ],
    ['forensic nitazene → confirmed', { forensic_nitazene: 'Y' }, 'confirmed', 'confirmed-forensics'],
    ['confirmed beats probable', { ...so, naloxone_doses: 3, forensic_nitazene: 'Y' }, 'confirmed', 'confirmed-forensics'],
    ['suspected + 2 naloxone doses → probable', { ...so, naloxone_doses: 2 }, 'probable', 'probable-multiple-naloxone'],
    ['suspected + 1 naloxone dose → suspected (boundary)', { ...so, naloxone_doses: 1 }, 'suspected', 'suspected'],
    ['suspected + nitazene named → probable', { ...so, substances: ['heroin', 'Protonitazene'] }, 'probable', 'probable-named-substance'],
    ['suspected alone → suspected', { ...so }, 'suspected', 'suspected'],
    ['nitazene named without the flag → suspected', { substances: ['isotonitazene'] }, 'suspected', 'suspected-named-substance'],
    ['fentanyl named → suspected', { synthetic_opioid_suspected: 'unknown', substances: ['fentanyl'] }, 'suspected', 'suspected-named-substance'],
    ['nothing suspected → not a case', { naloxone_doses: 4 }, null, null],
    ['flag N → not a case', { synthetic_opioid_suspected: 'N' }, null, null],
    ['flag unknown → not a case', { synthetic_opioid_suspected: 'unknown' }, null, null],
    ['2 naloxone doses but no suspicion → not a case', { naloxone_doses: 2, substances: ['heroin'] }, null, null],
  ])('%s', (_name, overrides, level, ruleId) => {
    const c = classifyIncident(makeIncident(overrides), DEF);
    expect(c.level).toBe(level);
    expect(c.rule?.id ?? null).toBe(ruleId);
    expect(c.meets).toBe(level !== null);
  });

  it.each<[string, Partial<IncidentRecord>, boolean]>([
    ['death', { event_type: 'death' }, true],
    ['A&E attendance', { event_type: 'ae_attendance' }, true],
    ['ambulance call-out', { event_type: 'ambulance_callout' }, true],
    ['naloxone administration', { event_type: 'naloxone_administration' }, true],
    ['prison event with naloxone', { event_type: 'prison_event', naloxone_doses: 1 }, true],
    ['prison event ending in death', { event_type: 'prison_event', outcome: 'died' }, true],
    ['prison event without harm recorded', { event_type: 'prison_event' }, false],
    ['drug-check result', { event_type: 'drug_check_result', source: 'drug_checking' }, false],
    ['seizure test', { event_type: 'seizure_test', source: 'police' }, false],
    ['intelligence', { event_type: 'intelligence' }, false],
  ])('harm: %s → case %s', (_name, overrides, meets) => {
    const c = classifyIncident(makeIncident({ ...so, ...overrides }), DEF);
    expect(c.meets).toBe(meets);
    expect(c.checks.find((k) => k.name === 'harm')?.passed).toBe(meets);
  });

  it.each<[string, string, boolean]>([
    ['day before the start date', '2023-05-31', false],
    ['start date itself', '2023-06-01', true],
    ['later', '2024-01-01', true],
    ['not a date', '2023-02-30', false],
  ])('period: %s', (_name, event_date, meets) => {
    expect(classifyIncident(makeIncident({ ...so, event_date }), DEF).meets).toBe(meets);
  });

  it('area: inside and outside the conurbation', () => {
    expect(classifyIncident(makeIncident({ ...so, local_authority: 'E08000031' }), DEF).meets).toBe(true);
    const outside = classifyIncident(makeIncident({ ...so, local_authority: 'E06000008' }), DEF);
    expect(outside.meets).toBe(false);
    expect(outside.summary).toBe('Not a case: local authority E06000008 is outside the area.');
  });

  it('toxicology negative for nitazene excludes a suspected case, unless there is other evidence', () => {
    const negative = { ...so, tox_tested_nitazene: 'Y', tox_nitazene_present: 'N' } as const;
    const x = classifyIncident(makeIncident(negative), DEF);
    expect(x.meets).toBe(false);
    expect(x.excludedBy?.id).toBe('toxicology-negative');
    expect(x.matchedRules.map((r) => r.id)).toEqual(['suspected']);
    expect(classifyIncident(makeIncident({ ...negative, substances: ['fentanyl'] }), DEF).level).toBe('probable');
    expect(classifyIncident(makeIncident({ ...negative, forensic_nitazene: 'Y' }), DEF).level).toBe('confirmed');
    // Tested, result not yet known: still suspected.
    expect(classifyIncident(makeIncident({ ...so, tox_tested_nitazene: 'Y' }), DEF).level).toBe('suspected');
  });

  it('explains the result in words', () => {
    const c = classifyIncident(makeIncident({ ...so, naloxone_doses: 3 }), DEF);
    expect(c.summary).toBe('Probable case: Synthetic opioid use suspected and 2 or more naloxone doses needed.');
    expect(c.because).toEqual(['synthetic opioid use suspected is yes', '3 naloxone doses given (2 or more)']);
    expect(c.matchedRules.map((r) => r.id)).toEqual(['probable-multiple-naloxone', 'suspected']);
    expect(c.checks.map((k) => [k.name, k.passed])).toEqual([
      ['area', true],
      ['period', true],
      ['harm', true],
      ['synthetic_opioids', true],
    ]);
  });

  it('exercise reports are classified like any other', () => {
    expect(classifyIncident(makeIncident({ ...so, exercise: true }), DEF).level).toBe('suspected');
  });
});

describe('configuring a definition per area', () => {
  const bristol = defaultCaseDefinition({
    id: 'bristol',
    name: 'Bristol',
    localAuthorities: ['E06000023'],
    startDate: '2024-01-01',
    endDate: '2024-06-30',
    rules: { multipleNaloxoneDoses: 3 },
  });

  it('uses its own area, dates and dose threshold', () => {
    const base = { ...so, local_authority: 'E06000023' };
    expect(classifyIncident(makeIncident({ ...base, naloxone_doses: 2, event_date: '2024-02-01' }), bristol).level).toBe('suspected');
    expect(classifyIncident(makeIncident({ ...base, naloxone_doses: 3, event_date: '2024-02-01' }), bristol).level).toBe('probable');
    expect(classifyIncident(makeIncident({ ...base, event_date: '2024-06-30' }), bristol).meets).toBe(true);
    expect(classifyIncident(makeIncident({ ...base, event_date: '2024-07-01' }), bristol).meets).toBe(false);
  });

  it('rules are data: a custom definition with its own rule', () => {
    const custom: CaseDefinition = {
      ...bristol,
      id: 'custom',
      levels: [
        {
          id: 'injecting-hmo',
          level: 'suspected',
          when: {
            kind: 'all',
            of: [
              { kind: 'route', in: ['injecting'] },
              { kind: 'flag', field: 'hmo', is: ['Y'] },
            ],
          },
        },
      ],
      exclusions: [],
    };
    const c = classifyIncident(
      makeIncident({ local_authority: 'E06000023', event_date: '2024-02-01', route: 'injecting', hmo: 'Y' }),
      custom,
    );
    expect(c.rule).toEqual({ id: 'injecting-hmo', level: 'suspected', text: 'all of (route is injecting; HMO is yes)' });
  });

  it('classifyForAreas picks the definition covering the report and the strongest result', () => {
    const r = makeIncident({ ...so, local_authority: 'E06000023', event_date: '2024-02-01' });
    expect(classifyForAreas(r, [DEF, bristol])?.definitionId).toBe('bristol');
    expect(classifyForAreas(makeIncident({ local_authority: 'E09000001' }), [DEF, bristol])).toBeNull();
  });

  it('validates a loaded definition', () => {
    expect(validateCaseDefinition(DEF)).toEqual([]);
    expect(
      validateCaseDefinition({ ...bristol, startDate: '2024-13-01', endDate: '2023-01-01', localAuthorities: [], levels: [] }),
    ).toEqual(['startDate is not an ISO date: 2024-13-01', 'endDate is before startDate', 'localAuthorities is empty', 'no level rules']);
  });
});

describe('conditions', () => {
  it('unknown never satisfies a test', () => {
    const r = makeIncident();
    expect(evaluateCondition({ kind: 'flag', field: 'hmo', is: ['Y'] }, r).ok).toBe(false);
    expect(evaluateCondition({ kind: 'flag', field: 'hmo', is: ['unknown'] }, r).ok).toBe(true);
    expect(evaluateCondition({ kind: 'naloxoneDoses', atLeast: 0 }, r).ok).toBe(false);
    expect(evaluateCondition({ kind: 'outcome', in: ['died'] }, r).ok).toBe(false);
    expect(evaluateCondition({ kind: 'not', condition: { kind: 'outcome', in: ['died'] } }, r).ok).toBe(true);
  });

  it('describes conditions', () => {
    expect(describeCondition({ kind: 'eventType', in: ['death', 'non_fatal_overdose', 'ae_attendance'] })).toBe(
      'event is death, non fatal overdose or ae attendance',
    );
    expect(describeCondition({ kind: 'source', in: ['police'] })).toBe('reported by police');
  });
});
