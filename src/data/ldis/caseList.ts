/**
 * The incident case list (issue 5 item 5) and data-flow gaps (item 6) on the database.
 * Drills (exercise = Y) are left out of the case list and the figures unless asked for,
 * and then labelled.
 */
import ExcelJS from 'exceljs';
import { APPENDIX2 } from '../../domain/ldis/appendix2';
import { compareLevels, type CaseLevel } from '../../domain/ldis/caseDefinition';
import { combineCaseReports, summariseByAreaWeek, type AreaWeekSummary } from '../../domain/ldis/caseList';
import { flowStatus, type FlowStatus } from '../../domain/ldis/gaps';
import { OP_MABBLE_CASE_DEFINITION_TEXT, OP_MABBLE_FIELDS, opMabbleRow, type OpMabbleValue } from '../../domain/ldis/opMabble';
import type { IncidentRecord } from '../../domain/ldis/types';
import type { Queryable, SqlParam } from '../db';
import { caseOfReport, loadLinkage } from './linkage';
import { caseDefinitions, classify } from './reports';
import { INCIDENT_SELECT, recordOf, scopeCondition, type IncidentRow, type ReportScope } from './rows';

export interface CaseListOptions {
  scope: ReportScope;
  /** Event dates from and to (inclusive, YYYY-MM-DD). */
  from: string;
  to: string;
  /** Include drills (labelled); default false. */
  includeExercise?: boolean;
}

export interface CaseListRow {
  case_id: string;
  level: CaseLevel;
  local_authority: string;
  event_date: string;
  exercise: boolean;
  report_ids: string[];
  sources: string[];
  /** Op Mabble field key → value (OP_MABBLE_FIELDS order). */
  fields: Record<string, OpMabbleValue>;
}

export interface CaseList {
  from: string;
  to: string;
  include_exercise: boolean;
  columns: Array<{ key: string; label: string }>;
  cases: CaseListRow[];
  /** Real cases only (drills never count). */
  by_area_week: AreaWeekSummary[];
  case_definition: readonly string[];
}

const YES_NO = (v: boolean | null): string => (v === true ? 'Yes' : v === false ? 'No' : 'Unknown');

