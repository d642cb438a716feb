/**
 * Each area's step on the database: the domain's `stepReducer` applied to the stored
 * state, every entry appended to warning_step_history, notifications for the area and
 * its neighbours when the step changes. Decisions on one area are serialised by the row
 * lock on warning_steps.
 */
import {
  neighboursToNotify,
  stepReducer,
  type AreaStepState,
  type StepAction,
  type StepHistoryEntry,
  type StepProposal,
} from '../../domain/ldis/steps';
import type { Step } from '../../domain/ldis/types';
import type { Queryable } from '../db';
import { notify } from './notifications';

export class StepError extends Error {
  override name = 'StepError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface StepRow {
  area: string;
  current_step: number;
  since: string;
  pending: StepProposal | null;
  pending_since: string | null;
}

interface HistoryRow {
  id: number;
  area: string;
  kind: StepHistoryEntry['kind'];
  at: string;
  actor: string | null;
  step: number;
  previous_step: number;
  reason: string | null;
  proposal: StepProposal | null;
}

export interface StepHistoryRecord extends StepHistoryEntry {
  id: number;
}

function entryOf(r: HistoryRow): StepHistoryRecord {
  return {
    id: r.id,
    kind: r.kind,
    at: r.at,
    by: r.actor,
    step: r.step as Step,
    previousStep: r.previous_step as Step,
    reason: r.reason,
    proposal: r.proposal,
  };
}

/** Loads (creating at Step 1 if new, locked FOR UPDATE) the step state of an area. */
export async function lockAreaState(tx: Queryable, area: string, at: string): Promise<AreaStepState> {
  const created = await tx.query<{ area: string }>(
    `INSERT INTO warning_steps (area, current_step, since) VALUES ($1, 1, $2) ON CONFLICT (area) DO NOTHING RETURNING area`,
    [area, at],
  );
  if (created.length > 0) {
    await tx.query(`INSERT INTO warning_step_history (area, kind, at, actor, step, previous_step) VALUES ($1, 'initial', $2, NULL, 1, 1)`, [area, at]);
  }
  const rows = await tx.query<StepRow>('SELECT area, current_step, since, pending, pending_since FROM warning_steps WHERE area = $1 FOR UPDATE', [area]);
  const row = rows[0]!;
  const last = await tx.query<HistoryRow>(
    'SELECT id, area, kind, at, actor, step, previous_step, reason, proposal FROM warning_step_history WHERE area = $1 ORDER BY id DESC LIMIT 1',
    [area],
  );
  return { area, current: row.current_step as Step, since: row.since, pending: row.pending, history: last.map(entryOf) };
}

async function persist(tx: Queryable, before: AreaStepState, after: AreaStepState): Promise<StepHistoryEntry[]> {
  const added = after.history.slice(before.history.length);
  for (const h of added) {
    await tx.query(
      `INSERT INTO warning_step_history (area, kind, at, actor, step, previous_step, reason, proposal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [after.area, h.kind, h.at, h.by, h.step, h.previousStep, h.reason, h.proposal ? JSON.stringify(h.proposal) : null],
    );
  }
  const pendingSince = after.pending ? (before.pending && before.pending.step === after.pending.step ? undefined : added.at(-1)?.at) : null;
  await tx.query(
    `UPDATE warning_steps SET current_step = $2, since = $3, pending = $4::jsonb,
            pending_since = CASE WHEN $4::jsonb IS NULL THEN NULL WHEN $5::timestamptz IS NULL THEN pending_since ELSE $5::timestamptz END,
            updated_at = now()
      WHERE area = $1`,
    [after.area, after.current, after.since, after.pending ? JSON.stringify(after.pending) : null, pendingSince ?? null],
  );
  return added;
}

/**
 * Applies one action to an area's step (inside the caller's transaction) and writes the
 * notifications it causes. Returns the new state and the entries added.
 */
export async function applyStepAction(
  tx: Queryable,
  area: string,
  action: StepAction,
  adjacency: Readonly<Record<string, readonly string[]>>,
  areaName: (code: string) => string,
): Promise<{ state: AreaStepState; added: StepHistoryEntry[] }> {
  const before = await lockAreaState(tx, area, action.at);
  const result = stepReducer(before, action);
  if (!result.ok) throw new StepError(result.error.code, result.error.message);
  const after = result.state;
  if (action.type === 'propose') {
    await tx.query('UPDATE warning_steps SET last_proposal = $2::jsonb WHERE area = $1', [area, JSON.stringify(action.proposal)]);
  }
  const added = await persist(tx, before, after);
  for (const h of added) {
    const name = areaName(area);
    if (h.kind === 'proposed') {
      await notify(tx, {
        area,
        kind: 'step_proposed',
        aboutArea: area,
        title: `${name}: Step ${h.step} proposed (now Step ${h.previousStep})`,
        body: h.reason ?? '',
      });
    } else if ((h.kind === 'confirmed' || h.kind === 'overridden') && h.step !== h.previousStep) {
      const how = h.kind === 'confirmed' ? `confirmed by ${h.by ?? 'unknown'}` : `set by ${h.by ?? 'unknown'}: ${h.reason ?? ''}`;
      await notify(tx, { area, kind: 'step_changed', aboutArea: area, title: `${name} moved from Step ${h.previousStep} to Step ${h.step}`, body: how });
      for (const n of neighboursToNotify(area, h.previousStep, h.step, adjacency)) {
        await notify(tx, {
          area: n,
          kind: 'neighbour_step_changed',
          aboutArea: area,
          title: `Neighbouring area ${name} moved from Step ${h.previousStep} to Step ${h.step}`,
          body: `${how}. Consider whether your own triggers and partners need to know.`,
        });
      }
    }
  }
  return { state: after, added };
}

export interface AreaStepView {
  area: string;
  current: Step;
  since: string;
  pending: StepProposal | null;
  pendingSince: string | null;
  lastProposal: StepProposal | null;
}

export async function listAreaSteps(db: Queryable): Promise<AreaStepView[]> {
  const rows = await db.query<StepRow & { last_proposal: StepProposal | null }>(
    'SELECT area, current_step, since, pending, pending_since, last_proposal FROM warning_steps ORDER BY area',
  );
  return rows.map((r) => ({
    area: r.area,
    current: r.current_step as Step,
    since: r.since,
    pending: r.pending,
    pendingSince: r.pending_since,
    lastProposal: r.last_proposal,
  }));
}

export async function stepHistory(db: Queryable, area: string, limit = 100): Promise<StepHistoryRecord[]> {
  const rows = await db.query<HistoryRow>(
    'SELECT id, area, kind, at, actor, step, previous_step, reason, proposal FROM warning_step_history WHERE area = $1 ORDER BY id DESC LIMIT $2',
    [area, limit],
  );
  return rows.map(entryOf);
}
