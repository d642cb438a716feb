/**
 * Outbreak detection over weekly counts and dated events (pure, no I/O).
 * See docs/detection.md.
 */
export {
  detect,
  explainRow,
  farringtonHistoryWeeks,
  recommendMethod,
  regularizeWeekly,
  DETECTION_METHODS,
  DetectionInputError,
  type DetectionMethod,
  type DetectionRow,
  type DetectOptions,
  type EarsDetails,
  type FarringtonDetails,
  type MethodRecommendation,
  type Noun,
  type ParamsFor,
  type SeriesPoint,
} from './series';
export {
  farringtonFlexible,
  firstFarringtonIndex,
  referenceIndices,
  resolveFarringtonParams,
  surveillanceWeights,
  FarringtonParamError,
  NOUFAILY_DEFAULTS,
  type FarringtonParams,
  type FarringtonPoint,
  type PowerTransform,
  type ThresholdMethod,
  type YearLag,
} from './farrington';
export {
  earsC,
  defaultEarsAlpha,
  firstEarsIndex,
  EarsParamError,
  EARS_DEFAULTS,
  type EarsMethod,
  type EarsParams,
  type EarsPoint,
} from './ears';
export {
  evaluateCountTrigger,
  evaluateCountTriggers,
  parseInstant,
  TriggerInputError,
  type CountTrigger,
  type DatedEvent,
  type TriggerEpisode,
  type TriggerResult,
} from './triggers';
export {
  anscombeResiduals,
  devianceResiduals,
  fitGlm,
  fitGroupedTrendGlm,
  fitGroupedTrendGlmExact,
  matrixFromRows,
  pearsonResiduals,
  predictLink,
  GlmError,
  type CoefficientTest,
  type GlmControl,
  type GlmFamily,
  type GlmFit,
  type GlmOptions,
  type GroupedTrendFit,
  type GroupedTrendInput,
  type Matrix,
} from './glm';
export { formatIsoDate, parseIsoDate } from './dates';
export {
  describeTrigger,
  monitorSeries,
  MonitorSettingsError,
  MONITOR_EARS_DEFAULTS,
  MONITOR_METHODS,
  type MonitoredEpisode,
  type MonitoredWeek,
  type MonitorMethod,
  type MonitorResult,
  type MonitorSettings,
  type NamedTrigger,
} from './monitor';
