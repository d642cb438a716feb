import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from './db';
import { onePerDb } from './changes';
import { SessionCache, type ResolvedSession, type SessionUser } from './session-cache';

export type { SessionUser } from './session-cache';

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
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  totp_required: boolean;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const USER_COLUMNS = `id, username, display_name, password_hash, role, scope_type, scope_id, active, demo,
  failed_attempts, locked_until, last_sign_in_at, totp_secret, totp_enabled_at, totp_last_step, totp_required,
  oidc_issuer, oidc_subject`;

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
  passwordHash: string | null;
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
  await db.query(RECORD_FAILED_SQL, [userId, maxFailures, lockoutMinutes]);
}
const RECORD_FAILED_SQL = `UPDATE users SET failed_attempts = failed_attempts + 1,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3::int) ELSE locked_until END
     WHERE id = $1`;

export async function recordSignIn(db: Queryable, userId: number): Promise<void> {
  await db.query(RECORD_SIGN_IN_SQL, [userId]);
}
const RECORD_SIGN_IN_SQL = 'UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1';

const CLAIM_TOTP_STEP_SQL = 'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id';

/** Session tokens are random; only their SHA-256 is stored, so a database leak yields no live session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(db: Queryable, userId: number, maxHours: number): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.query(CREATE_SESSION_SQL, [hashToken(token), userId, csrfToken, maxHours]);
  return { token, csrfToken };
}
const CREATE_SESSION_SQL = `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))`;

/**
 * The idle timer of a session is moved on at most this often. Writing it on every request
 * made every API call a committed write, and concurrent requests of one session queued on
 * the session's row lock; the idle timeout (30 minutes by default) is then exact to within
 * this many seconds.
 */
export const SESSION_TOUCH_SECONDS = 30;

/** The user's columns a session carries (SessionUser). */
const SESSION_USER_COLUMNS = ['id', 'username', 'display_name', 'role', 'scope_type', 'scope_id', 'active'] as const satisfies readonly (keyof SessionUser)[];

/**
 * The live session of a token hash and its user, touching its idle timer when it was last
 * moved more than SESSION_TOUCH_SECONDS ago, in one round trip; with how long the session
 * has left (absolute expiry) and when its idle timer was last moved, both in milliseconds
 * from the statement's now().
 */
const SESSION_LOOKUP_SQL = `WITH s AS (
       SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions
        WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2::int)
     ), touched AS (
       UPDATE sessions SET last_seen_at = now()
        WHERE id_hash = $1 AND EXISTS (SELECT 1 FROM s WHERE s.last_seen_at < now() - make_interval(secs => $3::int))
        RETURNING last_seen_at
     )
     SELECT s.csrf_token, ${SESSION_USER_COLUMNS.map((c) => `u.${c}`).join(', ')},
            (extract(epoch FROM s.expires_at - now()) * 1000)::float8 AS expires_in_ms,
            (extract(epoch FROM coalesce((SELECT last_seen_at FROM touched), s.last_seen_at) - now()) * 1000)::float8 AS seen_in_ms
       FROM s JOIN users u ON u.id = s.user_id`;

/** Removes a session found dead (idle too long or past its expiry); an unknown token removes nothing. */
const DEAD_SESSION_SQL = `DELETE FROM sessions WHERE id_hash = $1 AND (expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $2::int))`;

/**
 * The statements on users and sessions that cannot end or alter a live session, so that
 * running them leaves this process's resolved sessions in place (session-cache.ts): the
 * lookup and its idle-timer move, the removal of a dead session, a new session, and the
 * bookkeeping of sign-in attempts (columns a session does not carry, and not announced by
 * migration 0016's triggers either).
 */
const SESSION_NEUTRAL_SQL: ReadonlySet<string> = new Set([SESSION_LOOKUP_SQL, DEAD_SESSION_SQL, CREATE_SESSION_SQL, RECORD_SIGN_IN_SQL, RECORD_FAILED_SQL, CLAIM_TOTP_STEP_SQL]);
const sessionCacheOf = onePerDb((db) => new SessionCache(db, SESSION_NEUTRAL_SQL));

/**
 * The user of a live session (this runs on every API request); null when the token is
 * unknown, idle too long or past its absolute expiry (an expired row is then removed).
 *
 * Answered from this process's memory when it resolved the session before and nothing
 * has changed since (session-cache.ts, which says exactly when that is); otherwise, and
 * whenever the idle timer is due to move on (every SESSION_TOUCH_SECONDS) or a bound is
 * reached, by one statement that also moves the idle timer — awaited as part of the
 * request, so an error fails the request as before.
 */
