import type { ActionPolicy } from './shared';

/** Early warning: series, detection, triggers and the stepped response (issue 6). */
export const WARNING_POLICIES = {
} as const satisfies Record<string, ActionPolicy>;
