/** The assurance API's shapes, as the server declares them (type-only imports from the data layer). */
export type { AuditDetail, AuditItemView, AuditSummary, TemplateSummary } from '../../../data/assurance/audits';
export type { EnteredComparator, NeedsReport, PrevalenceRow } from '../../../data/assurance/needs';
export type { NeedsImportResult } from '../../../data/assurance/needsImport';
export type { Partner, PlanView, TrialRun, TrialRunDetail } from '../../../data/assurance/plan';
