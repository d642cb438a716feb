/**
 * Human-readable reasons: the evidence that put a person where they are, e.g.
 * "TOP 2018-09-14: opiates on 12 of 28 days" and
 * "methadone 40 mg since 2018-06-01, reducing from 50 mg on 2018-08-20".
 */
import type { MatConfig } from './config';
import { describeDose, formatMg, medicationLabel } from './dose';
import type { EvidenceFeature, MatFeatures } from './features';
import type { Medication, MatStage, OgBand, Regime, Substance } from './types';

const SUBSTANCE_LABELS: Partial<Record<Substance, string>> = {
  heroin_6mam: 'heroin (6-MAM)',
  nitazene: 'a nitazene',
};

/** Display name of a drug-test substance. */
export function substanceLabel(s: Substance): string {
  return SUBSTANCE_LABELS[s] ?? s;
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

/** One line per TOP and drug test of the evidence date. */
export function evidenceLines(ev: EvidenceFeature, config: MatConfig): string[] {
  const out: string[] = [];
  for (const t of ev.tops) {
    out.push(`TOP ${ev.date}: opiates on ${t.opiate_days} of ${config.top.recallDays} days`);
  }
  for (const t of ev.tests) {
    if (t.illicit.length > 0) {
      out.push(`Drug test ${ev.date}: positive for ${list(t.illicit.map(substanceLabel))}`);
    } else if (t.prescribedPositives.length > 0) {
      out.push(`Drug test ${ev.date}: no illicit opioid (${list(t.prescribedPositives.map(substanceLabel))} positive, as prescribed)`);
    } else {
      out.push(`Drug test ${ev.date}: no illicit opioid`);
    }
  }
  return out;
}

export interface ReasonFacts {
  features: MatFeatures;
  stage: MatStage | null;
  ogBand: OgBand | null;
  regime: Regime | null;
  highDose: boolean;
  daysSinceStart: number | null;
  detoxPlan: boolean;
  /** Latest evidence inside the window, or null. */
  evidence: EvidenceFeature | null;
  /** D − evidenceWindowDays, the oldest date that still counts. */
  windowStart: string;
}

function ogThreshold(medication: Medication, config: MatConfig): number | null {
  switch (medication) {
    case 'methadone':
      return config.methadone.ogMinMg;
    case 'buprenorphine':
      return config.buprenorphineSublingual.ogMinMg;
    case 'buprenorphine_weekly_injection':
      return config.buprenorphineWeeklyInjection.ogMinMg;
    case 'buprenorphine_monthly_injection':
      return config.buprenorphineMonthlyInjection.ogMinMg;
    default:
      return null;
  }
}

/** The reasons of one classification, in the order the rules were applied. */
export function buildReasons(r: ReasonFacts, config: MatConfig): string[] {
  const f = r.features;
  const cur = f.current;
  if (cur === null || r.stage === null) return [`Not in MAT on ${f.date}: no OST prescription covers this date`];
  const out: string[] = [];
  const plan = f.reductionPlan;

  switch (r.stage) {
    case 'MAT1':
      out.push(
        `MAT 1 (induction): continuous prescription since ${f.continuousStart ?? '?'}, ${r.daysSinceStart ?? '?'} days before ${f.date} (induction is up to ${config.inductionDays} days)`,
      );
      break;
    case 'MAT4':
      if (plan !== null) {
        out.push(
          `MAT 4 (detoxification): reduction plan from ${plan.start} to 0 mg by ${plan.planned_end_date ?? '?'}, within ${config.detoxMaxMonths} months`,
        );
        if (plan.planned_end_date !== null && plan.planned_end_date < f.date) {
          out.push(`Reduction plan overran: planned to reach 0 mg by ${plan.planned_end_date} but still prescribed on ${f.date}`);
        }
      }
      break;
    case 'MAT2':
      out.push('MAT 2 (using on top): latest evidence shows illicit opioid use');
      break;
    case 'MAT3':
      out.push('MAT 3 (not using on top): latest evidence shows no illicit opioid use');
      break;
    case 'uncategorised':
      out.push(
        `Uncategorised: no TOP or drug test from ${r.windowStart} to ${f.date} (${config.evidenceWindowDays}-day window); ${
          f.lastEvidenceDate === null ? 'none on record' : `last on ${f.lastEvidenceDate}`
        }`,
      );
      break;
  }
  if (plan !== null && !r.detoxPlan && r.stage !== 'MAT1') {
    out.push(
      plan.planned_end_date === null
        ? `Reduction plan from ${plan.start} has no planned end date: not MAT 4`
        : `Reduction plan from ${plan.start} to 0 mg by ${plan.planned_end_date} is longer than ${config.detoxMaxMonths} months (slow reduction): not MAT 4`,
    );
  }
  if (r.evidence !== null && (r.stage === 'MAT2' || r.stage === 'MAT3')) out.push(...evidenceLines(r.evidence, config));

  // Dose and regime, e.g. "methadone 40 mg since 2018-06-01, reducing from 50 mg on 2018-08-20"
  let dose = `${describeDose(cur.medication, cur.dose_mg, config)} since ${f.continuousStart ?? cur.start_date}`;
  const prev = f.previous;
  if (r.regime === 'detox') {
    dose += ', detoxification';
  } else if (r.regime !== null && prev !== null && prev.dose_mg !== null) {
    dose += r.regime === 'static' ? `, static (${formatMg(prev.dose_mg)} mg on ${prev.date})` : `, ${r.regime} from ${formatMg(prev.dose_mg)} mg on ${prev.date}`;
  } else if (prev !== null && prev.medication !== cur.medication) {
    dose += `, switched from ${medicationLabel(prev.medication)} (on ${prev.date})`;
  }
  out.push(dose);

  const threshold = ogThreshold(cur.medication, config);
  if (r.ogBand === 'n/a') {
    out.push(cur.dose_mg === null ? 'Dose unknown: no OG band (data quality)' : `No OG band for ${medicationLabel(cur.medication)}`);
  } else if (threshold !== null) {
    out.push(r.ogBand === 'below' ? `Below OG dose (< ${formatMg(threshold)} mg)` : `At/above OG dose (≥ ${formatMg(threshold)} mg)`);
  }
  if (r.highDose) out.push(`High dose (> ${formatMg(config.methadone.highDoseAboveMg)} mg methadone): review, ECG/QTc`);
  return out;
}
