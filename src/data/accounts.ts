import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string | null;
  role: string;
  scope_type: 'organisation' | 'service' | 'local_authority' | 'partner';
  scope_id: string | null;
  active: boolean;
  demo: boolean;
  failed_attempts: number;
  locked_until: string | null;
  last_sign_in_at: string | null;
}

const USER_COLUMNS = `id, username, display_name, password_hash, role, scope_type, scope_id, active, demo,
  failed_attempts, locked_until, last_sign_in_at`;

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username]);
  return rows[0] ?? null;
}

export async function countUsers(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  scopeType: UserRow['scope_type'];
  scopeId: string | null;
  demo?: boolean;
}

export async function insertUser(db: Queryable, u: NewUser): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role, scope_type, scope_id, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash,
       role = EXCLUDED.role, scope_type = EXCLUDED.scope_type, scope_id = EXCLUDED.scope_id, demo = EXCLUDED.demo
     RETURNING id`,
    [u.username, u.displayName, u.passwordHash, u.role, u.scopeType, u.scopeId, u.demo ?? false],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('user insert returned no id');
  return id;
}

/** Counts a failed sign-in; locks the account for lockoutMinutes at maxFailures. */
export async function recordFailedSignIn(db: Queryable, userId: number, maxFailures: number, lockoutMinutes: number): Promise<void> {
  await db.query(
    `UPDATE users SET failed_attempts = failed_attempts + 1,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3::int) ELSE locked_until END
     WHERE id = $1`,
    [userId, maxFailures, lockoutMinutes],
  );
}

export async function recordSignIn(db: Queryable, userId: number): Promise<void> {
  await db.query('UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1', [userId]);
}

/** Session tokens are random; only their SHA-256 is stored, so a database leak yields no live session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(db: Queryable, userId: number, maxHours: number): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))`,
    [hashToken(token), userId, csrfToken, maxHours],
  );
  return { token, csrfToken };
}

/**
 * The user of a live session, touching its idle timer, in one round trip (this runs on
 * every API request); null when the token is unknown, idle too long or past its absolute
 * expiry (an expired row is then removed).
 */
export async function resolveSessionUser(db: Queryable, token: string, idleMinutes: number): Promise<{ user: UserRow; csrfToken: string } | null> {
  const idHash = hashToken(token);
  const rows = await db.query<UserRow & { csrf_token: string }>(
    `WITH s AS (
       UPDATE sessions SET last_seen_at = now()
        WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2::int)
       RETURNING user_id, csrf_token
     )
     SELECT s.csrf_token, ${USER_COLUMNS.split(',').map((c) => `u.${c.trim()}`).join(', ')} FROM s JOIN users u ON u.id = s.user_id`,
    [idHash, idleMinutes],
  );
  const row = rows[0];
  if (row) {
    const { csrf_token, ...user } = row;
    return { user, csrfToken: csrf_token };
  }
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  return null;
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [hashToken(token)]);
}

export async function deleteExpiredSessions(db: Queryable, idleMinutes: number): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1::int)`, [idleMinutes]);
}
