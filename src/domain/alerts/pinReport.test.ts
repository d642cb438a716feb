import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INCIDENT_EVENT_TYPES, INCIDENT_SOURCES } from '../ldis/types';
import { buildPinReport, pinCadence, pinPeriod, publicPinBody, publishedNumbers, type PinIncident, type PinReportInput } from './pinReport';

function inc(over: Partial<PinIncident>): PinIncident {
  return {
    source: 'police',
    eventType: 'non_fatal_overdose',
    eventDate: '2024-05-10',
    receivedAt: '2024-05-10T10:00:00Z',
    level: null,
    exercise: false,
    nitazenePositive: false,
    ...over,
  };
}

function input(incidents: PinIncident[]): PinReportInput {
  return {
    title: 'PIN report',
    periodStart: '2024-05-01',
    periodEnd: '2024-05-31',
    steps: [{ area: 'E06000008', areaName: 'Blackburn with Darwen', step: 1, basis: 'Proposed from LDIS data', summary: 'No trigger met.' }],
    alarms: [],
    incidents,
  };
}

describe('cadence and period', () => {
  it.each([
    [1, 'monthly', 'none'],
    [2, 'weekly', 'weekly'],
    [3, 'weekly', 'daily'],
  ] as const)('Step %i: %s report, %s requests for information', (step, cadence, requests) => {
    expect(pinCadence(step)).toMatchObject({ cadence, requests });
  });

  it.each([
    ['2024-06-15', 'monthly', '2024-05-01', '2024-05-31'],
    ['2024-03-01', 'monthly', '2024-02-01', '2024-02-29'],
    ['2024-01-10', 'monthly', '2023-12-01', '2023-12-31'],
    ['2024-06-15', 'weekly', '2024-06-08', '2024-06-14'],
  ] as const)('a %s report made on %s covers …', (asOf, cadence, start, end) => {
    expect(pinPeriod(asOf, cadence)).toEqual({ start, end });
  });
});

describe('buildPinReport', () => {
  const incidents = [
    ...Array.from({ length: 12 }, (_, i) => inc({ receivedAt: `2024-05-${String(i + 1).padStart(2, '0')}T09:00:00Z`, eventDate: `2024-05-${String(i + 1).padStart(2, '0')}` })),
    ...Array.from({ length: 3 }, () => inc({ source: 'ambulance', eventType: 'ambulance_callout', level: 'probable' })),
    inc({ source: 'drug_checking', eventType: 'drug_check_result', level: 'confirmed', nitazenePositive: true }),
    inc({ source: 'hostel', receivedAt: '2024-04-10T09:00:00Z', eventDate: '2024-04-10' }),
    inc({ source: 'police', exercise: true }),
  ];
  const { panel, partners } = buildPinReport(input(incidents));

  it('counts submissions by source and type exactly for the panel', () => {
    const t = panel.tables.find((x) => x.id === 'submissions');
    expect(t?.columns).toEqual(['Ambulance call-out', 'Drug check', 'Non-fatal overdose', 'Total']);
    expect(t?.rows).toEqual([
      { label: 'Ambulance', cells: ['3', '0', '0', '3'] },
      { label: 'Drug checking', cells: ['0', '1', '0', '1'] },
      { label: 'Police', cells: ['0', '0', '12', '12'] },
    ]);
    expect(t?.total?.cells).toEqual(['3', '1', '12', '16']);
    expect(panel.notes.join(' ')).toMatch(/Exercise/);
  });

  it('protects every count in the shared copy', () => {
    const t = partners.tables.find((x) => x.id === 'submissions');
    expect(t?.rows.find((r) => r.label === 'Police')?.cells.at(-1)).toBe('10');
    expect(t?.rows.find((r) => r.label === 'Ambulance')?.cells.at(-1)).toBe('*');
    for (const n of publishedNumbers(partners)) expect(n === 0 || n >= 8).toBe(true);
    const m = partners.tables.find((x) => x.id === 'case-matches');
    expect(m?.rows.map((r) => r.cells[0])).toEqual(['0', '*', '*']);
    expect(m?.total?.cells).toEqual(['*']);
  });

  it('flags a source that stopped reporting', () => {
    const g = panel.tables.find((x) => x.id === 'gaps');
    expect(g?.rows.find((r) => r.label === 'Hostel')?.cells).toEqual(['0', '10 April 2024', 'No reports in this period']);
    expect(partners.tables.find((x) => x.id === 'gaps')?.rows.find((r) => r.label === 'Ambulance')?.cells[0]).toBe('*');
  });

  it('makes a public bulletin from the shared copy only: totals by type, no sources, gaps or alarms', () => {
    const pub = publicPinBody(partners);
    expect(pub.tier).toBe('public');
    expect(pub.tables.map((t) => t.id)).toEqual(['submissions', 'case-matches', 'steps']);
    expect(pub.tables[0]?.rows).toEqual([]);
    expect(pub.tables[0]?.total?.cells).toEqual(partners.tables[0]?.total?.cells);
    expect(JSON.stringify(pub)).not.toContain('Drug checking');
    expect(pub.trend.series.map((s) => s.name)).toEqual(['All submissions']);
    for (const n of publishedNumbers(pub)) expect(n === 0 || n >= 8).toBe(true);
  });

  it('has a 12-week trend ending on the period end', () => {
    expect(panel.trend.labels).toHaveLength(12);
    expect(panel.trend.labels.at(-1)).toBe('w/e 31 May 2024');
    expect(panel.trend.series[0]?.values.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(17);
    for (const s of partners.trend.series) for (const v of s.values) expect(v === null || v === 0 || v >= 8).toBe(true);
  });
});

describe('property: no shared figure is 1–7 and no hidden cell is alone in its line', () => {
  const incArb = fc.record({
    source: fc.constantFrom(...INCIDENT_SOURCES.slice(0, 5)),
    eventType: fc.constantFrom(...INCIDENT_EVENT_TYPES.slice(0, 4)),
    day: fc.integer({ min: 1, max: 31 }),
    level: fc.constantFrom(null, 'suspected', 'probable', 'confirmed' as const),
  });
  it('holds for random months of submissions', () => {
    fc.assert(
      fc.property(fc.array(incArb, { maxLength: 120 }), (rows) => {
        const incidents = rows.map((r) =>
          inc({ source: r.source, eventType: r.eventType, level: r.level, receivedAt: `2024-05-${String(r.day).padStart(2, '0')}T08:00:00Z`, eventDate: `2024-05-${String(r.day).padStart(2, '0')}` }),
        );
        const { partners } = buildPinReport(input(incidents));
        for (const n of publishedNumbers(partners)) expect(n === 0 || n >= 8).toBe(true);
        const t = partners.tables.find((x) => x.id === 'submissions');
        if (!t || t.rows.length === 0) return;
        const lines: string[][] = [...t.rows.map((r) => r.cells)];
        const cols = t.columns.length;
        for (let j = 0; j < cols; j++) lines.push([...t.rows.map((r) => r.cells[j] ?? ''), t.total?.cells[j] ?? '']);
        lines.push(t.total?.cells ?? []);
        for (const line of lines) expect(line.filter((c) => c === '*').length).not.toBe(1);
      }),
      { numRuns: 150 },
    );
  });
});
