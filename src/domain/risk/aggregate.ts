/**
 * Service risk report (issue 4 §6): counts per flag and per tier, naloxone coverage among
 * people at High risk and among MAT 2 (toolkit §6.1.4: "What coverage of naloxone does the
 * service have for those in MAT 2?"), and the service beside its organisation.
 *
 * Figures here are exact. Disclosure control (suppression, rounding) for figures shared
 * outside the service is applied by src/domain/disclosure, not here.
 */
import { FLAG_CODES, TIERS, type FlagCode, type MatStage, type Tier } from './types';

/** What the report needs about one person (a `RiskReportEntry` plus MAT stage and organisation). */
export interface RiskReportPerson {
  person_id: string;
  service_id: string;
  /** services.csv `organisation` of the person's service, when known. */
  organisation?: string | null;
  /** MAT stage on the report date; `null` = not in MAT. */
  matStage?: MatStage | null;
  tier: Tier;
  flags: readonly FlagCode[];
  critical: readonly FlagCode[];
}

export interface CountPct {
  count: number;
  /** Percentage of the denominator (0–100, unrounded); `null` when the denominator is 0. */
  pct: number | null;
}

export interface NaloxoneCoverage {
  /** People in the group (the denominator). */
  people: number;
  /** People in the group with take-home naloxone in the window (no `no_naloxone` flag). */
  withNaloxone: number;
  pct: number | null;
}

export interface RiskSummary {
  people: number;
  /** People per tier; pct of all people. */
  tiers: Record<Tier, CountPct>;
  /** People with each flag raised; pct of all people. */
  flags: Record<FlagCode, CountPct>;
  /** People with each flag raised as critical; pct of all people. */
  criticalFlags: Record<FlagCode, CountPct>;
  naloxoneCoverage: {
    all: NaloxoneCoverage;
    high: NaloxoneCoverage;
    mat2: NaloxoneCoverage;
  };
}

function pct(count: number, of: number): number | null {
  return of === 0 ? null : (100 * count) / of;
}

function emptyByFlag(): Record<FlagCode, number> {
  const r = {} as Record<FlagCode, number>;
  for (const c of FLAG_CODES) r[c] = 0;
  return r;
}

function coverage(people: number, withNaloxone: number): NaloxoneCoverage {
  return { people, withNaloxone, pct: pct(withNaloxone, people) };
}

/** Summarise a group of people (a service, an organisation, everyone). */
export function summariseRisk(people: Iterable<RiskReportPerson>): RiskSummary {
  let n = 0;
  const tiers: Record<Tier, number> = { high: 0, medium: 0, low: 0 };
  const flags = emptyByFlag();
  const critical = emptyByFlag();
  let allCovered = 0;
  let highN = 0;
  let highCovered = 0;
  let mat2N = 0;
  let mat2Covered = 0;
  for (const p of people) {
    n++;
    tiers[p.tier]++;
    let covered = true;
    for (const code of p.flags) {
      flags[code]++;
      if (code === 'no_naloxone') covered = false;
    }
    for (const code of p.critical) critical[code]++;
    if (covered) allCovered++;
    if (p.tier === 'high') {
      highN++;
      if (covered) highCovered++;
    }
    if (p.matStage === 'MAT2') {
      mat2N++;
      if (covered) mat2Covered++;
    }
  }
  const tierOut = {} as Record<Tier, CountPct>;
  for (const t of TIERS) tierOut[t] = { count: tiers[t], pct: pct(tiers[t], n) };
  const flagOut = {} as Record<FlagCode, CountPct>;
  const critOut = {} as Record<FlagCode, CountPct>;
  for (const c of FLAG_CODES) {
    flagOut[c] = { count: flags[c], pct: pct(flags[c], n) };
    critOut[c] = { count: critical[c], pct: pct(critical[c], n) };
  }
  return {
    people: n,
    tiers: tierOut,
    flags: flagOut,
    criticalFlags: critOut,
    naloxoneCoverage: { all: coverage(n, allCovered), high: coverage(highN, highCovered), mat2: coverage(mat2N, mat2Covered) },
  };
}

