import { ALL_STAFF, CARE_TEAM, type ActionPolicy } from './shared';

/** Staff who plan and record care: they may write care-plan actions and capture records. */
const CARE_WRITERS = ['keyworker', 'prescriber', 'service_manager'] as const;

/** Person record, risk profile, care-plan actions, capture on the record, caseload, dose advisories (issue 4). */
export const PERSON_POLICIES = {
  'person.record': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: "One person's care record: identity (masked by role), MAT, prescriptions, TOPs, risk profile, care plan" },
  'person.actions.write': { roles: CARE_WRITERS, audit: 'always', identifiable: true, description: 'Record or change a care-plan action against a risk flag' },
  'person.capture': { roles: CARE_WRITERS, audit: 'always', identifiable: true, description: 'Capture a risk event, naloxone supply or drug-test result on the record' },
  'person.caseload': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'Caseload sorted by risk tier, with new flags, overdue TOPs and tests, naloxone (scope-filtered)' },
  'person.open_actions': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'Open care-plan actions by person, for worklists (scope-filtered)' },
  'person.advisories': { roles: CARE_TEAM, audit: 'always', identifiable: true, description: 'Dose safety advisories for prescribers (scope-filtered)' },
  'risk.config.read': { roles: ALL_STAFF, audit: 'denied-only', identifiable: false, description: 'The overdose-risk windows, thresholds and tier rules in force' },
  'risk.config.write': { roles: ['administrator'], audit: 'always', identifiable: false, description: 'Change the overdose-risk windows, thresholds and tier rules' },
} as const satisfies Record<string, ActionPolicy>;
