/**
 * Titration and dose-safety advisories (domain §1.1). Advisories inform the prescriber;
 * they never change a stage or a band.
 *
 * - Methadone day-1 dose above 40 mg (above 30 mg with depressant co-use). Day 1 is the
 *   first day of a continuous prescription on methadone, or the first day of methadone
 *   after a switch within one.
 * - During methadone induction (day 1 to day 1 + inductionDays): an increase of more than
 *   10 mg from one day to the next, or of more than 30 mg within 7 days (dose on day X
 *   against the dose on X − 7, or against the day-1 dose when X − 7 is before day 1).
 *   Choice: these titration limits are methadone's (Orange Guidelines); buprenorphine is
 *   titrated faster and is checked against its maximum only.
 * - Sublingual buprenorphine above 32 mg/day.
 * - Buprenorphine injections at a strength outside the licensed set.
 * - Methadone above 120 mg: high dose, review (ECG/QTc).
 */
import type { MatConfig } from './config';
import { coveringIndex, doseIndexInBlock, preparePrescriptions, type PreparedSegment } from './continuity';
import { isoOf, type IsoDate } from './dates';
import { formatMg, injectableConfig, medicationLabel } from './dose';
import type { PrescriptionSegment } from './types';

export type AdvisoryCode =
  | 'methadone_day1_above_max'
  | 'induction_daily_increase'
  | 'induction_weekly_increase'
  | 'buprenorphine_above_max'
  | 'injection_unlicensed_strength'
  | 'methadone_high_dose';

export interface DoseAdvisory {
  code: AdvisoryCode;
  prescription_id: string;
  /** The day the advisory applies from. */
  date: IsoDate;
  doseMg: number | null;
  message: string;
}

export interface AdvisoryOptions {
  /** Depressant co-use (benzodiazepines, gabapentinoids, heavy alcohol), from the risk module: a constant or by date. */
  depressantCoUse?: boolean | ((date: IsoDate) => boolean);
}

/** All advisories for a person's prescription segments. */
export function doseAdvisories(segments: readonly PrescriptionSegment[], config: MatConfig, options: AdvisoryOptions = {}): DoseAdvisory[] {
  const p = preparePrescriptions(segments, config);
  const out: DoseAdvisory[] = [];
  const t = config.titration;
  const coUse = (date: IsoDate): boolean => {
    const o = options.depressantCoUse;
    return typeof o === 'function' ? o(date) : o === true;
  };
  const doseOn = (day: number, block: number): number | null => {
    const i = doseIndexInBlock(p, day, block);
    if (i < 0) return null;
    const s = (p.segs[i] as PreparedSegment).seg;
    return s.medication === 'methadone' ? s.dose_mg : null;
  };

  for (let i = 0; i < p.segs.length; i++) {
    const ps = p.segs[i] as PreparedSegment;
    const s = ps.seg;
    const dose = s.dose_mg;

    if (s.medication === 'buprenorphine' && dose !== null && dose > config.buprenorphineSublingual.maxMg) {
      out.push({
        code: 'buprenorphine_above_max',
        prescription_id: s.prescription_id,
        date: s.start_date,
        doseMg: dose,
        message: `Sublingual buprenorphine ${formatMg(dose)} mg/day is above the maximum of ${formatMg(config.buprenorphineSublingual.maxMg)} mg`,
      });
    }
    const inj = injectableConfig(s.medication, config);
    if (inj !== null && (dose === null || !inj.conversions.some((r) => r.strengthMg === dose))) {
      out.push({
        code: 'injection_unlicensed_strength',
        prescription_id: s.prescription_id,
        date: s.start_date,
        doseMg: dose,
        message: `${medicationLabel(s.medication)} ${dose === null ? '(dose unknown)' : `${formatMg(dose)} mg`} is not a licensed strength (${inj.conversions
          .map((r) => formatMg(r.strengthMg))
          .join('/')} mg)`,
      });
    }
    if (s.medication === 'methadone' && dose !== null && dose > config.methadone.highDoseAboveMg) {
      out.push({
        code: 'methadone_high_dose',
        prescription_id: s.prescription_id,
        date: s.start_date,
        doseMg: dose,
        message: `Methadone ${formatMg(dose)} mg is above ${formatMg(config.methadone.highDoseAboveMg)} mg: high dose, review (ECG/QTc)`,
      });
    }

    // Methadone day 1: first segment of a block, or first methadone after another medication.
    if (s.medication !== 'methadone') continue;
    const prev = i > 0 ? (p.segs[i - 1] as PreparedSegment) : undefined;
    const isDay1 = prev === undefined || prev.block !== ps.block || prev.seg.medication !== 'methadone';
    if (!isDay1) continue;
    // Skip a methadone segment that overlaps earlier methadone coverage (not a fresh start).
    const before = coveringIndex(p, ps.start - 1);
    if (before >= 0 && (p.segs[before] as PreparedSegment).seg.medication === 'methadone' && (p.segs[before] as PreparedSegment).block === ps.block) continue;

    const withDepressant = coUse(s.start_date);
    const day1Max = withDepressant ? t.methadoneDay1MaxMgWithDepressant : t.methadoneDay1MaxMg;
    if (dose !== null && dose > day1Max) {
      out.push({
        code: 'methadone_day1_above_max',
        prescription_id: s.prescription_id,
        date: s.start_date,
        doseMg: dose,
        message: `Methadone day-1 dose ${formatMg(dose)} mg is above ${formatMg(day1Max)} mg${withDepressant ? ' (depressant co-use)' : ''}`,
      });
    }

    // Induction window: report the first day of each run where a limit is exceeded.
    const day1 = ps.start;
    const day1Dose = dose;
    let dailyRun = false;
    let weeklyRun = false;
    for (let x = day1 + 1; x <= day1 + config.inductionDays; x++) {
      const today = doseOn(x, ps.block);
      if (today === null) {
        dailyRun = weeklyRun = false;
        continue;
      }
      const yesterday = doseOn(x - 1, ps.block);
      const daily = yesterday !== null && today - yesterday > t.inductionMaxDailyIncreaseMg;
      if (daily && !dailyRun) {
        const seg = (p.segs[coveringIndex(p, x)] as PreparedSegment | undefined)?.seg ?? s;
        out.push({
          code: 'induction_daily_increase',
          prescription_id: seg.prescription_id,
          date: isoOf(x),
          doseMg: today,
          message: `Methadone increased by ${formatMg(today - (yesterday as number))} mg in a day during induction (from ${formatMg(yesterday as number)} to ${formatMg(today)} mg on ${isoOf(x)}; limit ${formatMg(t.inductionMaxDailyIncreaseMg)} mg)`,
        });
      }
      dailyRun = daily;
      const weekAgo = x - 7 >= day1 ? doseOn(x - 7, ps.block) : day1Dose;
      const weekly = weekAgo !== null && today - weekAgo > t.inductionMaxWeeklyIncreaseMg;
      if (weekly && !weeklyRun) {
        const seg = (p.segs[coveringIndex(p, x)] as PreparedSegment | undefined)?.seg ?? s;
        out.push({
          code: 'induction_weekly_increase',
          prescription_id: seg.prescription_id,
          date: isoOf(x),
          doseMg: today,
          message: `Methadone increased by ${formatMg(today - weekAgo)} mg within a week during induction (to ${formatMg(today)} mg on ${isoOf(x)}; limit ${formatMg(t.inductionMaxWeeklyIncreaseMg)} mg)`,
        });
      }
      weeklyRun = weekly;
    }
  }
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return out;
}
