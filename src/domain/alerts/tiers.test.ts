import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nhsCheckDigit } from '../disclosure/identifiers';
import { draftAlert, type AlertContent } from './content';
import { bandAges, copyText, findIdentifierLeaks, findSmallCounts, produceTiers, protectTextCounts, redactForSharing, type TierOptions } from './tiers';
import type { IncidentRecord } from '../ldis/types';

const AREA = { code: 'E06000008', name: 'Blackburn with Darwen' };

function content(over: Partial<AlertContent> = {}): AlertContent {
  return {
    title: 'Alert: nitazene harm',
    what: '',
    where: '',
    when: '',
    advicePeopleWhoUseDrugs: 'Carry naloxone.',
    adviceProfessionals: 'Report overdoses.',
    actions: [{ agency: 'LDIS', actions: ['Daily request for information sent to PIN'] }],
    figures: [],
    coronerInformation: '',
    ...over,
  };
}

function options(over: Partial<TierOptions> = {}): TierOptions {
  return { known: {}, referenceDate: '2024-05-10', coronerSharingPermitted: false, areaName: AREA.name, ...over };
}

describe('protectTextCounts (default policy: suppress 1–7, round to 5)', () => {
  it.each([
    ['3 overdoses in 5 days', 'fewer than 8 overdoses in 5 days'],
    ['three non-fatal overdoses', 'fewer than 8 non-fatal overdoses'],
    ['12 people attended A&E', 'about 10 people attended A&E'],
    ['13 suspected drug-related deaths', 'about 15 suspected drug-related deaths'],
    ['2 of whom died', 'fewer than 8 of whom died'],
    ['15 reports', 'about 15 reports'],
    ['0 deaths', '0 deaths'],
    ['on 10 May 2024', 'on 10 May 2024'],
    ['Step 3 applies', 'Step 3 applies'],
    ['postcode district BB1', 'postcode district BB1'],
  ])('%j → %j', (input, out) => {
    expect(protectTextCounts(input)).toBe(out);
  });

  it('finds no small count once protected', () => {
    expect(findSmallCounts('4 deaths and 9 overdoses')).toEqual(['4 deaths', '9 overdoses']);
    expect(findSmallCounts(protectTextCounts('4 deaths and 9 overdoses'))).toEqual([]);
  });
});

describe('bandAges', () => {
  it.each([
    ['a man aged 41', 'a man aged 35-44'],
    ['age: 19', 'age: 18-24'],
    ['a 67-year-old woman', 'a 65 and over-year-old woman'],
    ['aged 25 to 34', 'aged 25 to 34'],
  ])('%j → %j', (input, out) => {
    expect(bandAges(input)).toBe(out);
  });
});

