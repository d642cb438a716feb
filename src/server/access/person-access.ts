import type { Queryable } from '../../data/db';
import { activeGrant, BREAK_GLASS_ROLES } from './break-glass';
import { AccessDenied, type AccessContext } from './context';

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
 * A refused person record, thrown inside `ctx.run(...)`: already audited against the
 * person by `personAccess`, so it is not audited again as a failure; answered 404.
 */
export class PersonRefused extends AccessDenied {
  constructor(readonly access: Extract<PersonAccess, { allowed: false }>) {
    super(404, 'No such person');
    this.name = 'PersonRefused';
  }
}

/**
 * The one rule for opening a person's record, used by every route that reads one
 * identifiable person: inside the caller's service scope, or through an active
 * break-the-glass grant (issue 8). Call it inside `ctx.run(...)` with the db it gives.
 * Every opening through a grant is audited as `break_glass.use` with the grant's reason;
 * every refusal is audited as denied against the person asked for (`action`: what the
 * caller tried to do), so the Caldicott guardian finds it by searching for the person.
 * Break-the-glass passes `action` null: asking for emergency access is not a refused read.
 */
export async function personAccess(ctx: AccessContext, db: Queryable, personId: string, action: string | null = 'person.access'): Promise<PersonAccess> {
  const refuse = async (why: string, access: Extract<PersonAccess, { allowed: false }>): Promise<PersonAccess> => {
    // null: the caller is itself about access (break-the-glass), audited with the person there.
    if (action !== null) await ctx.audit({ action, resource: { type: 'person', id: personId }, outcome: 'denied', detail: { why } });
    return access;
  };
  const rows = await db.query<{ service_id: string }>('SELECT service_id FROM people WHERE person_id = $1', [personId]);
  const person = rows[0];
  if (!person) return refuse('no such person', { allowed: false, exists: false, breakGlassAvailable: false });
  const visible = await ctx.visibleServiceIds();
  if (visible === null || visible.includes(person.service_id)) return { allowed: true, via: 'scope', serviceId: person.service_id };
  const p = ctx.principal;
  if (!p || p.userId === null || !BREAK_GLASS_ROLES.includes(p.role)) return refuse('out of scope', { allowed: false, exists: false, breakGlassAvailable: false });
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
  return refuse('no care relationship', { allowed: false, exists: true, breakGlassAvailable: true });
}
