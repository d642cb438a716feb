/**
 * Alerts on the database (issue 7 item 1): drafting from an assessed report, a step change
 * or a blank template; editing; the approval workflow (two-person rule); issuing, which
 * freezes the copy of every audience tier on the version; revising into a new version.
 * Every version and every event is kept.
 */
import type { Db, Queryable } from '../db';
import { getSetting } from '../settings';
import { INCIDENT_SELECT, recordOf, type IncidentRow } from '../ldis/rows';
import { caseDefinitions, classify } from '../ldis/reports';
import { caseOfReport, loadLinkage } from '../ldis/linkage';
import { applyReportActions } from '../ldis/workflow';
import { LdisError } from '../ldis/errors';
import {
  applyAlertAction,
  contentProblems,
  copyText,
  draftAlert,
  findIdentifierLeaks,
  produceTiers,
  resolveWorkflowConfig,
  type AlertBasis,
  type AlertContent,
  type AlertKind,
  type AlertWorkflowConfig,
  type Tier,
  type TierCopy,
  type VersionState,
  type VersionStatus,
} from '../../domain/alerts';
import type { KnownIdentifiers } from '../../domain/disclosure/redact';
import type { Step } from '../../domain/ldis/types';
import { areaName, currentStep, stepChange } from './areas';
import { AlertsError, inScope, type AreaScope } from './errors';

export const WORKFLOW_SETTING = 'alerts.workflow';

export async function workflowConfig(db: Queryable): Promise<AlertWorkflowConfig> {
  return resolveWorkflowConfig((await getSetting<Partial<AlertWorkflowConfig>>(db, WORKFLOW_SETTING)) ?? {});
}

