/**
 * Report handling (domain ldis/workflow.ts) on the database: the events of a report are
 * replayed with `applyWorkflow`, the new action is applied the same way, and the event,
 * the grading (for an assessment) and the current state are written in one transaction
 * under a row lock on the report's state. Auditing is the caller's (AccessContext.run).
 */
import {
  applyWorkflow,
  newReportWorkflow,
  slaStatus,
  type GradingAnswers,
  type ReportWorkflow,
  type SlaStatus,
  type WorkflowAction,
} from '../../domain/ldis/workflow';
import type { Db, Queryable } from '../db';
import { LdisError } from './errors';
import { lockReportState } from './reports';
import { scopeCondition, type ReportScope } from './rows';

interface EventRow {
  id: number;
  at: string;
  actor: string;
  action: WorkflowAction['type'];
  payload: Record<string, unknown>;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The action an event row records (the payload holds the action's own fields). */
function actionOf(e: EventRow): WorkflowAction {
  const p = e.payload;
  const base = { at: e.at, by: e.actor };
  const note = typeof p.note === 'string' ? { note: p.note } : {};
  switch (e.action) {
    case 'assess':
      return { type: 'assess', ...base, answers: (p.answers ?? {}) as GradingAnswers, ...note };
    case 'decide':
      return { type: 'decide', ...base, decision: text(p.decision) as Extract<WorkflowAction, { type: 'decide' }>['decision'], rationale: text(p.rationale) };
    case 'issue':
      return { type: 'issue', ...base };
    case 'close':
      return { type: 'close', ...base, reason: text(p.reason) as Extract<WorkflowAction, { type: 'close' }>['reason'], ...note };
    case 'reopen':
      return { type: 'reopen', ...base, reason: text(p.reason) };
  }
}

function payloadOf(a: WorkflowAction): Record<string, unknown> {
  const { type: _type, at: _at, by: _by, ...rest } = a;
  return rest;
}

/** The workflow of a report, replayed from its events. */
export async function loadWorkflow(db: Queryable, reportId: string, receivedAt: string): Promise<ReportWorkflow> {
  const events = await db.query<EventRow>('SELECT id, at, actor, action, payload FROM ldis_workflow_events WHERE report_id = $1 ORDER BY id', [reportId]);
  let state = newReportWorkflow(receivedAt);
  for (const e of events) {
    const r = applyWorkflow(state, actionOf(e));
    // The log was written through applyWorkflow, so replay cannot fail unless edited by hand.
    if (!r.ok) throw new Error(`workflow of ${reportId} does not replay at event ${e.id}: ${r.error.message}`);
    state = r.state;
  }
  return state;
}

export interface WorkflowOutcome {
  reportId: string;
  state: ReportWorkflow;
  sla: SlaStatus;
  /** Ids of the events written. */
  eventIds: number[];
}

/**
 * Applies actions to a report in order, all or nothing. Refused actions (wrong state,
 * invalid grading, no rationale…) raise LdisError 'conflict' or 'invalid' with the
 * domain's code and message; nothing is written.
 */
export async function applyReportActions(
  db: Db,
  reportId: string,
  opts: { scope: ReportScope; actions: ReadonlyArray<WorkflowAction>; now?: string },
): Promise<WorkflowOutcome> {
  if (opts.actions.length === 0) throw new LdisError('invalid', 'no_action', 'nothing to record');
  return db.transaction(async (tx) => {
    const cond = scopeCondition(opts.scope, 2);
    const found = await tx.query<{ received_at: string }>(`SELECT i.received_at FROM incidents i WHERE i.report_id = $1 AND ${cond.sql}`, [reportId, ...cond.params]);
    const receivedAt = found[0]?.received_at;
    if (receivedAt === undefined) throw new LdisError('not_found', 'unknown_report', `no report ${reportId}`);
    await lockReportState(tx, reportId);
    let state = await loadWorkflow(tx, reportId, receivedAt);
    const eventIds: number[] = [];
    for (const action of opts.actions) {
      const r = applyWorkflow(state, action);
      if (!r.ok) {
        const invalid = ['invalid_grading', 'invalid_decision', 'missing_rationale', 'missing_reason', 'missing_actor'].includes(r.error.code);
        throw new LdisError(invalid ? 'invalid' : 'conflict', r.error.code, r.error.message);
      }
      state = r.state;
      const ev = await tx.query<{ id: number }>(
        'INSERT INTO ldis_workflow_events (report_id, at, actor, action, payload) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id',
        [reportId, action.at, action.by, action.type, JSON.stringify(payloadOf(action))],
      );
      const eventId = ev[0]?.id;
      if (eventId === undefined) throw new Error('workflow event not recorded');
      eventIds.push(eventId);
      if (action.type === 'assess') {
        const a = action.answers;
        await tx.query(
          `INSERT INTO ldis_assessments (report_id, workflow_event_id, at, actor, local_relevance, geographic_extent, likelihood_of_spread, plausibility, source_type, note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [reportId, eventId, action.at, action.by, a.local_relevance, a.geographic_extent, a.likelihood_of_spread, a.plausibility, a.source_type, action.note ?? null],
        );
      }
    }
    await tx.query(
      `UPDATE ldis_report_state SET status = $2, assessed_at = $3, decided_at = $4, decision = $5, rationale = $6, close_reason = $7,
         reopened_at = $8, updated_at = $9 WHERE report_id = $1`,
      [reportId, state.status, state.assessedAt, state.decidedAt, state.decision, state.rationale, state.closeReason, state.reopenedAt, opts.actions[opts.actions.length - 1]?.at ?? null],
    );
    return { reportId, state, sla: slaStatus(state, opts.now ?? new Date().toISOString()), eventIds };
  });
}

/** Grade a report (and optionally decide in the same step). */
export function recordAssessment(
  db: Db,
  reportId: string,
  opts: { scope: ReportScope; actor: string; answers: GradingAnswers; note?: string; decision?: { decision: Extract<WorkflowAction, { type: 'decide' }>['decision']; rationale: string }; now?: string },
): Promise<WorkflowOutcome> {
  const at = opts.now ?? new Date().toISOString();
  const actions: WorkflowAction[] = [{ type: 'assess', at, by: opts.actor, answers: opts.answers, ...(opts.note ? { note: opts.note } : {}) }];
  if (opts.decision) actions.push({ type: 'decide', at, by: opts.actor, decision: opts.decision.decision, rationale: opts.decision.rationale });
  return applyReportActions(db, reportId, { scope: opts.scope, actions, now: at });
}

/** Record the decision on an assessed report. */
export function recordDecision(
  db: Db,
  reportId: string,
  opts: { scope: ReportScope; actor: string; decision: Extract<WorkflowAction, { type: 'decide' }>['decision']; rationale: string; now?: string },
): Promise<WorkflowOutcome> {
  const at = opts.now ?? new Date().toISOString();
  return applyReportActions(db, reportId, { scope: opts.scope, actions: [{ type: 'decide', at, by: opts.actor, decision: opts.decision, rationale: opts.rationale }], now: at });
}
