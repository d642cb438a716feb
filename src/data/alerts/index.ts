/** Alerts, PIN reports, distribution lists and deliveries on the database (issue 7). */
export { AlertsError, inScope, type AlertsErrorKind, type AreaScope } from './errors';
export { alarmsBetween, areaName, currentStep, recentStepChanges, type AreaStep, type StepChange } from './areas';
export {
  WORKFLOW_SETTING,
  actOnAlert,
  createAlert,
  draftSources,
  getAlert,
  issuedCopy,
  knownIdentifiers,
  listAlerts,
  markReportIssued,
  recordCoronerPermission,
  reviseAlert,
  sharedAlert,
  updateAlert,
  workflowConfig,
  type AlertDetail,
  type AlertStep,
  type AlertSummary,
  type AlertVersionRecord,
  type CreateBasis,
  type DraftSource,
  type SharedAlert,
} from './alerts';
export {
  createDistributionList,
  deliveryCounts,
  listDeliveries,
  listDistributionLists,
  processDeliveries,
  queueDeliveries,
  retryNow,
  setListMembers,
  type DeliveryRecord,
  type ItemType,
  type ListRecord,
  type MemberInput,
} from './distribution';
export { DeliveryWorker } from './worker';
export { describeSendError, mailerFromEnv, smtpMailer, smtpSettings, type Mailer, type MailMessage, type SmtpSettings } from './mailer';
export { generatePinReport, getPinReport, listPinReports, type PinReportRecord, type PinReportSummary } from './pinReports';
export { alertEmail, alertPdf, pinReportEmail, pinReportPdf, pinReportXlsx, trendSvg } from './render';
export { seedDemoAlerts } from './demo';
