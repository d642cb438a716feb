/** Partnership assurance on the database (issue 9). */
export { AssuranceError, type AssuranceErrorKind } from './errors';
export { computeMeasures, type MeasureOptions } from './measures';
export {
  addAction,
  completeAudit,
  createAudit,
  createTemplate,
  getAudit,
  getTemplate,
  listAudits,
  listTemplates,
  repeatAudit,
  updateAction,
  updateItem,
  type AuditDetail,
  type AuditItemView,
  type AuditSummary,
  type TemplateSummary,
} from './audits';
export {
  addPartner,
  closeTrialRun,
  createPlan,
  deletePartner,
  getPlan,
  getTrialRun,
  listPartners,
  planTriggers,
  recordTrialRun,
  savePlan,
  startTrialRun,
  trialRunProgress,
  updatePartner,
  type Partner,
  type PlanTriggers,
  type PlanView,
  type TrialRun,
  type TrialRunDetail,
  type TrialRunReport,
} from './plan';
export {
  addComparator,
  addPrevalence,
  comparators,
  deleteComparator,
  deletePrevalence,
  knownToTreatment,
  listComparators,
  needsReport,
  outcomes,
  penetrationFigure,
  updateComparator,
  updatePrevalence,
  type EnteredComparator,
  type NeedsReport,
} from './needs';
export { importNeedsCsv, NeedsImportError, type NeedsCsvProblem, type NeedsImportResult } from './needsImport';
export { auditPdf, auditXlsx, planPdf } from './export';
export { seedDemoAssurance } from './demo';
