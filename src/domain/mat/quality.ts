/**
 * Data-quality checks (issue 3 §7): listed on the Data page and counted in the tracker
 * footnote, never silently dropped. Limits are configuration (impossibleDoseAboveMg,
 * top.recallDays, top.scoreMax).
 */
import type { MatConfig } from './config';
import { coveringIndex, preparePrescriptions, type PreparedPrescriptions, type PreparedSegment } from './continuity';
import { OPEN_END, isoOf, toDayNumber, toDayNumberOrNull, type IsoDate } from './dates';
import { medicationLabel } from './dose';
import type { PersonHistory, Top } from './types';

export type DataQualityCode =
  | 'in_mat_no_dose'
  | 'overlapping_prescriptions'
  | 'impossible_dose'
  | 'invalid_date'
  | 'segment_end_before_start'
  | 'reduction_plan_no_planned_end'
  | 'planned_end_before_plan_start'
  | 'top_days_out_of_range'
  | 'top_score_out_of_range'
  | 'top_negative_value';

export interface DataQualityIssue {
  code: DataQualityCode;
  person_id: string | null;
  record: { kind: 'prescription' | 'top' | 'drug_test' | 'sc_review'; id: string };
  field: string | null;
  value: string | number | null;
  message: string;
}

/** TOP items counted in days of the 28-day recall. */
export const TOP_DAY_FIELDS = [
  'opiate_days',
  'crack_days',
  'cocaine_days',
  'amphetamine_days',
  'cannabis_days',
  'other_days',
  'alcohol_days',
  'injecting_days',
  'shoplifting_days',
  'selling_days',
  'paid_work_days',
  'education_days',
] as const satisfies readonly (keyof Top)[];

/** TOP items scored 0–20. */
export const TOP_SCORE_FIELDS = ['psych_health', 'phys_health', 'quality_of_life'] as const satisfies readonly (keyof Top)[];

/** Further TOP quantities that must not be negative. */
export const TOP_NON_NEGATIVE = ['alcohol_units', 'tobacco_per_day'] as const satisfies readonly (keyof Top)[];

/**
 * Checks a person's records. Record-level checks look at every record; "in MAT with no
 * dose" is checked on `asOf` when given. Choice: a dose of 0 mg on a covering segment
 * counts as "no dose"; a negative, non-finite or above-limit dose is "impossible".
 */
