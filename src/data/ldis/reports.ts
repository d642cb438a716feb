/**
 * Partner reports: idempotent submission, the coordinator's inbox (case-definition level,
 * candidate duplicates, SLA timers; drills labelled and kept out of real counts), one
 * report with its history, and revisions as toxicology and coronial findings arrive.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  OP_MABBLE_CASE_DEFINITION,
  classifyForAreas,
  classifyIncident,
  defaultCaseDefinition,
  type CaseClassification,
  type CaseDefinition,
  type CaseLevel,
} from '../../domain/ldis/caseDefinition';
import { DEFAULT_LINKAGE_CONFIG, findCandidates, type LinkageScore, type LinkedCase } from '../../domain/ldis/linkage';
import { slaStatus, type ReportStatus, type ReportWorkflow, type SlaStatus } from '../../domain/ldis/workflow';
import type { IncidentRecord } from '../../domain/ldis/types';
import type { Db, Queryable, SqlParam } from '../db';
import { getSetting } from '../settings';
import { LdisError } from './errors';
import { caseOfReport, loadLinkage, type LinkageOpRecord } from './linkage';
import { CONTENT_COLUMNS, INCIDENT_SELECT, columnValue, recordOf, scopeCondition, type IncidentRow, type ReportScope } from './rows';
import { normaliseSubmission, reportSubmissionSchema, type IncidentInput, type ReportSubmission } from './schema';

/** Settings key of the per-area case definitions (an array of CaseDefinition). */
export const CASE_DEFINITIONS_SETTING = 'ldis.case_definitions';

/**
 * Used for a report whose area no configured definition covers: Op Mabble's rules from
 * its start date, in any area, so that the inbox still shows a level (named as such).
 */
export const ANY_AREA_DEFINITION: CaseDefinition = defaultCaseDefinition({
  id: 'op-mabble-rules-any-area',
  name: 'Op Mabble rules, any area (no case definition configured for this area)',
  localAuthorities: 'any',
  startDate: OP_MABBLE_CASE_DEFINITION.startDate,
});

export async function caseDefinitions(db: Queryable): Promise<CaseDefinition[]> {
  return (await getSetting<CaseDefinition[]>(db, CASE_DEFINITIONS_SETTING)) ?? [OP_MABBLE_CASE_DEFINITION];
}

export function classify(report: IncidentRecord, defs: readonly CaseDefinition[]): CaseClassification {
  return classifyForAreas(report, defs) ?? classifyIncident(report, ANY_AREA_DEFINITION);
}

// ---------------------------------------------------------------------------------------
// Submission
// ---------------------------------------------------------------------------------------

export interface SubmitOptions {
  /** The partner organisation (idempotency is per partner). */
  partner: string;
  /** User name of whoever submitted. */
  submittedBy: string;
  submission: ReportSubmission;
  /** Server time of receipt (ISO); defaults to now. */
  now?: string;
}

export interface SubmitResult {
  /** False when this was a replay of an earlier submission with the same partner report id. */
  created: boolean;
  reportId: string;
  receivedAt: string;
  partner: string;
  partnerReportId: string;
}

