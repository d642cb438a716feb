import type { Queryable, SqlParam } from '../../data/db';

/** Reading the append-only audit log: search (who saw what) and verification of its hash chain. */

export interface AuditFilters {
  username?: string | undefined;
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  outcome?: 'allowed' | 'denied' | 'failed' | undefined;
  /** Inclusive dates, YYYY-MM-DD (UTC days). */
  from?: string | undefined;
  to?: string | undefined;
}

export interface AuditRow {
  seq: number;
  at: string;
  username: string | null;
  role: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  reason: string | null;
  ip: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
}

function where(f: AuditFilters): { sql: string; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  const add = (clause: (n: string) => string, value: SqlParam) => {
    params.push(value);
    parts.push(clause(`$${params.length}`));
  };
  if (f.username) add((n) => `lower(username) = lower(${n})`, f.username);
  if (f.action) add((n) => (f.action?.endsWith('.') ? `action LIKE ${n} || '%'` : `action = ${n}`), f.action);
  if (f.resourceType) add((n) => `resource_type = ${n}`, f.resourceType);
  if (f.resourceId) add((n) => `resource_id = ${n}`, f.resourceId);
  if (f.outcome) add((n) => `outcome = ${n}`, f.outcome);
  if (f.from) add((n) => `at >= (${n}::date)::timestamp AT TIME ZONE 'UTC'`, f.from);
  if (f.to) add((n) => `at < ((${n}::date + 1)::timestamp AT TIME ZONE 'UTC')`, f.to);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const COLUMNS = 'seq, at, username, role, action, resource_type, resource_id, reason, ip, outcome, detail';

/** Newest first. */
export async function searchAudit(db: Queryable, f: AuditFilters, limit: number, offset: number): Promise<{ total: number; rows: AuditRow[] }> {
  const w = where(f);
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log ${w.sql}`, w.params))[0]?.n ?? 0;
  const rows = await db.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log ${w.sql} ORDER BY seq DESC LIMIT $${w.params.length + 1} OFFSET $${w.params.length + 2}`,
    [...w.params, limit, offset],
  );
  return { total, rows };
}

export interface ChainCheck {
  ok: boolean;
  rows: number;
  lastSeq: number | null;
  problems: { seq: number; problem: string }[];
}

/**
 * Recomputes every record's hash from its content and the hash before it (the same
 * formula as the insert trigger in migration 0002) and checks the sequence has no gaps:
 * an edited record, a deleted one or a re-ordered chain shows as a problem at its seq.
 */
export async function verifyAuditChain(db: Queryable, maxProblems = 50): Promise<ChainCheck> {
  const stats = (await db.query<{ n: number; last: number | null }>('SELECT count(*)::int AS n, max(seq)::bigint AS last FROM audit_log'))[0];
  const problems = await db.query<{ seq: number; problem: string }>(
    `WITH c AS (
       SELECT seq, hash, prev_hash,
              lag(hash) OVER (ORDER BY seq) AS before_hash,
              lag(seq) OVER (ORDER BY seq) AS before_seq,
              encode(sha256(convert_to(
                COALESCE(prev_hash, '') || '|' || seq || '|' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '|' ||
                COALESCE(user_id::text, '') || '|' || COALESCE(username, '') || '|' || COALESCE(role, '') || '|' ||
                action || '|' || COALESCE(resource_type, '') || '|' || COALESCE(resource_id, '') || '|' ||
                COALESCE(reason, '') || '|' || COALESCE(ip, '') || '|' || outcome || '|' || COALESCE(detail::text, ''),
                'UTF8')), 'hex') AS computed
         FROM audit_log
     )
     SELECT seq, CASE
              WHEN hash IS DISTINCT FROM computed THEN 'content does not match its hash (edited)'
              WHEN before_seq IS NULL AND seq <> 1 THEN 'records before this one are missing'
              WHEN before_seq IS NOT NULL AND seq <> before_seq + 1 THEN 'records before this one are missing (deleted)'
              ELSE 'does not link to the record before it'
            END AS problem
       FROM c
      WHERE hash IS DISTINCT FROM computed
         OR (before_seq IS NULL AND seq <> 1)
         OR (before_seq IS NOT NULL AND seq <> before_seq + 1)
         OR prev_hash IS DISTINCT FROM before_hash
      ORDER BY seq
      LIMIT $1`,
    [maxProblems],
  );
  return { ok: problems.length === 0, rows: stats?.n ?? 0, lastSeq: stats?.last ?? null, problems };
}
