/**
 * Prescription coverage and continuity (domain §1.2).
 *
 * A person is in MAT on D when a segment covers D (start ≤ D ≤ end, end inclusive,
 * null end = ongoing). A *continuous prescription* joins segments separated by gaps of at
 * most `continuityGapDays` uncovered days: segments ending on the 1st and restarting on the
 * 9th leave a 7-day gap (continues); restarting on the 10th leaves 8 (breaks). Overlapping
 * segments are merged for coverage. Any OST medication counts: a switch from methadone to
 * buprenorphine within the gap tolerance continues the prescription.
 *
 * Choice: when segments overlap, the segment in effect on a day (its dose, medication,
 * supervision) is the covering segment with the latest start date, ties broken by the
 * larger prescription_id: a later dose change supersedes an earlier one. Overlaps are
 * reported by the data-quality checks.
 */
import type { MatConfig } from './config';
import { OPEN_END, isoOf, toDayNumber, toDayNumberOrNull, type DayNumber, type IsoDate } from './dates';
import { isDetoxPlan } from './stage';
import type { PrescriptionSegment } from './types';

export interface PreparedSegment {
  readonly seg: PrescriptionSegment;
  readonly start: DayNumber;
  /** Inclusive; OPEN_END for an ongoing segment. */
  readonly end: DayNumber;
  /** Index of its continuous block. */
  block: number;
  /** Index of the first segment of the reduction-plan run this segment belongs to, or -1. */
  planFirst: number;
  /** Planned end (0 mg) of that run as known at this segment, or null. */
  plannedEnd: IsoDate | null;
  /** The run is a detoxification by isDetoxPlan (planned end within detoxMaxMonths of its start). */
  planIsDetox: boolean;
  /** The segment as the "current prescription" feature (built once, shared by every date). */
  readonly current: {
    prescription_id: string;
    medication: PrescriptionSegment['medication'];
    dose_mg: number | null;
    start_date: IsoDate;
    supervised: boolean | null;
    pickup: NonNullable<PrescriptionSegment['pickup']> | null;
  };
}

/** Segments sorted once, with continuous blocks and reduction-plan runs precomputed. */
export interface PreparedPrescriptions {
  /** Valid segments sorted by (start, prescription_id). */
  readonly segs: PreparedSegment[];
  /** prefixMaxEnd[i] = max end of segs[0..i]. */
  readonly prefixMaxEnd: number[];
  /** Index of the first segment of each block. */
  readonly blockFirst: number[];
  /** Segments left out because a date is invalid or the end precedes the start. */
  readonly invalid: PrescriptionSegment[];
}

function compareSegs(a: PreparedSegment, b: PreparedSegment): number {
  if (a.start !== b.start) return a.start - b.start;
  const x = a.seg.prescription_id;
  const y = b.seg.prescription_id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts and indexes a person's segments once; reuse the result for any number of dates. */
export function preparePrescriptions(segments: readonly PrescriptionSegment[], config: MatConfig): PreparedPrescriptions {
  const segs: PreparedSegment[] = [];
  const invalid: PrescriptionSegment[] = [];
  for (const seg of segments) {
    const start = toDayNumberOrNull(seg.start_date);
    const end = seg.end_date === null || seg.end_date === undefined ? OPEN_END : toDayNumberOrNull(seg.end_date);
    if (start === null || end === null || end < start) {
      invalid.push(seg);
      continue;
    }
    segs.push({
      seg,
      start,
      end,
      block: 0,
      planFirst: -1,
      plannedEnd: null,
      planIsDetox: false,
      current: {
        prescription_id: seg.prescription_id,
        medication: seg.medication,
        dose_mg: seg.dose_mg,
        start_date: seg.start_date,
        supervised: seg.supervised ?? null,
        pickup: seg.pickup ?? null,
      },
    });
  }
  segs.sort(compareSegs);

  const prefixMaxEnd: number[] = new Array<number>(segs.length);
  const blockFirst: number[] = [];
  let maxEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as PreparedSegment;
    // gap = uncovered days between the coverage so far and this segment
    if (i === 0 || s.start - maxEnd - 1 > config.continuityGapDays) blockFirst.push(i);
    s.block = blockFirst.length - 1;
    if (s.end > maxEnd) maxEnd = s.end;
    prefixMaxEnd[i] = maxEnd;

    if (s.seg.reduction_plan === true) {
      const prev = i > 0 ? segs[i - 1] : undefined;
      const continuesRun = prev !== undefined && prev.block === s.block && prev.planFirst >= 0;
      s.planFirst = continuesRun ? prev.planFirst : i;
      s.plannedEnd = s.seg.planned_end_date ?? (continuesRun ? prev.plannedEnd : null);
      s.planIsDetox = isDetoxPlan((segs[s.planFirst] as PreparedSegment).seg.start_date, s.plannedEnd, config);
    }
  }
  return { segs, prefixMaxEnd, blockFirst, invalid };
}

