/**
 * The service risk report (issue 4 §6) and the person risk profile, from the database.
 * Population: everyone in MAT on the report date (domain §2: profiles for everyone in
 * MAT), with the MAT classification of that date passed to the risk rules
 * (matFactsFromClassification). Every decision comes from src/domain/risk and
 * src/domain/mat; see docs/risk-report.md.
 */
import type { Db } from '../db';
import { classificationWindowStart, classifyPerson, planMayStartBeforeWindow, defaultMatConfig, isIsoDate, isoOf, type MatClassification, type MatConfig } from '../../domain/mat';
import {
  FLAG_CODES,
  TIERS,
  defaultRiskConfig,
  riskContext,
  riskLookback,
  riskProfileInContext,
  summariseRisk,
  toReportEntry,
  type FlagCode,
  type RiskConfig,
  type RiskContext,
  type RiskProfile,
  type RiskReportEntry,
  type RiskReportPerson,
  type RiskSummary,
  type Tier,
} from '../../domain/risk';
import { loadPersonHistory, streamHistories, type HistorySince, type HistoryTable, type PersonFullHistory } from '../history';
import { riskInputOf } from './input';

export interface RiskReportPersonJson extends RiskReportEntry {
  /** MAT stage on the date (everyone in the report is in MAT). */
  mat_stage: MatClassification['stage'];
}

export interface CoverageJson {
  people: number;
  with_naloxone: number;
  pct: number | null;
}

export interface RiskSummaryJson {
  people: number;
  tiers: Record<Tier, number>;
  /** People with each flag raised. */
  flags: Record<FlagCode, number>;
  /** People with each flag raised as critical. */
  critical: Record<FlagCode, number>;
  /** Percentages (0–100, unrounded) of `people`; null when nobody. */
  pct: { tiers: Record<Tier, number | null>; flags: Record<FlagCode, number | null> };
  naloxone_coverage: { all: CoverageJson; high: CoverageJson; mat2: CoverageJson };
}

export interface RiskReport {
  date: string;
  service_id: string | null;
  people: RiskReportPersonJson[];
  services: (RiskSummaryJson & { service_id: string; name: string | null })[];
  organisation: RiskSummaryJson;
}

export class RiskReportError extends Error {
  override name = 'RiskReportError';
}

export function summaryJson(s: RiskSummary): RiskSummaryJson {
  const tiers = {} as Record<Tier, number>;
  const tierPct = {} as Record<Tier, number | null>;
  for (const t of TIERS) {
    tiers[t] = s.tiers[t].count;
    tierPct[t] = s.tiers[t].pct;
  }
  const flags = {} as Record<FlagCode, number>;
  const flagPct = {} as Record<FlagCode, number | null>;
  const critical = {} as Record<FlagCode, number>;
  for (const c of FLAG_CODES) {
    flags[c] = s.flags[c].count;
    flagPct[c] = s.flags[c].pct;
    critical[c] = s.criticalFlags[c].count;
  }
  const cov = (c: RiskSummary['naloxoneCoverage']['all']): CoverageJson => ({ people: c.people, with_naloxone: c.withNaloxone, pct: c.pct });
  return {
    people: s.people,
    tiers,
    flags,
    critical,
    pct: { tiers: tierPct, flags: flagPct },
    naloxone_coverage: { all: cov(s.naloxoneCoverage.all), high: cov(s.naloxoneCoverage.high), mat2: cov(s.naloxoneCoverage.mat2) },
  };
}

export interface RiskReportOptions {
  /** The profile date, YYYY-MM-DD. */
  date: string;
  /** One service; null/undefined = every service. */
  serviceId?: string | null;
  /** Services whose people the caller may see; null/undefined = all. Aggregates cover everyone. */
  serviceIds?: readonly string[] | null;
  config?: RiskConfig;
  matConfig?: MatConfig;
  batchSize?: number;
  /**
   * Read everyone's whole history instead of the window the rules look at (see
   * riskReport). Gives the same report; tests compare the two.
   */
  fullHistory?: boolean;
}

/** The record tables the risk rules and the MAT classification read (not SC reviews). */
const RISK_TABLES: readonly HistoryTable[] = ['prescriptions', 'top', 'drug_tests', 'episodes', 'risk_events', 'naloxone'];

/**
 * What the risk report reads of each table on a date: for each, from the earliest day the
 * risk flags (riskLookback) and the MAT classification (classificationWindowStart) look
 * at, with the flags' exceptions (older positive tests for potent opioids, the latest TOP
 * of any age, every naloxone supply: supplies are few, and the reason names the last one).
 */
