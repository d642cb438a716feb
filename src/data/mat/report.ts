/**
 * The MAT report (issue 3): tracker, service data (Figure 8) with ranks, worklists,
 * data-quality counts and the people behind them, as the JSON contract documented in
 * docs/mat-report.md. Every decision comes from src/domain/mat (and the risk tier for
 * the worklists from src/domain/risk); this module only loads, streams and shapes.
 *
 * One pass over the people in MAT during the tracker months: each history is prepared
 * once, classified at every month end without reasons (aggregated on the fly, never
 * kept), and, for the people the caller may see, classified again with reasons on the
 * report month end.
 */
import type { Db } from '../db';
import {
  OG_BANDS,
  REGIME_KEYS,
  TrackerAccumulator,
  buildServiceData,
  buildWorklists,
  checkDataQuality,
  classifyMonthEnds,
  classifyPrepared,
  defaultMatConfig,
  latestScReview,
  monthEnd,
  monthsEndingWith,
  parseMonth,
  prepareHistory,
  rankServices,
  summariseDataQuality,
  toReportPerson,
  type ClassifiedRow,
  type DataQualityIssue,
  type DataQualitySummary,
  type MatConfig,
  type MatReportPerson,
  type PriorityCandidate,
  type RankMetric,
  type ServiceData,
  type StageBreakdown,
  type TrackerCell,
  type TrackerSummary,
  type WorklistEntry,
} from '../../domain/mat';
import { defaultRiskConfig, riskContext, riskProfileInContext, type RiskConfig } from '../../domain/risk';
import { streamHistories, type HistoryTable } from '../history';
import { riskInputOf } from '../risk/input';

// ---------------------------------------------------------------------------------------
// The JSON contract

export const COHORT_KEYS = ['mat1', 'red', 'amber', 'green', 'grey', 'mat4', 'uncategorised'] as const;
export type CohortKey = (typeof COHORT_KEYS)[number];
/** Tracker groups: the toolkit's cohorts plus MAT 2/3 people with no OG band (other OST, unknown dose). */
export const GROUP_KEYS = [...COHORT_KEYS, 'mat2_no_band', 'mat3_no_band'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];
/** Groups of the mean doses: every tracker group plus MAT 2, MAT 3 and everyone in MAT. */
export const DOSE_KEYS = [...GROUP_KEYS, 'mat2', 'mat3', 'all'] as const;
export type DoseKey = (typeof DOSE_KEYS)[number];

export interface MeanDoses {
  methadone_mg: number | null;
  /** Sublingual buprenorphine only (injections are mg per injection). */
  buprenorphine_mg: number | null;
}

/** Tracker figures of one population (a service or the organisation) on one month end. */
export interface TrackerFigures {
  in_mat: number;
  /** People per tracker group (the counts of the toolkit's Figure 1). */
  cohorts: Record<GroupKey, number>;
  /** People per stage. */
  stages: { mat1: number; mat2: number; mat3: number; mat4: number; uncategorised: number };
  /** % of everyone in MAT (0–100, unrounded); null when nobody is in MAT. */
  pct: Record<GroupKey | 'mat2' | 'mat3', number | null>;
  /** Mean daily dose per group; null when nobody in the group has a dose of that medication. */
  mean_doses: Record<DoseKey, MeanDoses>;
}

export interface MatReportService extends TrackerFigures {
  service_id: string;
  name: string | null;
}

export interface CellJson {
  count: number;
  pct: number | null;
  mean_methadone_mg: number | null;
  mean_buprenorphine_mg: number | null;
}

export interface StageBreakdownJson extends CellJson {
  by_band: Record<string, CellJson>;
  by_regime: Record<string, CellJson>;
  by_band_regime: Record<string, Record<string, CellJson>>;
}

/** Toolkit Figure 8. */
export interface ServiceDataJson {
  in_mat: number;
  mat1: CellJson;
  mat2: StageBreakdownJson;
  mat3: StageBreakdownJson;
  mat4: CellJson;
  uncategorised: CellJson;
}

export interface RankJson {
  /** The metric's % of in MAT. */
  value: number | null;
  /** 1 = best; ties share a rank; null when the service has nobody in MAT. */
  rank: number | null;
  of: number;
}

export const RANK_METRICS = ['red', 'amber', 'green', 'grey', 'uncategorised', 'mat2', 'mat3'] as const satisfies readonly RankMetric[];

export interface WorklistEntryJson {
  priority: WorklistEntry['priority'];
  kind: WorklistEntry['kind'];
  position: number;
  person_id: string;
  service_id: string;
  reason: string;
  action: string;
  stage: WorklistEntry['stage'];
  cohort: WorklistEntry['cohort'];
  og_band: WorklistEntry['ogBand'];
  regime: WorklistEntry['regime'];
  medication: WorklistEntry['medication'];
  dose_mg: number | null;
  risk_tier: WorklistEntry['riskTier'];
}

