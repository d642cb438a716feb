import type { Db } from '../../../data/db';
import { resolvePartnerToken } from '../../../data/ldis/tokens';
import type { Principal } from '../../access/roles';

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1] ?? null;
}

/**
 * A partner organisation's API token as a principal: a partner submitter scoped to that
 * organisation, authenticated 'via token' (so CSRF, which guards cookie sessions, does not
 * apply). Null for an unknown or revoked token.
 */
export async function bearerPrincipal(db: Db, token: string): Promise<Principal | null> {
  const t = await resolvePartnerToken(db, token);
  if (!t) return null;
  return {
    userId: null,
    username: `token:${t.partner}#${t.id}`,
    displayName: `${t.partner} (API token: ${t.label})`,
    role: 'partner_submitter',
    scope: { type: 'partner', id: t.partner },
    via: 'token',
  };
}
