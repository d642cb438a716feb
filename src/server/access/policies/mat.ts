import type { ActionPolicy } from './shared';

/** MAT analytics beyond the core reports: supervised-consumption reviews, worklist downloads (issue 3). */
export const MAT_POLICIES = {
} as const satisfies Record<string, ActionPolicy>;