export function windowedSince(ctx: RiskContext, matConfig: MatConfig): HistorySince {
  const look = riskLookback(ctx);
  const mat = classificationWindowStart(ctx.asOfDay, matConfig);
  const tests = Math.min(mat, look.drugTests);
  const older = look.positiveTests;
  return {
    // naloxone: every supply (riskLookback).
    from: { prescriptions: isoOf(mat), top: isoOf(Math.min(mat, look.tops)), drug_tests: isoOf(tests), episodes: isoOf(look.episodes), risk_events: isoOf(look.riskEvents) },
    latestTop: look.latestTopAnyAge,
    positiveTests: older === null || older.from >= tests ? null : { from: isoOf(older.from), substances: older.substances },
  };
}

export function assertDate(date: string): void {
  if (!isIsoDate(date)) throw new RiskReportError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

/** The risk report of a date (the JSON contract of `beacon report risk --format json`). */
export async function riskReport(db: Db, opts: RiskReportOptions): Promise<RiskReport> {
  assertDate(opts.date);
  const config = opts.config ?? defaultRiskConfig;
  const matConfig = opts.matConfig ?? defaultMatConfig;
  const serviceId = opts.serviceId ?? null;
  const visible = opts.serviceIds == null ? null : new Set(opts.serviceIds);
  const services = await db.query<{ service_id: string; name: string | null }>('SELECT service_id, name FROM services ORDER BY service_id');
  if (serviceId !== null && !services.some((s) => s.service_id === serviceId)) throw new RiskReportError(`No service ${serviceId}`);
  const ctx = riskContext(opts.date, config);

  // Only the records the rules can look at on the date are read (windowedSince). A person
  // is read in full instead when the window could differ: when the earliest prescription
  // read is part of a reduction plan (its start decides detoxification).
  const since = opts.fullHistory === true ? null : windowedSince(ctx, matConfig);
  const all: RiskReportPerson[] = [];
  const people: RiskReportPersonJson[] = [];
  const take = (h: PersonFullHistory): void => {
    const c = classifyPerson(h.mat, opts.date, matConfig, { reasons: true });
    if (!c.inMat) return;
    const profile = riskProfileInContext(riskInputOf(h, c), ctx);
    const entry = toReportEntry(h.person, profile);
    all.push({ person_id: entry.person_id, service_id: entry.service_id, matStage: c.stage, tier: entry.tier, flags: entry.flags, critical: entry.critical });
    const svc = h.person.service_id;
    if ((serviceId === null || svc === serviceId) && (visible === null || visible.has(svc))) people.push({ ...entry, mat_stage: c.stage });
  };
  const whole: string[] = [];
  const stream = streamHistories(db, { asOf: opts.date, inMatBetween: { from: opts.date, to: opts.date }, tables: RISK_TABLES, since, batchSize: opts.batchSize });
  for await (const batch of stream) {
    for (const h of batch) {
      if (since !== null && planMayStartBeforeWindow(h.mat.prescriptions)) whole.push(h.person.person_id);
      else take(h);
    }
  }
  for (let i = 0; i < whole.length; i += 5000) {
    for await (const batch of streamHistories(db, { asOf: opts.date, personIds: whole.slice(i, i + 5000), tables: RISK_TABLES })) for (const h of batch) take(h);
  }
  people.sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
  const bySvc = new Map<string, RiskReportPerson[]>();
  for (const p of all) {
    let list = bySvc.get(p.service_id);
    if (list === undefined) {
      list = [];
      bySvc.set(p.service_id, list);
    }
    list.push(p);
  }
  const shown = serviceId === null ? services : services.filter((s) => s.service_id === serviceId);
  return {
    date: opts.date,
    service_id: serviceId,
    people,
    services: shown.map((s) => ({ service_id: s.service_id, name: s.name, ...summaryJson(summariseRisk(bySvc.get(s.service_id) ?? [])) })),
    organisation: summaryJson(summariseRisk(all)),
  };
}

export interface PersonRiskResult {
  person: PersonFullHistory['person'];
  date: string;
  mat: MatClassification;
  profile: RiskProfile;
}

/**
 * One person's MAT position and risk profile on `date`, or null when there is no such
 * person or they are outside `serviceIds` (the caller cannot tell the two apart).
 */
export async function personRisk(
  db: Db,
  personId: string,
  opts: { date: string; serviceIds?: readonly string[] | null; config?: RiskConfig; matConfig?: MatConfig },
): Promise<PersonRiskResult | null> {
  assertDate(opts.date);
  const h = await loadPersonHistory(db, personId, { serviceIds: opts.serviceIds ?? null, asOf: opts.date });
  if (h === null) return null;
  const mat = classifyPerson(h.mat, opts.date, opts.matConfig ?? defaultMatConfig, { reasons: true });
  const profile = riskProfileInContext(riskInputOf(h, mat), riskContext(opts.date, opts.config ?? defaultRiskConfig));
  return { person: h.person, date: opts.date, mat, profile };
}