export async function resolveSessionUser(db: Db, token: string, idleMinutes: number): Promise<ResolvedSession | null> {
  const idHash = hashToken(token);
  const cache = sessionCacheOf(db);
  const hit = cache.get(idHash, idleMinutes, performance.now());
  if (hit !== null) return hit;
  const ticket = cache.ticket();
  // Bounds are measured from when the lookup was sent: the database's now() is no earlier,
  // so they fall due here no later than there.
  const sent = performance.now();
  const rows = await db.query<SessionUser & { csrf_token: string; expires_in_ms: number; seen_in_ms: number }>(SESSION_LOOKUP_SQL, [idHash, idleMinutes, SESSION_TOUCH_SECONDS]);
  const row = rows[0];
  if (row) {
    const { csrf_token, expires_in_ms, seen_in_ms, ...user } = row;
    const value: ResolvedSession = { user: Object.freeze(user), csrfToken: csrf_token };
    const seenAt = sent + seen_in_ms;
    cache.put(ticket, idHash, idleMinutes, value, Math.min(sent + expires_in_ms, seenAt + SESSION_TOUCH_SECONDS * 1000, seenAt + idleMinutes * 60_000));
    return value;
  }
  cache.drop(idHash);
  await db.query(DEAD_SESSION_SQL, [idHash, idleMinutes]);
  return null;
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [hashToken(token)]);
}

export async function deleteExpiredSessions(db: Queryable, idleMinutes: number): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1::int)`, [idleMinutes]);
}

// ---- Account administration, second factor and single sign-on (issue 8) ----

export async function findUserById(db: Queryable, id: number): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findUserByOidc(db: Queryable, issuer: string, subject: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, subject]);
  return rows[0] ?? null;
}

/** A user as the administration pages list them: never a hash or a secret. */
export interface UserSummary {
  id: number;
  username: string;
  display_name: string;
  role: string;
  scope_type: UserRow['scope_type'];
  scope_id: string | null;
  active: boolean;
  demo: boolean;
  locked: boolean;
  totp_enabled: boolean;
  totp_required: boolean;
  sso: boolean;
  created_at: string;
  last_sign_in_at: string | null;
}

const SUMMARY_SELECT = `SELECT id, username, display_name, role, scope_type, scope_id, active, demo,
  (locked_until IS NOT NULL AND locked_until > now()) AS locked, (totp_enabled_at IS NOT NULL) AS totp_enabled,
  totp_required, (oidc_subject IS NOT NULL) AS sso, created_at, last_sign_in_at FROM users`;

export async function listUsers(db: Queryable): Promise<UserSummary[]> {
  return db.query<UserSummary>(`${SUMMARY_SELECT} ORDER BY lower(username)`);
}

export async function getUserSummary(db: Queryable, id: number): Promise<UserSummary | null> {
  const rows = await db.query<UserSummary>(`${SUMMARY_SELECT} WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export interface UserChanges {
  displayName?: string | undefined;
  role?: string | undefined;
  scopeType?: UserRow['scope_type'] | undefined;
  scopeId?: string | null | undefined;
  active?: boolean | undefined;
  totpRequired?: boolean | undefined;
}

/** Applies the given changes; a disabled account loses its sessions at once. Returns false when there is no such user. */
export async function updateUser(db: Queryable, id: number, c: UserChanges): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE users SET
       display_name = COALESCE($2, display_name),
       role = COALESCE($3, role),
       scope_type = COALESCE($4, scope_type),
       scope_id = CASE WHEN $5::boolean THEN $6 ELSE scope_id END,
       active = COALESCE($7, active),
       disabled_at = CASE WHEN $7 IS NULL THEN disabled_at WHEN $7 THEN NULL ELSE COALESCE(disabled_at, now()) END,
       totp_required = COALESCE($8, totp_required),
       failed_attempts = CASE WHEN $7 THEN 0 ELSE failed_attempts END,
       locked_until = CASE WHEN $7 THEN NULL ELSE locked_until END
     WHERE id = $1 RETURNING id`,
    [id, c.displayName ?? null, c.role ?? null, c.scopeType ?? null, c.scopeId !== undefined, c.scopeId ?? null, c.active ?? null, c.totpRequired ?? null],
  );
  if (rows.length === 0) return false;
  if (c.active === false) await deleteUserSessions(db, id);
  return true;
}

/** Sets a new password hash, unlocks the account and ends its sessions. */
export async function setPasswordHash(db: Queryable, id: number, passwordHash: string): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE users SET password_hash = $2, password_changed_at = now(), failed_attempts = 0, locked_until = NULL WHERE id = $1 RETURNING id`,
    [id, passwordHash],
  );
  if (rows.length === 0) return false;
  await deleteUserSessions(db, id);
  return true;
}

