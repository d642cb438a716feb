/** Early warning on the database (issue 6): series, detection runs, steps, notifications. */
export * from './config';
export { buildCounts, dailyEvents, latestDataDate, mondayOf, weeklySeries, type BuiltCounts } from './series';
export { areaNamer, dataFingerprint, runDetection, type RunOptions, type RunSummary, type RunTrigger } from './run';
export { applyStepAction, listAreaSteps, stepHistory, StepError, type AreaStepView, type StepHistoryRecord } from './steps';
export { EMAILED_KINDS, appBaseUrl, emailPreferenceSchema, getEmailPreference, setEmailPreference, queueWarningEmails, warningDeliveryMessage, warningEmailRecipients, warningNotificationEmail, type EmailPreference } from './email';
export { listNotifications, markNotificationsRead, notify, type NotificationKind, type NotificationRecord } from './notifications';
export { areaDetail, lastSucceededRun, listRuns, seriesDetail, warningOverview, type AreaDetail, type AreaSummary, type Overview, type RunRecord, type SeriesDetail } from './queries';
export { importCounts, CountsError, countRowSchema, type CountRow } from './counts';
export { dueReason, WarningScheduler, type SchedulerLog } from './scheduler';
export { seedDemoWarning } from './demo';
export { alertCaseload, selectAtRisk, ALERT_FLAGS, type AlertCaseload, type AlertCaseloadPerson, type AlertArea } from './caseload';
