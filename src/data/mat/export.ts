/**
 * MAT and risk reports as files: CSV (the people rows) and XLSX workbooks like the one
 * services receive today (Service Tracker, Service Data, MAT Breakdown, Priorities; risk:
 * People, Summary). Written with exceljs' streaming writer.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { FLAG_CODES, TIERS } from '../../domain/risk';
import type { RiskReport, RiskSummaryJson } from '../risk/report';
import { GROUP_KEYS, RANK_METRICS, type MatReport, type StageBreakdownJson, type TrackerFigures } from './report';
import { hasWorklistActions, type MatReportWithActions } from './worklist-actions';

const round = (v: number | null, dp = 2): number | null => (v === null ? null : Math.round(v * 10 ** dp) / 10 ** dp);

const PEOPLE_COLUMNS = ['person_id', 'service_id', 'stage', 'cohort', 'og_band', 'regime', 'medication', 'dose_mg', 'high_dose', 'risk_tier', 'reasons'] as const;

function matPeopleRows(r: MatReport): (string | number | boolean | null)[][] {
  return r.people.map((p) => [p.person_id, p.service_id, p.stage, p.cohort, p.og_band, p.regime, p.medication, p.dose_mg, p.high_dose, p.risk_tier, p.reasons.join(' | ')]);
}

/** The people rows of the MAT report as CSV (header + one row per person in MAT). */
export function matReportCsv(r: MatReport): string {
  return Papa.unparse({ fields: [...PEOPLE_COLUMNS], data: matPeopleRows(r) }, { newline: '\n' }) + '\n';
}

const RISK_COLUMNS = ['person_id', 'service_id', 'mat_stage', 'tier', 'flags', 'critical', 'reasons'] as const;

function riskPeopleRows(r: RiskReport): (string | null)[][] {
  return r.people.map((p) => [p.person_id, p.service_id, p.mat_stage, p.tier, p.flags.join(';'), p.critical.join(';'), p.reasons.join(' | ')]);
}

/** The people rows of the risk report as CSV. */
export function riskReportCsv(r: RiskReport): string {
  return Papa.unparse({ fields: [...RISK_COLUMNS], data: riskPeopleRows(r) }, { newline: '\n' }) + '\n';
}

type Row = (string | number | boolean | null)[];

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, header: Row, rows: Row[], style?: (row: ExcelJS.Row, values: Row) => void): void {
  const ws = wb.addWorksheet(name);
  const h = ws.addRow(header);
  h.font = { bold: true };
  h.commit();
  for (const r of rows) {
    const row = ws.addRow(r);
    style?.(row, r);
    row.commit();
  }
  ws.commit();
}

const GROUP_LABEL: Record<(typeof GROUP_KEYS)[number], string> = {
  mat1: 'MAT 1',
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  grey: 'Grey',
  mat4: 'MAT 4',
  uncategorised: 'Uncategorised',
  mat2_no_band: 'MAT 2 no OG band',
  mat3_no_band: 'MAT 3 no OG band',
};

function trackerRows(who: string, series: (TrackerFigures & { month: string })[]): Row[] {
  const rows: Row[] = [];
  for (const m of series) {
    for (const g of GROUP_KEYS) {
      rows.push([who, m.month, GROUP_LABEL[g], m.cohorts[g], round(m.pct[g]), round(m.mean_doses[g].methadone_mg), round(m.mean_doses[g].buprenorphine_mg), m.in_mat]);
    }
  }
  return rows;
}

function breakdownRows(who: string, stage: string, b: StageBreakdownJson, org: StageBreakdownJson): Row[] {
  const rows: Row[] = [];
  for (const [band, byRegime] of Object.entries(b.by_band_regime)) {
    for (const [regime, cell] of Object.entries(byRegime)) {
      const o = org.by_band_regime[band]?.[regime];
      rows.push([who, stage, band, regime, cell.count, round(cell.pct), round(cell.mean_methadone_mg), o?.count ?? null, round(o?.pct ?? null)]);
    }
  }
  return rows;
}

const WORKLIST_COLUMNS = ['priority', 'position', 'person_id', 'service_id', 'kind', 'reason', 'action', 'stage', 'cohort', 'og_band', 'regime', 'medication', 'dose_mg', 'risk_tier'] as const;
/** Added when the report carries the open care-plan actions (the API downloads do). */
const WORKLIST_ACTION_COLUMNS = ['open_actions', 'overdue_actions', 'next_action_due', 'next_action_overdue'] as const;
const NEXT_DUE_COLUMN = WORKLIST_COLUMNS.length + WORKLIST_ACTION_COLUMNS.indexOf('next_action_due') + 1;
const NEXT_OVERDUE_INDEX = WORKLIST_COLUMNS.length + WORKLIST_ACTION_COLUMNS.indexOf('next_action_overdue');

type WorklistReport = MatReport | MatReportWithActions;

function worklistHeader(r: WorklistReport): string[] {
  return hasWorklistActions(r) ? [...WORKLIST_COLUMNS, ...WORKLIST_ACTION_COLUMNS] : [...WORKLIST_COLUMNS];
}

function worklistRows(r: WorklistReport): Row[] {
  const base = (w: MatReport['worklists'][number]): Row => [String(w.priority), w.position, w.person_id, w.service_id, w.kind, w.reason, w.action, w.stage, w.cohort, w.og_band, w.regime, w.medication, w.dose_mg, w.risk_tier];
  if (!hasWorklistActions(r)) return r.worklists.map(base);
  return r.worklists.map((w) => [...base(w), w.open_actions, w.overdue_actions, w.next_action_due, w.next_action_overdue]);
}

