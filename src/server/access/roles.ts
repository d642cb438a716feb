/** The roles of the domain page's "Who uses Beacon" table. */
export const ROLES = {
  keyworker: 'Recovery worker / keyworker',
  prescriber: 'Prescriber',
  service_manager: 'Service manager / lead clinician',
  data_manager: 'Data manager / analyst',
  ldis_coordinator: 'LDIS coordinator / public-health analyst',
  panel_member: 'LDIS panel member',
  partner_submitter: 'Partner submitter',
  pin_member: 'PIN member / commissioner',
  caldicott_guardian: 'Caldicott guardian / DPO',
  administrator: 'Administrator',
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.prototype.hasOwnProperty.call(ROLES, value);
}

export type ScopeType = 'organisation' | 'service' | 'local_authority' | 'partner';

export interface Scope {
  type: ScopeType;
  /** organisation name, service_id, ONS local-authority code or partner organisation; null = the whole organisation */
  id: string | null;
}

/** The signed-in person as the access layer sees them. */
export interface Principal {
  userId: number | null;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  /** How they authenticated: a browser session, an API token, or the operator's CLI. */
  via: 'session' | 'token' | 'cli' | 'system';
}
