/**
 * Overdose-risk profile (domain.md §2): flags with evidence, transparent tier rules,
 * recommended actions and report aggregation. Pure TypeScript: no I/O.
 */
export * from './types';
export * from './config';
export * from './date';
export {
  FLAG_RULES,
  riskContext,
  riskLookback,
  type RiskLookback,
  windowStart,
  describeWindow,
  onTop,
  injecting,
  depressantCoUse,
  recentOverdose,
  loweredTolerance,
  treatmentTransition,
  potentOpioid,
  housing,
  health,
  noNaloxone,
  type FlagRule,
  type RiskContext,
  type WindowBounds,
} from './flags';
export { matchesTierCondition, type TierFacts } from './rules';
export * from './tier';
export * from './actions';
export * from './profile';
export * from './aggregate';
export * from './mat-facts';
export * from './care-plan';
