/**
 * Tracker aggregation (domain §1.3, toolkit Figures 1, 4 and 8) and service ranking.
 *
 * Percentages are of everyone in MAT on the date (0–100, null when nobody is in MAT).
 * Choices:
 * - The mean buprenorphine dose is over sublingual buprenorphine only: injections are
 *   mg per injection and would distort a daily-mg mean (the toolkit predates them).
 * - MAT 2/3 people with no OG band (other OST, unknown dose) have no colour cohort; they
 *   are counted as `mat2NoBand` / `mat3NoBand` so every group adds up to `inMat`.
 * - A person with an unknown dose is counted but left out of the dose means.
 */
import type { MatClassification, OgBand, Regime } from './types';

export const TRACKER_GROUPS = ['mat1', 'red', 'amber', 'green', 'grey', 'mat4', 'uncategorised', 'mat2NoBand', 'mat3NoBand'] as const;
export type TrackerGroup = (typeof TRACKER_GROUPS)[number];

/** The tracker group of a classification, or null when not in MAT. */
export function trackerGroupOf(c: Pick<MatClassification, 'inMat' | 'stage' | 'cohort'>): TrackerGroup | null {
  if (!c.inMat || c.stage === null) return null;
  switch (c.stage) {
    case 'MAT1':
      return 'mat1';
    case 'MAT4':
      return 'mat4';
    case 'uncategorised':
      return 'uncategorised';
    case 'MAT2':
      return c.cohort ?? 'mat2NoBand';
    case 'MAT3':
      return c.cohort ?? 'mat3NoBand';
  }
}

export interface TrackerCell {
  count: number;
  /** % of everyone in MAT (0–100), null when nobody is in MAT. */
  pct: number | null;
  meanMethadoneMg: number | null;
  meanBuprenorphineMg: number | null;
}

export interface TrackerSummary {
  inMat: number;
  groups: Record<TrackerGroup, TrackerCell>;
  /** MAT 2 and MAT 3 in total (all bands). */
  mat2: TrackerCell;
  mat3: TrackerCell;
  /** MAT 2, MAT 3 and uncategorised (toolkit Figure 4's average methadone dose). */
  maintenance: TrackerCell;
  /** Everyone in MAT. */
  all: TrackerCell;
}

type DoseFields = Pick<MatClassification, 'medication' | 'doseMg'>;

/**
 * Doses are summed as whole micrograms: the sums are then exact, so a cell's mean does not
 * depend on the order people were added in, nor on people removed again (the
 * classification store keeps cells up to date that way, and must answer exactly as a
 * recomputation).
 */
const MICROGRAMS = 1e6;

/** Running count and dose sums of one cell. */
class CellAcc {
  count = 0;
  mSum = 0;
  mN = 0;
  bSum = 0;
  bN = 0;
  add(c: DoseFields): void {
    this.update(c, 1);
  }
  remove(c: DoseFields): void {
    this.update(c, -1);
  }
  private update(c: DoseFields, sign: 1 | -1): void {
    this.count += sign;
    if (c.doseMg === null || !Number.isFinite(c.doseMg)) return;
    if (c.medication === 'methadone') {
      this.mSum += sign * Math.round(c.doseMg * MICROGRAMS);
      this.mN += sign;
    } else if (c.medication === 'buprenorphine') {
      this.bSum += sign * Math.round(c.doseMg * MICROGRAMS);
      this.bN += sign;
    }
  }
  cell(total: number): TrackerCell {
    return {
      count: this.count,
      pct: total > 0 ? (this.count / total) * 100 : null,
      meanMethadoneMg: this.mN > 0 ? this.mSum / MICROGRAMS / this.mN : null,
      meanBuprenorphineMg: this.bN > 0 ? this.bSum / MICROGRAMS / this.bN : null,
    };
  }
}