export interface DataQualityJson {
  /** Issues found on the records of people in MAT on the month end. */
  issues: number;
  /** People in MAT with at least one issue. */
  people: number;
  by_code: DataQualitySummary['byCode'];
}

export interface MatReportPersonJson extends MatReportPerson {
  risk_tier: 'high' | 'medium' | 'low' | null;
}

export interface MatReport {
  month: string;
  /** The month end the report is about (YYYY-MM-DD). */
  date: string;
  /** The service asked for, or null for every service. */
  service_id: string | null;
  services: MatReportService[];
  organisation: TrackerFigures;
  people: MatReportPersonJson[];
  tracker: {
    months: string[];
    organisation: (TrackerFigures & { month: string })[];
    services: Record<string, (TrackerFigures & { month: string })[]>;
  };
  service_data: {
    organisation: ServiceDataJson;
    services: (ServiceDataJson & { service_id: string; ranks: Record<(typeof RANK_METRICS)[number], RankJson> })[];
  };
  worklists: WorklistEntryJson[];
  data_quality: { organisation: DataQualityJson; services: Record<string, DataQualityJson> };
}

// ---------------------------------------------------------------------------------------
// Shaping domain results into the contract

const GROUP_OF: Record<GroupKey, keyof TrackerSummary['groups']> = {
  mat1: 'mat1',
  red: 'red',
  amber: 'amber',
  green: 'green',
  grey: 'grey',
  mat4: 'mat4',
  uncategorised: 'uncategorised',
  mat2_no_band: 'mat2NoBand',
  mat3_no_band: 'mat3NoBand',
};

function doses(c: TrackerCell): MeanDoses {
  return { methadone_mg: c.meanMethadoneMg, buprenorphine_mg: c.meanBuprenorphineMg };
}

export function trackerFigures(s: TrackerSummary): TrackerFigures {
  const cohorts = {} as Record<GroupKey, number>;
  const pct = {} as TrackerFigures['pct'];
  const mean = {} as Record<DoseKey, MeanDoses>;
  for (const k of GROUP_KEYS) {
    const cell = s.groups[GROUP_OF[k]];
    cohorts[k] = cell.count;
    pct[k] = cell.pct;
    mean[k] = doses(cell);
  }
  pct.mat2 = s.mat2.pct;
  pct.mat3 = s.mat3.pct;
  mean.mat2 = doses(s.mat2);
  mean.mat3 = doses(s.mat3);
  mean.all = doses(s.all);
  return {
    in_mat: s.inMat,
    cohorts,
    stages: { mat1: cohorts.mat1, mat2: s.mat2.count, mat3: s.mat3.count, mat4: cohorts.mat4, uncategorised: cohorts.uncategorised },
    pct,
    mean_doses: mean,
  };
}

function cellJson(c: TrackerCell): CellJson {
  return { count: c.count, pct: c.pct, mean_methadone_mg: c.meanMethadoneMg, mean_buprenorphine_mg: c.meanBuprenorphineMg };
}

function breakdownJson(b: StageBreakdown): StageBreakdownJson {
  const by_band: Record<string, CellJson> = {};
  const by_band_regime: Record<string, Record<string, CellJson>> = {};
  for (const band of OG_BANDS) {
    by_band[band] = cellJson(b.byBand[band]);
    const row: Record<string, CellJson> = {};
    for (const r of REGIME_KEYS) row[r] = cellJson(b.byBandRegime[band][r]);
    by_band_regime[band] = row;
  }
  const by_regime: Record<string, CellJson> = {};
  for (const r of REGIME_KEYS) by_regime[r] = cellJson(b.byRegime[r]);
  return { ...cellJson(b), by_band, by_regime, by_band_regime };
}

function serviceDataJson(d: ServiceData): ServiceDataJson {
  return {
    in_mat: d.inMat,
    mat1: cellJson(d.mat1),
    mat2: breakdownJson(d.mat2),
    mat3: breakdownJson(d.mat3),
    mat4: cellJson(d.mat4),
    uncategorised: cellJson(d.uncategorised),
  };
}

function worklistJson(w: WorklistEntry): WorklistEntryJson {
  return {
    priority: w.priority,
    kind: w.kind,
    position: w.position,
    person_id: w.person_id,
    service_id: w.service_id,
    reason: w.reason,
    action: w.action,
    stage: w.stage,
    cohort: w.cohort,
    og_band: w.ogBand,
    regime: w.regime,
    medication: w.medication,
    dose_mg: w.doseMg,
    risk_tier: w.riskTier,
  };
}