export function checkDataQuality(h: PersonHistory, asOf: IsoDate | null, config: MatConfig): DataQualityIssue[] {
  const out: DataQualityIssue[] = [];
  const person_id = h.person_id ?? null;
  const issue = (
    code: DataQualityCode,
    kind: DataQualityIssue['record']['kind'],
    id: string,
    field: string | null,
    value: string | number | null,
    message: string,
  ) => out.push({ code, person_id, record: { kind, id }, field, value, message });

  for (const s of h.prescriptions) {
    const start = toDayNumberOrNull(s.start_date);
    const end = s.end_date === null ? OPEN_END : toDayNumberOrNull(s.end_date);
    if (start === null) issue('invalid_date', 'prescription', s.prescription_id, 'start_date', s.start_date, `Prescription ${s.prescription_id}: start_date "${s.start_date}" is not a date`);
    if (end === null) issue('invalid_date', 'prescription', s.prescription_id, 'end_date', s.end_date, `Prescription ${s.prescription_id}: end_date "${s.end_date ?? ''}" is not a date`);
    if (start !== null && end !== null && end < start) {
      issue('segment_end_before_start', 'prescription', s.prescription_id, 'end_date', s.end_date, `Prescription ${s.prescription_id}: ends ${s.end_date ?? ''} before it starts ${s.start_date}`);
    }
    const limit = config.impossibleDoseAboveMg[s.medication];
    if (s.dose_mg !== null && (!Number.isFinite(s.dose_mg) || s.dose_mg < 0 || (limit !== null && s.dose_mg > limit))) {
      issue(
        'impossible_dose',
        'prescription',
        s.prescription_id,
        'dose_mg',
        s.dose_mg,
        `Prescription ${s.prescription_id}: ${medicationLabel(s.medication)} ${s.dose_mg} mg is not a possible dose${limit !== null ? ` (limit ${limit} mg)` : ''}`,
      );
    }
    if (s.reduction_plan === true) {
      const pe = s.planned_end_date ?? null;
      if (pe === null) {
        issue('reduction_plan_no_planned_end', 'prescription', s.prescription_id, 'planned_end_date', null, `Prescription ${s.prescription_id}: reduction plan without a planned end date`);
      } else if (toDayNumberOrNull(pe) === null) {
        issue('invalid_date', 'prescription', s.prescription_id, 'planned_end_date', pe, `Prescription ${s.prescription_id}: planned_end_date "${pe}" is not a date`);
      }
    }
  }

  const p = preparePrescriptions(h.prescriptions, config);

  // Overlaps: sweep in start order, comparing with the segment reaching furthest so far.
  let reach: PreparedSegment | null = null;
  for (const s of p.segs) {
    if (reach !== null && s.start <= reach.end) {
      issue(
        'overlapping_prescriptions',
        'prescription',
        s.seg.prescription_id,
        'start_date',
        s.seg.start_date,
        `Prescription ${s.seg.prescription_id} (from ${s.seg.start_date}) overlaps ${reach.seg.prescription_id} (${reach.seg.start_date} to ${reach.seg.end_date ?? 'ongoing'})`,
      );
    }
    if (reach === null || s.end > reach.end) reach = s;
  }

  // Reduction plans whose planned end precedes the plan start.
  for (const s of p.segs) {
    if (s.planFirst < 0 || s.plannedEnd === null) continue;
    const startDay = (p.segs[s.planFirst] as PreparedSegment).start;
    const endDay = toDayNumberOrNull(s.plannedEnd);
    if (endDay !== null && endDay < startDay) {
      issue(
        'planned_end_before_plan_start',
        'prescription',
        s.seg.prescription_id,
        'planned_end_date',
        s.plannedEnd,
        `Prescription ${s.seg.prescription_id}: planned end ${s.plannedEnd} is before the reduction plan started (${isoOf(startDay)})`,
      );
    }
  }

  if (asOf !== null) {
    const noDose = inMatNoDoseIssue(p, asOf, person_id);
    if (noDose !== null) out.push(noDose);
  }

  for (const t of h.tops) {
    if (toDayNumberOrNull(t.date) === null) issue('invalid_date', 'top', t.top_id, 'date', t.date, `TOP ${t.top_id}: date "${t.date}" is not a date`);
    for (const f of TOP_DAY_FIELDS) {
      const v = t[f];
      if (v === null || v === undefined) continue;
      if (!Number.isInteger(v) || v < 0 || v > config.top.recallDays) {
        issue('top_days_out_of_range', 'top', t.top_id, f, v, `TOP ${t.top_id} (${t.date}): ${f} = ${v} is outside 0–${config.top.recallDays}`);
      }
    }
    for (const f of TOP_SCORE_FIELDS) {
      const v = t[f];
      if (v === null || v === undefined) continue;
      if (!Number.isFinite(v) || v < 0 || v > config.top.scoreMax) {
        issue('top_score_out_of_range', 'top', t.top_id, f, v, `TOP ${t.top_id} (${t.date}): ${f} = ${v} is outside 0–${config.top.scoreMax}`);
      }
    }
    for (const f of TOP_NON_NEGATIVE) {
      const v = t[f];
      if (v === null || v === undefined) continue;
      if (!Number.isFinite(v) || v < 0) issue('top_negative_value', 'top', t.top_id, f, v, `TOP ${t.top_id} (${t.date}): ${f} = ${v} must be 0 or more`);
    }
  }
  for (const r of h.drug_tests) {
    if (toDayNumberOrNull(r.date) === null) issue('invalid_date', 'drug_test', r.test_id, 'date', r.date, `Drug test ${r.test_id}: date "${r.date}" is not a date`);
  }
  for (const r of h.sc_reviews ?? []) {
    if (toDayNumberOrNull(r.date) === null) issue('invalid_date', 'sc_review', r.review_id, 'date', r.date, `SC review ${r.review_id}: date "${r.date}" is not a date`);
  }
  return out;
}

/**
 * The one date-dependent check: "in MAT with no dose" on `asOf` (the segment in effect has
 * no dose or 0 mg), or null. The record-level checks of checkDataQuality depend only on
 * the records themselves, so a caller that already has them for a later date can reuse
 * them for any earlier date by keeping the issues of records dated on or before it.
 */
export function inMatNoDoseIssue(p: PreparedPrescriptions, asOf: IsoDate, person_id: string | null): DataQualityIssue | null {
  const idx = coveringIndex(p, toDayNumber(asOf));
  if (idx < 0) return null;
  const s = (p.segs[idx] as PreparedSegment).seg;
  if (s.dose_mg !== null && s.dose_mg !== 0) return null;
  return {
    code: 'in_mat_no_dose',
    person_id,
    record: { kind: 'prescription', id: s.prescription_id },
    field: 'dose_mg',
    value: s.dose_mg,
    message: `In MAT on ${asOf} (prescription ${s.prescription_id}) with no dose recorded`,
  };
}

export interface DataQualitySummary {
  /** Issues and distinct people per code. */
  byCode: Partial<Record<DataQualityCode, { issues: number; people: number }>>;
  issues: number;
  people: number;
}

/** Counts for the tracker footnote. */
export function summariseDataQuality(issues: Iterable<DataQualityIssue>): DataQualitySummary {
  const byCode = new Map<DataQualityCode, { issues: number; people: Set<string> }>();
  const allPeople = new Set<string>();
  let n = 0;
  for (const i of issues) {
    n++;
    let e = byCode.get(i.code);
    if (e === undefined) {
      e = { issues: 0, people: new Set() };
      byCode.set(i.code, e);
    }
    e.issues++;
    const who = i.person_id ?? `record:${i.record.kind}:${i.record.id}`;
    e.people.add(who);
    allPeople.add(who);
  }
  const out: DataQualitySummary['byCode'] = {};
  for (const [code, e] of byCode) out[code] = { issues: e.issues, people: e.people.size };
  return { byCode: out, issues: n, people: allPeople.size };
}
