/**
 * Supervised consumption (SC) review (domain §1.6, toolkit §6.4, priority 4).
 *
 * The review is a configurable questionnaire (config.supervisedConsumption.questionnaire)
 * shipped with the toolkit's three decision-driving ASCI items (diverted, vulnerable,
 * regular_on_top) and "other risk". Recommendations follow toolkit §6.4.3:
 * - no review on record (or the next review date has passed) → review due;
 * - on SC with every item answered "no" → relax supervision, daily pick-up first;
 * - not supervised, daily pick-up, no risk item → review whether it can be relaxed further;
 * - on SC with a risk item → consider daily pick-up with an active plan for the risk;
 * - on-top use on more than 20 of 28 days (latest TOP) → optimise the dose.
 * Choices: an unanswered item is not a "no" (review incomplete, no relaxation); on-top
 * use above the threshold blocks a "relax" recommendation even if the review said no.
 */
import type { MatConfig } from './config';
import { toDayNumberOrNull, type IsoDate } from './dates';
import type { MatClassification, Pickup, ScReview } from './types';

export type ScRecommendationCode =
  | 'review_due'
  | 'review_overdue'
  | 'review_incomplete'
  | 'relax_to_daily_pickup'
  | 'consider_further_relaxation'
  | 'daily_pickup_with_risk_plan'
  | 'optimise_dose';

export interface ScRecommendation {
  code: ScRecommendationCode;
  message: string;
}

const BUILT_IN_COLUMNS = ['diverted', 'vulnerable', 'regular_on_top', 'other_risk'] as const;
type BuiltIn = (typeof BUILT_IN_COLUMNS)[number];

/** The answer to one questionnaire item: `answers[id]` first, then the column of the same name. */
export function scAnswer(review: ScReview, itemId: string): boolean | null {
  const fromAnswers = review.answers?.[itemId];
  if (fromAnswers !== undefined) return fromAnswers;
  if ((BUILT_IN_COLUMNS as readonly string[]).includes(itemId)) return review[itemId as BuiltIn] ?? null;
  return null;
}

/** The latest review dated on or before `date` (ties: larger review_id), or null. */
export function latestScReview(reviews: readonly ScReview[] | undefined, date: IsoDate): ScReview | null {
  let best: ScReview | null = null;
  if (reviews === undefined) return null;
  for (const r of reviews) {
    if (toDayNumberOrNull(r.date) === null || r.date > date) continue;
    if (best === null || r.date > best.date || (r.date === best.date && r.review_id > best.review_id)) best = r;
  }
  return best;
}

export interface ScAssessmentInput {
  date: IsoDate;
  supervised: boolean | null;
  pickup: Pickup | null;
  /** Latest review on or before `date`. */
  review: ScReview | null;
  /** Illicit-opiate days on the latest TOP in the evidence window, or null. */
  onTopDays: number | null;
}

export interface ScAssessment {
  /** Items answered "yes" on the review. */
  riskItems: string[];
  /** Items not answered. */
  unanswered: string[];
  /** On-top use above the threshold (e.g. more than 20 of 28 days). */
  regularOnTop: boolean;
  recommendations: ScRecommendation[];
}

/** Recommendations for one person's supervised consumption. */
export function assessSupervision(input: ScAssessmentInput, config: MatConfig): ScAssessment {
  const sc = config.supervisedConsumption;
  const recs: ScRecommendation[] = [];
  const riskItems: string[] = [];
  const unanswered: string[] = [];
  const labels = new Map(sc.questionnaire.items.map((i) => [i.id, i.label]));
  const regularOnTop = input.onTopDays !== null && input.onTopDays > sc.onTopDaysThreshold;
  const review = input.review;

  if (review === null) {
    recs.push({ code: 'review_due', message: 'No supervised consumption review on record: review due' });
  } else {
    for (const item of sc.questionnaire.items) {
      const a = scAnswer(review, item.id);
      if (a === true) riskItems.push(item.id);
      else if (a === null) unanswered.push(item.id);
    }
    if (review.next_review_date !== null && review.next_review_date !== undefined && review.next_review_date < input.date) {
      recs.push({ code: 'review_overdue', message: `Supervised consumption review overdue: next review was due ${review.next_review_date}` });
    }
  }

  if (regularOnTop) {
    recs.push({
      code: 'optimise_dose',
      message: `On-top use on ${input.onTopDays} of ${sc.onTopDaysOf} days (more than ${sc.onTopDaysThreshold}): optimise MAT, particularly the dose`,
    });
  }

  if (review !== null) {
    const noRisk = riskItems.length === 0 && unanswered.length === 0 && !regularOnTop;
    if (input.supervised === true) {
      if (riskItems.length > 0) {
        recs.push({
          code: 'daily_pickup_with_risk_plan',
          message: `On supervised consumption with risk (${riskItems.map((i) => labels.get(i) ?? i).join('; ')}): consider daily pick-up with an active plan to address the risk`,
        });
      } else if (unanswered.length > 0) {
        recs.push({ code: 'review_incomplete', message: `Review of ${review.date} left unanswered: ${unanswered.map((i) => labels.get(i) ?? i).join('; ')}` });
      } else if (noRisk) {
        recs.push({ code: 'relax_to_daily_pickup', message: `On supervised consumption with no risk item (review ${review.date}): relax supervision, daily pick-up first` });
      }
    } else if (input.supervised === false && input.pickup === 'daily' && noRisk) {
      recs.push({ code: 'consider_further_relaxation', message: `Daily pick-up with no risk item (review ${review.date}): review whether pick-up can be relaxed further` });
    }
  }
  return { riskItems, unanswered, regularOnTop, recommendations: recs };
}

export interface ScRate {
  /** People in MAT on supervised consumption. */
  supervised: number;
  /** People in MAT whose supervision is recorded (Y or N). */
  known: number;
  /** People in MAT. */
  inMat: number;
  /** supervised ÷ known (0–1), null when nobody is known. Unknowns are excluded, not counted as unsupervised. */
  rate: number | null;
}

/** Supervised-consumption rate of a population on one date. */
export function scRate(rows: Iterable<Pick<MatClassification, 'inMat' | 'supervised'>>): ScRate {
  let supervised = 0;
  let known = 0;
  let inMat = 0;
  for (const c of rows) {
    if (!c.inMat) continue;
    inMat++;
    if (c.supervised === null) continue;
    known++;
    if (c.supervised) supervised++;
  }
  return { supervised, known, inMat, rate: known > 0 ? supervised / known : null };
}
