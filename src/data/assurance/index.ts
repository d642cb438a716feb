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
  createPlan,
  getPlan,
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
} from './plan';
export { addComparator, addPrevalence, comparators, knownToTreatment, needsReport, outcomes, penetrationFigure, type NeedsReport } from './needs';
export { auditPdf, auditXlsx, planPdf } from './export';
export { seedDemoAssurance } from './demo';