const GROUP_INDEX: Record<TrackerGroup, number> = {
  mat1: 0,
  red: 1,
  amber: 2,
  green: 3,
  grey: 4,
  mat4: 5,
  uncategorised: 6,
  mat2NoBand: 7,
  mat3NoBand: 8,
};

/** Accumulates tracker figures for one population. */
export class TrackerAccumulator {
  // Indexed by GROUP_INDEX: this runs once per person and month.
  private readonly groups: CellAcc[] = TRACKER_GROUPS.map(() => new CellAcc());
  private readonly mat2 = new CellAcc();
  private readonly mat3 = new CellAcc();
  private readonly maintenance = new CellAcc();
  private readonly all = new CellAcc();

  add(c: Pick<MatClassification, 'inMat' | 'stage' | 'cohort' | 'medication' | 'doseMg'>): void {
    this.update(c, 'add');
  }

  /** Takes back a classification added before (exactly: see MICROGRAMS). */
  remove(c: Pick<MatClassification, 'inMat' | 'stage' | 'cohort' | 'medication' | 'doseMg'>): void {
    this.update(c, 'remove');
  }

  private update(c: Pick<MatClassification, 'inMat' | 'stage' | 'cohort' | 'medication' | 'doseMg'>, op: 'add' | 'remove'): void {
    const g = trackerGroupOf(c);
    if (g === null) return;
    (this.groups[GROUP_INDEX[g]] as CellAcc)[op](c);
    this.all[op](c);
    if (c.stage === 'MAT2') this.mat2[op](c);
    else if (c.stage === 'MAT3') this.mat3[op](c);
    if (c.stage === 'MAT2' || c.stage === 'MAT3' || c.stage === 'uncategorised') this.maintenance[op](c);
  }

  summary(): TrackerSummary {
    const n = this.all.count;
    const groups = {} as Record<TrackerGroup, TrackerCell>;
    for (const g of TRACKER_GROUPS) groups[g] = (this.groups[GROUP_INDEX[g]] as CellAcc).cell(n);
    return { inMat: n, groups, mat2: this.mat2.cell(n), mat3: this.mat3.cell(n), maintenance: this.maintenance.cell(n), all: this.all.cell(n) };
  }
}

export interface ClassifiedRow {
  service_id: string;
  classification: Pick<MatClassification, 'inMat' | 'stage' | 'cohort' | 'ogBand' | 'regime' | 'medication' | 'doseMg'>;
}

export interface TrackerReport {
  organisation: TrackerSummary;
  services: Record<string, TrackerSummary>;
}

/** Tracker figures for the organisation and each service on one date. */
export function buildTracker(rows: Iterable<ClassifiedRow>): TrackerReport {
  const org = new TrackerAccumulator();
  const bySvc = new Map<string, TrackerAccumulator>();
  for (const r of rows) {
    org.add(r.classification);
    let acc = bySvc.get(r.service_id);
    if (acc === undefined) {
      acc = new TrackerAccumulator();
      bySvc.set(r.service_id, acc);
    }
    acc.add(r.classification);
  }
  const services: Record<string, TrackerSummary> = {};
  for (const id of [...bySvc.keys()].sort()) services[id] = (bySvc.get(id) as TrackerAccumulator).summary();
  return { organisation: org.summary(), services };
}

export interface PersonSeries {
  service_id: string;
  /** One classification per month, aligned with the months of the series. */
  classifications: readonly ClassifiedRow['classification'][];
}

