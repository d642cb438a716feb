import type { Principal, Role } from './roles';

/** Fields the domain page (§5, issue 8) treats as sensitive beyond the record itself. */
export type SensitiveField = 'name' | 'date_of_birth' | 'nhs_number' | 'postcode' | 'criminal_justice';

export const SENSITIVE_FIELDS: readonly SensitiveField[] = ['name', 'date_of_birth', 'nhs_number', 'postcode', 'criminal_justice'];

/**
 * Roles that need each sensitive field to do their work (Caldicott: need to know, minimum
 * necessary). Why each role is here:
 * - keyworker, service manager: the care team that meets the person, checks who they are
 *   and plans around housing and the justice system (prison release is a risk window).
 * - prescriber: identifies the patient for a prescription (name, DOB, NHS number); a home
 *   postcode or the person's offending does not change a dose.
 * - data manager: links and checks records across systems and imports/exports the
 *   dataset (DOB, NHS number, postcode) but never needs a name or offending history.
 * - LDIS coordinator: handles raw partner reports, which may carry a name and a full
 *   postcode, to link reports of the same event; shares only redacted copies (§3.5).
 * - Caldicott guardian: reviews access, including break-the-glass, so sees what was seen.
 * Everyone else (panel members, partner submitters, PIN members and commissioners,
 * administrators) sees these fields masked.
 */
const NEEDS: Record<SensitiveField, readonly Role[]> = {
  name: ['keyworker', 'prescriber', 'service_manager', 'ldis_coordinator', 'caldicott_guardian'],
  date_of_birth: ['keyworker', 'prescriber', 'service_manager', 'data_manager', 'caldicott_guardian'],
  nhs_number: ['keyworker', 'prescriber', 'service_manager', 'data_manager', 'caldicott_guardian'],
  postcode: ['keyworker', 'service_manager', 'data_manager', 'ldis_coordinator', 'caldicott_guardian'],
  criminal_justice: ['keyworker', 'service_manager', 'caldicott_guardian'],
};

/** Whether a role may see a field unmasked (for tests and the admin page's explanation). */
export function roleSeesField(role: Role, field: SensitiveField): boolean {
  return NEEDS[field].includes(role);
}

export function canSeeField(principal: Principal | null, field: SensitiveField): boolean {
  return principal !== null && roleSeesField(principal.role, field);
}

/** The fields this principal sees masked (empty: sees everything). */
export function maskedFields(principal: Principal | null): SensitiveField[] {
  return SENSITIVE_FIELDS.filter((f) => !canSeeField(principal, f));
}

export interface IdentityFields {
  name?: string | null;
  date_of_birth?: string | null;
  nhs_number?: string | null;
  postcode?: string | null;
}

/** What a masked name reads as. */
export const NAME_WITHHELD = 'Name withheld';

/** Date of birth as the year only. */
export function maskDateOfBirth(value: string): string {
  return value.slice(0, 4);
}

/** NHS number hidden but for its last three digits. */
export function maskNhsNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `*** *** *${digits.slice(-3)}`;
}

/**
 * A postcode cut to its district (outward code): "LS1 4AP" → "LS1", "LS14AP" → "LS1".
 * The inward code is always the last three characters of a UK postcode.
 */
export function maskPostcode(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (compact.length >= 5 && compact.length <= 7) return compact.slice(0, -3);
  return compact.slice(0, 4);
}

/**
 * The identity fields as this principal may see them: name withheld, date of birth as the
 * year only, NHS number hidden but for its last three digits, postcode cut to its district
 * (outward code). Use it for every response and export that carries these fields.
 */
export function maskIdentity<T extends IdentityFields>(principal: Principal | null, row: T): T & { masked: SensitiveField[] } {
  const out: T & { masked: SensitiveField[] } = { ...row, masked: [] };
  if (row.name != null && !canSeeField(principal, 'name')) {
    out.name = NAME_WITHHELD;
    out.masked.push('name');
  }
  if (row.date_of_birth != null && !canSeeField(principal, 'date_of_birth')) {
    out.date_of_birth = maskDateOfBirth(row.date_of_birth);
    out.masked.push('date_of_birth');
  }
  if (row.nhs_number != null && !canSeeField(principal, 'nhs_number')) {
    out.nhs_number = maskNhsNumber(row.nhs_number);
    out.masked.push('nhs_number');
  }
  if (row.postcode != null && !canSeeField(principal, 'postcode')) {
    out.postcode = maskPostcode(row.postcode);
    out.masked.push('postcode');
  }
  return out;
}

/**
 * Withholds (sets to null) the listed keys of a row that belong to a sensitive field the
 * principal may not see, e.g. the criminal-justice items of a record:
 * `withhold(p, row, { prison_release_date: 'criminal_justice' })`.
 */
export function withhold<T extends object>(principal: Principal | null, row: T, fields: Partial<Record<keyof T, SensitiveField>>): T & { withheld: (keyof T)[] } {
  const out = { ...row, withheld: [] as (keyof T)[] };
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const field = fields[key];
    if (field && row[key] != null && !canSeeField(principal, field)) {
      (out as Record<keyof T, unknown>)[key] = null;
      out.withheld.push(key);
    }
  }
  return out;
}

/** TOP items that record offending (domain §1.7): criminal-justice details. */
export const TOP_CRIMINAL_JUSTICE_ITEMS = ['shoplifting_days', 'selling_days', 'theft', 'assault'] as const;

/**
 * The columns of dataset v1 (docs/dataset.md) that carry a sensitive field. Every export
 * of the dataset made for a principal masks them with `maskValue`.
 */
export const DATASET_SENSITIVE_COLUMNS: Readonly<Record<string, Readonly<Record<string, SensitiveField>>>> = {
  people: { date_of_birth: 'date_of_birth', nhs_number: 'nhs_number', postcode: 'postcode' },
  incidents: { postcode: 'postcode' },
  top: Object.fromEntries(TOP_CRIMINAL_JUSTICE_ITEMS.map((c) => [c, 'criminal_justice' as const])),
};

/**
 * One value of a sensitive field as a principal who may not see it gets it: a name
 * withheld, a date of birth as the year, an NHS number but for its last three digits, a
 * postcode cut to its district, a criminal-justice item left empty (null).
 */
export function maskValue(field: SensitiveField, value: string): string | null {
  switch (field) {
    case 'name':
      return NAME_WITHHELD;
    case 'date_of_birth':
      return maskDateOfBirth(value);
    case 'nhs_number':
      return maskNhsNumber(value);
    case 'postcode':
      return maskPostcode(value);
    case 'criminal_justice':
      return null;
  }
}

/** Per table, per column: how an export made for this principal rewrites a value. */
export type ColumnMasks = Record<string, Record<string, (value: string) => string | null>>;

/**
 * The dataset columns this principal gets masked in an export, as functions per table and
 * column, and their list (`people.date_of_birth`, …) for the audit record.
 */
export function datasetExportMasks(principal: Principal | null): { masks: ColumnMasks; masked: string[] } {
  const masks: ColumnMasks = {};
  const masked: string[] = [];
  for (const [table, columns] of Object.entries(DATASET_SENSITIVE_COLUMNS)) {
    for (const [column, field] of Object.entries(columns)) {
      if (canSeeField(principal, field)) continue;
      (masks[table] ??= {})[column] = (v) => maskValue(field, v);
      masked.push(`${table}.${column}`);
    }
  }
  return { masks, masked };
}
