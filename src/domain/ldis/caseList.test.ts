import { describe, expect, it } from 'vitest';
import { combineCaseReports, summariseByAreaWeek, weekStart } from './caseList';
import { flowStatus } from './gaps';
import type { IncidentRecord } from './types';

function rec(id: string, extra: Partial<IncidentRecord> = {}): IncidentRecord {
  return { report_id: id, received_at: '2024-05-10T10:00:00Z', source: 'ambulance', event_date: '2024-05-10', event_type: 'ambulance_callout', local_authority: 'E08000025', ...extra };
}

describe('weekStart (ISO weeks begin on Monday)', () => {
  it.each([
    ['2024-05-06', '2024-05-06'], // Monday
    ['2024-05-12', '2024-05-06'], // Sunday
    ['2024-05-13', '2024-05-13'],
    ['2024-01-01', '2024-01-01'],
    ['2023-12-31', '2023-12-25'],
    ['1970-01-01', '1969-12-29'], // a Thursday
  ])('%s → %s', (d, w) => expect(weekStart(d)).toBe(w));
  it('refuses a date that is not real', () => expect(() => weekStart('2024-02-30')).toThrow(RangeError));
});

describe('combineCaseReports', () => {
  const cases: Array<[string, IncidentRecord[], Partial<IncidentRecord>]> = [
    ['earliest event date; first known age and sex', [rec('a', { event_date: '2024-05-11', sex: 'U' }), rec('b', { event_date: '2024-05-10', age: 34, sex: 'M' })], { event_date: '2024-05-10', age: 34, sex: 'M' }],
    ['Y beats N beats unknown', [rec('a', { tox_nitazene_present: 'N', hmo: 'unknown' }), rec('b', { tox_nitazene_present: 'Y', hmo: 'N' })], { tox_nitazene_present: 'Y', hmo: 'N', street_sleeping: 'unknown' }],
    ['the most serious outcome; a death makes the case a death', [rec('a', { outcome: 'hospital' }), rec('b', { outcome: 'died', event_type: 'ae_attendance' })], { outcome: 'died', event_type: 'death' }],
    ['most naloxone doses; substances from every report, once', [rec('a', { naloxone_doses: 1, substances: ['heroin'] }), rec('b', { naloxone_doses: 3, substances: ['Heroin', 'nitazene'] })], { naloxone_doses: 3, substances: ['heroin', 'nitazene'] }],
    ['unknown stays unknown', [rec('a'), rec('b')], { age: null, sex: null, outcome: null, naloxone_doses: null, substances: [] }],
    ['sex U only when nothing better', [rec('a', { sex: 'U' })], { sex: 'U' }],
    ['a drill case stays a drill', [rec('a', { exercise: true })], { exercise: true }],
  ];
  it.each(cases)('%s', (_name, reports, expected) => expect(combineCaseReports(reports)).toMatchObject(expected));
  it('needs at least one report', () => expect(() => combineCaseReports([])).toThrow(RangeError));
});

describe('summariseByAreaWeek', () => {
  it('counts cases, levels and deaths per area and week, sorted', () => {
    expect(
      summariseByAreaWeek([
        { local_authority: 'E2', event_date: '2024-05-07', level: 'confirmed', died: true },
        { local_authority: 'E1', event_date: '2024-05-12', level: 'suspected', died: false },
        { local_authority: 'E1', event_date: '2024-05-06', level: 'probable', died: false },
        { local_authority: 'E1', event_date: '2024-05-13', level: 'suspected', died: false },
      ]),
    ).toEqual([
      { local_authority: 'E1', week: '2024-05-06', cases: 2, suspected: 1, probable: 1, confirmed: 0, deaths: 0 },
      { local_authority: 'E1', week: '2024-05-13', cases: 1, suspected: 1, probable: 0, confirmed: 0, deaths: 0 },
      { local_authority: 'E2', week: '2024-05-06', cases: 1, suspected: 0, probable: 0, confirmed: 1, deaths: 1 },
    ]);
  });
});

describe('flowStatus (data-flow gaps)', () => {
  const now = '2024-06-30T12:00:00Z';
  it.each([
    [null, 28, { status: 'never', daysSince: null }],
    ['2024-06-30T08:00:00Z', 28, { status: 'reporting', daysSince: 0 }],
    ['2024-06-03T12:00:01Z', 28, { status: 'reporting', daysSince: 26 }],
    ['2024-06-02T12:00:00Z', 28, { status: 'quiet', daysSince: 28 }],
    ['2024-01-01T00:00:00Z', 28, { status: 'quiet', daysSince: 181 }],
    ['2024-06-23T12:00:00Z', 7, { status: 'quiet', daysSince: 7 }],
  ] as const)('last %s, gap %i days', (lastAt, days, expected) => expect(flowStatus({ lastAt, inPeriod: 0 }, now, days)).toEqual(expected));
});
