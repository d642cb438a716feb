/**
 * The register of partner organisations (police forces, ambulance trusts, hostels …) that
 * submit to the LDIS. An organisation is named by the id its API tokens
 * (ldis_partner_tokens.partner) and its submitters' scope (users.scope_id) carry; the list
 * also shows ids in use that were never registered, so nothing in use is hidden.
 */
import type { Queryable } from '../db';
import { LdisError } from './errors';
import { PARTNER_PATTERN } from './tokens';

export interface PartnerOrganisation {
  id: string;
  /** Display name; the id when the organisation is in use but was never registered. */
  name: string;
  registered: boolean;
  created_by: string | null;
  created_at: string | null;
  /** Accounts scoped to this organisation (partner submitters). */
  users: number;
  active_tokens: number;
  revoked_tokens: number;
}

export async function listPartnerOrganisations(db: Queryable): Promise<PartnerOrganisation[]> {
  return db.query<PartnerOrganisation>(
    `WITH ids AS (
       SELECT id FROM partner_organisations
       UNION SELECT partner FROM ldis_partner_tokens
       UNION SELECT scope_id FROM users WHERE scope_type = 'partner' AND scope_id IS NOT NULL
     )
     SELECT ids.id, coalesce(o.name, ids.id) AS name, (o.id IS NOT NULL) AS registered, o.created_by, o.created_at,
            (SELECT count(*)::int FROM users u WHERE u.scope_type = 'partner' AND u.scope_id = ids.id) AS users,
            (SELECT count(*)::int FROM ldis_partner_tokens t WHERE t.partner = ids.id AND t.revoked_at IS NULL) AS active_tokens,
            (SELECT count(*)::int FROM ldis_partner_tokens t WHERE t.partner = ids.id AND t.revoked_at IS NOT NULL) AS revoked_tokens
       FROM ids LEFT JOIN partner_organisations o ON o.id = ids.id
      ORDER BY lower(coalesce(o.name, ids.id)), ids.id`,
  );
}

/** Whether an organisation is registered or in use (tokens, accounts). */
export async function partnerOrganisationKnown(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM partner_organisations WHERE id = $1
     UNION ALL SELECT 1 FROM ldis_partner_tokens WHERE partner = $1
     UNION ALL SELECT 1 FROM users WHERE scope_type = 'partner' AND scope_id = $1 LIMIT 1`,
    [id],
  );
  return rows.length > 0;
}

/**
 * Registers an organisation (or names one already in use but not yet registered).
 * Refused with 'conflict' when it is registered already.
 */
export async function createPartnerOrganisation(db: Queryable, opts: { id: string; name: string; createdBy: string }): Promise<PartnerOrganisation> {
  const id = opts.id.trim();
  const name = opts.name.trim();
  const errors: Array<{ field: string; message: string }> = [];
  if (!PARTNER_PATTERN.test(id)) errors.push({ field: 'id', message: 'lower-case letters, digits and . _ : - only (for example west-midlands-police)' });
  if (name === '' || name.length > 200) errors.push({ field: 'name', message: 'enter the organisation’s name (up to 200 characters)' });
  if (errors.length > 0) throw new LdisError('invalid', 'invalid_partner', 'The partner organisation is not valid', errors);
  const rows = await db.query('INSERT INTO partner_organisations (id, name, created_by) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id', [id, name, opts.createdBy]);
  if (rows.length === 0) throw new LdisError('conflict', 'partner_exists', `${id} is already registered`, [{ field: 'id', message: 'this organisation is already registered' }]);
  const made = (await listPartnerOrganisations(db)).find((o) => o.id === id);
  if (!made) throw new Error('partner organisation not recorded');
  return made;
}
