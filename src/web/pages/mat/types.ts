/**
 * The MAT API's shapes as the web app uses them (src/server/routes/mat/schemas.ts, field
 * for field; docs/mat-report.md).
 */

export const GROUPS = ['mat1', 'red', 'amber', 'green', 'grey', 'mat4', 'uncategorised', 'mat2_no_band', 'mat3_no_band'] as const;
export type Group = (typeof GROUPS)[number];
export type DoseGroup = Group | 'mat2' | 'mat3' | 'all';

export interface MeanDoses {
  methadone_mg: number | null;
  buprenorphine_mg: number | null;
}

export interface TrackerFigures {
  in_mat: number;
  cohorts: Record<Group, number>;
  stages: { mat1: number; mat2: number; mat3: number; mat4: number; uncategorised: number };
  pct: Partial<Record<Group | 'mat2' | 'mat3', number | null>>;
  mean_doses: Partial<Record<DoseGroup, MeanDoses>>;
}

export interface MonthFigures extends TrackerFigures {
  month: string;
}

export interface Cell {
  count: number;
  pct: number | null;
  mean_methadone_mg: number | null;
  mean_buprenorphine_mg: number | null;
}

export interface Breakdown extends Cell {
  by_band: Record<string, Cell>;
  by_regime: Record<string, Cell>;
  by_band_regime: Record<string, Record<string, Cell>>;
}

export interface ServiceData {
  in_mat: number;
  mat1: Cell;
  mat2: Breakdown;
  mat3: Breakdown;
  mat4: Cell;
  uncategorised: Cell;
}

export interface Rank {
  value: number | null;
  rank: number | null;
  of: number;
}

export interface ServiceDataWithRanks extends ServiceData {
  service_id: string;
  ranks: Record<string, Rank>;
}

export interface DataQualityCounts {
  issues: number;
  people: number;
  by_code: Record<string, { issues: number; people: number }>;
}

export interface DataQuality {
  organisation: DataQualityCounts;
  services: Record<string, DataQualityCounts>;
}

export interface TrackerResponse {
  month: string;
  date: string;
  service_id: string | null;
  months: string[];
  organisation: MonthFigures[];
  services: Record<string, MonthFigures[]>;
  service_data: { organisation: ServiceData; services: ServiceDataWithRanks[] };
  data_quality: DataQuality;
}

export type Stage = 'MAT1' | 'MAT2' | 'MAT3' | 'MAT4' | 'uncategorised';
export type Cohort = 'red' | 'amber' | 'green' | 'grey';
export type OgBand = 'below' | 'at_or_above' | 'n/a';
export type Regime = 'increasing' | 'static' | 'reducing' | 'detox';
export type RiskTier = 'high' | 'medium' | 'low';

export interface MatPerson {
  person_id: string;
  service_id: string;
  stage: Stage | null;
  cohort: Cohort | null;
  og_band: OgBand | null;
  regime: Regime | null;
  medication: string | null;
  dose_mg: number | null;
  high_dose: boolean;
  risk_tier: RiskTier | null;
  reasons: string[];
}

export type Priority = 1 | 2 | 3 | 4 | 5 | 'uncategorised';

export interface WorklistEntry {
  priority: Priority;
  kind: string;
  position: number;
  person_id: string;
  service_id: string;
  reason: string;
  action: string;
  stage: Stage | null;
  cohort: Cohort | null;
  og_band: OgBand | null;
  regime: Regime | null;
  medication: string | null;
  dose_mg: number | null;
  risk_tier: RiskTier | null;
  /** The person's open care-plan actions (overdue judged on the response's actions_as_of). */
  open_actions: number;
  overdue_actions: number;
  next_action_due: string | null;
  next_action_overdue: boolean;
}

export interface ServiceFigures extends TrackerFigures {
  service_id: string;
  name: string | null;
}

export interface ReportResponse {
  month: string;
  date: string;
  service_id: string | null;
  services: ServiceFigures[];
  organisation: TrackerFigures;
  people: MatPerson[];
  worklists: WorklistEntry[];
  actions_as_of: string;
  data_quality: DataQuality;
}

export interface WorklistsResponse {
  month: string;
  date: string;
  service_id: string | null;
  worklists: WorklistEntry[];
  actions_as_of: string;
}