function dqJson(s: DataQualitySummary): DataQualityJson {
  return { issues: s.issues, people: s.people, by_code: s.byCode };
}

// ---------------------------------------------------------------------------------------
// Computation

export interface MatReportOptions {
  /** The report month, YYYY-MM; the report is about its last day. */
  month: string;
  /** One service (its figures, people and worklists); null/undefined = every service. */
  serviceId?: string | null;
  /**
   * Services whose people the caller may see (AccessContext.visibleServiceIds()); null or
   * undefined = all. Aggregates are always computed over everyone.
   */
  serviceIds?: readonly string[] | null;
  config?: MatConfig;
  riskConfig?: RiskConfig;
  /** Month ends in the tracker series, ending with `month` (default 12; 1 = the month alone). */
  trackerMonths?: number;
  /** Include the people, worklists and their risk tiers (default true). */
  people?: boolean;
  batchSize?: number;
}

export class MatReportError extends Error {
  override name = 'MatReportError';
}

export function assertMonth(month: string): void {
  const p = parseMonth(month);
  if (p === null || p[1] < 1 || p[1] > 12 || p[0] < 1900) throw new MatReportError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
}

export interface ServiceRow {
  service_id: string;
  name: string | null;
}

export async function listServices(db: Db): Promise<ServiceRow[]> {
  return db.query<ServiceRow>('SELECT service_id, name FROM services ORDER BY service_id');
}

type Slim = ClassifiedRow['classification'];

function slim(c: Slim): Slim {
  return { inMat: c.inMat, stage: c.stage, cohort: c.cohort, ogBand: c.ogBand, regime: c.regime, medication: c.medication, doseMg: c.doseMg };
}

const MAT_TABLES: readonly HistoryTable[] = ['prescriptions', 'top', 'drug_tests'];

/**
 * What one pass over the people in MAT accumulates, in person order: the tracker series of
 * the organisation and of each service, the classifications on the last month end (for
 * Figure 8) and the data-quality issues of the people in MAT on it. Built by matReport
 * from histories, and by the classification store (store.ts) from stored classifications.
 */
export interface TrackerParts {
  months: string[];
  orgSeries: TrackerAccumulator[];
  svcSeries: Map<string, TrackerAccumulator[]>;
  lastRows: ClassifiedRow[];
  dqAll: DataQualityIssue[];
  dqBySvc: Map<string, DataQualityIssue[]>;
}

/** Shapes accumulated figures into the JSON contract (ranks, Figure 8, footnote counts). */
export function shapeMatReport(input: {
  month: string;
  serviceId: string | null;
  services: readonly ServiceRow[];
  parts: TrackerParts;
  people: MatReportPersonJson[];
  worklists: WorklistEntryJson[];
}): MatReport {
  const { serviceId, services, people } = input;
  const { months, orgSeries, svcSeries, lastRows, dqAll, dqBySvc } = input.parts;
  const last = months.length - 1;
  const date = monthEnd(input.month);
  const emptySeries = months.map(() => new TrackerAccumulator());
  const seriesOf = (id: string): TrackerAccumulator[] => svcSeries.get(id) ?? emptySeries;
  const shownServices = serviceId === null ? services : services.filter((s) => s.service_id === serviceId);

  const lastSummaries: Record<string, TrackerSummary> = {};
  for (const s of services) lastSummaries[s.service_id] = (seriesOf(s.service_id)[last] as TrackerAccumulator).summary();
  const ranks = new Map<string, Record<(typeof RANK_METRICS)[number], RankJson>>();
  for (const metric of RANK_METRICS) {
    for (const r of rankServices(lastSummaries, metric)) {
      let entry = ranks.get(r.service_id);
      if (entry === undefined) {
        entry = {} as Record<(typeof RANK_METRICS)[number], RankJson>;
        ranks.set(r.service_id, entry);
      }
      entry[metric] = { value: r.value, rank: r.rank, of: r.of };
    }
  }

  const sd = buildServiceData(lastRows);
  const emptySd = buildServiceData([]).organisation;
  const trackerServices: MatReport['tracker']['services'] = {};
  for (const s of shownServices) {
    trackerServices[s.service_id] = seriesOf(s.service_id).map((acc, i) => ({ month: months[i] as string, ...trackerFigures(acc.summary()) }));
  }
  const emptyDq = summariseDataQuality([]);

  people.sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
  const dqServices: Record<string, DataQualityJson> = {};
  for (const s of shownServices) {
    const list = dqBySvc.get(s.service_id);
    dqServices[s.service_id] = dqJson(list === undefined ? emptyDq : summariseDataQuality(list));
  }

  return {
    month: input.month,
    date,
    service_id: serviceId,
    services: shownServices.map((s) => ({ service_id: s.service_id, name: s.name, ...trackerFigures(lastSummaries[s.service_id] as TrackerSummary) })),
    organisation: trackerFigures((orgSeries[last] as TrackerAccumulator).summary()),
    people,
    tracker: {
      months,
      organisation: orgSeries.map((acc, i) => ({ month: months[i] as string, ...trackerFigures(acc.summary()) })),
      services: trackerServices,
    },
    service_data: {
      organisation: serviceDataJson(sd.organisation),
      services: shownServices.map((s) => ({
        service_id: s.service_id,
        ...serviceDataJson(sd.services[s.service_id] ?? emptySd),
        ranks: ranks.get(s.service_id) ?? ({} as Record<(typeof RANK_METRICS)[number], RankJson>),
      })),
    },
    worklists: input.worklists,
    data_quality: { organisation: dqJson(summariseDataQuality(dqAll)), services: dqServices },
  };
}

