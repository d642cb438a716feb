/**
 * Evidence of illicit opioid use "on top" (domain §1.2, step 3): TOPs and drug tests.
 *
 * Choices (where domain §1.2 is silent):
 * - A TOP is evidence only when its `opiate_days` is a whole number in 0..28. A TOP with
 *   the item unknown says nothing about opioid use; an out-of-range value cannot be
 *   trusted. Both are skipped here and listed by the data-quality checks.
 * - A drug test is evidence when at least one of its rows has a result; its answer is
 *   positive when any row is a positive for an illicit opioid. A test with only
 *   non-opioid rows (e.g. cocaine) is a negative for illicit opioids: domain §1.2 says a
 *   test's result is all its substance rows.
 * - Several TOPs or tests on the latest date are combined; any positive makes MAT 2
 *   (domain: "either positive makes it MAT 2").
 * - "The one prescribed" is judged on the test date: the medications of every segment
 *   covering the test date or ending at most `continuityGapDays` before it (methadone and
 *   buprenorphine stay detectable for days after a last dose). A positive for an opioid
 *   not explained by those medications (config `illicitOpioids.licitWhenPrescribed`) is
 *   illicit: buprenorphine for a methadone patient, methadone for a buprenorphine patient,
 *   morphine without a morphine_sr (or diamorphine) prescription, codeine, oxycodone and
 *   tramadol always (they are never prescribed as OST here), and heroin/6-MAM, fentanyl
 *   and nitazenes always.
 */
import type { MatConfig } from './config';
import { toDayNumberOrNull, type DayNumber, type IsoDate } from './dates';
import type { PreparedPrescriptions, PreparedSegment } from './continuity';
import type { DrugTestRow, Medication, Substance, Top } from './types';

/** Is a positive result for `substance` illicit opioid use, given the medications prescribed then? */
export function isIllicitOpioid(substance: Substance, prescribed: readonly Medication[], config: MatConfig): boolean {
  const rules = config.illicitOpioids;
  if (!rules.opioidSubstances.includes(substance)) return false;
  for (const m of prescribed) {
    if (rules.licitWhenPrescribed[m].includes(substance)) return false;
  }
  return true;
}

/** Is a TOP `opiate_days` value usable evidence (whole number 0..recallDays)? */
export function isValidTopDays(v: number | null | undefined, config: MatConfig): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= config.top.recallDays;
}

export interface TopEvidence {
  top_id: string;
  opiate_days: number;
}

export interface TestEvidence {
  test_id: string;
  /** Positives that are illicit opioid use. */
  illicit: Substance[];
  /** Positives explained by the prescription (e.g. methadone for a methadone patient). */
  prescribedPositives: Substance[];
  /** Other positives (non-opioids). */
  otherPositives: Substance[];
  /** Number of rows with a result. */
  rows: number;
}

/** All evidence of one date. */
export interface EvidenceDay {
  day: DayNumber;
  date: IsoDate;
  tops: TopEvidence[];
  tests: TestEvidence[];
  /** Any TOP with opiate_days > 0 or any illicit-opioid positive. */
  positive: boolean;
}

export interface PreparedEvidence {
  /** Dates with usable evidence, ascending. */
  readonly days: EvidenceDay[];
  /** All TOPs with a valid date (usable or not), ascending: for "latest TOP, any age". */
  readonly topDays: DayNumber[];
  readonly topsSorted: Top[];
  /** The same TOPs as "latest TOP" references (built once, shared by every date). */
  readonly topRefs: { top_id: string; date: IsoDate; opiate_days: number | null }[];
}

/** Medications of the segments covering `day` or ending within the continuity gap before it. */
export function prescribedAround(p: PreparedPrescriptions, day: DayNumber, config: MatConfig): Medication[] {
  const out: Medication[] = [];
  for (let j = 0; j < p.segs.length; j++) {
    const s = p.segs[j] as PreparedSegment;
    if (s.start > day) break;
    if (s.end + config.continuityGapDays >= day && !out.includes(s.seg.medication)) out.push(s.seg.medication);
  }
  return out;
}