/** Tracker figures for each month of a series (e.g. 24 month ends) in one pass over the people. */
export function buildTrackerSeries<M extends string>(people: Iterable<PersonSeries>, months: readonly M[]): ({ month: M } & TrackerReport)[] {
  const org = months.map(() => new TrackerAccumulator());
  const svc = new Map<string, TrackerAccumulator[]>();
  for (const p of people) {
    let accs = svc.get(p.service_id);
    if (accs === undefined) {
      accs = months.map(() => new TrackerAccumulator());
      svc.set(p.service_id, accs);
    }
    for (let i = 0; i < months.length; i++) {
      const c = p.classifications[i];
      if (c === undefined) continue;
      (org[i] as TrackerAccumulator).add(c);
      (accs[i] as TrackerAccumulator).add(c);
    }
  }
  const ids = [...svc.keys()].sort();
  return months.map((month, i) => {
    const services: Record<string, TrackerSummary> = {};
    for (const id of ids) services[id] = ((svc.get(id) as TrackerAccumulator[])[i] as TrackerAccumulator).summary();
    return { month, organisation: (org[i] as TrackerAccumulator).summary(), services };
  });
}

// ---------------------------------------------------------------------------------------
// Service data (toolkit Figure 8): MAT 2 and MAT 3 by OG band × regime.

export type RegimeKey = Regime | 'unknown';
export const REGIME_KEYS: readonly RegimeKey[] = ['increasing', 'static', 'reducing', 'detox', 'unknown'];
export const OG_BANDS: readonly OgBand[] = ['below', 'at_or_above', 'n/a'];

export interface StageBreakdown extends TrackerCell {
  byBand: Record<OgBand, TrackerCell>;
  byRegime: Record<RegimeKey, TrackerCell>;
  byBandRegime: Record<OgBand, Record<RegimeKey, TrackerCell>>;
}

export interface ServiceData {
  inMat: number;
  mat1: TrackerCell;
  mat2: StageBreakdown;
  mat3: StageBreakdown;
  mat4: TrackerCell;
  uncategorised: TrackerCell;
}

class StageAcc {
  readonly total = new CellAcc();
  readonly band = new Map<OgBand, CellAcc>(OG_BANDS.map((b) => [b, new CellAcc()]));
  readonly regime = new Map<RegimeKey, CellAcc>(REGIME_KEYS.map((r) => [r, new CellAcc()]));
  readonly bandRegime = new Map<string, CellAcc>();
  add(c: ClassifiedRow['classification']): void {
    const band = c.ogBand ?? 'n/a';
    const regime: RegimeKey = c.regime ?? 'unknown';
    this.total.add(c);
    (this.band.get(band) as CellAcc).add(c);
    (this.regime.get(regime) as CellAcc).add(c);
    const key = `${band}|${regime}`;
    let acc = this.bandRegime.get(key);
    if (acc === undefined) {
      acc = new CellAcc();
      this.bandRegime.set(key, acc);
    }
    acc.add(c);
  }
  breakdown(n: number): StageBreakdown {
    const byBand = {} as Record<OgBand, TrackerCell>;
    const byBandRegime = {} as Record<OgBand, Record<RegimeKey, TrackerCell>>;
    for (const b of OG_BANDS) {
      byBand[b] = (this.band.get(b) as CellAcc).cell(n);
      const row = {} as Record<RegimeKey, TrackerCell>;
      for (const r of REGIME_KEYS) row[r] = (this.bandRegime.get(`${b}|${r}`) ?? new CellAcc()).cell(n);
      byBandRegime[b] = row;
    }
    const byRegime = {} as Record<RegimeKey, TrackerCell>;
    for (const r of REGIME_KEYS) byRegime[r] = (this.regime.get(r) as CellAcc).cell(n);
    return { ...this.total.cell(n), byBand, byRegime, byBandRegime };
  }
}