function hashOf(input: IncidentInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/**
 * Saves a report, all-or-nothing. Idempotent on (partner, partner_report_id): the claim
 * on ldis_submissions is made first with ON CONFLICT DO NOTHING, so a concurrent or
 * retried submission waits for the first and then returns its report. A replay with
 * different content is a conflict (the partner reused an id, or meant a revision).
 */
export async function submitReport(db: Db, opts: SubmitOptions): Promise<SubmitResult> {
  const prepared = prepareSubmission(opts);
  return db.transaction((tx) => submitPrepared(tx, prepared));
}

/** A validated, normalised submission ready to be written. */
export interface PreparedSubmission {
  partner: string;
  submittedBy: string;
  partnerReportId: string;
  input: IncidentInput;
  hash: string;
  receivedAt: string;
}

/** Validates and normalises a submission (LdisError 'invalid' with field-level errors). */
export function prepareSubmission(opts: SubmitOptions): PreparedSubmission {
  const parsed = reportSubmissionSchema.safeParse(opts.submission);
  if (!parsed.success) {
    throw new LdisError(
      'invalid',
      'invalid_report',
      'The report is not valid',
      parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
    );
  }
  if (opts.partner.trim() === '') throw new LdisError('invalid', 'no_partner', 'the partner organisation is required');
  const input = normaliseSubmission(parsed.data);
  return {
    partner: opts.partner,
    submittedBy: opts.submittedBy,
    partnerReportId: parsed.data.partner_report_id,
    input,
    hash: hashOf(input),
    receivedAt: opts.now ?? new Date().toISOString(),
  };
}

/**
 * Writes a prepared submission inside the caller's transaction. Idempotent on (partner,
 * partner_report_id): the claim on ldis_submissions is made first with ON CONFLICT DO
 * NOTHING, so a concurrent or retried submission waits for the first and then returns
 * its report. A replay with different content is a conflict.
 */
export async function submitPrepared(tx: Queryable, p: PreparedSubmission): Promise<SubmitResult> {
  const { partner, partnerReportId, input, hash, receivedAt } = p;
  const reportId = `LDIS-${randomUUID()}`;
  const claimed = await tx.query<{ report_id: string }>(
    `INSERT INTO ldis_submissions (report_id, partner, partner_report_id, submitted_by, submitted_at, payload_hash)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (partner, partner_report_id) DO NOTHING RETURNING report_id`,
    [reportId, partner, partnerReportId, p.submittedBy, receivedAt, hash],
  );
  if (claimed.length === 0) {
    const existing = await tx.query<{ report_id: string; payload_hash: string; received_at: string }>(
      `SELECT s.report_id, s.payload_hash, i.received_at FROM ldis_submissions s JOIN incidents i ON i.report_id = s.report_id
       WHERE s.partner = $1 AND s.partner_report_id = $2`,
      [partner, partnerReportId],
    );
    const e = existing[0];
    if (!e) throw new LdisError('conflict', 'submission_in_flux', 'the earlier submission with this id could not be read; retry');
    if (e.payload_hash !== hash) {
      throw new LdisError('conflict', 'partner_report_id_reused', `report ${partnerReportId} was already submitted with different content`, [
        { field: 'partner_report_id', message: 'already used for a report with different content' },
      ]);
    }
    return { created: false, reportId: e.report_id, receivedAt: e.received_at, partner, partnerReportId };
  }
  const cols = ['report_id', 'received_at', ...CONTENT_COLUMNS];
  const values: SqlParam[] = [reportId, receivedAt, ...CONTENT_COLUMNS.map((c) => columnValue(input, c))];
  await tx.query(`INSERT INTO incidents (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, values);
  await tx.query(`INSERT INTO ldis_report_state (report_id, updated_at) VALUES ($1, $2)`, [reportId, receivedAt]);
  return { created: true, reportId, receivedAt, partner, partnerReportId };
}

// ---------------------------------------------------------------------------------------
// Reading: inbox and one report
// ---------------------------------------------------------------------------------------

type ReportRow = IncidentRow & {
  status: ReportStatus | null;
  assessed_at: string | null;
  decided_at: string | null;
  decision: ReportWorkflow['decision'];
  rationale: string | null;
  close_reason: ReportWorkflow['closeReason'];
  reopened_at: string | null;
  coronial_nitazene_contributed: boolean | null;
  coronial_combinations: string | null;
  revision: number | null;
  partner: string | null;
  partner_report_id: string | null;
  submitted_by: string | null;
};

const REPORT_SELECT = `SELECT ${INCIDENT_SELECT}, st.status, st.assessed_at, st.decided_at, st.decision, st.rationale, st.close_reason,
    st.reopened_at, st.coronial_nitazene_contributed, st.coronial_combinations, st.revision,
    s.partner, s.partner_report_id, s.submitted_by
  FROM incidents i
  LEFT JOIN ldis_report_state st ON st.report_id = i.report_id
  LEFT JOIN ldis_submissions s ON s.report_id = i.report_id`;

/** Workflow fields of a row (a report imported from a file has no state row: received). */
function workflowOf(r: ReportRow): Pick<ReportWorkflow, 'status' | 'receivedAt' | 'assessedAt' | 'decidedAt' | 'reopenedAt' | 'closeReason' | 'decision' | 'rationale'> {
  return {
    status: r.status ?? 'received',
    receivedAt: r.received_at,
    assessedAt: r.assessed_at,
    decidedAt: r.decided_at,
    reopenedAt: r.reopened_at,
    closeReason: r.close_reason,
    decision: r.decision,
    rationale: r.rationale,
  };
}

export interface Candidate {
  report_id: string;
  score: number;
  band: LinkageScore['band'];
  summary: string;
  source: string | null;
  event_type: string | null;
  event_date: string | null;
  /** Each component's part of the score (date, age, sex, area, substances, outcome, event type). */
  components: Array<{ name: string; score: number; known: boolean; text: string }>;
}

export interface InboxItem {
  report: IncidentRecord;
  exercise: boolean;
  partner: string | null;
  partner_report_id: string | null;
  status: ReportStatus;
  decision: ReportWorkflow['decision'];
  classification: { definition_id: string; meets: boolean; level: CaseLevel | null; summary: string };
  sla: SlaStatus;
  case: LinkedCase;
  candidates: Candidate[];
}

export interface InboxCounts {
  reports: number;
  cases: number;
  suspected: number;
  probable: number;
  confirmed: number;
  not_a_case: number;
  overdue: number;
}

export interface Inbox {
  now: string;
  items: InboxItem[];
  /** Real figures exclude exercise reports; drills are counted apart. */
  counts: { real: InboxCounts; exercise: InboxCounts };
}

export interface InboxOptions {
  scope: ReportScope;
  now?: string;
  /** Statuses shown (default: received, assessed, decided — those waiting for the coordinator). */
  statuses?: readonly ReportStatus[];
  limit?: number;
}

function emptyCounts(): InboxCounts {
  return { reports: 0, cases: 0, suspected: 0, probable: 0, confirmed: 0, not_a_case: 0, overdue: 0 };
}

/** Reports in scope within the linkage date window of [from, to] in these areas. */
async function candidatePool(db: Queryable, scope: ReportScope, from: string, to: string, areas: readonly string[]): Promise<IncidentRecord[]> {
  const w = DEFAULT_LINKAGE_CONFIG.dateWindowDays;
  const cond = scopeCondition(scope, 5);
  const rows = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_SELECT} FROM incidents i
     WHERE i.event_date BETWEEN $1::date - $3::int AND $2::date + $3::int AND i.local_authority = ANY($4::text[]) AND ${cond.sql}`,
    [from, to, w, [...areas], ...cond.params],
  );
  return rows.map(recordOf);
}

function candidatesFor(reportId: string, scores: readonly LinkageScore[], sameCase: (a: string, b: string) => boolean, pool: ReadonlyMap<string, IncidentRecord>): Candidate[] {
  const out: Candidate[] = [];
  for (const s of scores) {
    const other = s.a === reportId ? s.b : s.b === reportId ? s.a : null;
    if (other === null || sameCase(reportId, other)) continue;
    const o = pool.get(other);
    out.push({
      report_id: other,
      score: s.score,
      band: s.band,
      summary: s.summary,
      source: o?.source ?? null,
      event_type: o?.event_type ?? null,
      event_date: o?.event_date ?? null,
      components: s.components.map((c) => ({ name: c.name, score: c.score, known: c.known, text: c.text })),
    });
  }
  return out;
}

export async function listInbox(db: Db, opts: InboxOptions): Promise<Inbox> {
  const now = opts.now ?? new Date().toISOString();
  const statuses = opts.statuses ?? ['received', 'assessed', 'decided'];
  const limit = Math.max(1, Math.min(opts.limit ?? 200, 1000));
  const cond = scopeCondition(opts.scope, 3);
  const rows = await db.query<ReportRow>(
    `${REPORT_SELECT} WHERE coalesce(st.status, 'received') = ANY($1::text[]) AND ${cond.sql}
     ORDER BY i.received_at, i.report_id LIMIT $2`,
    [[...statuses], limit, ...cond.params],
  );
  const defs = await caseDefinitions(db);
  const records = rows.map(recordOf);
  let pool: IncidentRecord[] = [];
  if (records.length > 0) {
    const dates = records.map((r) => r.event_date).sort();
    pool = await candidatePool(db, opts.scope, dates[0] ?? now.slice(0, 10), dates[dates.length - 1] ?? now.slice(0, 10), [...new Set(records.map((r) => r.local_authority))]);
  }
  const byId = new Map(pool.map((r) => [r.report_id, r]));
  for (const r of records) byId.set(r.report_id, r);
  const scores = findCandidates([...byId.values()]);
  const linkage = await loadLinkage(db, [...byId.values()].map((r) => ({ report_id: r.report_id, received_at: r.received_at })));
  const sameCase = (a: string, b: string) => caseOfReport(linkage.state, a).caseId === caseOfReport(linkage.state, b).caseId;

  const counts = { real: emptyCounts(), exercise: emptyCounts() };
  const casesSeen = { real: new Set<string>(), exercise: new Set<string>() };
  const items: InboxItem[] = rows.map((row, i) => {
    const report = records[i] as IncidentRecord;
    const wf = workflowOf(row);
    const c = classify(report, defs);
    const sla = slaStatus(wf, now);
    const kase = caseOfReport(linkage.state, report.report_id);
    const kind = report.exercise ? 'exercise' : 'real';
    const k = counts[kind];
    k.reports++;
    if (!casesSeen[kind].has(kase.caseId)) {
      casesSeen[kind].add(kase.caseId);
      k.cases++;
    }
    if (c.level) k[c.level]++;
    else k.not_a_case++;
    if (sla.overdue) k.overdue++;
    return {
      report,
      exercise: report.exercise === true,
      partner: row.partner,
      partner_report_id: row.partner_report_id,
      status: wf.status,
      decision: wf.decision,
      classification: { definition_id: c.definitionId, meets: c.meets, level: c.level, summary: c.summary },
      sla,
      case: kase,
      candidates: candidatesFor(report.report_id, scores, sameCase, byId),
    };
  });
  return { now, items, counts };
}

export interface ReportListItem {
  report_id: string;
  received_at: string;
  source: string;
  event_date: string;
  event_type: string;
  local_authority: string;
  exercise: boolean;
  partner: string | null;
  partner_report_id: string | null;
  submitted_by: string | null;
  status: ReportStatus;
}

/** Submitted reports in scope, newest first (a partner submitter: their organisation's). */
export async function listReports(db: Queryable, opts: { scope: ReportScope; limit?: number }): Promise<ReportListItem[]> {
  const limit = Math.max(1, Math.min(opts.limit ?? 100, 1000));
  const cond = scopeCondition(opts.scope, 2);
  const rows = await db.query<ReportRow>(`${REPORT_SELECT} WHERE ${cond.sql} ORDER BY i.received_at DESC, i.report_id LIMIT $1`, [limit, ...cond.params]);
  return rows.map((r) => ({
    report_id: r.report_id,
    received_at: r.received_at,
    source: String(r.source),
    event_date: String(r.event_date),
    event_type: String(r.event_type),
    local_authority: String(r.local_authority),
    exercise: r.exercise === true,
    partner: r.partner,
    partner_report_id: r.partner_report_id,
    submitted_by: r.submitted_by,
    status: r.status ?? 'received',
  }));
}

export interface WorkflowEventRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  payload: Record<string, unknown>;
}