export async function deleteUserSessions(db: Queryable, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

/** Seals and opens secrets kept in the database (src/server/auth/secret-box.ts). */
export interface SecretSealer {
  seal(plain: string, purpose: string): string;
  open(sealed: string, purpose: string): string;
}

/** What a TOTP secret is sealed for (bound into the encryption). */
export const TOTP_SECRET_PURPOSE = 'beacon:users.totp_secret';

/**
 * Turns the second factor on with this secret (stored encrypted, never in clear) and
 * replaces the recovery codes.
 */
export async function enableTotp(db: Queryable, box: SecretSealer, userId: number, secret: string, step: number, recoveryCodeHashes: readonly string[]): Promise<void> {
  await db.query('UPDATE users SET totp_secret = $2, totp_enabled_at = now(), totp_last_step = $3 WHERE id = $1', [userId, box.seal(secret, TOTP_SECRET_PURPOSE), step]);
  await db.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  for (const h of recoveryCodeHashes) await db.query('INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, h]);
}

/** The user's TOTP secret in clear, or null when they have none. */
export function totpSecretOf(box: SecretSealer, user: Pick<UserRow, 'totp_secret'>): string | null {
  return user.totp_secret ? box.open(user.totp_secret, TOTP_SECRET_PURPOSE) : null;
}

/** Whether a stored value is sealed (what start-up checks). */
const isSealed = (v: string): boolean => v.startsWith('aesgcm:v1:');

/**
 * Encrypts every TOTP secret still stored in clear (from before secrets were encrypted),
 * and checks that a sealed one opens with this key: a wrong key stops start-up with a
 * message rather than failing every second-factor sign-in. Returns how many were sealed.
 */
export async function sealClearTotpSecrets(db: Queryable, box: SecretSealer): Promise<number> {
  const rows = await db.query<{ id: number; totp_secret: string }>('SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id');
  const sealed = rows.find((r) => isSealed(r.totp_secret));
  if (sealed) box.open(sealed.totp_secret, TOTP_SECRET_PURPOSE);
  let n = 0;
  for (const r of rows) {
    if (isSealed(r.totp_secret)) continue;
    // Only if it is still that clear value (another server may be doing the same).
    const done = await db.query('UPDATE users SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3 RETURNING id', [r.id, box.seal(r.totp_secret, TOTP_SECRET_PURPOSE), r.totp_secret]);
    n += done.length;
  }
  return n;
}

/** Removes the second factor (lost device, or the user turning it off); they enrol again next time if it is required. */
export async function disableTotp(db: Queryable, userId: number): Promise<void> {
  await db.query('UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1', [userId]);
  await db.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
}

/**
 * Records the time step of an accepted code, only if it is later than the last one: false
 * means the code was already used (a replay) or a concurrent sign-in used it first.
 */
export async function claimTotpStep(db: Queryable, userId: number, step: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>(CLAIM_TOTP_STEP_SQL, [userId, step]);
  return rows.length > 0;
}

/** Uses up one recovery code; false when no unused code has that hash. */
export async function useRecoveryCode(db: Queryable, userId: number, codeHash: string): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE recovery_codes SET used_at = now()
      WHERE id = (SELECT id FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1) RETURNING id`,
    [userId, codeHash],
  );
  return rows.length > 0;
}

export async function unusedRecoveryCodes(db: Queryable, userId: number): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return rows[0]?.n ?? 0;
}

export async function linkOidc(db: Queryable, userId: number, issuer: string, subject: string): Promise<void> {
  await db.query('UPDATE users SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1', [userId, issuer, subject]);
}

/** A short-lived step of sign-in (TOTP enrolment, OIDC state): only the token's hash is kept. */
export async function createChallenge(db: Queryable, kind: 'totp_enrol' | 'oidc', userId: number | null, data: Record<string, unknown>, minutes: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query('DELETE FROM auth_challenges WHERE expires_at <= now()');
  await db.query(
    `INSERT INTO auth_challenges (id_hash, kind, user_id, data, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5::int))`,
    [hashToken(token), kind, userId, JSON.stringify(data), minutes],
  );
  return token;
}

/** Reads a live challenge; consume=true removes it so it cannot be used twice. */
export async function readChallenge(
  db: Queryable,
  kind: 'totp_enrol' | 'oidc',
  token: string,
  consume: boolean,
): Promise<{ userId: number | null; data: Record<string, unknown> } | null> {
  const sql = consume
    ? `DELETE FROM auth_challenges WHERE id_hash = $1 AND kind = $2 AND expires_at > now() RETURNING user_id, data`
    : `SELECT user_id, data FROM auth_challenges WHERE id_hash = $1 AND kind = $2 AND expires_at > now()`;
  const rows = await db.query<{ user_id: number | null; data: Record<string, unknown> }>(sql, [hashToken(token), kind]);
  const r = rows[0];
  return r ? { userId: r.user_id, data: r.data } : null;
}

/** Creates a user; null when the username is taken (case-insensitively). */
export async function createUser(db: Queryable, u: NewUser & { totpRequired?: boolean }): Promise<number | null> {
  const taken = await findUserByUsername(db, u.username);
  if (taken) return null;
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role, scope_type, scope_id, demo, totp_required, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, false, $7, now()) ON CONFLICT (username) DO NOTHING RETURNING id`,
    [u.username, u.displayName, u.passwordHash, u.role, u.scopeType, u.scopeId, u.totpRequired ?? false],
  );
  return rows[0]?.id ?? null;
}
