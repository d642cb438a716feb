import { BREAK_GLASS_ROLES } from '../break-glass';
import type { ActionPolicy } from './shared';

/** Who governs information: the Caldicott guardian (or DPO) and the administrator. */
const GOVERNANCE = ['caldicott_guardian', 'administrator'] as const;

/** Users, roles, scopes, audit search, break-the-glass and its review (issue 8). */
export const ADMIN_POLICIES = {
  'admin.users.read': { roles: GOVERNANCE, audit: 'always', identifiable: false, description: 'List user accounts, their roles and scopes' },
  'admin.users.write': { roles: ['administrator'], audit: 'always', identifiable: false, description: 'Create users; change role, scope, second-factor requirement; disable; reset password or second factor' },
  'admin.audit.read': { roles: GOVERNANCE, audit: 'always', identifiable: true, description: 'Search the audit log (who saw what)' },
  'admin.audit.export': { roles: GOVERNANCE, audit: 'always', identifiable: true, description: 'Export audit-log search results as CSV' },
  'admin.audit.verify': { roles: GOVERNANCE, audit: 'always', identifiable: false, description: 'Verify the audit log\'s hash chain' },
  'admin.partners.read': { roles: GOVERNANCE, audit: 'always', identifiable: false, description: 'List partner organisations and their API tokens (created, last used, revoked)' },
  'admin.partners.write': { roles: ['administrator'], audit: 'always', identifiable: false, description: 'Register partner organisations; create (shown once) and revoke their API tokens' },
  'break_glass.request': { roles: BREAK_GLASS_ROLES, audit: 'always', identifiable: true, description: 'Open a person\'s record outside your scope in an emergency, giving a reason (flagged for review)' },
  'break_glass.review': { roles: ['caldicott_guardian'], audit: 'always', identifiable: true, description: 'Review emergency (break-the-glass) access and record the outcome' },
} as const satisfies Record<string, ActionPolicy>;
