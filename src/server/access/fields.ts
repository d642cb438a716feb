import type { Principal, Role } from './roles';

/** Fields the domain page (§5, issue 8) treats as sensitive beyond the record itself. */
export type SensitiveField = 'name' | 'date_of_birth' | 'nhs_number' | 'postcode' | 'criminal_justice';

/** Roles that need each sensitive field to do their work (need to know, minimum necessary). */
const NEEDS: Record<SensitiveField, readonly Role[]> = {
  name: ['keyworker', 'prescriber', 'service_manager', 'caldicott_guardian'],
  date_of_birth: ['keyworker', 'prescriber', 'service_manager', 'data_manager', 'caldicott_guardian'],
  nhs_number: ['keyworker', 'prescriber', 'service_manager', 'data_manager', 'caldicott_guardian'],
  postcode: ['keyworker', 'service_manager', 'data_manager', 'caldicott_guardian'],
  criminal_justice: ['keyworker', 'service_manager', 'caldicott_guardian'],
};

export function canSeeField(principal: Principal | null, field: SensitiveField): boolean {
  return principal !== null && NEEDS[field].includes(principal.role);
}

export interface IdentityFields {
  date_of_birth?: string | null;
  nhs_number?: string | null;
  postcode?: string | null;
}

/**
 * The identity fields as this principal may see them: date of birth as the year only,
 * NHS number hidden but for its last three digits, postcode cut to its district (outward
 * code). Use it for every response and export that carries these fields.
 */
export function maskIdentity<T extends IdentityFields>(principal: Principal | null, row: T): T & { masked: SensitiveField[] } {
  const out: T & { masked: SensitiveField[] } = { ...row, masked: [] };
  if (row.date_of_birth != null && !canSeeField(principal, 'date_of_birth')) {
    out.date_of_birth = row.date_of_birth.slice(0, 4);
    out.masked.push('date_of_birth');
  }
  if (row.nhs_number != null && !canSeeField(principal, 'nhs_number')) {
    out.nhs_number = `*** *** *${row.nhs_number.slice(-3)}`;
    out.masked.push('nhs_number');
  }
  if (row.postcode != null && !canSeeField(principal, 'postcode')) {
    out.postcode = row.postcode.trim().split(/\s+/)[0]?.toUpperCase() ?? null;
    out.masked.push('postcode');
  }
  return out;
}
