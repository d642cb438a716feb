/**
 * The coordinator's linkage decisions (merge / split / undo) kept as an operations log in
 * ldis_linkage_ops and replayed with the domain's `applyLinkage`, so a merge can always
 * be undone and every source report stays visible. Writes are serialised by a
 * transaction-scoped advisory lock so that two coordinators cannot interleave.
 */
import { applyLinkage, type LinkageOp, type LinkageState, type LinkedCase } from '../../domain/ldis/linkage';
import type { Queryable, Db } from '../db';
import { LdisError } from './errors';
import { scopeCondition, type ReportScope } from './rows';

const LINKAGE_LOCK = 4242005;

interface OpRow {
  id: number;
  type: 'merge' | 'split' | 'undo';
  report_ids: string[];
  target: number | null;
  at: string;
  actor: string;
  reason: string | null;
}

export interface LinkageOpRecord {
  id: string;
  type: 'merge' | 'split' | 'undo';
  report_ids: string[];
  target: string | null;
  at: string;
  actor: string;
  reason: string | null;
  /** False once undone (and not redone). */
  active: boolean;
}

function opOf(r: OpRow): LinkageOp {
  const base = { id: String(r.id), at: r.at, by: r.actor, ...(r.reason ? { reason: r.reason } : {}) };
  return r.type === 'undo' ? { ...base, type: 'undo', target: String(r.target) } : { ...base, type: r.type, reportIds: r.report_ids };
}

export interface LoadedLinkage {
  state: LinkageState;
  ops: LinkageOpRecord[];
}

/**
 * The whole log replayed over the reports it names plus `extra` (report id and received
 * time). The log holds only the coordinator's decisions, so it stays small.
 */
export async function loadLinkage(db: Queryable, extra: ReadonlyArray<{ report_id: string; received_at: string }> = []): Promise<LoadedLinkage> {
  const rows = await db.query<OpRow>('SELECT id, type, report_ids, target, at, actor, reason FROM ldis_linkage_ops ORDER BY id');
  const named = [...new Set(rows.flatMap((r) => r.report_ids))];
  const reports = new Map(extra.map((r) => [r.report_id, r]));
  const missing = named.filter((id) => !reports.has(id));
  if (missing.length > 0) {
    const found = await db.query<{ report_id: string; received_at: string }>(
      'SELECT report_id, received_at FROM incidents WHERE report_id = ANY($1::text[])',
      [missing],
    );
    for (const r of found) reports.set(r.report_id, r);
  }
  const state = applyLinkage([...reports.values()], rows.map(opOf));
  const active = new Set(state.activeOps);
  return {
    state,
    ops: rows.map((r) => ({
      id: String(r.id),
      type: r.type,
      report_ids: r.report_ids,
      target: r.target === null ? null : String(r.target),
      at: r.at,
      actor: r.actor,
      reason: r.reason,
      active: active.has(String(r.id)),
    })),
  };
}

/** The case a report belongs to (itself alone when never linked). */
export function caseOfReport(state: LinkageState, reportId: string): LinkedCase {
  const caseId = state.caseOf.get(reportId);
  const found = caseId === undefined ? undefined : state.cases.find((c) => c.caseId === caseId);
  return found ?? { caseId: reportId, reportIds: [reportId] };
}

export interface LinkageChange {
  op: LinkageOpRecord;
  /** The cases of the reports the operation touched, after it. */
  cases: LinkedCase[];
}

async function visibleReports(db: Queryable, ids: readonly string[], scope: ReportScope): Promise<Array<{ report_id: string; received_at: string; exercise: boolean }>> {
  const cond = scopeCondition(scope, 2);
  return db.query(`SELECT i.report_id, i.received_at, i.exercise FROM incidents i WHERE i.report_id = ANY($1::text[]) AND ${cond.sql}`, [
    [...ids],
    ...cond.params,
  ]);
}

function casesOf(state: LinkageState, ids: readonly string[]): LinkedCase[] {
  const seen = new Set<string>();
  const out: LinkedCase[] = [];
  for (const id of ids) {
    const c = caseOfReport(state, id);
    if (seen.has(c.caseId)) continue;
    seen.add(c.caseId);
    out.push(c);
  }
  return out;
}