describe('produceTiers', () => {
  const source = content({
    what: 'Mr John Smith, DOB 12/03/1985, NHS number 943 476 5919, of 14 Mill Lane, BB1 1AA, was found aged 39 after 3 overdoses in the hostel.',
    where: 'Flat 3, 14 Mill Lane, Blackburn BB1 1AA',
    when: 'On 10 May 2024.',
    coronerInformation: 'The coroner reports that nitazene contributed to the death.',
    figures: [
      { label: 'Reports of this event', count: 3 },
      { label: 'Overdoses in the area in 28 days', count: 12 },
    ],
  });
  const known = { names: ['John Smith'], datesOfBirth: ['1985-03-12'], nhsNumbers: ['9434765919'], postcodes: ['BB1 1AA'], addresses: ['14 Mill Lane'] };
  const tiers = produceTiers(source, options({ known }));

  it('keeps the panel copy whole', () => {
    expect(copyText(tiers.panel)).toContain('John Smith');
    expect(copyText(tiers.panel)).toContain('nitazene contributed');
    expect(tiers.panel.figures.map((f) => f.display)).toEqual(['3', '12']);
  });

  it('redacts the partners copy: identifiers, ages, counts, coroner', () => {
    const text = copyText(tiers.partners);
    expect(findIdentifierLeaks(text, known)).toEqual([]);
    expect(text).toContain('BB1');
    expect(text).toContain('35-44');
    expect(text).toContain('fewer than 8 overdoses');
    expect(text).not.toContain('nitazene contributed');
    expect(tiers.partners.notes.join(' ')).toMatch(/coroner is held back/);
    expect(tiers.partners.figures.map((f) => f.display)).toEqual(['*', '10']);
    expect(tiers.partners.actions).toEqual(tiers.panel.actions);
  });

  it('shares the coroner information once permission is recorded (still redacted)', () => {
    const t = produceTiers(source, options({ known, coronerSharingPermitted: true }));
    expect(copyText(t.partners)).toContain('nitazene contributed');
    expect(t.partners.notes.join(' ')).not.toMatch(/held back/);
  });

  it('makes a public bulletin without figures, professional advice or actions, placed at area level', () => {
    const text = copyText(tiers.public);
    expect(findIdentifierLeaks(text, known)).toEqual([]);
    expect(tiers.public.figures).toEqual([]);
    expect(tiers.public.actions).toEqual([]);
    expect(tiers.public.sections.map((s) => s.key)).toEqual(['what', 'where', 'when', 'advicePeopleWhoUseDrugs']);
    expect(tiers.public.sections.find((s) => s.key === 'where')?.text).toBe('Blackburn with Darwen.');
  });

  it('a report drafted by the template and shared leaks nothing from the report', () => {
    const report: IncidentRecord = {
      report_id: 'R1',
      received_at: '2024-05-11T09:00:00Z',
      source: 'police',
      event_date: '2024-05-10',
      event_type: 'non_fatal_overdose',
      local_authority: AREA.code,
      age: 41,
      sex: 'F',
      postcode: 'BB2 4QT',
      notes: 'Found by her partner Ms Jane Doe at 7 Kings Road; DOB 01/02/1983.',
      synthetic_opioid_suspected: 'Y',
      substances: ['heroin', 'nitazene'],
    };
    const c = draftAlert({ kind: 'report', report, level: 'probable' }, { kind: 'formal_alert', area: AREA, step: 2 });
    expect(c.what).toContain('aged 41');
    const t = produceTiers(c, options({ known: { postcodes: ['BB2 4QT'], datesOfBirth: ['1983-02-01'] }, referenceDate: report.event_date }));
    const text = copyText(t.partners);
    expect(findIdentifierLeaks(text, { names: ['Jane Doe'], postcodes: ['BB2 4QT'], datesOfBirth: ['1983-02-01'], addresses: ['7 Kings Road'] })).toEqual([]);
    expect(text).toContain('BB2');
    expect(text).toContain('aged 35-44');
    expect(text).toContain('10 May 2024');
  });
});

// ---------------------------------------------------------------------------------------
// Property: whatever identities the source holds and however the text places them, the
// shared copies never contain one of them, nor a count from 1 to 7 beside a counted noun.
// ---------------------------------------------------------------------------------------

const FIRST = ['John', 'Aisha', 'Mohammed', 'Olivia', 'Wojciech', "Siobhan", 'Kwame', 'Priya', 'Liam', 'Chloe'];
const LAST = ['Smith', 'Khan', 'Nowak', "O'Brien", 'Mensah', 'Patel', 'Jones', 'Williams', 'Taylor-Brown', 'Evans'];
const STREETS = ['Mill Lane', 'High Street', 'Church Road', 'Victoria Avenue', 'Park Close', 'Queens Drive'];
const OUTWARD = ['BB1', 'BB2', 'FY1', 'L8', 'M14', 'B12', 'SW1A', 'EC1A', 'LS6'];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const nhsArb = fc
  .stringMatching(/^\d{9}$/)
  .map((p) => ({ p, c: nhsCheckDigit(p) }))
  .filter((x) => x.c !== null)
  .map((x) => `${x.p}${x.c ?? 0}`);