/** The MAT report of a month (the JSON contract of `beacon report mat --format json`). */
export async function matReport(db: Db, opts: MatReportOptions): Promise<MatReport> {
  assertMonth(opts.month);
  const config = opts.config ?? defaultMatConfig;
  const riskConfig = opts.riskConfig ?? defaultRiskConfig;
  const n = Math.max(1, Math.floor(opts.trackerMonths ?? 12));
  const months = monthsEndingWith(opts.month, n);
  const date = monthEnd(opts.month);
  const last = months.length - 1;
  const wantPeople = opts.people !== false;
  const serviceId = opts.serviceId ?? null;
  const visible = opts.serviceIds == null ? null : new Set(opts.serviceIds);
  const inScope = (svc: string): boolean => (serviceId === null || svc === serviceId) && (visible === null || visible.has(svc));

  const services = await listServices(db);
  if (serviceId !== null && !services.some((s) => s.service_id === serviceId)) throw new MatReportError(`No service ${serviceId}`);

  const orgSeries = months.map(() => new TrackerAccumulator());
  const svcSeries = new Map<string, TrackerAccumulator[]>();
  const lastRows: ClassifiedRow[] = [];
  const people: MatReportPersonJson[] = [];
  const candidates: PriorityCandidate[] = [];
  const dqAll: DataQualityIssue[] = [];
  const dqBySvc = new Map<string, DataQualityIssue[]>();
  const ctx = riskContext(date, riskConfig);

  const stream = streamHistories(db, {
    asOf: date,
    inMatBetween: { from: monthEnd(months[0] as string), to: date },
    tables: wantPeople ? undefined : [...MAT_TABLES, 'sc_reviews'],
    batchSize: opts.batchSize,
  });
  for await (const batch of stream) {
    for (const h of batch) {
      const svc = h.person.service_id;
      const prepared = prepareHistory(h.mat, config);
      const cs = classifyMonthEnds(prepared, months, config, { reasons: false });
      let accs = svcSeries.get(svc);
      if (accs === undefined) {
        accs = months.map(() => new TrackerAccumulator());
        svcSeries.set(svc, accs);
      }
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (c === undefined || !c.inMat) continue;
        (orgSeries[i] as TrackerAccumulator).add(c);
        (accs[i] as TrackerAccumulator).add(c);
      }
      const cLast = cs[last];
      if (cLast === undefined || !cLast.inMat) continue;
      lastRows.push({ service_id: svc, classification: slim(cLast) });
      const issues = checkDataQuality(h.mat, date, config);
      if (issues.length > 0) {
        dqAll.push(...issues);
        let list = dqBySvc.get(svc);
        if (list === undefined) {
          list = [];
          dqBySvc.set(svc, list);
        }
        list.push(...issues);
      }
      if (!wantPeople || !inScope(svc)) continue;
      const full = classifyPrepared(prepared, date, config, { reasons: true });
      const profile = riskProfileInContext(riskInputOf(h, full), ctx);
      people.push({ ...toReportPerson(h.person.person_id, svc, full), risk_tier: profile.tier });
      candidates.push({
        person_id: h.person.person_id,
        service_id: svc,
        classification: full,
        riskTier: profile.tier,
        latestScReview: latestScReview(h.mat.sc_reviews, date),
      });
    }
  }

  return shapeMatReport({
    month: opts.month,
    serviceId,
    services,
    parts: { months, orgSeries, svcSeries, lastRows, dqAll, dqBySvc },
    people,
    worklists: wantPeople ? buildWorklists(candidates, config).map(worklistJson) : [],
  });
}
