import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMeasureKey } from './measures';
import { parseSeedRag } from './rag';
import {
  BUILTIN_TEMPLATES,
  HARM_REDUCTION_SELF_AUDIT,
  PREPAREDNESS_CHECKLIST,
  PROVIDER_RECOMMENDATIONS,
  buildUserTemplate,
  parseOutline,
  templateItems,
  templateMeasures,
} from './templates';

const SEED_002 = readFileSync(new URL('../../../../shared/seeds/002_e251205437129569.txt', import.meta.url), 'utf8');

/** The seed's item rows: "text<TAB>lead<TAB>rag[<TAB>comments]" lines that are not headings. */
function seedRows(): Array<{ text: string; lead: string; rag: string }> {
  const clean = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ').replace(/ ,/g, ',').trim();
  const rows: Array<{ text: string; lead: string; rag: string }> = [];
  for (const line of SEED_002.split('\n')) {
    const cells = line.split('\t');
    if (cells.length < 3) continue;
    const [text, lead, rag] = cells.map(clean) as [string, string, string];
    if (/^Lead agencies/.test(lead)) continue; // section headings
    if (parseSeedRag(rag) === null) continue;
    rows.push({ text, lead, rag });
  }
  return rows;
}

describe('seed 002 harm-reduction self-audit', () => {
  const items = templateItems(HARM_REDUCTION_SELF_AUDIT);

  it('has sections 1–8 with the seed’s titles', () => {
    expect(HARM_REDUCTION_SELF_AUDIT.sections.map((s) => s.title)).toEqual([
      'Strategic management',
      'Confidential Inquiries (CI)',
      'All services',
      'Tier 1 services',
      'Tier 2 services',
      'Tier 3 services',
      'Tier 4 services',
      'Workforce',
    ]);
    expect(HARM_REDUCTION_SELF_AUDIT.sections.map((s) => s.items.length)).toEqual([7, 9, 6, 8, 9, 11, 6, 4]);
  });

  it('contains every item of the seed, in order, with its lead agencies and rating', () => {
    const rows = seedRows();
    expect(rows).toHaveLength(60);
    expect(items).toHaveLength(rows.length);
    rows.forEach((row, i) => {
      const item = items[i]!;
      expect(item.text, `item ${i + 1}`).toBe(row.text);
      expect(item.lead, `lead of item ${i + 1}`).toBe(row.lead);
      expect(item.seedRating, `rating of item ${i + 1}`).toBe(parseSeedRag(row.rag));
    });
  });
});

describe('the other shipped templates', () => {
  it('seed 000 checklist covers §1–5', () => {
    expect(PREPAREDNESS_CHECKLIST.sections.map((s) => s.title)).toEqual(['Coordination', 'Monitoring local harms', 'Information sharing', 'Comms plan', 'Operational response']);
  });
  it('seed 001 has the five recommendations in its words', () => {
    const items = templateItems(PROVIDER_RECOMMENDATIONS);
    expect(items).toHaveLength(5);
    expect(items[0]!.text).toMatch(/^Every service should review its information systems/);
    expect(items[4]!.text).toMatch(/needle exchange is promoted and access increased\.$/);
  });
  it.each(BUILTIN_TEMPLATES.map((t) => [t.id, t] as const))('%s has unique keys and known measures', (_id, t) => {
    const keys = templateItems(t).map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of templateMeasures(t)) expect(isMeasureKey(m)).toBe(true);
  });
});

describe('user templates', () => {
  it.each([
    ['# Naloxone\nPeer supply scheme | Harm reduction service\nPharmacy supply\n# Data\nMonthly report | LDIS coordinator', 2, [2, 1], 'Harm reduction service'],
    ['An item without a section', 1, [1], null],
  ])('parses an outline %#', (outline, sections, counts, firstLead) => {
    const draft = parseOutline('Local', '', outline);
    expect(draft.sections).toHaveLength(sections);
    expect(draft.sections.map((s) => s.items.length)).toEqual(counts);
    const built = buildUserTemplate('user-1', draft, isMeasureKey);
    expect(built.ok).toBe(true);
    if (built.ok) expect(built.template.sections[0]!.items[0]!.lead).toBe(firstLead);
  });

  it('refuses a template with no name, no sections or an unknown measure', () => {
    const r = buildUserTemplate('user-1', { name: ' ', sections: [] }, isMeasureKey);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual(['name', 'sections']);
    const m = buildUserTemplate('user-2', { name: 'x', sections: [{ title: 'a', items: [{ text: 'b', measures: ['nope'] }] }] }, isMeasureKey);
    expect(m.ok).toBe(false);
  });
});
