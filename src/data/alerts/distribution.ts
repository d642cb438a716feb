/**
 * Distribution lists and deliveries (issue 7 item 4). Recipients come only from the lists
 * of the copy's tier; each recipient of each version of each item is one delivery row,
 * with every attempt counted, the last error, the SMTP message id and when it was sent.
 * Sending happens outside any transaction; a delivery is claimed first (so two workers
 * never send the same e-mail) and released with its outcome.
 */
import type { Db, Queryable } from '../db';
import {
  afterAttempt,
  isEmailAddress,
  normaliseEmail,
  publicPinBody,
  resolveRecipients,
  TIERS,
  type DeliveryStatus,
  type DistributionList,
  type RetryPolicy,
  type Tier,
} from '../../domain/alerts';
import { issuedCopy } from './alerts';
import { AlertsError } from './errors';
import { describeSendError, type Mailer, type MailMessage } from './mailer';
import { getPinReport } from './pinReports';
import { warningDeliveryMessage } from '../warning/email';
import { alertEmail, alertPdf, pinReportEmail, pinReportPdf } from './render';

/** `warning_notification`: an early-warning notification e-mailed to coordinators (src/data/warning/email.ts). */
export type ItemType = 'alert' | 'pin_report' | 'warning_notification';

export interface ListRecord extends DistributionList {
  description: string;
  createdBy: string;
  createdAt: string;
}

export async function listDistributionLists(db: Queryable): Promise<ListRecord[]> {
  const lists = await db.query<{ id: number; name: string; tier: Tier; description: string; created_by: string; created_at: string }>(
    'SELECT id, name, tier, description, created_by, created_at FROM distribution_lists ORDER BY tier, name',
  );
  const members = await db.query<{ list_id: number; email: string; name: string }>('SELECT list_id, email, name FROM distribution_members ORDER BY email');
  return lists.map((l) => ({
    id: Number(l.id),
    name: l.name,
    tier: l.tier,
    description: l.description,
    createdBy: l.created_by,
    createdAt: String(l.created_at),
    members: members.filter((m) => Number(m.list_id) === Number(l.id)).map((m) => ({ email: m.email, name: m.name })),
  }));
}

export interface MemberInput {
  email: string;
  name: string;
}

function checkMembers(members: readonly MemberInput[]): MemberInput[] {
  const errors: Array<{ field: string; message: string }> = [];
  const seen = new Set<string>();
  const out: MemberInput[] = [];
  members.forEach((m, i) => {
    const email = normaliseEmail(m.email);
    if (!isEmailAddress(email)) errors.push({ field: `members.${i}.email`, message: `“${m.email.slice(0, 80)}” is not an e-mail address` });
    else if (!seen.has(email)) {
      seen.add(email);
      out.push({ email, name: m.name.trim().slice(0, 200) });
    }
  });
  if (errors.length > 0) throw new AlertsError('invalid', 'Some addresses are not valid', errors);
  return out;
}

export async function createDistributionList(db: Db, opts: { name: string; tier: Tier; description: string; members: readonly MemberInput[]; actor: string }): Promise<number> {
  const name = opts.name.trim();
  if (name === '') throw new AlertsError('invalid', 'Give the list a name', [{ field: 'name', message: 'Give the list a name' }]);
  if (!TIERS.includes(opts.tier)) throw new AlertsError('invalid', 'Choose an audience', [{ field: 'tier', message: 'Choose an audience' }]);
  const members = checkMembers(opts.members);
  return db.transaction(async (tx) => {
    const exists = await tx.query('SELECT 1 FROM distribution_lists WHERE lower(name) = lower($1)', [name]);
    if (exists.length > 0) throw new AlertsError('conflict', 'A list with this name already exists');
    const r = await tx.query<{ id: number }>('INSERT INTO distribution_lists (name, tier, description, created_by) VALUES ($1, $2, $3, $4) RETURNING id', [name, opts.tier, opts.description.trim(), opts.actor]);
    const id = Number(r[0]?.id);
    for (const m of members) await tx.query('INSERT INTO distribution_members (list_id, email, name, added_by) VALUES ($1, $2, $3, $4)', [id, m.email, m.name, opts.actor]);
    return id;
  });
}

