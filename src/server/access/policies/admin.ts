import type { ActionPolicy } from './shared';

/** Users, roles, scopes, API tokens, audit search, break-the-glass review (issue 8). */
export const ADMIN_POLICIES = {
} as const satisfies Record<string, ActionPolicy>;
