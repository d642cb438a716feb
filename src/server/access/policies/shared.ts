import type { Role } from '../roles';

/**
 * How an action is governed. Each area keeps its actions in its own file in this folder;
 * src/server/access/policy.ts merges them into the one POLICIES table.
 *
 * audit: 'always' writes an audit record for every use; 'denied-only' records refusals
 * only (aggregate, non-identifiable reads polled often); 'none' for public routes.
 */
export interface ActionPolicy {
  roles: readonly Role[] | 'anyone' | 'signed-in';
  audit: 'always' | 'denied-only' | 'none';
  /** True when the action reads or writes data about identifiable people. */
  identifiable: boolean;
  description: string;
}

export const ALL_STAFF: readonly Role[] = [
  'keyworker', 'prescriber', 'service_manager', 'data_manager', 'ldis_coordinator', 'panel_member',
  'pin_member', 'caldicott_guardian', 'administrator',
];
export const DATA_STEWARDS: readonly Role[] = ['data_manager', 'administrator'];
/** Staff who may see identifiable MAT and risk data of the services in their scope. */
export const CARE_TEAM: readonly Role[] = ['service_manager', 'prescriber', 'keyworker', 'data_manager', 'administrator', 'caldicott_guardian'];

