import type { Queryable } from '../../data/db';
import { activeGrant, BREAK_GLASS_ROLES } from './break-glass';
import type { AccessContext } from './context';

/** May this caller open this person's identifiable record, and on what grounds? */
export type PersonAccess =
  | { allowed: true; via: 'scope' | 'break_glass'; serviceId: string }
  /**
   * Refused. `exists` is only true when the caller may learn that the person exists (a
   * care-team role that could use break-the-glass); otherwise the route answers 404 as
   * if there were no such person.
   */
  | { allowed: false; exists: boolean; breakGlassAvailable: boolean };

/**
 * The one rule for opening a person's record, used by every route that reads one
 * identifiable person: inside the caller's service scope, or through an active
 * break-the-glass grant (issue 8). Call it inside `ctx.run(...)` with the db it gives.
 * Every opening through a grant is audited as `break_glass.use` with the grant's reason.
 */
export async function personAccess(ctx: AccessContext, db: Queryable, personId: string): Promise<PersonAccess> {
  const rows = await db.query<{ service_id: string }>('SELECT service_id FROM people WHERE person_id = $1', [personId]);
  const person = rows[0];
  if (!person) return { allowed: false, exists: false, breakGlassAvailable: false };
  const visible = await ctx.visibleServiceIds();
  if (visible === null || visible.includes(person.service_id)) return { allowed: true, via: 'scope', serviceId: person.service_id };
  const p = ctx.principal;
  if (!p || p.userId === null || !BREAK_GLASS_ROLES.includes(p.role)) return { allowed: false, exists: false, breakGlassAvailable: false };
  const grant = await activeGrant(db, p.userId, personId);
  if (grant) {
    await ctx.audit({
      action: 'break_glass.use',
      resource: { type: 'person', id: personId },
      outcome: 'allowed',
      reason: grant.reason,
      detail: { grantId: grant.id, flagged: true },
    });
    return { allowed: true, via: 'break_glass', serviceId: person.service_id };
  }
  return { allowed: false, exists: true, breakGlassAvailable: true };
}
