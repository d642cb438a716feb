import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APPENDIX2, dataItemsForReport } from './appendix2';
import { APPENDIX3, APPENDIX3_AGENCIES, APPENDIX3_STEP_HEADINGS, REPORTING_RHYTHM, activitiesAtStep, stepGuide } from './appendix3';
import { OP_MABBLE_CASE_DEFINITION_TEXT, OP_MABBLE_FIELDS, opMabbleHeaders, opMabbleRow } from './opMabble';
import { makeIncident } from './testFactories';
import { INCIDENT_EVENT_TYPES, INCIDENT_SOURCES, STEPS } from './types';

/** The seed, when the shared folder is present (it is in development, not in every checkout). */
function seedText(): string | null {
  try {
    const here = fileURLToPath(new URL('.', import.meta.url));
    return readFileSync(`${here}../../../../shared/seeds/000_cd877e7f3e71e57a.txt`, 'utf8');
  } catch {
    return null;
  }
}

/** The seed with HTML tags and entities removed and whitespace collapsed. */
function plainSeed(): string | null {
  const s = seedText();
  if (s === null) return null;
  return s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/<sup>|<\/sup>/g, '')
    .replace(/'\s+eyes wide open\s+'/g, "'eyes wide open'")
    .replace(/\s+/g, ' ');
}

describe('Appendix 3 (activities by agency and step)', () => {
  it('has every agency at every step, in the seed order', () => {
    for (const agency of APPENDIX3_AGENCIES) {
      expect(APPENDIX3.filter((r) => r.agency === agency).map((r) => r.step)).toEqual([1, 2, 3]);
    }
    expect(APPENDIX3.filter((r) => r.agency === 'Probation').every((r) => r.activities.length === 0)).toBe(true);
  });

  it('is a faithful transcription: every activity and item appears in the seed', () => {
    const seed = plainSeed();
    if (seed === null) return; // seed not available in this checkout
    const norm = (t: string) => t.replace(/\s+/g, ' ').trim();
    for (const row of APPENDIX3) {
      for (const a of row.activities) {
        expect(seed, a.text).toContain(norm(a.text));
        for (const i of a.items ?? []) expect(seed, i).toContain(`- ${norm(i)}`);
      }
    }
    for (const h of Object.values(APPENDIX3_STEP_HEADINGS)) expect(seed).toContain(h);
  });

  it('counts: 60 activity lines (59 paragraphs and list items in the seed, whose Local authorities Step 3 cell holds two activities run together)', () => {
    const n = APPENDIX3.reduce((s, r) => s + r.activities.reduce((t, a) => t + 1 + (a.items?.length ?? 0), 0), 0);
    expect(n).toBe(60);
  });

  it('steps are cumulative ("As per Step 1, plus")', () => {
    const at = (step: 1 | 2 | 3) => activitiesAtStep(step).find((a) => a.agency === 'LDIS')?.activities ?? [];
    expect(at(1).map((a) => a.fromStep)).toEqual([1, 1, 1, 1]);
    expect(at(2).length).toBe(7);
    expect(at(3).length).toBe(10);
    expect(at(3).at(-1)).toEqual({ text: 'Bi-weekly/Weekly analysis circulated', fromStep: 3 });
  });

  it('reporting rhythm per step', () => {
    expect(STEPS.map((s) => [REPORTING_RHYTHM[s].pinReportEveryDays, REPORTING_RHYTHM[s].requestForInformationEveryDays])).toEqual([
      [30, null],
      [7, 7],
      [7, 1],
    ]);
    const seed = plainSeed();
    if (seed !== null) for (const s of STEPS) for (const line of REPORTING_RHYTHM[s].seed) expect(seed).toContain(line);
    expect(stepGuide(3).heading).toBe('Step 3 – Confirmed presence of SOs and/or local rise in deaths/ODs. As per Steps 1&2, plus:');
  });
});