/** Summaries per group key (e.g. per service: `(p) => p.service_id`), in first-seen order. */
export function summariseBy(people: Iterable<RiskReportPerson>, keyOf: (p: RiskReportPerson) => string): Map<string, RiskSummary> {
  const groups = new Map<string, RiskReportPerson[]>();
  for (const p of people) {
    const k = keyOf(p);
    let g = groups.get(k);
    if (!g) {
      g = [];
      groups.set(k, g);
    }
    g.push(p);
  }
  const out = new Map<string, RiskSummary>();
  for (const [k, g] of groups) out.set(k, summariseRisk(g));
  return out;
}

/** One line of a service-vs-organisation table (toolkit Figure 8 style). */
export interface ComparisonRow {
  /** Stable measure id: `tier.high`, `flag.on_top`, `critical.recent_overdose`, `naloxone.high`, … */
  measure: string;
  label: string;
  service: CountPct;
  organisation: CountPct;
  /** Service pct minus organisation pct, in percentage points; `null` if either is missing. */
  differencePoints: number | null;
}

const TIER_LABEL: Readonly<Record<Tier, string>> = { high: 'High risk', medium: 'Medium risk', low: 'Low risk' };

function row(measure: string, label: string, service: CountPct, organisation: CountPct): ComparisonRow {
  const differencePoints = service.pct === null || organisation.pct === null ? null : service.pct - organisation.pct;
  return { measure, label, service, organisation, differencePoints };
}

function cov(c: NaloxoneCoverage): CountPct {
  return { count: c.withNaloxone, pct: c.pct };
}

/** The service's figures beside the organisation's, measure by measure. */
export function compareWithOrganisation(service: RiskSummary, organisation: RiskSummary): ComparisonRow[] {
  const rows: ComparisonRow[] = [
    row('people', 'People', { count: service.people, pct: null }, { count: organisation.people, pct: null }),
  ];
  for (const t of TIERS) rows.push(row(`tier.${t}`, TIER_LABEL[t], service.tiers[t], organisation.tiers[t]));
  for (const c of FLAG_CODES) rows.push(row(`flag.${c}`, c, service.flags[c], organisation.flags[c]));
  for (const c of FLAG_CODES) {
    if (organisation.criticalFlags[c].count > 0 || service.criticalFlags[c].count > 0) {
      rows.push(row(`critical.${c}`, `${c} (critical)`, service.criticalFlags[c], organisation.criticalFlags[c]));
    }
  }
  const s = service.naloxoneCoverage;
  const o = organisation.naloxoneCoverage;
  rows.push(row('naloxone.all', 'Naloxone coverage, everyone', cov(s.all), cov(o.all)));
  rows.push(row('naloxone.high', 'Naloxone coverage, High risk', cov(s.high), cov(o.high)));
  rows.push(row('naloxone.mat2', 'Naloxone coverage, MAT 2', cov(s.mat2), cov(o.mat2)));
  return rows;
}

export interface ServiceRiskReport {
  serviceId: string;
  /** The organisation compared against; `null` = everyone in `people` (no organisation known). */
  organisation: string | null;
  service: RiskSummary;
  organisationSummary: RiskSummary;
  comparison: ComparisonRow[];
}

/**
 * The risk report of one service beside its organisation. The organisation is the
 * `organisation` of the service's people; when that is unknown, everyone in `people`
 * stands for the organisation.
 */
export function serviceRiskReport(people: readonly RiskReportPerson[], serviceId: string): ServiceRiskReport {
  const mine = people.filter((p) => p.service_id === serviceId);
  const organisation = mine.find((p) => p.organisation)?.organisation ?? null;
  const orgPeople = organisation === null ? people : people.filter((p) => p.organisation === organisation);
  const service = summariseRisk(mine);
  const organisationSummary = summariseRisk(orgPeople);
  return { serviceId, organisation, service, organisationSummary, comparison: compareWithOrganisation(service, organisationSummary) };
}