class ServiceDataAcc {
  readonly all = new CellAcc();
  readonly mat1 = new CellAcc();
  readonly mat2 = new StageAcc();
  readonly mat3 = new StageAcc();
  readonly mat4 = new CellAcc();
  readonly uncategorised = new CellAcc();
  add(c: ClassifiedRow['classification']): void {
    if (!c.inMat || c.stage === null) return;
    this.all.add(c);
    if (c.stage === 'MAT1') this.mat1.add(c);
    else if (c.stage === 'MAT2') this.mat2.add(c);
    else if (c.stage === 'MAT3') this.mat3.add(c);
    else if (c.stage === 'MAT4') this.mat4.add(c);
    else this.uncategorised.add(c);
  }
  data(): ServiceData {
    const n = this.all.count;
    return {
      inMat: n,
      mat1: this.mat1.cell(n),
      mat2: this.mat2.breakdown(n),
      mat3: this.mat3.breakdown(n),
      mat4: this.mat4.cell(n),
      uncategorised: this.uncategorised.cell(n),
    };
  }
}

export interface ServiceDataReport {
  organisation: ServiceData;
  services: Record<string, ServiceData>;
}

/** Figure 8 for the organisation and each service on one date. */
export function buildServiceData(rows: Iterable<ClassifiedRow>): ServiceDataReport {
  const org = new ServiceDataAcc();
  const bySvc = new Map<string, ServiceDataAcc>();
  for (const r of rows) {
    org.add(r.classification);
    let acc = bySvc.get(r.service_id);
    if (acc === undefined) {
      acc = new ServiceDataAcc();
      bySvc.set(r.service_id, acc);
    }
    acc.add(r.classification);
  }
  const services: Record<string, ServiceData> = {};
  for (const id of [...bySvc.keys()].sort()) services[id] = (bySvc.get(id) as ServiceDataAcc).data();
  return { organisation: org.data(), services };
}

// ---------------------------------------------------------------------------------------
// Ranking of services.

export type RankMetric = TrackerGroup | 'mat2' | 'mat3';

/** Which direction is better for each metric (domain §1.3 "better is"); MAT 1/4 have none. */
export const METRIC_DIRECTION: Partial<Record<RankMetric, 'lower' | 'higher'>> = {
  red: 'lower',
  amber: 'lower',
  green: 'higher',
  grey: 'higher',
  uncategorised: 'lower',
  mat2: 'lower',
  mat3: 'higher',
};

export interface ServiceRank {
  service_id: string;
  /** The metric's % of in MAT, or null when the service has nobody in MAT. */
  value: number | null;
  /** 1 = best; ties share a rank (1, 2, 2, 4); null when value is null. */
  rank: number | null;
  /** Number of services ranked. */
  of: number;
}

/**
 * Ranks services on a metric's percentage. `better` defaults to METRIC_DIRECTION; a
 * metric without a direction (MAT 1, MAT 4) needs it given explicitly.
 */
export function rankServices(services: Record<string, TrackerSummary>, metric: RankMetric, better?: 'lower' | 'higher'): ServiceRank[] {
  const dir = better ?? METRIC_DIRECTION[metric];
  if (dir === undefined) throw new RangeError(`No "better" direction for metric ${metric}; pass one`);
  const valueOf = (s: TrackerSummary): number | null => (metric === 'mat2' ? s.mat2.pct : metric === 'mat3' ? s.mat3.pct : s.groups[metric].pct);
  const rows = Object.entries(services).map(([service_id, s]) => ({ service_id, value: valueOf(s) }));
  const ranked = rows.filter((r): r is { service_id: string; value: number } => r.value !== null);
  ranked.sort((a, b) => (dir === 'lower' ? a.value - b.value : b.value - a.value) || (a.service_id < b.service_id ? -1 : 1));
  const out: ServiceRank[] = [];
  const of = ranked.length;
  for (let i = 0; i < ranked.length; i++) {
    const r = ranked[i] as { service_id: string; value: number };
    const prev = out[i - 1];
    const rank = prev !== undefined && prev.value === r.value ? (prev.rank as number) : i + 1;
    out.push({ service_id: r.service_id, value: r.value, rank, of });
  }
  for (const r of rows.filter((x) => x.value === null).sort((a, b) => (a.service_id < b.service_id ? -1 : 1))) {
    out.push({ service_id: r.service_id, value: null, rank: null, of });
  }
  return out;
}