export async function caseList(db: Queryable, opts: CaseListOptions): Promise<CaseList> {
  const cond = scopeCondition(opts.scope, 3);
  const exerciseSql = opts.includeExercise ? '' : 'AND NOT i.exercise';
  const inRange = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.event_date BETWEEN $1::date AND $2::date ${exerciseSql} AND ${cond.sql} ORDER BY i.received_at, i.report_id`,
    [opts.from, opts.to, ...cond.params],
  );
  const records = new Map(inRange.map((r) => [r.report_id, recordOf(r)]));
  const linkage = await loadLinkage(db, [...records.values()]);
  // Other members of those cases (reported outside the range), if the caller may see them.
  const memberIds = new Set<string>();
  for (const id of records.keys()) for (const m of caseOfReport(linkage.state, id).reportIds) if (!records.has(m)) memberIds.add(m);
  if (memberIds.size > 0) {
    const mc = scopeCondition(opts.scope, 2);
    const more = await db.query<IncidentRow>(`SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.report_id = ANY($1::text[]) AND ${mc.sql}`, [[...memberIds], ...mc.params]);
    for (const r of more) records.set(r.report_id, recordOf(r));
  }
  const coronial = await db.query<{ report_id: string; coronial_nitazene_contributed: boolean | null; coronial_combinations: string | null }>(
    'SELECT report_id, coronial_nitazene_contributed, coronial_combinations FROM ldis_report_state WHERE report_id = ANY($1::text[]) AND (coronial_nitazene_contributed IS NOT NULL OR coronial_combinations IS NOT NULL)',
    [[...records.keys()]],
  );
  const coronialOf = new Map(coronial.map((c) => [c.report_id, c]));
  const defs = await caseDefinitions(db);
  const groups = new Map<string, IncidentRecord[]>();
  for (const r of records.values()) {
    const c = caseOfReport(linkage.state, r.report_id);
    const list = groups.get(c.caseId) ?? [];
    list.push(r);
    groups.set(c.caseId, list);
  }
  const cases: CaseListRow[] = [];
  for (const [caseId, members] of groups) {
    members.sort((a, b) => a.received_at.localeCompare(b.received_at) || a.report_id.localeCompare(b.report_id));
    const combined = combineCaseReports(members);
    if (combined.event_date < opts.from || combined.event_date > opts.to) continue;
    let level: CaseLevel | null = classify(combined, defs).level;
    for (const m of members) {
      const l = classify(m, defs).level;
      if (l && (level === null || compareLevels(l, level) > 0)) level = l;
    }
    if (level === null) continue;
    const fields = opMabbleRow(combined);
    const cor = members.map((m) => coronialOf.get(m.report_id)).filter((c) => c !== undefined);
    const contributed = cor.some((c) => c.coronial_nitazene_contributed === true) ? true : cor.some((c) => c.coronial_nitazene_contributed === false) ? false : null;
    fields.coronial_nitazene_contributed = YES_NO(contributed);
    const combos = cor.map((c) => c.coronial_combinations).filter((c): c is string => c !== null && c !== '');
    fields.coronial_combination_effect = combos.length > 0 ? combos.join('; ') : null;
    cases.push({
      case_id: caseId,
      level,
      local_authority: combined.local_authority,
      event_date: combined.event_date,
      exercise: combined.exercise === true,
      report_ids: members.map((m) => m.report_id),
      sources: [...new Set(members.map((m) => m.source))],
      fields,
    });
  }
  cases.sort((a, b) => a.event_date.localeCompare(b.event_date) || a.case_id.localeCompare(b.case_id));
  return {
    from: opts.from,
    to: opts.to,
    include_exercise: opts.includeExercise === true,
    columns: OP_MABBLE_FIELDS.map((f) => ({ key: f.key, label: f.label })),
    cases,
    by_area_week: summariseByAreaWeek(
      cases.filter((c) => !c.exercise).map((c) => ({ local_authority: c.local_authority, event_date: c.event_date, level: c.level, died: c.fields.death === 'Yes' })),
    ),
    case_definition: OP_MABBLE_CASE_DEFINITION_TEXT,
  };
}

const LEVEL_LABEL: Record<CaseLevel, string> = { suspected: 'Suspected', probable: 'Probable', confirmed: 'Confirmed' };

/** The case list as an XLSX workbook for the multi-agency cell: Case list, By area and week, About. */
export async function caseListWorkbook(list: CaseList, generatedAt: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Beacon';
  wb.created = new Date(generatedAt);
  const sheet = wb.addWorksheet('Case list', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = ['Case', 'Level', 'Local authority', 'Event date', 'Sources', 'Reports', ...(list.include_exercise ? ['Exercise'] : []), ...list.columns.map((c) => c.label)];
  sheet.addRow(header).font = { bold: true };
  for (const c of list.cases) {
    sheet.addRow([
      c.case_id,
      LEVEL_LABEL[c.level],
      c.local_authority,
      c.event_date,
      c.sources.join('; '),
      c.report_ids.length,
      ...(list.include_exercise ? [c.exercise ? 'EXERCISE' : ''] : []),
      ...list.columns.map((col) => c.fields[col.key] ?? ''),
    ]);
  }
  sheet.columns.forEach((col) => (col.width = 16));
  const weeks = wb.addWorksheet('By area and week', { views: [{ state: 'frozen', ySplit: 1 }] });
  weeks.addRow(['Local authority', 'Week beginning', 'Cases', 'Suspected', 'Probable', 'Confirmed', 'Deaths']).font = { bold: true };
  for (const w of list.by_area_week) weeks.addRow([w.local_authority, w.week, w.cases, w.suspected, w.probable, w.confirmed, w.deaths]);
  weeks.columns.forEach((col) => (col.width = 16));
  const about = wb.addWorksheet('About');
  about.addRow(['Incident case list (Op Mabble dataset columns)']).font = { bold: true };
  about.addRow([`Events from ${list.from} to ${list.to}; generated ${generatedAt.slice(0, 16).replace('T', ' ')} UTC by Beacon.`]);
  about.addRow([list.include_exercise ? 'Exercise (drill) cases are included and labelled EXERCISE; the weekly summary counts real cases only.' : 'Exercise (drill) reports are excluded.']);
  about.addRow(['One row per case: reports of the same event from several partners are linked into one case.']);
  about.addRow(['Case definition:']);
  for (const line of list.case_definition) about.addRow([line]);
  about.addRow(['OFFICIAL-SENSITIVE: contains personal data. Share only within the multi-agency cell.']);
  about.getColumn(1).width = 120;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------
// Data-flow gaps
// ---------------------------------------------------------------------------------------

export interface FlowRow {
  last_at: string | null;
  in_period: number;
  status: FlowStatus | 'not_applicable';
  days_since: number | null;
}

export interface DataFlowGaps {
  now: string;
  days: number;
  partners: Array<FlowRow & { partner: string; kind: 'partner' | 'ldis_team'; tokens: number }>;
  sources: Array<FlowRow & { source: string }>;
  items: Array<FlowRow & { id: string; agency: string; proposed_data: string; feed: string }>;
}

function flow(now: string, days: number, lastAt: string | null, inPeriod: number): FlowRow {
  const s = flowStatus({ lastAt, inPeriod }, now, days);
  return { last_at: lastAt, in_period: inPeriod, status: s.status, days_since: s.daysSince };
}

/**
 * For each partner organisation (known by a token, an account or a submission), each
 * source and each Appendix 2 data item: when it last reported and how many real reports
 * in the last `days` days.
 */
export async function dataFlowGaps(db: Queryable, opts: { scope: ReportScope; days: number; now?: string }): Promise<DataFlowGaps> {
  const now = opts.now ?? new Date().toISOString();
  const days = opts.days;
  const since = new Date(Date.parse(now) - days * 86_400_000).toISOString();
  const cond = scopeCondition(opts.scope, 3);
  const partnerStats = await db.query<{ partner: string; last_at: string | null; in_period: number }>(
    `SELECT s.partner, max(i.received_at) AS last_at, count(*) FILTER (WHERE i.received_at >= $1 AND i.received_at <= $2)::int AS in_period
     FROM ldis_submissions s JOIN incidents i ON i.report_id = s.report_id WHERE NOT i.exercise AND ${cond.sql} GROUP BY s.partner`,
    [since, now, ...cond.params],
  );
  const known = await db.query<{ partner: string; tokens: number }>(
    `SELECT partner, sum(tokens)::int AS tokens FROM (
       SELECT partner, count(*) FILTER (WHERE revoked_at IS NULL) AS tokens FROM ldis_partner_tokens GROUP BY partner
       UNION ALL SELECT scope_id, 0 FROM users WHERE role = 'partner_submitter' AND scope_type = 'partner' AND scope_id IS NOT NULL AND active
     ) k GROUP BY partner`,
  );
  const partners = new Map<string, { last_at: string | null; in_period: number; tokens: number }>();
  for (const k of known) partners.set(k.partner, { last_at: null, in_period: 0, tokens: k.tokens });
  for (const p of partnerStats) partners.set(p.partner, { last_at: p.last_at, in_period: p.in_period, tokens: partners.get(p.partner)?.tokens ?? 0 });
  const sourceStats = await db.query<{ source: string; last_at: string | null; in_period: number }>(
    `SELECT i.source, max(i.received_at) AS last_at, count(*) FILTER (WHERE i.received_at >= $1 AND i.received_at <= $2)::int AS in_period
     FROM incidents i WHERE NOT i.exercise AND ${cond.sql} GROUP BY i.source`,
    [since, now, ...cond.params],
  );
  const items: DataFlowGaps['items'] = [];
  for (const item of APPENDIX2) {
    if (item.feed.kind === 'dataset') {
      items.push({ id: item.id, agency: item.agency, proposed_data: item.proposedData, feed: `${item.feed.file}: ${item.feed.note}`, last_at: null, in_period: 0, status: 'not_applicable', days_since: null });
      continue;
    }
    const c = scopeCondition(opts.scope, 5);
    const params: SqlParam[] = [since, now, [...item.feed.sources], [...item.feed.eventTypes], ...c.params];
    const r = await db.query<{ last_at: string | null; in_period: number }>(
      `SELECT max(i.received_at) AS last_at, count(*) FILTER (WHERE i.received_at >= $1 AND i.received_at <= $2)::int AS in_period
       FROM incidents i WHERE NOT i.exercise AND i.source = ANY($3::text[]) AND i.event_type = ANY($4::text[]) AND ${c.sql}`,
      params,
    );
    const row = r[0] ?? { last_at: null, in_period: 0 };
    items.push({
      id: item.id,
      agency: item.agency,
      proposed_data: item.proposedData,
      feed: `partner reports from ${item.feed.sources.join(', ')} (${item.feed.eventTypes.join(', ')})`,
      ...flow(now, days, row.last_at, row.in_period),
    });
  }
  return {
    now,
    days,
    partners: [...partners.entries()]
      .map(([partner, p]) => ({ partner, kind: partner.startsWith('ldis:') ? ('ldis_team' as const) : ('partner' as const), tokens: p.tokens, ...flow(now, days, p.last_at, p.in_period) }))
      .sort((a, b) => a.partner.localeCompare(b.partner)),
    sources: sourceStats.map((s) => ({ source: s.source, ...flow(now, days, s.last_at, s.in_period) })).sort((a, b) => a.source.localeCompare(b.source)),
    items,
  };
}