/** Replace the members of a list (addresses normalised to lower case, duplicates merged). */
export async function setListMembers(db: Db, listId: number, opts: { members: readonly MemberInput[]; actor: string }): Promise<void> {
  const members = checkMembers(opts.members);
  await db.transaction(async (tx) => {
    const l = await tx.query('SELECT id FROM distribution_lists WHERE id = $1 FOR UPDATE', [listId]);
    if (l.length === 0) throw new AlertsError('not_found', 'No such distribution list');
    await tx.query('DELETE FROM distribution_members WHERE list_id = $1 AND NOT (email = ANY($2::text[]))', [listId, members.map((m) => m.email)]);
    for (const m of members) {
      await tx.query(
        `INSERT INTO distribution_members (list_id, email, name, added_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (list_id, email) DO UPDATE SET name = EXCLUDED.name`,
        [listId, m.email, m.name, opts.actor],
      );
    }
  });
}

/**
 * Create one pending delivery per recipient of the given tiers (from the lists only).
 * Returns how many were created; a recipient already sent this version is not added again.
 */
export async function queueDeliveries(db: Queryable, opts: { itemType: ItemType; itemId: number; version: number; tiers: readonly Tier[]; actor: string }): Promise<number> {
  const lists = await listDistributionLists(db);
  const recipients = resolveRecipients(lists, opts.tiers);
  let n = 0;
  for (const r of recipients) {
    const ins = await db.query(
      `INSERT INTO deliveries (item_type, item_id, version, tier, list_id, email, name, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) ON CONFLICT DO NOTHING RETURNING id`,
      [opts.itemType, opts.itemId, opts.version, r.tier, r.listId, r.email, r.name, opts.actor],
    );
    n += ins.length;
  }
  return n;
}

export interface DeliveryRecord {
  id: number;
  itemType: ItemType;
  itemId: number;
  version: number;
  tier: Tier;
  listName: string | null;
  email: string;
  name: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  messageId: string | null;
  sentAt: string | null;
  createdAt: string;
}

interface DeliveryRow {
  id: number;
  item_type: ItemType;
  item_id: number;
  version: number;
  tier: Tier;
  list_id: number | null;
  list_name?: string | null;
  email: string;
  name: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  message_id: string | null;
  sent_at: string | null;
  created_at: string;
}

function record(r: DeliveryRow): DeliveryRecord {
  return {
    id: Number(r.id),
    itemType: r.item_type,
    itemId: Number(r.item_id),
    version: r.version,
    tier: r.tier,
    listName: r.list_name ?? null,
    email: r.email,
    name: r.name,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at === null ? null : String(r.next_attempt_at),
    lastError: r.last_error,
    messageId: r.message_id,
    sentAt: r.sent_at === null ? null : String(r.sent_at),
    createdAt: String(r.created_at),
  };
}

export async function listDeliveries(db: Queryable, opts: { itemType?: ItemType; itemId?: number; limit?: number } = {}): Promise<DeliveryRecord[]> {
  const rows = await db.query<DeliveryRow>(
    `SELECT d.*, l.name AS list_name FROM deliveries d LEFT JOIN distribution_lists l ON l.id = d.list_id
      WHERE ($1::text IS NULL OR d.item_type = $1) AND ($2::bigint IS NULL OR d.item_id = $2)
      ORDER BY d.item_type, d.item_id, d.version DESC, d.tier, d.email LIMIT $3`,
    [opts.itemType ?? null, opts.itemId ?? null, opts.limit ?? 1000],
  );
  return rows.map(record);
}

/** Make failed or waiting deliveries of an item due now (a person pressed "retry"). */
export async function retryNow(db: Queryable, opts: { itemType: ItemType; itemId: number }): Promise<number> {
  const r = await db.query(
    // Due at once: truncated to the millisecond, because the sender compares with a JavaScript
    // clock reading (milliseconds) taken afterwards; now() carries microseconds.
    `UPDATE deliveries SET status = 'retrying', next_attempt_at = date_trunc('milliseconds', now()) WHERE item_type = $1 AND item_id = $2 AND status IN ('failed', 'retrying', 'pending') RETURNING id`,
    [opts.itemType, opts.itemId],
  );
  return r.length;
}

export interface ProcessOptions {
  mailer: Mailer | null;
  retry: RetryPolicy;
  /** Milliseconds since the epoch ("now"). */
  now: number;
  only?: { itemType: ItemType; itemId: number };
  limit?: number;
}

export interface ProcessResult {
  attempted: number;
  sent: number;
  failed: number;
}

