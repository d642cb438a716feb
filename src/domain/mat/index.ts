/**
 * The MAT domain (domain.md §1): pure rules, no I/O. See README.md in this folder for
 * the interpretation choices.
 */
export * from './types';
export {
  defaultMatConfig,
  makeMatConfig,
  validateMatConfig,
  type MatConfig,
  type MatConfigOverrides,
  type InjectableConfig,
  type InjectableConversion,
  type ScQuestion,
  type ScQuestionnaire,
} from './config';
export {
  OPEN_END,
  addDays,
  addMonths,
  addMonthsToDay,
  dayFromParts,
  daysBetween,
  daysInMonth,
  fromDayNumber,
  isIsoDate,
  isoOf,
  monthEnd,
  monthEndDay,
  monthOf,
  monthsEndingWith,
  parseMonth,
  toDayNumber,
  toDayNumberOrNull,
  type DayNumber,
  type IsoDate,
  type IsoMonth,
} from './dates';
export {
  assessDose,
  describeDose,
  formatMg,
  injectableConfig,
  injectableSlEquivalent,
  isHighDose,
  medicationLabel,
  ogBand,
  type DoseAssessment,
} from './dose';
export {
  classificationWindowStart,
  continuousBlocks,
  continuousPrescriptionOn,
  planMayStartBeforeWindow,
  preparePrescriptions,
  segmentOn,
  type ContinuousPrescription,
  type PrescriptionBlock,
  type PreparedPrescriptions,
} from './continuity';
export {
  inEvidenceWindow,
  isIllicitOpioid,
  isValidTopDays,
  prepareEvidence,
  type EvidenceDay,
  type PreparedEvidence,
  type TestEvidence,
  type TopEvidence,
} from './evidence';
export { cohortFor, decideStage, isDetoxPlan, isInduction, regimeFor, type RegimeFacts, type StageFacts } from './stage';
export {
  computeFeatures,
  prepareHistory,
  type CurrentPrescriptionFeature,
  type EvidenceFeature,
  type MatFeatures,
  type PreparedHistory,
} from './features';
export { buildReasons, evidenceLines, substanceLabel } from './reasons';
export {
  classifyDates,
  classifyMonthEnds,
  classifyPerson,
  classifyPrepared,
  decideMat,
  toReportPerson,
  type ClassifyOptions,
  type MatReportPerson,
} from './classify';
export {
  METRIC_DIRECTION,
  OG_BANDS,
  REGIME_KEYS,
  TRACKER_GROUPS,
  TrackerAccumulator,
  buildServiceData,
  buildTracker,
  buildTrackerSeries,
  rankServices,
  trackerGroupOf,
  type ClassifiedRow,
  type PersonSeries,
  type RankMetric,
  type RegimeKey,
  type ServiceData,
  type ServiceDataReport,
  type ServiceRank,
  type StageBreakdown,
  type TrackerCell,
  type TrackerGroup,
  type TrackerReport,
  type TrackerSummary,
} from './tracker';
export { buildWorklists, type PriorityCandidate, type WorklistEntry, type WorklistId, type WorklistKind } from './priorities';
export {
  assessSupervision,
  latestScReview,
  scAnswer,
  scRate,
  type ScAssessment,
  type ScAssessmentInput,
  type ScRate,
  type ScRecommendation,
  type ScRecommendationCode,
} from './supervised';
export { doseAdvisories, type AdvisoryCode, type AdvisoryOptions, type DoseAdvisory } from './advisories';
export {
  TOP_DAY_FIELDS,
  TOP_SCORE_FIELDS,
  TOP_NON_NEGATIVE,
  checkDataQuality,
  inMatNoDoseIssue,
  summariseDataQuality,
  type DataQualityCode,
  type DataQualityIssue,
  type DataQualitySummary,
} from './quality';
