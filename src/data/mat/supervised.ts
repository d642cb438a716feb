/**
 * Supervised consumption (issue 3 §5, domain §1.6): who is supervised with no risk item
 * (candidates to relax), who uses on top on more than 20 of 28 days, who has no review or
 * an overdue one, and the service's SC rate beside the organisation's; and recording a
 * review (the configurable questionnaire, clinician decision, rationale, next review date).
 * Decisions come from src/domain/mat (assessSupervision, scRate).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import {
  assessSupervision,
  classifyPrepared,
  defaultMatConfig,
  latestScReview,
  monthEnd,
  prepareHistory,
  scRate,
  toDayNumberOrNull,
  type MatConfig,
  type ScAssessment,
  type ScDecision,
  type ScRate,
  type ScReview,
} from '../../domain/mat';
import { streamHistories } from '../history';
import { MatReportError, assertMonth } from './report';

export interface SupervisedPerson {
  person_id: string;
  service_id: string;
  stage: string | null;
  medication: string | null;
  dose_mg: number | null;
  supervised: boolean | null;
  pickup: string | null;
  /** Illicit-opiate days on the latest TOP within the evidence window. */
  on_top_days: number | null;
  latest_review: { review_id: string; date: string; decision: ScDecision | null; next_review_date: string | null; rationale: string | null } | null;
  assessment: ScAssessment;
  /** The lists this person is on. */
  lists: ('relax' | 'regular_on_top' | 'no_review' | 'review_overdue')[];
}

export interface SupervisedReport {
  month: string;
  date: string;
  service_id: string | null;
  rates: { organisation: ScRate; services: Record<string, ScRate>; reference_rate: number };
  on_top_threshold: { days: number; of: number };
  people: SupervisedPerson[];
}

export interface SupervisedOptions {
  month: string;
  serviceId?: string | null;
  /** The caller's services (people are listed only for these); null = all. */
  serviceIds?: readonly string[] | null;
  config?: MatConfig;
}

/** Everyone in MAT on the month end with their SC position; rates for every service. */
export async function supervisedReport(db: Db, opts: SupervisedOptions): Promise<SupervisedReport> {
  assertMonth(opts.month);
  const config = opts.config ?? defaultMatConfig;
  const date = monthEnd(opts.month);
  const serviceId = opts.serviceId ?? null;
  if (serviceId !== null) {
    const known = await db.query('SELECT 1 FROM services WHERE service_id = $1', [serviceId]);
    if (known.length === 0) throw new MatReportError(`No service ${serviceId}`);
  }
  const visible = opts.serviceIds == null ? null : new Set(opts.serviceIds);
  const orgRows: { inMat: boolean; supervised: boolean | null }[] = [];
  const bySvc = new Map<string, { inMat: boolean; supervised: boolean | null }[]>();
  const people: SupervisedPerson[] = [];
  const day = toDayNumberOrNull(date) ?? 0;

  for await (const batch of streamHistories(db, { asOf: date, inMatBetween: { from: date, to: date }, tables: ['prescriptions', 'top', 'drug_tests', 'sc_reviews'] })) {
    for (const h of batch) {
      const c = classifyPrepared(prepareHistory(h.mat, config), date, config, { reasons: false });
      if (!c.inMat) continue;
      const svc = h.person.service_id;
      const row = { inMat: true, supervised: c.supervised };
      orgRows.push(row);
      let list = bySvc.get(svc);
      if (list === undefined) {
        list = [];
        bySvc.set(svc, list);
      }
      list.push(row);
      if ((serviceId !== null && svc !== serviceId) || (visible !== null && !visible.has(svc))) continue;
      const top = c.latestTop;
      const topDay = top === null ? null : toDayNumberOrNull(top.date);
      const onTopDays = top !== null && topDay !== null && day - topDay <= config.evidenceWindowDays && typeof top.opiate_days === 'number' ? top.opiate_days : null;
      const review: ScReview | null = latestScReview(h.mat.sc_reviews, date);
      const assessment = assessSupervision({ date, supervised: c.supervised, pickup: c.pickup, review, onTopDays }, config);
      const codes = new Set(assessment.recommendations.map((r) => r.code));
      const lists: SupervisedPerson['lists'] = [];
      if (codes.has('relax_to_daily_pickup') || codes.has('consider_further_relaxation')) lists.push('relax');
      if (assessment.regularOnTop) lists.push('regular_on_top');
      if (codes.has('review_due')) lists.push('no_review');
      if (codes.has('review_overdue')) lists.push('review_overdue');
      people.push({
        person_id: h.person.person_id,
        service_id: svc,
        stage: c.stage,
        medication: c.medication,
        dose_mg: c.doseMg,
        supervised: c.supervised,
        pickup: c.pickup,
        on_top_days: onTopDays,
        latest_review:
          review === null
            ? null
            : { review_id: review.review_id, date: review.date, decision: review.decision, next_review_date: review.next_review_date ?? null, rationale: review.rationale ?? null },
        assessment,
        lists,
      });
    }
  }
  const services: Record<string, ScRate> = {};
  for (const s of await db.query<{ service_id: string }>('SELECT service_id FROM services ORDER BY service_id')) services[s.service_id] = scRate(bySvc.get(s.service_id) ?? []);
  people.sort((a, b) => (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0));
  return {
    month: opts.month,
    date,
    service_id: serviceId,
    rates: { organisation: scRate(orgRows), services, reference_rate: config.supervisedConsumption.referenceRate },
    on_top_threshold: { days: config.supervisedConsumption.onTopDaysThreshold, of: config.supervisedConsumption.onTopDaysOf },
    people,
  };
}