interface DatedRow {
  day: number;
  top: Top | null;
  row: DrugTestRow | null;
}

function compareDated(a: DatedRow, b: DatedRow): number {
  return a.day - b.day;
}

/** Groups a person's TOPs and test rows by date once, deciding each date's answer. */
export function prepareEvidence(
  tops: readonly Top[],
  tests: readonly DrugTestRow[],
  prescriptions: PreparedPrescriptions,
  config: MatConfig,
): PreparedEvidence {
  // One sorted pass instead of maps: people have few records, and this runs per person.
  const datedTops: DatedRow[] = [];
  const rows: DatedRow[] = [];
  for (const top of tops) {
    const day = toDayNumberOrNull(top.date);
    if (day === null) continue;
    const r: DatedRow = { day, top, row: null };
    datedTops.push(r);
    if (isValidTopDays(top.opiate_days, config)) rows.push(r);
  }
  for (const row of tests) {
    if (row.result !== 'positive' && row.result !== 'negative') continue;
    const day = toDayNumberOrNull(row.date);
    if (day !== null) rows.push({ day, top: null, row });
  }
  datedTops.sort((a, b) => a.day - b.day || ((a.top as Top).top_id < (b.top as Top).top_id ? -1 : (a.top as Top).top_id > (b.top as Top).top_id ? 1 : 0));
  rows.sort(compareDated);

  const opioids = config.illicitOpioids.opioidSubstances;
  const days: EvidenceDay[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i] as DatedRow;
    const day = first.day;
    const entry: EvidenceDay = { day, date: '', tops: [], tests: [], positive: false };
    let prescribed: Medication[] | null = null;
    for (; i < rows.length && (rows[i] as DatedRow).day === day; i++) {
      const r = rows[i] as DatedRow;
      if (r.top !== null) {
        const od = r.top.opiate_days as number;
        entry.tops.push({ top_id: r.top.top_id, opiate_days: od });
        if (entry.date === '') entry.date = r.top.date;
        if (od > 0) entry.positive = true;
        continue;
      }
      const row = r.row as DrugTestRow;
      if (entry.date === '') entry.date = row.date;
      let t: TestEvidence | undefined;
      for (const x of entry.tests) if (x.test_id === row.test_id) t = x;
      if (t === undefined) {
        t = { test_id: row.test_id, illicit: [], prescribedPositives: [], otherPositives: [], rows: 0 };
        entry.tests.push(t);
      }
      t.rows++;
      if (row.result !== 'positive') continue;
      prescribed ??= prescribedAround(prescriptions, day, config);
      if (isIllicitOpioid(row.substance, prescribed, config)) {
        pushUnique(t.illicit, row.substance);
        entry.positive = true;
      } else if (opioids.includes(row.substance)) pushUnique(t.prescribedPositives, row.substance);
      else pushUnique(t.otherPositives, row.substance);
    }
    if (entry.tests.length > 1) entry.tests.sort((a, b) => (a.test_id < b.test_id ? -1 : a.test_id > b.test_id ? 1 : 0));
    if (entry.tops.length > 1) entry.tops.sort((a, b) => (a.top_id < b.top_id ? -1 : a.top_id > b.top_id ? 1 : 0));
    days.push(entry);
  }
  const topsSorted = datedTops.map((t) => t.top as Top);
  return {
    days,
    topDays: datedTops.map((t) => t.day),
    topsSorted,
    topRefs: topsSorted.map((t) => ({ top_id: t.top_id, date: t.date, opiate_days: t.opiate_days ?? null })),
  };
}

function pushUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Index of the last entry ≤ day in an ascending array of day numbers, or -1. */
export function lastIndexAtOrBefore<T>(items: readonly T[], day: DayNumber, dayOf: (x: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dayOf(items[mid] as T) <= day) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** True when evidence dated `evidenceDay` is within the window on D (D − 91 counts, D − 92 does not). */
export function inEvidenceWindow(evidenceDay: DayNumber, dDay: DayNumber, config: MatConfig): boolean {
  const age = dDay - evidenceDay;
  return age >= 0 && age <= config.evidenceWindowDays;
}
