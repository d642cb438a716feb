/**
 * E-mail of early-warning notifications to LDIS coordinators (issue 6, item 5: "a new
 * alarm or proposed step reaches the coordinator in the app and by email"). When a
 * notification of an e-mailed kind is written, one delivery per coordinator is queued in
 * the alerts module's outbox (`deliveries`, item type `warning_notification`), in the same
 * transaction; the DeliveryWorker sends it with retries like any alert. Recipients: active
 * LDIS coordinators whose scope covers the notification's area, who gave an address and
 * did not opt out (`user_notification_email`). The notification is written once per new
 * alarm or proposal, and the outbox's unique key allows one delivery per notification and
 * address, so a run that finds nothing new sends nothing.
 *
 * No personal data: the e-mail holds the notification's title (area, indicator, week),
 * for alarms and proposals its text (counts against the expected value and threshold, or
 * the step rules met — all generated from aggregate figures), and a link to the app. A
 * step change by a neighbour carries the title only (its body names who decided).
 */
import { z } from 'zod';
import type { Queryable } from '../db';
import type { NotificationKind } from './notifications';

/** The kinds of notification that are also e-mailed. */
export const EMAILED_KINDS: readonly NotificationKind[] = ['new_alarm', 'step_proposed', 'neighbour_step_changed'];

export interface EmailPreference {
  email: string | null;
  earlyWarning: boolean;
}

export const emailPreferenceSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .refine((s) => s === '' || z.email().safeParse(s).success, 'Enter an e-mail address in the right format, like name@example.org'),
  earlyWarning: z.boolean(),
});

export async function getEmailPreference(db: Queryable, userId: number): Promise<EmailPreference> {
  const rows = await db.query<{ email: string; early_warning: boolean }>('SELECT email, early_warning FROM user_notification_email WHERE user_id = $1', [userId]);
  const r = rows[0];
  return r ? { email: r.email, earlyWarning: r.early_warning } : { email: null, earlyWarning: true };
}

/** Stores a user's address and choice; an empty address removes the row (no e-mail). */
export async function setEmailPreference(db: Queryable, userId: number, pref: { email: string; earlyWarning: boolean }): Promise<EmailPreference> {
  const email = pref.email.trim().toLowerCase();
  if (email === '') {
    await db.query('DELETE FROM user_notification_email WHERE user_id = $1', [userId]);
    return { email: null, earlyWarning: pref.earlyWarning };
  }
  await db.query(
    `INSERT INTO user_notification_email (user_id, email, early_warning) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, early_warning = EXCLUDED.early_warning, updated_at = now()`,
    [userId, email, pref.earlyWarning],
  );
  return { email, earlyWarning: pref.earlyWarning };
}

/** Coordinators who receive e-mail about an area: organisation-wide ones and the area's own. */
export async function warningEmailRecipients(db: Queryable, area: string): Promise<Array<{ email: string; name: string }>> {
  return db.query<{ email: string; name: string }>(
    `SELECT DISTINCT e.email, u.display_name AS name FROM users u JOIN user_notification_email e ON e.user_id = u.id
      WHERE u.active AND u.role = 'ldis_coordinator' AND e.early_warning
        AND (u.scope_type = 'organisation' OR (u.scope_type = 'local_authority' AND u.scope_id = $1))
      ORDER BY e.email`,
    [area],
  );
}

/** Queues the e-mail of one notification (inside the caller's transaction). Returns how many. */
export async function queueWarningEmails(db: Queryable, notificationId: number, area: string, kind: NotificationKind): Promise<number> {
  if (!EMAILED_KINDS.includes(kind)) return 0;
  let n = 0;
  for (const r of await warningEmailRecipients(db, area)) {
    const ins = await db.query(
      `INSERT INTO deliveries (item_type, item_id, version, tier, list_id, email, name, status, created_by)
       VALUES ('warning_notification', $1, 1, 'panel', NULL, $2, $3, 'pending', 'system:early-warning') ON CONFLICT DO NOTHING RETURNING id`,
      [notificationId, r.email, r.name],
    );
    n += ins.length;
  }
  return n;
}

const publicUrl = z.url({ protocol: /^https?$/ });

/**
 * Where links in e-mail point: `BEACON_PUBLIC_URL` (the address users open Beacon at),
 * else http://localhost:PORT. A bad value falls back to the default (the link is a
 * convenience; the e-mail names the area).
 */
export function appBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const v = env.BEACON_PUBLIC_URL?.trim();
  if (v && publicUrl.safeParse(v).success) return v.replace(/\/+$/, '');
  return `http://localhost:${env.PORT && /^\d+$/.test(env.PORT) ? env.PORT : '3000'}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface WarningNotificationRow {
  id: number;
  kind: NotificationKind;
  area: string;
  about_area: string;
  title: string;
  body: string;
}

/** The e-mail of one notification: subject, plain text and HTML. */
export function warningNotificationEmail(n: WarningNotificationRow, baseUrl: string): { subject: string; text: string; html: string } {
  const link = `${baseUrl}/early-warning/areas/${encodeURIComponent(n.about_area)}`;
  const detail = n.kind === 'neighbour_step_changed' ? '' : n.body;
  const lead =
    n.kind === 'new_alarm'
      ? 'Beacon’s early-warning detection raised a new alarm.'
      : n.kind === 'step_proposed'
        ? 'Beacon proposes a new step for the area. The step changes only when a coordinator confirms it or sets another step.'
        : 'A neighbouring area’s step changed.';
  const footer = 'You receive this because you are an LDIS coordinator for this area. To stop these e-mails, untick early-warning e-mail on the early-warning settings page in Beacon.';
  const text = [lead, '', n.title, ...(detail ? [detail] : []), '', `Open it in Beacon: ${link}`, '', footer].join('\n');
  const html = [
    `<p>${escapeHtml(lead)}</p>`,
    `<h1 style="color:#005eb8;font-size:20px">${escapeHtml(n.title)}</h1>`,
    detail ? `<p>${escapeHtml(detail)}</p>` : '',
    `<p><a href="${escapeHtml(link)}">Open it in Beacon</a></p>`,
    `<p><small>${escapeHtml(footer)}</small></p>`,
  ].join('\n');
  return { subject: `Beacon early warning: ${n.title}`, text, html };
}

/** The e-mail of a queued notification delivery (null when the notification is gone). */
export async function warningDeliveryMessage(db: Queryable, notificationId: number, baseUrl = appBaseUrl()): Promise<{ subject: string; text: string; html: string } | null> {
  const rows = await db.query<WarningNotificationRow>('SELECT id::int AS id, kind, area, about_area, title, body FROM warning_notifications WHERE id = $1', [notificationId]);
  const r = rows[0];
  return r ? warningNotificationEmail(r, baseUrl) : null;
}