/** Index of the last segment with start ≤ day, or -1. */
export function lastStartingBy(p: PreparedPrescriptions, day: DayNumber): number {
  let lo = 0;
  let hi = p.segs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((p.segs[mid] as PreparedSegment).start <= day) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Index of the segment in effect on `day` (covering, latest start), or -1 when none covers it. */
export function coveringIndex(p: PreparedPrescriptions, day: DayNumber): number {
  for (let j = lastStartingBy(p, day); j >= 0 && (p.prefixMaxEnd[j] as number) >= day; j--) {
    if ((p.segs[j] as PreparedSegment).end >= day) return j;
  }
  return -1;
}

/**
 * Index of the dose in effect on `day` within block `block`: the covering segment, or,
 * when `day` falls in a tolerated gap, the segment whose coverage ended last before it.
 * -1 when `day` is before the block started.
 */
export function doseIndexInBlock(p: PreparedPrescriptions, day: DayNumber, block: number): number {
  const covering = coveringIndex(p, day);
  if (covering >= 0) return (p.segs[covering] as PreparedSegment).block === block ? covering : -1;
  const last = lastStartingBy(p, day);
  if (last < 0 || (p.segs[last] as PreparedSegment).block !== block) return -1;
  const target = p.prefixMaxEnd[last] as number;
  for (let j = last; j >= 0; j--) {
    const s = p.segs[j] as PreparedSegment;
    if (s.block !== block) break;
    if (s.end === target) return j;
  }
  return last;
}

/** Start day of a block. */
export function blockStartDay(p: PreparedPrescriptions, block: number): DayNumber {
  return (p.segs[p.blockFirst[block] as number] as PreparedSegment).start;
}

export interface ContinuousPrescription {
  /** First day of the continuous prescription. */
  start: IsoDate;
  /** The segment in effect on the date. */
  current: PrescriptionSegment;
  /** The segments of the continuous prescription that started on or before the date, in order. */
  segments: PrescriptionSegment[];
}

/**
 * The continuous prescription covering `date`, or null when no segment covers it (not in
 * MAT that day, even inside a tolerated gap).
 */
export function continuousPrescriptionOn(
  segments: readonly PrescriptionSegment[] | PreparedPrescriptions,
  date: IsoDate,
  config: MatConfig,
): ContinuousPrescription | null {
  const p = isPrepared(segments) ? segments : preparePrescriptions(segments, config);
  const day = toDayNumber(date);
  const idx = coveringIndex(p, day);
  if (idx < 0) return null;
  const cur = p.segs[idx] as PreparedSegment;
  const first = p.blockFirst[cur.block] as number;
  const inBlock: PrescriptionSegment[] = [];
  for (let j = first; j < p.segs.length; j++) {
    const s = p.segs[j] as PreparedSegment;
    if (s.block !== cur.block || s.start > day) break;
    inBlock.push(s.seg);
  }
  return { start: isoOf((p.segs[first] as PreparedSegment).start), current: cur.seg, segments: inBlock };
}

/** The segment in effect on `date` (see the overlap rule above), or null. */
export function segmentOn(segments: readonly PrescriptionSegment[], date: IsoDate, config: MatConfig): PrescriptionSegment | null {
  const p = preparePrescriptions(segments, config);
  const idx = coveringIndex(p, toDayNumber(date));
  return idx < 0 ? null : (p.segs[idx] as PreparedSegment).seg;
}

export interface PrescriptionBlock {
  start: IsoDate;
  /** Last covered day, null = ongoing. */
  end: IsoDate | null;
  segments: PrescriptionSegment[];
}

/** All continuous prescriptions of a person, in order. */
export function continuousBlocks(segments: readonly PrescriptionSegment[], config: MatConfig): PrescriptionBlock[] {
  const p = preparePrescriptions(segments, config);
  const out: PrescriptionBlock[] = [];
  for (let b = 0; b < p.blockFirst.length; b++) {
    const first = p.blockFirst[b] as number;
    const next = p.blockFirst[b + 1] ?? p.segs.length;
    const end = p.prefixMaxEnd[next - 1] as number;
    out.push({
      start: isoOf((p.segs[first] as PreparedSegment).start),
      end: end === OPEN_END ? null : isoOf(end),
      segments: p.segs.slice(first, next).map((s) => s.seg),
    });
  }
  return out;
}

function isPrepared(x: readonly PrescriptionSegment[] | PreparedPrescriptions): x is PreparedPrescriptions {
  return !Array.isArray(x) && 'prefixMaxEnd' in x;
}

/**
 * The first day a classification on `firstDay` or later can depend on, for records dated
 * (and prescriptions ended) before it — so a caller may load only the records from that
 * day on — provided the person's reduction plan does not reach back past it (the caller
 * checks that the earliest segment loaded is not part of a plan, as a plan's start decides
 * detoxification):
 * - evidence (TOPs, tests) counts only within `evidenceWindowDays`, and a test's answer
 *   depends on the segments covering it or ended within the continuity gap before it;
 * - the regime compares with the dose `regimeWindowDays` before, in effect then or ended
 *   within the gap before;
 * - the start of the continuous prescription matters only as "within induction or not":
 *   a segment starting after the cut cannot continue one that ended before it when the gap
 *   between them exceeds the tolerance, so a block that starts in the window really starts
 *   there, and one that starts at the cut or before is past induction either way.
 */
export function classificationWindowStart(firstDay: DayNumber, config: MatConfig): DayNumber {
  return firstDay - Math.max(config.evidenceWindowDays, config.regimeWindowDays, config.inductionDays + 1) - config.continuityGapDays - 1;
}

/**
 * The proviso of classificationWindowStart, for segments read from the window (in start
 * order): when the earliest one is part of a reduction plan, the plan may have started
 * before the window, and its start decides detoxification, so the whole history is needed.
 */
export function planMayStartBeforeWindow(segments: readonly PrescriptionSegment[]): boolean {
  return segments[0]?.reduction_plan === true;
}
