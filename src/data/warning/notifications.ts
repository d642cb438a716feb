/**
 * In-app notifications for coordinators: a new alarm, a proposed step, a step change in
 * the area, or in a neighbouring area. New alarms, proposals and neighbours' changes are
 * also e-mailed to the area's coordinators through the alerts module's outbox (email.ts).
 * Notifications carry aggregate facts only (no personal data).
 */
import type { Queryable } from '../db';
import { queueWarningEmails } from './email';

export type NotificationKind = 'new_alarm' | 'step_proposed' | 'step_changed' | 'neighbour_step_changed';

export interface NewNotification {
  /** the area whose coordinators should see it */
  area: string;
  kind: NotificationKind;
  /** the area it is about (differs from `area` for a neighbour's change) */
  aboutArea: string;
  title: string;
  body: string;
}

export interface NotificationRecord {
  id: number;
  created_at: string;
  area: string;
  kind: NotificationKind;
  about_area: string;
  title: string;
  body: string;
  read_at: string | null;
  read_by: string | null;
}

/** Writes a notification and queues its e-mail (EMAILED_KINDS); returns its id. */
export async function notify(db: Queryable, n: NewNotification): Promise<number> {
  const rows = await db.query<{ id: number }>(
    'INSERT INTO warning_notifications (area, kind, about_area, title, body) VALUES ($1, $2, $3, $4, $5) RETURNING id::int AS id',
    [n.area, n.kind, n.aboutArea, n.title, n.body],
  );
  const id = rows[0]!.id;
  await queueWarningEmails(db, id, n.area, n.kind);
  return id;
}

/** The latest notifications for the given areas (null: every area). */
export async function listNotifications(db: Queryable, areas: readonly string[] | null, opts: { unreadOnly?: boolean; limit?: number } = {}): Promise<NotificationRecord[]> {
  const limit = Math.max(1, Math.min(opts.limit ?? 50, 500));
  return db.query<NotificationRecord>(
    `SELECT id::int AS id, created_at, area, kind, about_area, title, body, read_at, read_by FROM warning_notifications
      WHERE ($1::text[] IS NULL OR area = ANY($1::text[])) AND (NOT $2 OR read_at IS NULL)
      ORDER BY id DESC LIMIT $3`,
    [areas === null ? null : [...areas], opts.unreadOnly === true, limit],
  );
}

/** Marks notifications read (only those of the given areas). Returns how many changed. */
export async function markNotificationsRead(db: Queryable, ids: readonly number[], areas: readonly string[] | null, by: string): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `UPDATE warning_notifications SET read_at = now(), read_by = $3
      WHERE id = ANY($1::bigint[]) AND read_at IS NULL AND ($2::text[] IS NULL OR area = ANY($2::text[])) RETURNING id`,
    [[...ids], areas === null ? null : [...areas], by],
  );
  return rows.length;
}