interface AlertRow {
  id: number;
  kind: AlertKind;
  local_authority: string;
  area_name: string;
  step: number;
  basis_type: 'report' | 'step_change' | 'manual';
  basis_ref: string | null;
  report_ids: string[];
  reference_date: string;
  current_version: number;
  issued_version: number | null;
  coroner_permission: CoronerPermission | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

interface VersionRow {
  alert_id: number;
  version: number;
  status: VersionStatus;
  content: AlertContent;
  authors: string[];
  approvals: string[];
  revision_note: string | null;
  tiers: Record<Tier, TierCopy> | null;
  created_at: string;
  updated_at: string;
  issued_at: string | null;
  issued_by: string | null;
}

export interface CoronerPermission {
  by: string;
  at: string;
  note: string;
}

export interface AlertSummary {
  id: number;
  kind: AlertKind;
  title: string;
  status: VersionStatus;
  area: string;
  areaName: string;
  step: number;
  currentVersion: number;
  issuedVersion: number | null;
  issuedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AlertVersionRecord {
  version: number;
  status: VersionStatus;
  content: AlertContent;
  authors: string[];
  approvals: string[];
  revisionNote: string | null;
  tiers: Record<Tier, TierCopy> | null;
  createdAt: string;
  updatedAt: string;
  issuedAt: string | null;
  issuedBy: string | null;
}

export interface AlertEventRecord {
  at: string;
  actor: string;
  version: number;
  action: string;
  note: string | null;
}

export interface AlertDetail extends AlertSummary {
  basisType: AlertRow['basis_type'];
  basisRef: string | null;
  reportIds: string[];
  referenceDate: string;
  coronerPermission: CoronerPermission | null;
  requiredApprovals: number;
  versions: AlertVersionRecord[];
  events: AlertEventRecord[];
  /** The copies of the current version as they would be issued now (side by side). */
  preview: Record<Tier, TierCopy>;
}

const ALERT_COLS =
  'a.id, a.kind, a.local_authority, a.area_name, a.step, a.basis_type, a.basis_ref, a.report_ids, a.reference_date, a.current_version, a.issued_version, a.coroner_permission, a.created_by, a.created_at, a.updated_at';

function versionRecord(v: VersionRow): AlertVersionRecord {
  return {
    version: v.version,
    status: v.status,
    content: v.content,
    authors: v.authors,
    approvals: v.approvals,
    revisionNote: v.revision_note,
    tiers: v.tiers,
    createdAt: String(v.created_at),
    updatedAt: String(v.updated_at),
    issuedAt: v.issued_at === null ? null : String(v.issued_at),
    issuedBy: v.issued_by,
  };
}

/** The identifiers of the people in the reports behind an alert. */
export async function knownIdentifiers(db: Queryable, reportIds: readonly string[]): Promise<KnownIdentifiers> {
  if (reportIds.length === 0) return {};
  const rows = await db.query<{ postcode: string | null }>('SELECT postcode FROM incidents WHERE report_id = ANY($1::text[])', [[...reportIds]]);
  return { postcodes: rows.map((r) => r.postcode).filter((p): p is string => p !== null && p.trim() !== '') };
}

async function tiersOf(db: Queryable, a: AlertRow, content: AlertContent): Promise<Record<Tier, TierCopy>> {
  return produceTiers(content, {
    known: await knownIdentifiers(db, a.report_ids),
    referenceDate: String(a.reference_date),
    coronerSharingPermitted: a.coroner_permission !== null,
    areaName: a.area_name,
  });
}

async function loadAlert(db: Queryable, id: number, scope: AreaScope, lock = false): Promise<AlertRow> {
  const rows = await db.query<AlertRow>(`SELECT ${ALERT_COLS} FROM alerts a WHERE a.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  const a = rows[0];
  if (!a || !inScope(scope, a.local_authority)) throw new AlertsError('not_found', 'No such alert');
  return { ...a, id: Number(a.id) };
}

async function loadVersion(db: Queryable, id: number, version: number): Promise<VersionRow> {
  const rows = await db.query<VersionRow>('SELECT * FROM alert_versions WHERE alert_id = $1 AND version = $2', [id, version]);
  const v = rows[0];
  if (!v) throw new AlertsError('not_found', 'No such version');
  return v;
}

async function event(db: Queryable, id: number, version: number, actor: string, action: string, note: string | null = null): Promise<void> {
  await db.query('INSERT INTO alert_events (alert_id, version, actor, action, note) VALUES ($1, $2, $3, $4, $5)', [id, version, actor, action, note]);
}

export type CreateBasis =
  | { type: 'report'; reportId: string }
  | { type: 'step_change'; stepChangeId: number }
  | { type: 'manual'; area: string; title: string };

export interface CreateAlertOptions {
  scope: AreaScope;
  actor: string;
  kind: AlertKind;
  basis: CreateBasis;
  /** ISO date of "today" (the step is read as of it). */
  today: string;
}

/** Draft a new alert from its basis; returns its id. */
export async function createAlert(db: Db, opts: CreateAlertOptions): Promise<number> {
  return db.transaction(async (tx) => {
    let area: string;
    let basis: AlertBasis;
    let reportIds: string[] = [];
    let referenceDate = opts.today;
    let basisRef: string | null = null;
    let step: Step;
    if (opts.basis.type === 'report') {
      const rows = await tx.query<IncidentRow & { status: string | null; decision: string | null; coronial_nitazene_contributed: boolean | null; coronial_combinations: string | null }>(
        `SELECT ${INCIDENT_SELECT}, s.status, s.decision, s.coronial_nitazene_contributed, s.coronial_combinations
           FROM incidents i LEFT JOIN ldis_report_state s ON s.report_id = i.report_id WHERE i.report_id = $1`,
        [opts.basis.reportId],
      );
      const row = rows[0];
      if (!row || !inScope(opts.scope, String(row.local_authority))) throw new AlertsError('not_found', 'No such report');
      if (row.status === null || row.status === 'received') {
        throw new AlertsError('conflict', 'This report has not been assessed yet: nothing is circulated before the assessment and decision.');
      }
      const record = recordOf(row);
      area = record.local_authority;
      const linkage = await loadLinkage(tx, [{ report_id: record.report_id, received_at: record.received_at }]);
      const caseIds = caseOfReport(linkage.state, record.report_id).reportIds;
      const linkedRows = caseIds.length > 1 ? await tx.query<IncidentRow>(`SELECT ${INCIDENT_SELECT} FROM incidents i WHERE i.report_id = ANY($1::text[]) AND i.report_id <> $2`, [caseIds, record.report_id]) : [];
      const linked = linkedRows.map(recordOf);
      const c = classify(record, await caseDefinitions(tx));
      basis = {
        kind: 'report',
        report: record,
        level: c.meets ? c.level : null,
        linked,
        coronial: row.coronial_nitazene_contributed !== null || row.coronial_combinations !== null ? { nitazeneContributed: row.coronial_nitazene_contributed, combinations: row.coronial_combinations } : null,
      };
      reportIds = [record.report_id, ...linked.map((l) => l.report_id)];
      referenceDate = record.event_date;
      basisRef = record.report_id;
      step = (await currentStep(tx, area, opts.today)).step;
    } else if (opts.basis.type === 'step_change') {
      const ch = await stepChange(tx, opts.basis.stepChangeId);
      if (!ch || !inScope(opts.scope, ch.area)) throw new AlertsError('not_found', 'No such step change');
      area = ch.area;
      basis = { kind: 'step_change', fromStep: ch.fromStep, toStep: ch.toStep, date: ch.at.slice(0, 10), reasons: ch.reason ? [ch.reason] : [] };
      basisRef = `step change ${ch.id}: Step ${ch.fromStep} → Step ${ch.toStep}`;
      referenceDate = ch.at.slice(0, 10);
      step = ch.toStep;
    } else {
      area = opts.basis.area;
      if (!inScope(opts.scope, area)) throw new AlertsError('invalid', 'You can draft alerts only for your own area', [{ field: 'area', message: 'Choose your own area' }]);
      basis = { kind: 'manual', title: opts.basis.title };
      step = (await currentStep(tx, area, opts.today)).step;
    }
    const name = areaName(area);
    const content = draftAlert(basis, { kind: opts.kind, area: { code: area, name }, step });
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO alerts (kind, local_authority, area_name, step, basis_type, basis_ref, report_ids, reference_date, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [opts.kind, area, name, step, opts.basis.type, basisRef, reportIds, referenceDate, opts.actor],
    );
    const id = Number(inserted[0]?.id);
    await tx.query(`INSERT INTO alert_versions (alert_id, version, status, content, authors) VALUES ($1, 1, 'draft', $2::jsonb, $3)`, [id, JSON.stringify(content), [opts.actor]]);
    await event(tx, id, 1, opts.actor, 'drafted', basisRef);
    return id;
  });
}

/** Replace the content of the current version (a draft, or one awaiting approval: back to draft). */
export async function updateAlert(db: Db, id: number, opts: { scope: AreaScope; actor: string; content: AlertContent }): Promise<void> {
  await db.transaction(async (tx) => {
    const a = await loadAlert(tx, id, opts.scope, true);
    const v = await loadVersion(tx, id, a.current_version);
    const r = applyAlertAction(stateOf(v), { type: 'edit', actor: opts.actor });
    if (!r.ok) throw new AlertsError('conflict', r.error);
    const problems = contentProblems(opts.content).filter((p) => p.field.startsWith('figures'));
    if (problems.length > 0) throw new AlertsError('invalid', 'The alert has problems', problems);
    await tx.query(
      `UPDATE alert_versions SET content = $3::jsonb, status = $4, authors = $5, approvals = $6, updated_at = now() WHERE alert_id = $1 AND version = $2`,
      [id, v.version, JSON.stringify(opts.content), r.state.status, [...r.state.authors], [...r.state.approvals]],
    );
    await tx.query('UPDATE alerts SET updated_at = now() WHERE id = $1', [id]);
    await event(tx, id, v.version, opts.actor, v.status === 'draft' ? 'edited' : 'edited (approvals cleared)');
  });
}

function stateOf(v: VersionRow): VersionState {
  return { version: v.version, status: v.status, authors: v.authors, approvals: v.approvals };
}

export type AlertStep = 'submit' | 'approve' | 'reject' | 'issue';

export interface ActResult {
  status: VersionStatus;
  version: number;
  /** Set when the version was issued. */
  issued: boolean;
}

/**
 * Send for approval, approve, send back or issue the current version. Issuing freezes the
 * tier copies (after checking that no shared copy holds an identifier of the reports) and
 * supersedes the version issued before.
 */
export async function actOnAlert(db: Db, id: number, opts: { scope: AreaScope; actor: string; action: AlertStep; note?: string | null }): Promise<ActResult> {
  return db.transaction(async (tx) => {
    const a = await loadAlert(tx, id, opts.scope, true);
    const v = await loadVersion(tx, id, a.current_version);
    const config = await workflowConfig(tx);
    if (opts.action === 'submit') {
      const problems = contentProblems(v.content);
      if (problems.length > 0) throw new AlertsError('invalid', 'Complete the alert before sending it for approval', problems);
    }
    const action =
      opts.action === 'reject' ? { type: 'reject' as const, actor: opts.actor, note: opts.note ?? '' } : { type: opts.action, actor: opts.actor };
    const r = applyAlertAction(stateOf(v), action, config);
    if (!r.ok) throw new AlertsError('conflict', r.error);
    let tiers: Record<Tier, TierCopy> | null = null;
    if (opts.action === 'issue' && a.basis_type === 'report' && a.basis_ref !== null) {
      const st = await tx.query<{ decision: string | null }>('SELECT decision FROM ldis_report_state WHERE report_id = $1', [a.basis_ref]);
      const decision = st[0]?.decision ?? null;
      if (decision !== 'formal_alert' && decision !== 'share_for_information') {
        throw new AlertsError('conflict', `Report ${a.basis_ref} has no decision to share or alert: record the decision before issuing (nothing is circulated before it).`);
      }
    }
    if (opts.action === 'issue') {
      tiers = await tiersOf(tx, a, v.content);
      const known = await knownIdentifiers(tx, a.report_ids);
      for (const t of ['partners', 'public'] as const) {
        if (findIdentifierLeaks(copyText(tiers[t]), known).length > 0) {
          throw new AlertsError('conflict', `The ${t} copy still holds an identifier from the reports: edit the alert before issuing it.`);
        }
      }
      if (a.issued_version !== null) {
        await tx.query(`UPDATE alert_versions SET status = 'superseded', updated_at = now() WHERE alert_id = $1 AND version = $2`, [id, a.issued_version]);
      }
    }
    await tx.query(
      `UPDATE alert_versions SET status = $3, approvals = $4, updated_at = now(),
              tiers = COALESCE($5::jsonb, tiers),
              issued_at = CASE WHEN $6 THEN now() ELSE issued_at END,
              issued_by = CASE WHEN $6 THEN $7 ELSE issued_by END
        WHERE alert_id = $1 AND version = $2`,
      [id, v.version, r.state.status, [...r.state.approvals], tiers === null ? null : JSON.stringify(tiers), opts.action === 'issue', opts.actor],
    );
    await tx.query(`UPDATE alerts SET updated_at = now(), issued_version = CASE WHEN $2 THEN $3 ELSE issued_version END WHERE id = $1`, [id, opts.action === 'issue', v.version]);
    const label = { submit: 'sent for approval', approve: 'approved', reject: 'sent back', issue: 'issued' }[opts.action];
    await event(tx, id, v.version, opts.actor, label, opts.note ?? null);
    return { status: r.state.status, version: v.version, issued: opts.action === 'issue' };
  });
}

/** Start a new version of an issued alert (a copy of the issued one) with a revision note. */
export async function reviseAlert(db: Db, id: number, opts: { scope: AreaScope; actor: string; note: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const a = await loadAlert(tx, id, opts.scope, true);
    if (a.current_version !== a.issued_version) throw new AlertsError('conflict', `Version ${a.current_version} is already being revised.`);
    const v = await loadVersion(tx, id, a.current_version);
    const r = applyAlertAction(stateOf(v), { type: 'revise', actor: opts.actor, note: opts.note });
    if (!r.ok || !r.next) throw new AlertsError(opts.note.trim() === '' ? 'invalid' : 'conflict', r.ok ? 'Cannot revise' : r.error, opts.note.trim() === '' ? [{ field: 'note', message: 'Write a revision note' }] : undefined);
    await tx.query(
      `INSERT INTO alert_versions (alert_id, version, status, content, authors, revision_note) VALUES ($1, $2, 'draft', $3::jsonb, $4, $5)`,
      [id, r.next.version, JSON.stringify(v.content), [...r.next.authors], opts.note.trim()],
    );
    await tx.query('UPDATE alerts SET current_version = $2, updated_at = now() WHERE id = $1', [id, r.next.version]);
    await event(tx, id, r.next.version, opts.actor, 'revision started', opts.note.trim());
    return r.next.version;
  });
}

/** Record permission to share the coroner's information (applies to copies issued from now on). */
export async function recordCoronerPermission(db: Db, id: number, opts: { scope: AreaScope; actor: string; note: string; at: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const a = await loadAlert(tx, id, opts.scope, true);
    if (opts.note.trim() === '') throw new AlertsError('invalid', 'Say who gave permission and how', [{ field: 'note', message: 'Say who gave permission and how' }]);
    if (a.coroner_permission !== null) throw new AlertsError('conflict', 'Permission has already been recorded.');
    const permission: CoronerPermission = { by: opts.actor, at: opts.at, note: opts.note.trim() };
    await tx.query('UPDATE alerts SET coroner_permission = $2::jsonb, updated_at = now() WHERE id = $1', [id, JSON.stringify(permission)]);
    await event(tx, id, a.current_version, opts.actor, 'coroner permission recorded', opts.note.trim());
  });
}

function summaryOf(a: AlertRow, v: VersionRow, issued: VersionRow | null): AlertSummary {
  return {
    id: Number(a.id),
    kind: a.kind,
    title: v.content.title,
    status: v.status,
    area: a.local_authority,
    areaName: a.area_name,
    step: a.step,
    currentVersion: a.current_version,
    issuedVersion: a.issued_version,
    issuedAt: issued?.issued_at ? String(issued.issued_at) : null,
    createdBy: a.created_by,
    createdAt: String(a.created_at),
    updatedAt: String(a.updated_at),
  };
}

/** Alerts in scope, newest first, with the current version's title and status. */
export async function listAlerts(db: Queryable, scope: AreaScope, opts: { issuedOnly?: boolean; limit?: number } = {}): Promise<AlertSummary[]> {
  const rows = await db.query<AlertRow & { v_content: AlertContent; v_status: VersionStatus; i_issued_at: string | null; i_content: AlertContent | null }>(
    `SELECT ${ALERT_COLS}, v.content AS v_content, v.status AS v_status, iv.issued_at AS i_issued_at, iv.content AS i_content
       FROM alerts a
       JOIN alert_versions v ON v.alert_id = a.id AND v.version = a.current_version
       LEFT JOIN alert_versions iv ON iv.alert_id = a.id AND iv.version = a.issued_version
      WHERE ($1::text[] IS NULL OR a.local_authority = ANY($1::text[])) AND (NOT $2 OR a.issued_version IS NOT NULL)
      ORDER BY a.updated_at DESC, a.id DESC LIMIT $3`,
    [scope.localAuthorities ? [...scope.localAuthorities] : null, opts.issuedOnly === true, opts.limit ?? 200],
  );
  return rows.map((r) => {
    const s = summaryOf(r, { status: r.v_status, content: r.v_content } as VersionRow, r.i_issued_at ? ({ issued_at: r.i_issued_at } as VersionRow) : null);
    return s;
  });
}

/** One alert in full: every version, its events, and the tier copies of the current version. */
export async function getAlert(db: Queryable, id: number, scope: AreaScope): Promise<AlertDetail> {
  const a = await loadAlert(db, id, scope);
  const versions = await db.query<VersionRow>('SELECT * FROM alert_versions WHERE alert_id = $1 ORDER BY version', [id]);
  const current = versions.find((v) => v.version === a.current_version);
  if (!current) throw new AlertsError('not_found', 'No such version');
  const issued = versions.find((v) => v.version === a.issued_version) ?? null;
  const events = await db.query<{ at: string; actor: string; version: number; action: string; note: string | null }>(
    'SELECT at, actor, version, action, note FROM alert_events WHERE alert_id = $1 ORDER BY id',
    [id],
  );
  return {
    ...summaryOf(a, current, issued),
    basisType: a.basis_type,
    basisRef: a.basis_ref,
    reportIds: a.report_ids,
    referenceDate: String(a.reference_date),
    coronerPermission: a.coroner_permission,
    requiredApprovals: (await workflowConfig(db)).requiredApprovals,
    versions: versions.map(versionRecord),
    events: events.map((e) => ({ ...e, at: String(e.at) })),
    preview: await tiersOf(db, a, current.content),
  };
}

export interface SharedAlert {
  id: number;
  kind: AlertKind;
  areaName: string;
  version: number;
  issuedAt: string;
  copy: TierCopy;
  /** What changed in this version (null for the first). */
  revisionNote: string | null;
  /** Versions issued before this one (number and date), so a reader sees it was revised. */
  earlier: Array<{ version: number; issuedAt: string; revisionNote: string | null }>;
}

/** The issued partners' copy of an alert (what a PIN member sees); not found if not issued. */
export async function sharedAlert(db: Queryable, id: number, scope: AreaScope): Promise<SharedAlert> {
  const a = await loadAlert(db, id, scope);
  if (a.issued_version === null) throw new AlertsError('not_found', 'No such alert');
  const versions = await db.query<VersionRow>(`SELECT * FROM alert_versions WHERE alert_id = $1 AND tiers IS NOT NULL ORDER BY version`, [id]);
  const v = versions.find((x) => x.version === a.issued_version);
  if (!v?.tiers || !v.issued_at) throw new AlertsError('not_found', 'No such alert');
  return {
    id: Number(a.id),
    kind: a.kind,
    areaName: a.area_name,
    version: v.version,
    issuedAt: String(v.issued_at),
    copy: v.tiers.partners,
    revisionNote: v.revision_note,
    earlier: versions.filter((x) => x.version < v.version).map((x) => ({ version: x.version, issuedAt: String(x.issued_at), revisionNote: x.revision_note })),
  };
}

/** A frozen tier copy of an issued version (for delivery). */
export async function issuedCopy(db: Queryable, id: number, version: number, tier: Tier): Promise<{ kind: AlertKind; areaName: string; copy: TierCopy; revisionNote: string | null } | null> {
  const rows = await db.query<{ kind: AlertKind; area_name: string; tiers: Record<Tier, TierCopy> | null; revision_note: string | null }>(
    'SELECT a.kind, a.area_name, v.tiers, v.revision_note FROM alerts a JOIN alert_versions v ON v.alert_id = a.id WHERE a.id = $1 AND v.version = $2',
    [id, version],
  );
  const r = rows[0];
  if (!r?.tiers) return null;
  return { kind: r.kind, areaName: r.area_name, copy: r.tiers[tier], revisionNote: r.revision_note };
}

export interface DraftSource {
  reportId: string;
  area: string;
  areaName: string;
  eventDate: string;
  eventType: string;
  source: string;
  status: string;
  decision: string | null;
  level: string | null;
}

/** Assessed reports (newest first) that an alert can be drafted from. */
export async function draftSources(db: Queryable, scope: AreaScope, limit = 50): Promise<DraftSource[]> {
  const rows = await db.query<IncidentRow & { status: string; decision: string | null }>(
    `SELECT ${INCIDENT_SELECT}, s.status, s.decision FROM incidents i JOIN ldis_report_state s ON s.report_id = i.report_id
      WHERE s.status <> 'received' AND NOT i.exercise AND ($1::text[] IS NULL OR i.local_authority = ANY($1::text[]))
      ORDER BY (s.decision = 'formal_alert') DESC NULLS LAST, i.event_date DESC, i.report_id LIMIT $2`,
    [scope.localAuthorities ? [...scope.localAuthorities] : null, limit],
  );
  const defs = await caseDefinitions(db);
  return rows.map((row) => {
    const r = recordOf(row);
    const c = classify(r, defs);
    return {
      reportId: r.report_id,
      area: r.local_authority,
      areaName: areaName(r.local_authority),
      eventDate: r.event_date,
      eventType: r.event_type,
      source: r.source,
      status: row.status,
      decision: row.decision,
      level: c.meets ? c.level : null,
    };
  });
}

/**
 * After an alert drafted from a report is issued, record "issued" in the report's LDIS
 * workflow (when it is at "decided"). Returns whether the report's state changed.
 */
export async function markReportIssued(db: Db, alertId: number, actor: string, at: string): Promise<boolean> {
  const rows = await db.query<{ basis_type: string; basis_ref: string | null; status: string | null }>(
    `SELECT a.basis_type, a.basis_ref, s.status FROM alerts a LEFT JOIN ldis_report_state s ON s.report_id = a.basis_ref WHERE a.id = $1`,
    [alertId],
  );
  const r = rows[0];
  if (!r || r.basis_type !== 'report' || r.basis_ref === null || r.status !== 'decided') return false;
  try {
    await applyReportActions(db, r.basis_ref, { scope: {}, actions: [{ type: 'issue', at, by: actor }] });
    return true;
  } catch (err) {
    // The alert is issued whatever the report's workflow says; a report whose log does
    // not allow "issue" (e.g. decided outside Beacon) keeps its state.
    if (err instanceof LdisError) return false;
    throw err;
  }
}
