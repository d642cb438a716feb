/**
 * Care-plan actions recorded against a risk flag (issue 4 §2): planned, done, or declined
 * with a reason; a due date and an owner. Rules in src/domain/risk/care-plan.ts; this
 * stores and lists them. Open actions feed the record, the caseload and worklists.
 */
import type { Queryable, SqlParam } from '../db';
import { isOverdueAction, summariseOpenActions, validateCareAction, type CareActionInput, type CareActionProblem, type OpenActionSummary } from '../../domain/risk';

export interface CareActionRow {
  id: number;
  person_id: string;
  flag: string;
  action_id: string | null;
  text: string;
  status: 'planned' | 'done' | 'declined';
  declined_reason: string | null;
  due_date: string | null;
  owner: string | null;
  note: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

const COLUMNS = 'id, person_id, flag, action_id, text, status, declined_reason, due_date, owner, note, created_at, created_by, updated_at, updated_by';

export class CareActionInvalid extends Error {
  override name = 'CareActionInvalid';
  constructor(readonly problems: CareActionProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

const clean = (s: string | null | undefined): string | null => (s == null || s.trim() === '' ? null : s.trim());

/** Every action of a person: open first (by due date), then closed (latest first). */
export async function listCareActions(db: Queryable, personId: string): Promise<CareActionRow[]> {
  return db.query<CareActionRow>(
    `SELECT ${COLUMNS} FROM care_actions WHERE person_id = $1
      ORDER BY (status = 'planned') DESC, CASE WHEN status = 'planned' THEN due_date END ASC NULLS LAST, updated_at DESC, id DESC`,
    [personId],
  );
}

export async function createCareAction(db: Queryable, personId: string, input: CareActionInput, by: string): Promise<CareActionRow> {
  const problems = validateCareAction(input);
  if (problems.length > 0) throw new CareActionInvalid(problems);
  const rows = await db.query<CareActionRow>(
    `INSERT INTO care_actions (person_id, flag, action_id, text, status, declined_reason, due_date, owner, note, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10, $10) RETURNING ${COLUMNS}`,
    [
      personId,
      input.flag,
      clean(input.actionId),
      input.text.trim(),
      input.status,
      input.status === 'declined' ? clean(input.declinedReason) : null,
      clean(input.dueDate),
      clean(input.owner),
      clean(input.note),
      by,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('care action not stored');
  return row;
}

/** Changes an action of this person; null when the person has no such action. */
export async function updateCareAction(
  db: Queryable,
  personId: string,
  id: number,
  change: Partial<Omit<CareActionInput, 'flag' | 'actionId'>>,
  by: string,
): Promise<CareActionRow | null> {
  const current = (await db.query<CareActionRow>(`SELECT ${COLUMNS} FROM care_actions WHERE id = $1 AND person_id = $2`, [id, personId]))[0];
  if (!current) return null;
  const next: CareActionInput = {
    flag: current.flag,
    actionId: current.action_id,
    text: change.text ?? current.text,
    status: change.status ?? current.status,
    declinedReason: change.declinedReason !== undefined ? change.declinedReason : current.declined_reason,
    dueDate: change.dueDate !== undefined ? change.dueDate : current.due_date,
    owner: change.owner !== undefined ? change.owner : current.owner,
    note: change.note !== undefined ? change.note : current.note,
  };
  const problems = validateCareAction(next);
  if (problems.length > 0) throw new CareActionInvalid(problems);
  const rows = await db.query<CareActionRow>(
    `UPDATE care_actions SET text = $3, status = $4, declined_reason = $5, due_date = $6::date, owner = $7, note = $8,
            updated_at = now(), updated_by = $9
      WHERE id = $1 AND person_id = $2 RETURNING ${COLUMNS}`,
    [id, personId, next.text.trim(), next.status, next.status === 'declined' ? clean(next.declinedReason) : null, clean(next.dueDate), clean(next.owner), clean(next.note), by],
  );
  return rows[0] ?? null;
}

export interface OpenActionRow extends CareActionRow {
  service_id: string;
  overdue: boolean;
}

/**
 * Open (planned) actions of the people in `serviceIds` (null = every service), most
 * overdue first: the worklist of what the team said it would do.
 */
export async function openCareActions(db: Queryable, opts: { serviceIds: readonly string[] | null; serviceId?: string | null; personIds?: readonly string[]; asOf: string }): Promise<OpenActionRow[]> {
  const params: SqlParam[] = [];
  const where = [`a.status = 'planned'`];
  if (opts.serviceIds !== null) {
    params.push([...opts.serviceIds]);
    where.push(`p.service_id = ANY($${params.length}::text[])`);
  }
  if (opts.serviceId) {
    params.push(opts.serviceId);
    where.push(`p.service_id = $${params.length}`);
  }
  if (opts.personIds) {
    params.push([...opts.personIds]);
    where.push(`a.person_id = ANY($${params.length}::text[])`);
  }
  const rows = await db.query<CareActionRow & { service_id: string }>(
    `SELECT ${COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')}, p.service_id
       FROM care_actions a JOIN people p ON p.person_id = a.person_id
      WHERE ${where.join(' AND ')}
      ORDER BY a.due_date ASC NULLS LAST, a.person_id, a.id`,
    params,
  );
  return rows.map((r) => ({ ...r, overdue: isOverdueAction(r, opts.asOf) }));
}

/**
 * Open actions of these people, summarised per person (how many, how many overdue on
 * `asOf`, the next due date): one query for a whole caseload or worklist page. People
 * without an open action are not in the map.
 */
export async function openActionSummaries(db: Queryable, personIds: readonly string[], asOf: string): Promise<Map<string, OpenActionSummary>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.query<{ person_id: string; status: string; due_date: string | null }>(
    `SELECT person_id, status, due_date FROM care_actions WHERE status = 'planned' AND person_id = ANY($1::text[])`,
    [[...new Set(personIds)]],
  );
  return summariseOpenActions(rows, asOf);
}