/** Send every due delivery (optionally of one item) once; record each outcome. */
export async function processDeliveries(db: Db, opts: ProcessOptions): Promise<ProcessResult> {
  const nowIso = new Date(opts.now).toISOString();
  const claimed = await db.query<DeliveryRow>(
    `UPDATE deliveries SET next_attempt_at = $1::timestamptz + interval '10 minutes'
      WHERE id IN (
        SELECT id FROM deliveries
         WHERE status IN ('pending', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at <= $1::timestamptz)
           AND ($2::text IS NULL OR item_type = $2) AND ($3::bigint IS NULL OR item_id = $3)
         ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [nowIso, opts.only?.itemType ?? null, opts.only?.itemId ?? null, opts.limit ?? 500],
  );
  const listNames = new Map((await db.query<{ id: number; name: string }>('SELECT id, name FROM distribution_lists')).map((l) => [Number(l.id), l.name]));
  const built = new Map<string, Omit<MailMessage, 'to'> | null>();
  const messageFor = async (d: DeliveryRow): Promise<Omit<MailMessage, 'to'> | null> => {
    const listName = (d.list_id === null ? null : listNames.get(Number(d.list_id))) ?? 'LDIS';
    const key = `${d.item_type}/${d.item_id}/${d.version}/${d.tier}/${listName}`;
    if (built.has(key)) return built.get(key) ?? null;
    let m: Omit<MailMessage, 'to'> | null = null;
    if (d.item_type === 'alert') {
      const c = await issuedCopy(db, Number(d.item_id), d.version, d.tier);
      if (c) {
        const issuedAt = (await db.query<{ issued_at: string }>('SELECT issued_at FROM alert_versions WHERE alert_id = $1 AND version = $2', [d.item_id, d.version]))[0]?.issued_at;
        const meta = { kind: c.kind, areaName: c.areaName, version: d.version, issuedAt: String(issuedAt ?? nowIso), revisionNote: c.revisionNote };
        const e = alertEmail(c.copy, meta, listName);
        m = { ...e, attachments: [{ filename: `alert-${d.item_id}-v${d.version}-${d.tier}.pdf`, content: await alertPdf(c.copy, meta), contentType: 'application/pdf' }] };
      }
    } else if (d.item_type === 'warning_notification') {
      m = await warningDeliveryMessage(db, Number(d.item_id));
    } else {
      const r = await getPinReport(db, Number(d.item_id), {}).catch(() => null);
      if (r) {
        const body = d.tier === 'panel' ? r.panel : d.tier === 'partners' ? r.partners : publicPinBody(r.partners);
        const e = pinReportEmail(body, listName);
        m = { ...e, attachments: [{ filename: `pin-report-${d.item_id}-${d.tier}.pdf`, content: await pinReportPdf(body, { generatedAt: r.generatedAt }), contentType: 'application/pdf' }] };
      }
    }
    built.set(key, m);
    return m;
  };

  let sent = 0;
  let failed = 0;
  for (const d of claimed) {
    let ok = false;
    let error: string | null = null;
    let messageId: string | null = null;
    try {
      if (!opts.mailer) throw new Error('E-mail is not configured (set BEACON_SMTP_HOST)');
      const m = await messageFor(d);
      if (!m) throw new Error('Nothing to send for this item and tier');
      messageId = (await opts.mailer.send({ ...m, to: { address: d.email, name: d.name } })).messageId;
      ok = true;
    } catch (err) {
      error = describeSendError(err);
    }
    const attempts = d.attempts + 1;
    const next = afterAttempt(ok, attempts, opts.now, opts.retry);
    await db.query(
      `UPDATE deliveries SET attempts = $2, status = $3, next_attempt_at = $4::timestamptz, last_error = $5,
              message_id = COALESCE($6, message_id), sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END
        WHERE id = $1`,
      [d.id, attempts, next.status, next.nextAttemptAt === null ? null : new Date(next.nextAttemptAt).toISOString(), ok ? null : error, messageId],
    );
    if (ok) sent++;
    else failed++;
  }
  return { attempted: claimed.length, sent, failed };
}

/** Delivery counts by status for an item (for lists of alerts and reports). */
export async function deliveryCounts(db: Queryable, itemType: ItemType, itemIds: readonly number[]): Promise<Map<number, Record<DeliveryStatus, number>>> {
  const out = new Map<number, Record<DeliveryStatus, number>>();
  if (itemIds.length === 0) return out;
  const rows = await db.query<{ item_id: number; status: DeliveryStatus; n: number }>(
    'SELECT item_id, status, count(*)::int AS n FROM deliveries WHERE item_type = $1 AND item_id = ANY($2::bigint[]) GROUP BY item_id, status',
    [itemType, [...itemIds]],
  );
  for (const r of rows) {
    const k = Number(r.item_id);
    const c = out.get(k) ?? { pending: 0, sent: 0, retrying: 0, failed: 0 };
    c[r.status] = r.n;
    out.set(k, c);
  }
  return out;
}
