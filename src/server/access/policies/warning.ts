import type { ActionPolicy } from './shared';

/** Who reads the early-warning picture: aggregate counts per area, no personal data. */
const WARNING_READERS = ['ldis_coordinator', 'panel_member', 'data_manager', 'caldicott_guardian', 'administrator'] as const;

/** Early warning: series, detection, triggers and the stepped response (issue 6). */
export const WARNING_POLICIES = {
  'warning.read': { roles: WARNING_READERS, audit: 'denied-only', identifiable: false, description: 'Early warning: areas, steps, weekly series with expected values, thresholds and alarms (aggregate counts)' },
  'warning.decide': { roles: ['ldis_coordinator', 'administrator'], audit: 'always', identifiable: false, description: 'Confirm a proposed step or set an area’s step with a reason (own area only when area-scoped)' },
  'warning.run': { roles: ['ldis_coordinator', 'data_manager', 'administrator'], audit: 'always', identifiable: false, description: 'Run detection now' },
  'warning.notifications': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'denied-only', identifiable: false, description: 'Early-warning notifications for the areas in scope, and marking them read' },
  'warning.settings.read': { roles: WARNING_READERS, audit: 'denied-only', identifiable: false, description: 'Early-warning settings: methods, triggers, step rules, adjacency, schedule' },
  'warning.settings.write': { roles: ['ldis_coordinator', 'administrator'], audit: 'always', identifiable: false, description: 'Change the early-warning settings (audited with what changed); detection re-runs for the affected series' },
  'warning.email.read': { roles: ['ldis_coordinator'], audit: 'denied-only', identifiable: false, description: 'The caller’s own e-mail address and choice for early-warning e-mail' },
  'warning.email.write': { roles: ['ldis_coordinator'], audit: 'always', identifiable: false, description: 'Set the caller’s own e-mail address for early-warning e-mail, or opt out' },
  'warning.caseload': { roles: ['keyworker', 'prescriber', 'service_manager'], audit: 'always', identifiable: true, description: 'People in the caller’s caseload in areas at Step 2 or 3 who are most at risk, with the alert context (scope-filtered)' },
  'warning.counts.import': { roles: ['ldis_coordinator', 'data_manager', 'administrator'], audit: 'always', identifiable: false, description: 'Import weekly counts for an area and indicator' },
} as const satisfies Record<string, ActionPolicy>;
