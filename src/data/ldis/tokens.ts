/**
 * Partner organisations' API tokens. A token is 32 random bytes (base64url) with a
 * recognisable prefix, shown once when it is created; only its sha256 is stored, so a
 * copy of the database gives nobody a working token. Revoking keeps the row.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { LdisError } from './errors';

export const TOKEN_PREFIX = 'bcn_ldis_';
/** Partner organisation names: lower case, digits and . _ : - (e.g. west-midlands-police). */
export const PARTNER_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;

export interface PartnerToken {
  id: string;
  partner: string;
  label: string;
  token_hint: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

interface TokenRow extends Omit<PartnerToken, 'id'> {
  id: number | string;
}

const TOKEN_COLUMNS = 'id, partner, label, token_hint, created_by, created_at, last_used_at, revoked_at, revoked_by';

function tokenOf(r: TokenRow): PartnerToken {
  return { ...r, id: String(r.id) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token (never stored). */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Creates a token for a partner organisation; the plain token is returned once, here only. */
export async function createPartnerToken(
  db: Queryable,
  opts: { partner: string; label: string; createdBy: string },
): Promise<{ token: string; record: PartnerToken }> {
  const partner = opts.partner.trim();
  const label = opts.label.trim();
  const errors: Array<{ field: string; message: string }> = [];
  if (!PARTNER_PATTERN.test(partner)) errors.push({ field: 'partner', message: 'lower-case letters, digits and . _ : - only (for example west-midlands-police)' });
  if (label === '' || label.length > 200) errors.push({ field: 'label', message: 'say what the token is for (up to 200 characters)' });
  if (errors.length > 0) throw new LdisError('invalid', 'invalid_token_request', 'The token request is not valid', errors);
  const token = newToken();
  const rows = await db.query<TokenRow>(
    `INSERT INTO ldis_partner_tokens (partner, label, token_hash, token_hint, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${TOKEN_COLUMNS}`,
    [partner, label, hashToken(token), `${token.slice(0, TOKEN_PREFIX.length + 4)}…`, opts.createdBy],
  );
  const row = rows[0];
  if (!row) throw new Error('token not recorded');
  return { token, record: tokenOf(row) };
}

export async function listPartnerTokens(db: Queryable): Promise<PartnerToken[]> {
  const rows = await db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM ldis_partner_tokens ORDER BY partner, id`);
  return rows.map(tokenOf);
}

/** Revokes a token (refused with 'conflict' when already revoked). */
export async function revokePartnerToken(db: Queryable, opts: { id: string; revokedBy: string }): Promise<PartnerToken> {
  if (!/^\d{1,15}$/.test(opts.id)) throw new LdisError('not_found', 'unknown_token', `no token ${opts.id}`);
  const rows = await db.query<TokenRow>(
    `UPDATE ldis_partner_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
    [Number(opts.id), opts.revokedBy],
  );
  const row = rows[0];
  if (row) return tokenOf(row);
  const exists = await db.query('SELECT 1 FROM ldis_partner_tokens WHERE id = $1', [Number(opts.id)]);
  if (exists.length === 0) throw new LdisError('not_found', 'unknown_token', `no token ${opts.id}`);
  throw new LdisError('conflict', 'already_revoked', `token ${opts.id} is already revoked`);
}

/**
 * The partner organisation a presented token belongs to, or null (unknown, malformed or
 * revoked). Records when it was last used, at most once a minute so that a busy partner
 * system does not queue on the row.
 */
export async function resolvePartnerToken(db: Queryable, token: string): Promise<{ id: string; partner: string; label: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const hash = hashToken(token);
  const rows = await db.query<{ id: number | string; partner: string; label: string }>(
    'SELECT id, partner, label FROM ldis_partner_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  const row = rows[0];
  if (!row) return null;
  await db.query(
    `UPDATE ldis_partner_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [row.id],
  );
  return { id: String(row.id), partner: row.partner, label: row.label };
}
