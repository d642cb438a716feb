/** The assurance API's shapes, as the server declares them (type-only imports from the data layer). */
export type { AuditDetail, AuditItemView, AuditSummary, TemplateSummary } from '../../../data/assurance/audits';
export type { NeedsReport } from '../../../data/assurance/needs';
export type { Partner, PlanView, TrialRun } from '../../../data/assurance/plan';
