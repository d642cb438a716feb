/**
 * Priority worklists (domain §1.5, toolkit §6). Pure: takes classified people plus the
 * inputs owned by other modules (risk tier from the risk module, the latest SC review)
 * and returns named entries with a reason and a suggested action.
 *
 * Choices:
 * - P1–P3 split MAT 2 without overlap: P1 = highest risk (risk tier 'high', or, as the
 *   toolkit's own example, a reducing prescription below OG whatever the tier); P2 = the
 *   rest below OG, reducing first, then static, then increasing, then regime unknown;
 *   P3 = the rest at/above OG or with no OG band (other OST), ordered by risk tier
 *   (high, medium, low, unknown). Ties: lower dose first, then person_id.
 * - P4 applies to everyone in MAT (the toolkit asks for an ASCI for all in MAT); one entry
 *   per recommendation, so a person may appear twice in P4 (e.g. optimise dose and review due).
 * - P5 (MAT 3) has one entry per reason: reducing regime; TOP older than
 *   `topReviewIntervalMonths` (or none); GP shared-care candidate (config.gpSharedCare).
 * - A person can be on P1–P3 and on P4, or on P5 and P4: the worklists are separate lists.
 */
import type { MatConfig } from './config';
import { addMonthsToDay, toDayNumber, toDayNumberOrNull } from './dates';
import { formatMg, medicationLabel } from './dose';
import { assessSupervision, type ScRecommendationCode } from './supervised';
import type { Cohort, MatClassification, MatStage, Medication, OgBand, Regime, RiskTier, ScReview } from './types';

export type WorklistId = 1 | 2 | 3 | 4 | 5 | 'uncategorised';

export type WorklistKind =
  | 'p1_highest_risk'
  | 'p2_below_og'
  | 'p3_at_or_above_og'
  | `p4_${ScRecommendationCode}`
  | 'p5_reducing'
  | 'p5_top_due'
  | 'p5_gp_shared_care'
  | 'uncategorised';

export interface PriorityCandidate {
  person_id: string;
  service_id: string;
  classification: MatClassification;
  /** From the risk module (domain §2); omit or null when unknown. */
  riskTier?: RiskTier | null;
  /** Latest SC review on or before the classification date. */
  latestScReview?: ScReview | null;
}

export interface WorklistEntry {
  priority: WorklistId;
  kind: WorklistKind;
  /** 1-based position within its worklist (priority). */
  position: number;
  person_id: string;
  service_id: string;
  reason: string;
  action: string;
  stage: MatStage | null;
  cohort: Cohort | null;
  ogBand: OgBand | null;
  regime: Regime | null;
  medication: Medication | null;
  doseMg: number | null;
  riskTier: RiskTier | null;
}

const TIER_ORDER: Record<RiskTier | 'unknown', number> = { high: 0, medium: 1, low: 2, unknown: 3 };
const REGIME_ORDER: Record<Regime | 'unknown', number> = { reducing: 0, static: 1, increasing: 2, detox: 3, unknown: 4 };
const P4_ORDER: Record<ScRecommendationCode, number> = {
  optimise_dose: 0,
  relax_to_daily_pickup: 1,
  daily_pickup_with_risk_plan: 2,
  consider_further_relaxation: 3,
  review_overdue: 4,
  review_incomplete: 5,
  review_due: 6,
};
const P4_ACTION: Record<ScRecommendationCode, string> = {
  optimise_dose: 'Optimise MAT, particularly the dose; this reduces reliance on supervision',
  relax_to_daily_pickup: 'Remove supervision: move to daily pick-up first, then review whether it can be relaxed further',
  daily_pickup_with_risk_plan: 'Consider daily pick-up with an active plan to address the risk instead of supervision',
  consider_further_relaxation: 'Review whether pick-up can be relaxed beyond daily',
  review_overdue: 'Complete a supervised consumption review (ASCI)',
  review_incomplete: 'Complete the unanswered items of the supervised consumption review',
  review_due: 'Complete a supervised consumption review (ASCI)',
};

interface Draft {
  entry: Omit<WorklistEntry, 'position'>;
  key: (number | string)[];
}

function doseText(c: MatClassification): string {
  if (c.medication === null) return 'no prescription';
  return c.doseMg === null ? `${medicationLabel(c.medication)} (dose unknown)` : `${medicationLabel(c.medication)} ${formatMg(c.doseMg)} mg`;
}