/** An overdue next action stands out in the workbook (red fill, bold) as it does on screen. */
function highlightOverdue(row: ExcelJS.Row, values: Row): void {
  if (values[NEXT_OVERDUE_INDEX] !== true) return;
  const cell = row.getCell(NEXT_DUE_COLUMN);
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF6D7D2' } };
  cell.font = { bold: true, color: { argb: 'FFD5281B' } };
}

/** The worklists (priorities 1–5 and the uncategorised) as CSV, in worklist order. */
export function matWorklistsCsv(r: WorklistReport): string {
  return Papa.unparse({ fields: worklistHeader(r), data: worklistRows(r) }, { newline: '\n' }) + '\n';
}

const PRIORITY_SHEETS: readonly [string, string][] = [
  ['1', 'Priority 1'],
  ['2', 'Priority 2'],
  ['3', 'Priority 3'],
  ['4', 'Priority 4'],
  ['5', 'Priority 5'],
  ['uncategorised', 'Uncategorised'],
];

/** The worklists as a workbook: all of them on one sheet, then one sheet per priority. */
export async function writeMatWorklistsWorkbook(r: WorklistReport, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'Beacon';
  const rows = worklistRows(r);
  const header = worklistHeader(r);
  addSheet(wb, 'All worklists', header, rows, highlightOverdue);
  for (const [priority, title] of PRIORITY_SHEETS) addSheet(wb, title, header, rows.filter((row) => row[0] === priority), highlightOverdue);
  await wb.commit();
}

/** The MAT workbook: Service Tracker, Service Data, MAT Breakdown, Priorities (and Data Quality). */
export async function writeMatWorkbook(r: WorklistReport, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'Beacon';
  const trackerHeader = ['service', 'month', 'group', 'count', '% of in MAT', 'mean methadone mg', 'mean buprenorphine mg', 'in MAT'];
  const tracker: Row[] = [];
  for (const [id, series] of Object.entries(r.tracker.services)) tracker.push(...trackerRows(id, series));
  tracker.push(...trackerRows('Organisation', r.tracker.organisation));
  addSheet(wb, 'Service Tracker', trackerHeader, tracker);

  const sdHeader = ['service', 'stage', 'OG band', 'regime', 'count', '% of in MAT', 'mean methadone mg', 'organisation count', 'organisation %'];
  const sd: Row[] = [];
  const org = r.service_data.organisation;
  for (const s of r.service_data.services) {
    sd.push([s.service_id, 'MAT 1', null, null, s.mat1.count, round(s.mat1.pct), round(s.mat1.mean_methadone_mg), org.mat1.count, round(org.mat1.pct)]);
    sd.push(...breakdownRows(s.service_id, 'MAT 2', s.mat2, org.mat2));
    sd.push(...breakdownRows(s.service_id, 'MAT 3', s.mat3, org.mat3));
    sd.push([s.service_id, 'MAT 4', null, 'detox', s.mat4.count, round(s.mat4.pct), round(s.mat4.mean_methadone_mg), org.mat4.count, round(org.mat4.pct)]);
    sd.push([s.service_id, 'Uncategorised', null, null, s.uncategorised.count, round(s.uncategorised.pct), round(s.uncategorised.mean_methadone_mg), org.uncategorised.count, round(org.uncategorised.pct)]);
    for (const m of RANK_METRICS) {
      const rank = s.ranks[m];
      sd.push([s.service_id, `Rank: % ${m}`, null, null, rank.rank, round(rank.value), null, rank.of, null]);
    }
  }
  addSheet(wb, 'Service Data', sdHeader, sd);
  addSheet(wb, 'MAT Breakdown', [...PEOPLE_COLUMNS], matPeopleRows(r));
  addSheet(wb, 'Priorities', worklistHeader(r), worklistRows(r), highlightOverdue);
  const dq: Row[] = [];
  const dqRows = (who: string, s: MatReport['data_quality']['organisation']): void => {
    for (const [code, c] of Object.entries(s.by_code)) dq.push([who, code, c?.issues ?? 0, c?.people ?? 0]);
  };
  for (const [id, s] of Object.entries(r.data_quality.services)) dqRows(id, s);
  dqRows('Organisation', r.data_quality.organisation);
  addSheet(wb, 'Data Quality', ['service', 'issue', 'issues', 'people'], dq);
  await wb.commit();
}

function summaryRows(who: string, s: RiskSummaryJson): Row[] {
  const rows: Row[] = [[who, 'people', s.people, null]];
  for (const t of TIERS) rows.push([who, `tier.${t}`, s.tiers[t], round(s.pct.tiers[t])]);
  for (const c of FLAG_CODES) rows.push([who, `flag.${c}`, s.flags[c], round(s.pct.flags[c])]);
  for (const c of FLAG_CODES) rows.push([who, `critical.${c}`, s.critical[c], null]);
  for (const [k, v] of Object.entries(s.naloxone_coverage)) rows.push([who, `naloxone_coverage.${k}`, v.with_naloxone, round(v.pct)]);
  return rows;
}

/** The risk workbook: People, Summary. */
export async function writeRiskWorkbook(r: RiskReport, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'Beacon';
  addSheet(wb, 'People', [...RISK_COLUMNS], riskPeopleRows(r));
  const rows: Row[] = [];
  for (const s of r.services) rows.push(...summaryRows(s.service_id, s));
  rows.push(...summaryRows('Organisation', r.organisation));
  addSheet(wb, 'Summary', ['service', 'measure', 'count', '%'], rows);
  await wb.commit();
}
