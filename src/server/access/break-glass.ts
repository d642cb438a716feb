import type { Queryable } from '../../data/db';
import type { Role } from './roles';

/**
 * Break-the-glass (issue 8): a member of a care team may open the record of a person
 * outside their service in an emergency, giving a reason. The grant is limited in time,
 * audited, and flagged for the Caldicott guardian's review.
 */

/** Roles with a care relationship to people, who may break the glass. */
export const BREAK_GLASS_ROLES: readonly Role[] = ['keyworker', 'prescriber', 'service_manager'];

/** How long an emergency grant lasts. */
export const BREAK_GLASS_MINUTES = 60;

export const REVIEW_OUTCOMES = ['appropriate', 'inappropriate'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface BreakGlassGrant {
  id: number;
  user_id: number;
  username: string;
  role: string;
  person_id: string;
  service_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  review_status: 'pending' | ReviewOutcome;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

const COLUMNS = `id, user_id, username, role, person_id, service_id, reason, granted_at, expires_at, review_status, reviewed_by, reviewed_at, review_note`;

/** The caller's grant on this person that is still running, if any. */
export async function activeGrant(db: Queryable, userId: number, personId: string): Promise<BreakGlassGrant | null> {
  const rows = await db.query<BreakGlassGrant>(
    `SELECT ${COLUMNS} FROM break_glass_grants WHERE user_id = $1 AND person_id = $2 AND expires_at > now() ORDER BY expires_at DESC LIMIT 1`,
    [userId, personId],
  );
  return rows[0] ?? null;
}

export async function createGrant(
  db: Queryable,
  g: { userId: number; username: string; role: Role; personId: string; serviceId: string; reason: string; minutes?: number },
): Promise<BreakGlassGrant> {
  const rows = await db.query<BreakGlassGrant>(
    `INSERT INTO break_glass_grants (user_id, username, role, person_id, service_id, reason, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7::int)) RETURNING ${COLUMNS}`,
    [g.userId, g.username, g.role, g.personId, g.serviceId, g.reason, g.minutes ?? BREAK_GLASS_MINUTES],
  );
  const row = rows[0];
  if (!row) throw new Error('break-glass insert returned nothing');
  return row;
}

export async function listGrants(db: Queryable, status: 'pending' | 'reviewed' | 'all', limit = 200): Promise<BreakGlassGrant[]> {
  const where = status === 'pending' ? `WHERE review_status = 'pending'` : status === 'reviewed' ? `WHERE review_status <> 'pending'` : '';
  return db.query<BreakGlassGrant>(`SELECT ${COLUMNS} FROM break_glass_grants ${where} ORDER BY granted_at DESC, id DESC LIMIT $1`, [limit]);
}

export async function countPendingGrants(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM break_glass_grants WHERE review_status = 'pending'`);
  return rows[0]?.n ?? 0;
}

/**
 * Records the guardian's outcome once: a grant already reviewed is not reviewed again
 * (null is returned, and the caller answers 409).
 */
export async function reviewGrant(db: Queryable, id: number, outcome: ReviewOutcome, reviewer: string, note: string | null): Promise<BreakGlassGrant | null | 'missing'> {
  const rows = await db.query<BreakGlassGrant>(
    `UPDATE break_glass_grants SET review_status = $2, reviewed_by = $3, reviewed_at = now(), review_note = $4
      WHERE id = $1 AND review_status = 'pending' RETURNING ${COLUMNS}`,
    [id, outcome, reviewer, note],
  );
  if (rows[0]) return rows[0];
  const exists = await db.query('SELECT 1 FROM break_glass_grants WHERE id = $1', [id]);
  return exists.length ? null : 'missing';
}
