import { CARE_TEAM, type ActionPolicy } from './shared';

/** MAT analytics beyond the core reports: supervised-consumption reviews (issue 3). */
export const MAT_POLICIES = {
  'mat.supervised': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'Supervised consumption: people, their reviews and recommendations, SC rates (scope-filtered)' },
  'mat.sc_review.record': {
    roles: ['prescriber', 'keyworker', 'service_manager', 'administrator'],
    audit: 'always',
    identifiable: true,
    description: 'Record a supervised-consumption review for a person in scope',
  },
} as const satisfies Record<string, ActionPolicy>;
