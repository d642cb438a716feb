/** LDIS report handling on the database (issue 5): submission, inbox, workflow, linkage, revisions. */
export { LdisError, type LdisErrorKind } from './errors';
export { scopeCondition, recordOf, type ReportScope } from './rows';
export { normaliseSubmission, reportSubmissionSchema, splitSubstances, submissionErrors, type IncidentInput, type ReportSubmission } from './schema';
export {
  ANY_AREA_DEFINITION,
  CASE_DEFINITIONS_SETTING,
  REVISABLE_FIELDS,
  caseDefinitions,
  classify,
  getReport,
  listInbox,
  listReports,
  prepareSubmission,
  submitPrepared,
  listRevisions,
  reviseReport,
  submitReport,
  type Candidate,
  type Inbox,
  type InboxCounts,
  type InboxItem,
  type InboxOptions,
  type PreparedSubmission,
  type ReportListItem,
  type ReportDetail,
  type RevisableField,
  type RevisionInput,
  type RevisionRecord,
  type SubmitOptions,
  type SubmitResult,
  type WorkflowEventRecord,
} from './reports';
export { applyReportActions, loadWorkflow, recordAssessment, recordDecision, type WorkflowOutcome } from './workflow';
export { caseOfReport, loadLinkage, mergeReports, splitReports, undoLinkageOp, type LinkageChange, type LinkageOpRecord, type LoadedLinkage } from './linkage';
export { createPartnerToken, hashToken, listPartnerTokens, resolvePartnerToken, revokePartnerToken, PARTNER_PATTERN, TOKEN_PREFIX, type PartnerToken } from './tokens';
export { importPartnerCsv, CsvImportError, MAX_IMPORT_ROWS, type CsvImportResult, type CsvProblem } from './csvImport';
export { caseList, caseListWorkbook, dataFlowGaps, type CaseList, type CaseListOptions, type CaseListRow, type DataFlowGaps, type FlowRow } from './caseList';
