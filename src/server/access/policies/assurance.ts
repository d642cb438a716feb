import type { ActionPolicy } from './shared';

/** Partnership assurance: self-audits, preparedness plan, needs assessment (issue 9). */
export const ASSURANCE_POLICIES = {
} as const satisfies Record<string, ActionPolicy>;
