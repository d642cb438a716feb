import type { ActionPolicy } from './shared';

/** Local drug information system (issue 5): partner reports, inbox, linkage, assessment. */
export const LDIS_POLICIES = {
  'ldis.submit': { roles: ['partner_submitter', 'ldis_coordinator', 'administrator'], audit: 'always', identifiable: true, description: 'Submit a partner report to the LDIS (idempotent on the partner report id)' },
  'ldis.read': { roles: ['partner_submitter', 'ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'Read one LDIS report (partner submitters: their organisation’s only)' },
  'ldis.inbox': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'LDIS inbox: new reports with level, candidate duplicates and SLA timers' },
  'ldis.assess': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'Grade an LDIS report and record the decision' },
  'ldis.link': { roles: ['ldis_coordinator', 'administrator'], audit: 'always', identifiable: true, description: 'Merge, split or undo the linkage of LDIS reports' },
} as const satisfies Record<string, ActionPolicy>;
