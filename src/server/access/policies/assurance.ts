import type { ActionPolicy } from './shared';

const READERS = ['service_manager', 'data_manager', 'ldis_coordinator', 'panel_member', 'pin_member', 'caldicott_guardian', 'administrator'] as const;
const AUDITORS = ['service_manager', 'data_manager', 'ldis_coordinator', 'pin_member', 'administrator'] as const;
const PLANNERS = ['ldis_coordinator', 'pin_member', 'administrator'] as const;

/** Partnership assurance: self-audits, preparedness plan, needs assessment (issue 9). All aggregate: nothing names a person. */
export const ASSURANCE_POLICIES = {
  'assurance.read': { roles: READERS, audit: 'denied-only', identifiable: false, description: 'Self-audits, templates, the preparedness plan, partner directory and needs assessment (aggregate figures)' },
  'assurance.export': { roles: READERS, audit: 'always', identifiable: false, description: 'Export a self-audit (XLSX, PDF) or the preparedness plan (PDF) to circulate' },
  'assurance.audit.edit': { roles: AUDITORS, audit: 'always', identifiable: false, description: 'Start, rate, complete and repeat self-audits; create templates' },
  'assurance.plan.edit': { roles: PLANNERS, audit: 'always', identifiable: false, description: 'Edit the preparedness plan and the partner directory' },
  'assurance.trial_run': { roles: ['ldis_coordinator', 'administrator'], audit: 'always', identifiable: false, description: 'Start a trial run of the plan (exercise reports in the LDIS) and record what happened' },
  'assurance.needs.edit': { roles: ['data_manager', 'ldis_coordinator', 'pin_member', 'administrator'], audit: 'always', identifiable: false, description: 'Enter prevalence estimates and regional/national comparators' },
} as const satisfies Record<string, ActionPolicy>;