describe('Appendix 2 (partner data items)', () => {
  it('has the thirteen items, with sources and event types that exist', () => {
    expect(APPENDIX2).toHaveLength(13);
    expect(new Set(APPENDIX2.map((i) => i.id)).size).toBe(13);
    for (const i of APPENDIX2) {
      if (i.feed.kind !== 'incidents') continue;
      for (const s of i.feed.sources) expect(INCIDENT_SOURCES).toContain(s);
      for (const e of i.feed.eventTypes) expect(INCIDENT_EVENT_TYPES).toContain(e);
    }
  });

  it('is a faithful transcription', () => {
    const seed = seedText();
    if (seed === null) return;
    for (const i of APPENDIX2) {
      expect(seed).toContain(`${i.agency}\t${i.proposedData}\t`);
      if (i.rationale) expect(seed).toContain(i.rationale);
      if (i.considerations) expect(seed).toContain(i.considerations);
    }
  });

  it('maps a report to the data items it counts towards', () => {
    expect(dataItemsForReport({ source: 'ambulance', event_type: 'ambulance_callout' }).map((i) => i.id)).toEqual([
      'ambulance-overdose-callouts',
      'ambulance-naloxone',
    ]);
    expect(dataItemsForReport({ source: 'coroner', event_type: 'death' }).map((i) => i.id)).toEqual(['coroner-toxicology', 'coroner-post-inquest']);
    expect(dataItemsForReport({ source: 'pharmacy', event_type: 'intelligence' })).toEqual([]);
  });
});

describe('Op Mabble fields (Appendix 1)', () => {
  it('the fields and the definition are the seed’s', () => {
    expect(OP_MABBLE_FIELDS).toHaveLength(17);
    const seed = plainSeed();
    if (seed === null) return;
    for (const f of OP_MABBLE_FIELDS) expect(seed).toContain(f.seedText);
    for (const line of OP_MABBLE_CASE_DEFINITION_TEXT) expect(seed).toContain(line.replace('1st', '1 st'));
  });

  it('headers for the case-list export', () => {
    expect(opMabbleHeaders().slice(0, 5)).toEqual(['Death', 'Date of death', 'Age', 'Sex', 'Non-fatal overdose']);
  });

  it.each<[string, Parameters<typeof makeIncident>[0], Record<string, unknown>]>([
    ['a death', { event_type: 'death', event_date: '2024-03-01' }, { death: 'Yes', date_of_death: '2024-03-01', non_fatal_overdose: 'No' }],
    ['a non-fatal overdose', { event_type: 'non_fatal_overdose' }, { death: 'No', date_of_death: null, non_fatal_overdose: 'Yes' }],
    ['an A&E attendance that died', { event_type: 'ae_attendance', outcome: 'died' }, { death: 'Yes', non_fatal_overdose: 'No' }],
    ['a prison event, outcome unknown', { event_type: 'prison_event' }, { death: 'Unknown', non_fatal_overdose: 'Unknown' }],
  ])('derives death and overdose for %s', (_n, o, expected) => {
    expect(opMabbleRow(makeIncident(o))).toMatchObject(expected);
  });

  it('a full row', () => {
    const row = opMabbleRow(
      makeIncident({
        age: 34,
        sex: 'M',
        postcode: 'B12 9QT',
        hmo: 'Y',
        street_sleeping: 'N',
        route: 'smoking',
        tox_tested_nitazene: 'Y',
        tox_nitazene_present: 'Y',
      }),
    );
    expect(row).toEqual({
      death: 'No',
      date_of_death: null,
      age: 34,
      sex: 'M',
      non_fatal_overdose: 'Yes',
      postcode: 'B12 9QT',
      hmo: 'Yes',
      street_sleeping: 'No',
      class_a_user: 'Unknown',
      in_treatment: 'Unknown',
      route: 'Oral – smoking',
      forensic_nitazene: 'Unknown',
      tox_tested_nitazene: 'Yes',
      tox_nitazene_present: 'Yes',
      tox_n_desethyl_isotonitazene: 'Unknown',
      coronial_nitazene_contributed: null,
      coronial_combination_effect: null,
    });
  });
});
