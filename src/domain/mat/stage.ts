/**
 * Stage, cohort and regime decisions (domain §1.2–1.4). Each is a small pure function
 * over already-extracted facts, so the same rule serves the in-memory classifier and
 * features computed elsewhere (e.g. by SQL).
 */
import type { MatConfig } from './config';
import { addMonthsToDay, toDayNumberOrNull, type IsoDate } from './dates';
import type { Cohort, Medication, MatStage, OgBand, Regime } from './types';

/** MAT 1: D − start of the continuous prescription ≤ inductionDays (28 is MAT 1, 29 is not). */
export function isInduction(daysSinceStart: number, config: MatConfig): boolean {
  return daysSinceStart >= 0 && daysSinceStart <= config.inductionDays;
}

/**
 * A reduction plan is a detoxification (MAT 4) when its planned end (0 mg) is at most
 * `detoxMaxMonths` calendar months after the plan started: 1 Oct → 1 Jan is MAT 4,
 * 1 Oct → 2 Jan is a slow reduction. Month ends clamp (30 Nov + 3 months = 28/29 Feb).
 * Choice: a plan with no planned end, or a planned end before its start, cannot be shown
 * to reach 0 mg within the limit and is not MAT 4 (it shows as a reducing regime).
 */
export function isDetoxPlan(planStart: IsoDate, plannedEnd: IsoDate | null | undefined, config: MatConfig): boolean {
  if (plannedEnd === null || plannedEnd === undefined) return false;
  const s = toDayNumberOrNull(planStart);
  const e = toDayNumberOrNull(plannedEnd);
  if (s === null || e === null || e < s) return false;
  return e <= addMonthsToDay(s, config.detoxMaxMonths);
}

export interface StageFacts {
  /** A segment covers D. */
  inMat: boolean;
  /** D − start of the continuous prescription. */
  daysSinceStart: number;
  /** The segment in effect on D belongs to a reduction plan that {@link isDetoxPlan}. */
  detoxPlan: boolean;
  /** Latest evidence in the window: true = illicit opioid use, false = none, null = no evidence. */
  evidencePositive: boolean | null;
}

/** The stage, decided in the domain's order: MAT 1, MAT 4, then latest evidence. null when not in MAT. */
export function decideStage(f: StageFacts, config: MatConfig): MatStage | null {
  if (!f.inMat) return null;
  if (isInduction(f.daysSinceStart, config)) return 'MAT1';
  if (f.detoxPlan) return 'MAT4';
  if (f.evidencePositive === null) return 'uncategorised';
  return f.evidencePositive ? 'MAT2' : 'MAT3';
}

/**
 * Tracker cohort: MAT 2 below OG = red, MAT 2 at/above = amber, MAT 3 at/above = green,
 * MAT 3 below = grey. Choice: MAT 2/3 on OST with no OG band (diamorphine, morphine_sr,
 * other, or an unknown dose) has no cohort (null); the person still counts in the stage
 * and in "in MAT", and the tracker reports them as `mat2NoBand` / `mat3NoBand` so the
 * categories add up to the total.
 */
export function cohortFor(stage: MatStage | null, band: OgBand | null): Cohort | null {
  if (stage === 'MAT2') return band === 'below' ? 'red' : band === 'at_or_above' ? 'amber' : null;
  if (stage === 'MAT3') return band === 'at_or_above' ? 'green' : band === 'below' ? 'grey' : null;
  return null;
}

export interface RegimeFacts {
  stage: MatStage | null;
  medication: Medication | null;
  doseMg: number | null;
  /** Medication and dose in effect `regimeWindowDays` before D in the same continuous prescription. */
  previousMedication: Medication | null;
  previousDoseMg: number | null;
}

/**
 * Prescribing regime: 'detox' in MAT 4; otherwise the dose on D against the dose
 * `regimeWindowDays` earlier: higher = increasing, lower = reducing, equal (within
 * `regimeToleranceMg`) = static. Choice: null when either dose is unknown, when there was
 * no dose that day in the same continuous prescription (early induction), or when the
 * medication changed (mg of different medications are not comparable).
 */
export function regimeFor(f: RegimeFacts, config: MatConfig): Regime | null {
  if (f.stage === null) return null;
  if (f.stage === 'MAT4') return 'detox';
  if (f.doseMg === null || f.previousDoseMg === null || f.medication === null || f.medication !== f.previousMedication) return null;
  const diff = f.doseMg - f.previousDoseMg;
  if (diff > config.regimeToleranceMg) return 'increasing';
  if (diff < -config.regimeToleranceMg) return 'reducing';
  return 'static';
}