function bandText(b: OgBand | null): string {
  return b === 'below' ? 'below OG' : b === 'at_or_above' ? 'at/above OG' : 'no OG band';
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Worklists for priorities 1–5 and the uncategorised, sorted by list then position. */
export function buildWorklists(candidates: Iterable<PriorityCandidate>, config: MatConfig): WorklistEntry[] {
  const drafts: Draft[] = [];
  for (const cand of candidates) {
    const c = cand.classification;
    if (!c.inMat || c.stage === null) continue;
    const tier = cand.riskTier ?? null;
    const d = toDayNumber(c.date);
    const base = {
      person_id: cand.person_id,
      service_id: cand.service_id,
      stage: c.stage,
      cohort: c.cohort,
      ogBand: c.ogBand,
      regime: c.regime,
      medication: c.medication,
      doseMg: c.doseMg,
      riskTier: tier,
    };
    const dose = c.doseMg ?? Number.POSITIVE_INFINITY;
    const push = (priority: WorklistId, kind: WorklistKind, reason: string, action: string, key: (number | string)[]) =>
      drafts.push({ entry: { ...base, priority, kind, reason, action }, key: [...key, cand.person_id] });
    const tierText = tier === null ? 'risk tier unknown' : `${tier} risk`;
    const regimeText = c.regime ?? 'regime unknown';

    // P1–P3: MAT 2
    if (c.stage === 'MAT2') {
      const reducingBelow = c.regime === 'reducing' && c.ogBand === 'below';
      if (tier === 'high' || reducingBelow) {
        const why = [tier === 'high' ? 'high overdose risk' : null, reducingBelow ? 'reducing prescription below OG' : null].filter((x) => x !== null).join(' and ');
        push(
          1,
          'p1_highest_risk',
          `MAT 2 (using on top) with ${why}: ${doseText(c)}, ${regimeText}`,
          'Urgent review: optimise the dose (do not reduce while using on top), overdose prevention and naloxone, intensify key work',
          [tier === 'high' ? 0 : 1, reducingBelow ? 0 : 1, dose],
        );
      } else if (c.ogBand === 'below') {
        push(
          2,
          'p2_below_og',
          `MAT 2 (using on top) below OG: ${doseText(c)}, ${regimeText}; ${tierText}`,
          c.regime === 'increasing'
            ? 'Check the titration reaches an OG dose and continue optimising'
            : 'Review the prescription: increase towards an OG dose rather than reduce; psychosocial support',
          [REGIME_ORDER[c.regime ?? 'unknown'], dose],
        );
      } else {
        push(
          3,
          'p3_at_or_above_og',
          `MAT 2 (using on top) ${bandText(c.ogBand)}: ${doseText(c)}, ${regimeText}; ${tierText}`,
          'Prioritise by risk: individual optimisation plan (dose, metabolism, psychosocial interventions)',
          [TIER_ORDER[tier ?? 'unknown'], dose],
        );
      }
    }

    // P4: supervised consumption, everyone in MAT
    const top = c.latestTop;
    const topDay = top === null ? null : toDayNumberOrNull(top.date);
    const onTopDays =
      top !== null && topDay !== null && d - topDay <= config.evidenceWindowDays && typeof top.opiate_days === 'number' ? top.opiate_days : null;
    const sc = assessSupervision({ date: c.date, supervised: c.supervised, pickup: c.pickup, review: cand.latestScReview ?? null, onTopDays }, config);
    for (const rec of sc.recommendations) {
      push(4, `p4_${rec.code}`, rec.message, P4_ACTION[rec.code], [P4_ORDER[rec.code]]);
    }

    // P5: MAT 3, recovery capital
    if (c.stage === 'MAT3') {
      if (c.regime === 'reducing') {
        push(
          5,
          'p5_reducing',
          `MAT 3 on a reducing regime: ${doseText(c)}${c.previousDoseMg !== null ? ` (from ${formatMg(c.previousDoseMg)} mg on ${c.previousDoseDate ?? '?'})` : ''}`,
          `Review recovery capital; if coming off MAT, offer a detoxification of at most ${config.detoxMaxMonths} months with post-detox support, rather than a slow reduction`,
          [0],
        );
      }
      const cutoff = addMonthsToDay(d, -config.topReviewIntervalMonths);
      if (topDay === null || topDay < cutoff) {
        push(
          5,
          'p5_top_due',
          top === null ? 'MAT 3 with no TOP on record' : `MAT 3 with last TOP on ${top.date}, older than ${config.topReviewIntervalMonths} months`,
          'Complete a TOP review',
          [1, topDay ?? Number.NEGATIVE_INFINITY],
        );
      }
      const g = config.gpSharedCare;
      const start = c.continuousStart === null ? null : toDayNumberOrNull(c.continuousStart);
      if (
        start !== null &&
        start <= addMonthsToDay(d, -g.minMonthsInTreatment) &&
        (!g.requireStaticRegime || c.regime === 'static') &&
        (!g.requireNotSupervised || c.supervised !== true) &&
        !(tier !== null && g.excludeRiskTiers.includes(tier))
      ) {
        push(
          5,
          'p5_gp_shared_care',
          `MAT 3, stable: ${doseText(c)}, ${regimeText}, in treatment since ${c.continuousStart ?? '?'}`,
          'Consider GP shared care (if appropriate), keeping regular reviews with TOP',
          [2],
        );
      }
    }

    if (c.stage === 'uncategorised') {
      push(
        'uncategorised',
        'uncategorised',
        `No TOP or drug test in the last ${config.evidenceWindowDays} days; ${c.lastEvidenceDate === null ? 'none on record' : `last on ${c.lastEvidenceDate}`}`,
        'Complete a TOP and/or a drug test as soon as possible',
        [c.lastEvidenceDate === null ? Number.NEGATIVE_INFINITY : toDayNumber(c.lastEvidenceDate)],
      );
    }
  }

  const listOrder = (p: WorklistId): number => (p === 'uncategorised' ? 6 : p);
  drafts.sort((a, b) => listOrder(a.entry.priority) - listOrder(b.entry.priority) || compareKeys(a.key, b.key));
  const out: WorklistEntry[] = [];
  let prev: WorklistId | null = null;
  let pos = 0;
  for (const dft of drafts) {
    pos = dft.entry.priority === prev ? pos + 1 : 1;
    prev = dft.entry.priority;
    out.push({ ...dft.entry, position: pos });
  }
  return out;
}
