import type { ActionPolicy } from './shared';

/** Local drug information system (issue 5): partner reports, inbox, linkage, assessment. */
export const LDIS_POLICIES = {
  'ldis.submit': { roles: ['partner_submitter', 'ldis_coordinator', 'administrator'], audit: 'always', identifiable: true, description: 'Submit a partner report to the LDIS (idempotent on the partner report id)' },
  'ldis.read': { roles: ['partner_submitter', 'ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'Read one LDIS report (partner submitters: their organisation’s only)' },
  'ldis.inbox': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'LDIS inbox: new reports with level, candidate duplicates and SLA timers' },
  'ldis.assess': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'Grade an LDIS report and record the decision' },
  'ldis.link': { roles: ['ldis_coordinator', 'administrator'], audit: 'always', identifiable: true, description: 'Merge, split or undo the linkage of LDIS reports' },
  'ldis.list': { roles: ['partner_submitter', 'ldis_coordinator', 'administrator'], audit: 'always', identifiable: true, description: 'List submitted LDIS reports (partner submitters: their organisation’s only)' },
  'ldis.import': { roles: ['partner_submitter', 'ldis_coordinator', 'administrator'], audit: 'always', identifiable: true, description: 'Import partner reports from an incidents.csv file (all or nothing; idempotent on the report id)' },
  'ldis.tokens': { roles: ['ldis_coordinator', 'administrator'], audit: 'always', identifiable: false, description: 'Create, list and revoke partner organisations’ API tokens' },
  'ldis.caselist': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'The incident case list in the Op Mabble columns (and its XLSX export), with a summary by area and week' },
  'ldis.gaps': { roles: ['ldis_coordinator', 'panel_member', 'administrator'], audit: 'denied-only', identifiable: false, description: 'Data-flow gaps: when each partner and each Appendix 2 data item last reported' },
} as const satisfies Record<string, ActionPolicy>;
