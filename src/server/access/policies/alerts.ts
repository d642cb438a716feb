import type { ActionPolicy } from './shared';

/** Alerts, PIN reports, redacted copies and distribution (issue 7). */
export const ALERTS_POLICIES = {
} as const satisfies Record<string, ActionPolicy>;
