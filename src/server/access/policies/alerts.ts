import type { Role } from '../roles';
import type { ActionPolicy } from './shared';

const PANEL: readonly Role[] = ['ldis_coordinator', 'panel_member', 'administrator'];
const SHARED: readonly Role[] = ['ldis_coordinator', 'panel_member', 'pin_member', 'administrator'];
const COORDINATORS: readonly Role[] = ['ldis_coordinator', 'administrator'];

/**
 * Alerts, PIN reports, redacted copies and distribution (issue 7). The LDIS coordinator
 * drafts and issues; panel members approve (never their own words: the two-person rule is
 * checked on the data); PIN members and commissioners see only issued, redacted copies and
 * the disclosure-controlled PIN reports.
 */
export const ALERTS_POLICIES = {
  'alerts.list': { roles: SHARED, audit: 'always', identifiable: false, description: 'List alerts (PIN members: issued alerts only)' },
  'alerts.read': { roles: PANEL, audit: 'always', identifiable: true, description: 'Read an alert in full: every version, its events and the copies of each audience tier side by side' },
  'alerts.read_shared': { roles: SHARED, audit: 'always', identifiable: false, description: 'Read the issued partners/PIN copy of an alert (redacted, disclosure-controlled)' },
  'alerts.draft': { roles: COORDINATORS, audit: 'always', identifiable: true, description: 'Draft an alert from an assessed report, a step change or a template; edit it; start a revision' },
  'alerts.approve': { roles: ['panel_member', 'administrator'], audit: 'always', identifiable: true, description: 'Approve or send back a version of an alert (two-person rule: never the author)' },
  'alerts.submit': { roles: COORDINATORS, audit: 'always', identifiable: true, description: 'Send a draft alert for approval' },
  'alerts.issue': { roles: COORDINATORS, audit: 'always', identifiable: true, description: 'Issue an approved alert: freeze its tier copies and send them to the distribution lists' },
  'alerts.coroner_permission': { roles: PANEL, audit: 'always', identifiable: true, description: 'Record permission to share a coroner’s information in the shared copies' },
  'alerts.distribution': { roles: COORDINATORS, audit: 'always', identifiable: false, description: 'Manage distribution lists (who receives which audience tier)' },
  'alerts.deliveries': { roles: PANEL, audit: 'always', identifiable: false, description: 'See who received which version of what and when; retry failed deliveries' },
  'alerts.pin_reports': { roles: SHARED, audit: 'always', identifiable: false, description: 'PIN reports (PIN members: the disclosure-controlled copy only), as a page, PDF or XLSX' },
  'alerts.pin_reports.generate': { roles: COORDINATORS, audit: 'always', identifiable: false, description: 'Make a PIN report for a period and send it to the distribution lists' },
} as const satisfies Record<string, ActionPolicy>;
