import { describe, expect, it } from 'vitest';
import { compareWithOrganisation, serviceRiskReport, summariseBy, summariseRisk, type RiskReportPerson } from './aggregate';
import type { FlagCode, MatStage, Tier } from './types';

function p(id: string, service: string, org: string | null, tier: Tier, flags: FlagCode[], critical: FlagCode[] = [], matStage: MatStage | null = 'MAT3'): RiskReportPerson {
  return { person_id: id, service_id: service, organisation: org, tier, flags, critical, matStage };
}

const people: RiskReportPerson[] = [
  p('1', 'A', 'Org', 'high', ['on_top', 'recent_overdose', 'no_naloxone'], ['recent_overdose'], 'MAT2'),
  p('2', 'A', 'Org', 'high', ['on_top', 'injecting', 'housing'], [], 'MAT2'),
  p('3', 'A', 'Org', 'medium', ['on_top', 'no_naloxone'], [], 'MAT2'),
  p('4', 'A', 'Org', 'low', []),
  p('5', 'B', 'Org', 'low', ['no_naloxone']),
  p('6', 'B', 'Org', 'high', ['potent_opioid'], ['potent_opioid'], 'MAT1'),
  p('7', 'C', 'Other', 'high', ['lowered_tolerance', 'no_naloxone'], ['lowered_tolerance'], null),
];

describe('summariseRisk', () => {
  const s = summariseRisk(people.filter((x) => x.service_id === 'A'));

  it('counts people per tier and per flag', () => {
    expect(s.people).toBe(4);
    expect(s.tiers).toEqual({ high: { count: 2, pct: 50 }, medium: { count: 1, pct: 25 }, low: { count: 1, pct: 25 } });
    expect(s.flags.on_top).toEqual({ count: 3, pct: 75 });
    expect(s.flags.no_naloxone).toEqual({ count: 2, pct: 50 });
    expect(s.flags.potent_opioid).toEqual({ count: 0, pct: 0 });
    expect(s.criticalFlags.recent_overdose).toEqual({ count: 1, pct: 25 });
  });

  it('naloxone coverage among everyone, High tier and MAT 2', () => {
    expect(s.naloxoneCoverage.all).toEqual({ people: 4, withNaloxone: 2, pct: 50 });
    expect(s.naloxoneCoverage.high).toEqual({ people: 2, withNaloxone: 1, pct: 50 });
    expect(s.naloxoneCoverage.mat2).toEqual({ people: 3, withNaloxone: 1, pct: (100 * 1) / 3 });
  });

  it('an empty group has null percentages, not NaN', () => {
    const e = summariseRisk([]);
    expect(e.people).toBe(0);
    expect(e.tiers.high).toEqual({ count: 0, pct: null });
    expect(e.naloxoneCoverage.mat2).toEqual({ people: 0, withNaloxone: 0, pct: null });
  });
});

describe('per service and against the organisation', () => {
  it('summariseBy groups', () => {
    const by = summariseBy(people, (x) => x.service_id);
    expect([...by.keys()]).toEqual(['A', 'B', 'C']);
    expect(by.get('B')?.people).toBe(2);
  });

  it('serviceRiskReport compares with the service’s own organisation', () => {
    const r = serviceRiskReport(people, 'A');
    expect(r.organisation).toBe('Org');
    expect(r.organisationSummary.people).toBe(6); // service C belongs to another organisation
    const high = r.comparison.find((c) => c.measure === 'tier.high');
    expect(high?.service).toEqual({ count: 2, pct: 50 });
    expect(high?.organisation).toEqual({ count: 3, pct: 50 });
    expect(high?.differencePoints).toBe(0);
    const nalHigh = r.comparison.find((c) => c.measure === 'naloxone.high');
    expect(nalHigh?.service.pct).toBe(50);
    expect(nalHigh?.organisation.pct).toBeCloseTo((100 * 2) / 3);
    expect(nalHigh?.differencePoints).toBeCloseTo(50 - (100 * 2) / 3);
  });

  it('falls back to everyone when the organisation is unknown', () => {
    const anon = people.map((x) => ({ ...x, organisation: null }));
    expect(serviceRiskReport(anon, 'A').organisationSummary.people).toBe(7);
  });

  it('lists every flag and the critical rows that occur', () => {
    const rows = compareWithOrganisation(summariseRisk(people.slice(0, 4)), summariseRisk(people));
    const measures = rows.map((r) => r.measure);
    expect(measures).toContain('flag.no_naloxone');
    expect(measures).toContain('critical.potent_opioid');
    expect(measures).not.toContain('critical.housing');
    expect(measures.slice(-3)).toEqual(['naloxone.all', 'naloxone.high', 'naloxone.mat2']);
  });
});
