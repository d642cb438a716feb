/**
 * Features: the facts about one person on one date that the MAT rules decide from
 * ("features in SQL, decisions in TypeScript", architecture.md). `computeFeatures`
 * extracts them from an in-memory history; a data layer may compute the same shape in
 * SQL and call `decideMat` directly, so there is one definition of every rule.
 */
import type { MatConfig } from './config';
import {
  blockStartDay,
  coveringIndex,
  doseIndexInBlock,
  preparePrescriptions,
  type PreparedPrescriptions,
  type PreparedSegment,
} from './continuity';
import { isoOf, type DayNumber, type IsoDate } from './dates';
import { lastIndexAtOrBefore, prepareEvidence, type EvidenceDay, type PreparedEvidence, type TestEvidence, type TopEvidence } from './evidence';
import type { Medication, PersonHistory, Pickup } from './types';

/** The segment in effect on D. */
export interface CurrentPrescriptionFeature {
  prescription_id: string;
  medication: Medication;
  dose_mg: number | null;
  start_date: IsoDate;
  supervised: boolean | null;
  pickup: Pickup | null;
}

/** All usable evidence of one date (see evidence.ts for what is usable). */
export interface EvidenceFeature {
  date: IsoDate;
  tops: TopEvidence[];
  tests: TestEvidence[];
  /** Optional: `date` as a day number (saves parsing in bulk work). */
  day?: DayNumber;
}

export interface MatFeatures {
  date: IsoDate;
  /** null = no segment covers D (not in MAT). */
  current: CurrentPrescriptionFeature | null;
  /** First day of the continuous prescription covering D. */
  continuousStart: IsoDate | null;
  /** Dose in effect `regimeWindowDays` before D in the same continuous prescription. */
  previous: { date: IsoDate; prescription_id: string; medication: Medication; dose_mg: number | null } | null;
  /** The reduction plan the current segment belongs to. */
  reductionPlan: { start: IsoDate; planned_end_date: IsoDate | null; first_prescription_id: string } | null;
  /** Latest usable evidence on or before D, any age; the window is applied by the decision. */
  latestEvidence: EvidenceFeature | null;
  /** Latest TOP on or before D, any age (usable or not). */
  latestTop: { top_id: string; date: IsoDate; opiate_days: number | null } | null;
  /** Date of the latest usable evidence on or before D, any age. */
  lastEvidenceDate: IsoDate | null;
  /**
   * Optional day numbers of `date` and `continuousStart`, and whether the reduction plan
   * is a detox by `isDetoxPlan`. computeFeatures fills them so bulk classification does
   * not re-parse dates; features built elsewhere may leave them out.
   */
  dateDay?: DayNumber;
  continuousStartDay?: DayNumber | null;
  reductionPlanIsDetox?: boolean;
}

/** A history sorted and indexed once, reusable for any number of dates. */
export interface PreparedHistory {
  readonly prescriptions: PreparedPrescriptions;
  readonly evidence: PreparedEvidence;
}

export function prepareHistory(h: PersonHistory, config: MatConfig): PreparedHistory {
  const prescriptions = preparePrescriptions(h.prescriptions, config);
  return { prescriptions, evidence: prepareEvidence(h.tops, h.drug_tests, prescriptions, config) };
}

const dayOfEvidence = (e: EvidenceDay): number => e.day;
const identity = (n: number): number => n;

/** Facts about the person on day `d` (whose ISO form is `date`). */
export function computeFeatures(h: PreparedHistory, d: DayNumber, date: IsoDate, config: MatConfig): MatFeatures {
  const p = h.prescriptions;
  const ev = h.evidence;

  const ei = lastIndexAtOrBefore(ev.days, d, dayOfEvidence);
  const latest = ei >= 0 ? (ev.days[ei] as EvidenceDay) : null;
  const ti = lastIndexAtOrBefore(ev.topDays, d, identity);
  const top = ti >= 0 ? ev.topRefs[ti] : undefined;

  const base: MatFeatures = {
    date,
    current: null,
    continuousStart: null,
    previous: null,
    reductionPlan: null,
    latestEvidence: latest,
    latestTop: top ?? null,
    lastEvidenceDate: latest === null ? null : latest.date,
    dateDay: d,
    continuousStartDay: null,
    reductionPlanIsDetox: false,
  };

  const idx = coveringIndex(p, d);
  if (idx < 0) return base;
  const cur = p.segs[idx] as PreparedSegment;
  base.current = cur.current;
  const first = p.segs[p.blockFirst[cur.block] as number] as PreparedSegment;
  base.continuousStart = first.seg.start_date;
  base.continuousStartDay = first.start;

  const prevDay = d - config.regimeWindowDays;
  if (prevDay >= blockStartDay(p, cur.block)) {
    const pi = doseIndexInBlock(p, prevDay, cur.block);
    if (pi >= 0) {
      const ps = (p.segs[pi] as PreparedSegment).seg;
      base.previous = { date: isoOf(prevDay), prescription_id: ps.prescription_id, medication: ps.medication, dose_mg: ps.dose_mg };
    }
  }
  if (cur.planFirst >= 0) {
    const planSeg = (p.segs[cur.planFirst] as PreparedSegment).seg;
    base.reductionPlan = { start: planSeg.start_date, planned_end_date: cur.plannedEnd, first_prescription_id: planSeg.prescription_id };
    base.reductionPlanIsDetox = cur.planIsDetox;
  }
  return base;
}