export interface ScReviewInput {
  person_id: string;
  date: string;
  /** Questionnaire item id → yes (true), no (false) or not answered (null). */
  answers: Record<string, boolean | null>;
  decision: ScDecision;
  rationale: string;
  next_review_date: string | null;
}

/** A review that cannot be recorded: each problem names its field. */
export class ScReviewInvalid extends Error {
  override name = 'ScReviewInvalid';
  readonly problems: { field: string; message: string }[];
  constructor(problems: { field: string; message: string }[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

const DECISIONS: readonly ScDecision[] = ['supervised', 'daily_pickup', 'relaxed'];
/** Questionnaire items that also have their own sc_reviews column. */
type BuiltInItem = 'diverted' | 'vulnerable' | 'regular_on_top' | 'other_risk';

/** Checks a review against the questionnaire and the calendar (pure; `today` is YYYY-MM-DD). */
export function validateScReview(input: ScReviewInput, today: string, config: MatConfig = defaultMatConfig): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const items = config.supervisedConsumption.questionnaire.items;
  if (toDayNumberOrNull(input.date) === null) problems.push({ field: 'date', message: `"${input.date}" is not a date (expected YYYY-MM-DD)` });
  else if (input.date > today) problems.push({ field: 'date', message: 'The review date cannot be in the future' });
  for (const key of Object.keys(input.answers)) {
    if (!items.some((i) => i.id === key)) problems.push({ field: `answers.${key}`, message: `"${key}" is not an item of the questionnaire` });
  }
  for (const item of items) {
    if (!(item.id in input.answers)) problems.push({ field: `answers.${item.id}`, message: `Answer "${item.label}": yes, no or not answered` });
  }
  if (!DECISIONS.includes(input.decision)) problems.push({ field: 'decision', message: 'Choose the decision: supervised, daily pick-up or relaxed' });
  if (input.rationale.trim().length === 0) problems.push({ field: 'rationale', message: 'Give the rationale for the decision' });
  if (input.rationale.length > 2000) problems.push({ field: 'rationale', message: 'The rationale must be 2,000 characters or fewer' });
  if (input.next_review_date !== null) {
    if (toDayNumberOrNull(input.next_review_date) === null) problems.push({ field: 'next_review_date', message: `"${input.next_review_date}" is not a date (expected YYYY-MM-DD)` });
    else if (toDayNumberOrNull(input.date) !== null && input.next_review_date <= input.date) problems.push({ field: 'next_review_date', message: 'The next review must be after the review date' });
  }
  return problems;
}

/**
 * Records a review in one transaction: the sc_reviews row (the four built-in items in their
 * columns) and the full answers beside it. The caller has already checked access to the person.
 */
export async function recordScReview(db: Db, input: ScReviewInput, recordedBy: string, today: string, config: MatConfig = defaultMatConfig): Promise<{ review_id: string; recommendations: string[] }> {
  const problems = validateScReview(input, today, config);
  if (problems.length > 0) throw new ScReviewInvalid(problems);
  const reviewId = `BCN-SC-${input.date.replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
  return db.transaction(async (tx) => {
    const person = await tx.query('SELECT 1 FROM people WHERE person_id = $1', [input.person_id]);
    if (person.length === 0) throw new ScReviewInvalid([{ field: 'person_id', message: `No person ${input.person_id}` }]);
    const col = (id: BuiltInItem): boolean | null => input.answers[id] ?? null;
    await tx.query(
      `INSERT INTO sc_reviews (review_id, person_id, date, decision, diverted, vulnerable, regular_on_top, other_risk, rationale, next_review_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [reviewId, input.person_id, input.date, input.decision, col('diverted'), col('vulnerable'), col('regular_on_top'), col('other_risk'), input.rationale.trim(), input.next_review_date],
    );
    const review: ScReview = { review_id: reviewId, date: input.date, decision: input.decision, answers: input.answers, next_review_date: input.next_review_date };
    const recommendations = assessSupervision({ date: input.date, supervised: input.decision === 'supervised', pickup: null, review, onTopDays: null }, config).recommendations.map((r) => r.code);
    await tx.query(
      `INSERT INTO sc_review_entries (review_id, questionnaire_version, answers, recommendations, recorded_by) VALUES ($1, $2, $3::jsonb, $4::text[], $5)`,
      [reviewId, config.supervisedConsumption.questionnaire.version, JSON.stringify(input.answers), recommendations, recordedBy],
    );
    return { review_id: reviewId, recommendations };
  });
}