export interface RevisionRecord {
  revision: number;
  at: string;
  actor: string;
  reason: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface ReportDetail extends Omit<InboxItem, 'classification'> {
  submitted_by: string | null;
  classification: CaseClassification;
  rationale: string | null;
  coronial: { nitazene_contributed: boolean | null; combinations: string | null };
  revision: number;
  history: WorkflowEventRecord[];
  revisions: RevisionRecord[];
  linkage_ops: LinkageOpRecord[];
  case_reports: IncidentRecord[];
}

/** One report with everything about it, or null when it does not exist or is out of scope. */
export async function getReport(db: Db, reportId: string, opts: { scope: ReportScope; now?: string }): Promise<ReportDetail | null> {
  const now = opts.now ?? new Date().toISOString();
  const cond = scopeCondition(opts.scope, 2);
  const rows = await db.query<ReportRow>(`${REPORT_SELECT} WHERE i.report_id = $1 AND ${cond.sql}`, [reportId, ...cond.params]);
  const row = rows[0];
  if (!row) return null;
  const report = recordOf(row);
  const wf = workflowOf(row);
  const defs = await caseDefinitions(db);
  const pool = await candidatePool(db, opts.scope, report.event_date, report.event_date, [report.local_authority]);
  const byId = new Map(pool.map((r) => [r.report_id, r]));
  byId.set(report.report_id, report);
  const linkage = await loadLinkage(db, [...byId.values()]);
  const kase = caseOfReport(linkage.state, reportId);
  const sameCase = (a: string, b: string) => caseOfReport(linkage.state, a).caseId === caseOfReport(linkage.state, b).caseId;
  const scores = findCandidates([...byId.values()]);
  const history = await db.query<WorkflowEventRecord>('SELECT id, at, actor, action, payload FROM ldis_workflow_events WHERE report_id = $1 ORDER BY id', [reportId]);
  const revisions = await listRevisions(db, reportId);
  // Case members the caller may see (a partner sees only their own organisation's).
  const memberCond = scopeCondition(opts.scope, 2);
  const members = await db.query<IncidentRow>(`SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.report_id = ANY($1::text[]) AND ${memberCond.sql} ORDER BY i.received_at, i.report_id`, [
    kase.reportIds,
    ...memberCond.params,
  ]);
  const isPartner = opts.scope.partner !== undefined && opts.scope.partner !== null;
  return {
    report,
    exercise: report.exercise === true,
    partner: row.partner,
    partner_report_id: row.partner_report_id,
    submitted_by: row.submitted_by,
    status: wf.status,
    decision: wf.decision,
    rationale: wf.rationale,
    classification: classify(report, defs),
    sla: slaStatus(wf, now),
    case: isPartner ? { caseId: kase.caseId, reportIds: members.map((m) => m.report_id) } : kase,
    // A partner submitter sees neither other partners' reports nor the coordinator's work on them.
    candidates: isPartner ? [] : candidatesFor(reportId, scores, sameCase, byId),
    coronial: { nitazene_contributed: row.coronial_nitazene_contributed, combinations: row.coronial_combinations },
    revision: row.revision ?? 0,
    history: isPartner ? [] : history,
    revisions,
    linkage_ops: isPartner ? [] : linkage.ops.filter((o) => o.report_ids.includes(reportId) || (o.type === 'undo' && linkage.ops.some((t) => t.id === o.target && t.report_ids.includes(reportId)))),
    case_reports: members.map(recordOf),
  };
}

// ---------------------------------------------------------------------------------------
// Revisions
// ---------------------------------------------------------------------------------------

/** Fields that later findings may change. */
export const REVISABLE_FIELDS = [
  'outcome',
  'substances',
  'forensic_nitazene',
  'tox_tested_nitazene',
  'tox_nitazene_present',
  'tox_n_desethyl_isotonitazene',
  'synthetic_opioid_suspected',
  'notes',
] as const;
export type RevisableField = (typeof REVISABLE_FIELDS)[number];

export interface RevisionInput {
  fields?: Partial<Pick<IncidentInput, RevisableField>>;
  coronial?: { nitazene_contributed?: boolean | null; combinations?: string | null };
}

/** Ensures the state row exists and locks it (serialises changes to one report). */
export async function lockReportState(tx: Queryable, reportId: string): Promise<void> {
  await tx.query(
    `INSERT INTO ldis_report_state (report_id, updated_at) SELECT report_id, received_at FROM incidents WHERE report_id = $1
     ON CONFLICT (report_id) DO NOTHING`,
    [reportId],
  );
  await tx.query('SELECT report_id FROM ldis_report_state WHERE report_id = $1 FOR UPDATE', [reportId]);
}

/**
 * Updates a report with later findings and records a revision with every changed value
 * (before and after). Nothing changed → no revision (returns null).
 */
export async function reviseReport(
  db: Db,
  reportId: string,
  opts: { scope: ReportScope; actor: string; reason: string; change: RevisionInput; now?: string },
): Promise<RevisionRecord | null> {
  if (opts.reason.trim() === '') throw new LdisError('invalid', 'missing_reason', 'a revision needs a reason', [{ field: 'reason', message: 'required' }]);
  return db.transaction(async (tx) => {
    const cond = scopeCondition(opts.scope, 2);
    const found = await tx.query<{ report_id: string }>(`SELECT i.report_id FROM incidents i WHERE i.report_id = $1 AND ${cond.sql}`, [reportId, ...cond.params]);
    if (found.length === 0) throw new LdisError('not_found', 'unknown_report', `no report ${reportId}`);
    await lockReportState(tx, reportId);
    const rows = await tx.query<ReportRow>(`${REPORT_SELECT} WHERE i.report_id = $1`, [reportId]);
    const row = rows[0];
    if (!row) throw new LdisError('not_found', 'unknown_report', `no report ${reportId}`);
    const current = recordOf(row);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const sets: string[] = [];
    const params: SqlParam[] = [reportId];
    const fields = opts.change.fields ?? {};
    const merged: IncidentInput = { ...current, ...fields };
    for (const f of REVISABLE_FIELDS) {
      if (!(f in fields)) continue;
      const before = columnValue(current, f);
      const after = columnValue(merged, f);
      if (before === after) continue;
      changes[f] = { from: before, to: after };
      params.push(after);
      sets.push(`${f} = $${params.length}`);
    }
    if (sets.length > 0) await tx.query(`UPDATE incidents SET ${sets.join(', ')} WHERE report_id = $1`, params);
    const cor = opts.change.coronial ?? {};
    const stateSets: string[] = [];
    const stateParams: SqlParam[] = [reportId];
    if (cor.nitazene_contributed !== undefined && cor.nitazene_contributed !== row.coronial_nitazene_contributed) {
      changes.coronial_nitazene_contributed = { from: row.coronial_nitazene_contributed, to: cor.nitazene_contributed };
      stateParams.push(cor.nitazene_contributed);
      stateSets.push(`coronial_nitazene_contributed = $${stateParams.length}`);
    }
    if (cor.combinations !== undefined && (cor.combinations ?? null) !== row.coronial_combinations) {
      changes.coronial_combinations = { from: row.coronial_combinations, to: cor.combinations };
      stateParams.push(cor.combinations);
      stateSets.push(`coronial_combinations = $${stateParams.length}`);
    }
    if (Object.keys(changes).length === 0) return null;
    const revision = (row.revision ?? 0) + 1;
    const at = opts.now ?? new Date().toISOString();
    stateParams.push(revision, at);
    stateSets.push(`revision = $${stateParams.length - 1}`, `updated_at = $${stateParams.length}`);
    await tx.query(`UPDATE ldis_report_state SET ${stateSets.join(', ')} WHERE report_id = $1`, stateParams);
    await tx.query('INSERT INTO ldis_report_revisions (report_id, revision, at, actor, reason, changes) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
      reportId,
      revision,
      at,
      opts.actor,
      opts.reason.trim(),
      JSON.stringify(changes),
    ]);
    return { revision, at, actor: opts.actor, reason: opts.reason.trim(), changes };
  });
}

export async function listRevisions(db: Queryable, reportId: string): Promise<RevisionRecord[]> {
  return db.query<RevisionRecord>('SELECT revision, at, actor, reason, changes FROM ldis_report_revisions WHERE report_id = $1 ORDER BY revision', [reportId]);
}