async function recordOp(
  db: Db,
  type: 'merge' | 'split',
  opts: { reportIds: readonly string[]; scope: ReportScope; actor: string; reason?: string | null | undefined },
): Promise<LinkageChange> {
  const ids = [...new Set(opts.reportIds)];
  const minimum = type === 'merge' ? 2 : 1;
  if (ids.length < minimum) throw new LdisError('invalid', 'too_few_reports', `a ${type} needs at least ${minimum} different reports`, [{ field: 'report_ids', message: `at least ${minimum} different reports` }]);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LINKAGE_LOCK]);
    const found = await visibleReports(tx, ids, opts.scope);
    const unknown = ids.filter((id) => !found.some((r) => r.report_id === id));
    if (unknown.length > 0) throw new LdisError('not_found', 'unknown_report', `no report ${unknown.join(', ')}`);
    if (type === 'merge' && new Set(found.map((r) => r.exercise)).size > 1) {
      throw new LdisError('invalid', 'exercise_mix', 'an exercise report is never linked with a real one', [{ field: 'report_ids', message: 'mixes exercise and real reports' }]);
    }
    const inserted = await tx.query<OpRow>(
      `INSERT INTO ldis_linkage_ops (type, report_ids, actor, reason) VALUES ($1, $2::text[], $3, $4)
       RETURNING id, type, report_ids, target, at, actor, reason`,
      [type, ids, opts.actor, opts.reason ?? null],
    );
    const row = inserted[0];
    if (!row) throw new Error('linkage operation not recorded');
    const loaded = await loadLinkage(tx, found);
    const op = loaded.ops.find((o) => o.id === String(row.id));
    if (!op) throw new Error('linkage operation not found after insert');
    return { op, cases: casesOf(loaded.state, ids) };
  });
}

/** These reports are one event: join the cases they belong to. */
export function mergeReports(db: Db, opts: { reportIds: readonly string[]; scope: ReportScope; actor: string; reason?: string | null }): Promise<LinkageChange> {
  return recordOp(db, 'merge', opts);
}

/** Take these reports out of their cases; together they form a new case. */
export function splitReports(db: Db, opts: { reportIds: readonly string[]; scope: ReportScope; actor: string; reason?: string | null }): Promise<LinkageChange> {
  return recordOp(db, 'split', opts);
}

/**
 * Undo an operation that is in effect (an undo of an undo brings the operation back).
 * Refused with 'conflict' when the operation is already undone.
 */
export async function undoLinkageOp(db: Db, opts: { opId: string; scope: ReportScope; actor: string; reason?: string | null }): Promise<LinkageChange> {
  if (!/^\d{1,15}$/.test(opts.opId)) throw new LdisError('not_found', 'unknown_operation', `no linkage operation ${opts.opId}`);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LINKAGE_LOCK]);
    const before = await loadLinkage(tx);
    const target = before.ops.find((o) => o.id === opts.opId);
    if (!target) throw new LdisError('not_found', 'unknown_operation', `no linkage operation ${opts.opId}`);
    // The reports the operation is about must all be visible to the caller.
    const about = target.type === 'undo' ? (before.ops.find((o) => o.id === target.target)?.report_ids ?? []) : target.report_ids;
    const visible = await visibleReports(tx, about, opts.scope);
    if (visible.length !== new Set(about).size) throw new LdisError('not_found', 'unknown_operation', `no linkage operation ${opts.opId}`);
    if (!target.active) throw new LdisError('conflict', 'already_undone', `linkage operation ${opts.opId} is already undone`);
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO ldis_linkage_ops (type, target, actor, reason) VALUES ('undo', $1, $2, $3) RETURNING id`,
      [Number(opts.opId), opts.actor, opts.reason ?? null],
    );
    const after = await loadLinkage(tx);
    const op = after.ops.find((o) => o.id === String(inserted[0]?.id));
    if (!op) throw new Error('undo not recorded');
    return { op, cases: casesOf(after.state, about) };
  });
}
