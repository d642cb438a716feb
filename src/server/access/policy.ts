import type { Role } from './roles';
import { ADMIN_POLICIES } from './policies/admin';
import { ALERTS_POLICIES } from './policies/alerts';
import { ASSURANCE_POLICIES } from './policies/assurance';
import { CORE_POLICIES } from './policies/core';
import { LDIS_POLICIES } from './policies/ldis';
import { MAT_POLICIES } from './policies/mat';
import { PERSON_POLICIES } from './policies/person';
import type { ActionPolicy } from './policies/shared';
import { WARNING_POLICIES } from './policies/warning';

export type { ActionPolicy } from './policies/shared';

/**
 * Every action a route or command can take, who may take it, and how it is audited.
 * A route names exactly one of these; one without a policy fails at start-up. Each area
 * keeps its actions in its own file under ./policies/.
 */
export const POLICIES = {
  ...CORE_POLICIES,
  ...MAT_POLICIES,
  ...PERSON_POLICIES,
  ...LDIS_POLICIES,
  ...WARNING_POLICIES,
  ...ALERTS_POLICIES,
  ...ADMIN_POLICIES,
  ...ASSURANCE_POLICIES,
} as const satisfies Record<string, ActionPolicy>;


export type Action = keyof typeof POLICIES;

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(POLICIES, value);
}

/** Whether a role may take an action (scope is checked separately, against the data). */
export function roleAllows(action: Action, role: Role | null): boolean {
  const p: ActionPolicy = POLICIES[action];
  if (p.roles === 'anyone') return true;
  if (role === null) return false;
  if (p.roles === 'signed-in') return true;
  return p.roles.includes(role);
}
