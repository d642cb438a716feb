import type { ActionPolicy } from './shared';

/** Person record, risk profile, care-plan actions, capture on the record, caseload, dose advisories (issue 4). */
export const PERSON_POLICIES = {
} as const satisfies Record<string, ActionPolicy>;