const postcodeArb = fc
  .tuple(fc.constantFrom(...OUTWARD), fc.integer({ min: 0, max: 9 }), fc.constantFrom(...INWARD_LETTERS), fc.constantFrom(...INWARD_LETTERS))
  .map(([o, d, a, b]) => `${o} ${d}${a}${b}`);
const dobArb = fc
  .tuple(fc.integer({ min: 1940, max: 2005 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const personArb = fc.record({
  first: fc.constantFrom(...FIRST),
  last: fc.constantFrom(...LAST),
  nhs: nhsArb,
  postcode: postcodeArb,
  dob: dobArb,
  house: fc.integer({ min: 1, max: 250 }),
  street: fc.constantFrom(...STREETS),
  age: fc.integer({ min: 16, max: 80 }),
  count: fc.integer({ min: 1, max: 30 }),
});

function writeDob(iso: string, form: number): string {
  const [y, m, d] = iso.split('-');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  switch (form % 4) {
    case 0:
      return iso;
    case 1:
      return `${d}/${m}/${y}`;
    case 2:
      return `${Number(d)} ${months[Number(m) - 1]} ${y}`;
    default:
      return `${d}.${m}.${y}`;
  }
}

function writeNhs(n: string, form: number): string {
  return form % 3 === 0 ? n : form % 3 === 1 ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
}

describe('property: shared copies never contain an identifier of the source', () => {
  it('holds for random people written into every section in varied forms', () => {
    fc.assert(
      fc.property(fc.array(personArb, { minLength: 1, maxLength: 3 }), fc.nat(1000), (people, form) => {
        const sentences = people.map(
          (p, i) =>
            `${i % 2 === 0 ? 'Mr' : 'Ms'} ${p.first} ${p.last} (date of birth ${writeDob(p.dob, form + i)}, NHS no. ${writeNhs(p.nhs, form + i)}), aged ${p.age}, of ${p.house} ${p.street}, ${form % 2 === 0 ? p.postcode : p.postcode.replace(' ', '').toLowerCase()}, was one of ${p.count} overdoses reported. ${p.first} was known as ${p.first} ${p.last}.`,
        );
        const known = {
          names: people.map((p) => `${p.first} ${p.last}`),
          nhsNumbers: people.map((p) => p.nhs),
          datesOfBirth: people.map((p) => p.dob),
          postcodes: people.map((p) => p.postcode),
          addresses: people.map((p) => `${p.house} ${p.street}`),
        };
        const c = content({
          title: `Alert about ${people[0]?.first ?? ''} ${people[0]?.last ?? ''}`,
          what: sentences.join(' '),
          where: people.map((p) => `${p.house} ${p.street}, ${p.postcode}`).join('; '),
          when: 'On 10 May 2024.',
          adviceProfessionals: `Contact ${people[0]?.first ?? ''} ${people[0]?.last ?? ''}'s keyworker.`,
          coronerInformation: sentences[0] ?? '',
          figures: people.map((p) => ({ label: 'Overdoses', count: p.count })),
          actions: [{ agency: 'Police', actions: [`Visit ${people[0]?.house ?? 1} ${people[0]?.street ?? ''}`] }],
        });
        for (const permitted of [false, true]) {
          const tiers = produceTiers(c, options({ known, coronerSharingPermitted: permitted }));
          for (const copy of [tiers.partners, tiers.public]) {
            const text = copyText(copy);
            expect(findIdentifierLeaks(text, known)).toEqual([]);
            expect(findSmallCounts(text)).toEqual([]);
            for (const f of copy.figures) expect(['1', '2', '3', '4', '5', '6', '7']).not.toContain(f.display);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('redactForSharing leaves ordinary text alone', () => {
    const text = 'Drugs sold as heroin may contain nitazenes. Carry naloxone and call 999.';
    expect(redactForSharing(text, options())).toBe(text);
  });
});
