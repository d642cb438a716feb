/**
 * Doses against the Orange Guidelines (domain §1.1).
 */
import type { InjectableConfig, MatConfig } from './config';
import type { Medication, OgBand, SlRange } from './types';

export interface DoseAssessment {
  medication: Medication;
  doseMg: number | null;
  /** 'n/a' for OST without an OG band (diamorphine, morphine_sr, other) and for an unknown dose. */
  ogBand: OgBand;
  /** Methadone above `methadone.highDoseAboveMg` (review, ECG/QTc). Counts as at/above OG. */
  highDose: boolean;
  /** Sublingual buprenorphine above its hard maximum. */
  aboveMaximum: boolean;
  /** Injections: sublingual-equivalent range from the licensed table (null off-table). */
  slEquivalentMg: SlRange | null;
  /** Injections: is the strength a licensed one? null for other medications. */
  licensedStrength: boolean | null;
}

/** The injectable table for a medication, or null when it is not a buprenorphine injection. */
export function injectableConfig(medication: Medication, config: MatConfig): InjectableConfig | null {
  if (medication === 'buprenorphine_weekly_injection') return config.buprenorphineWeeklyInjection;
  if (medication === 'buprenorphine_monthly_injection') return config.buprenorphineMonthlyInjection;
  return null;
}

/**
 * Sublingual equivalent of a buprenorphine injection (licensed conversion table):
 * weekly 8 ≈ 2–6 mg, 16 ≈ 8–10, 24 ≈ 12–16, 32 ≈ 18–24; monthly 64 ≈ 8–10, 96 ≈ 12–16,
 * 128 ≈ 18–24, 160 ≈ 26–32. Null for other medications and unlicensed strengths.
 */
export function injectableSlEquivalent(medication: Medication, doseMg: number | null, config: MatConfig): SlRange | null {
  const inj = injectableConfig(medication, config);
  if (inj === null || doseMg === null) return null;
  for (const row of inj.conversions) {
    if (row.strengthMg === doseMg) return { minMg: row.slMinMg, maxMg: row.slMaxMg };
  }
  return null;
}

/**
 * OG band of a dose. Thresholds are inclusive: methadone 60 mg and sublingual
 * buprenorphine 12 mg are at/above; weekly injection ≥ 24 mg, monthly ≥ 96 mg.
 * Choice: an injection at an unlicensed strength is still banded by the same threshold
 * (and reported by the dose advisories). An unknown dose has band 'n/a' (and is a
 * data-quality issue), so such a person is never put in a dose cohort by guesswork.
 */
export function ogBand(medication: Medication, doseMg: number | null, config: MatConfig): OgBand {
  if (doseMg === null || !Number.isFinite(doseMg)) return 'n/a';
  let min: number;
  switch (medication) {
    case 'methadone':
      min = config.methadone.ogMinMg;
      break;
    case 'buprenorphine':
      min = config.buprenorphineSublingual.ogMinMg;
      break;
    case 'buprenorphine_weekly_injection':
      min = config.buprenorphineWeeklyInjection.ogMinMg;
      break;
    case 'buprenorphine_monthly_injection':
      min = config.buprenorphineMonthlyInjection.ogMinMg;
      break;
    default:
      return 'n/a';
  }
  return doseMg >= min ? 'at_or_above' : 'below';
}

/** Methadone above the high-dose threshold (strictly above: 120 mg is not high-dose, 121 is). */
export function isHighDose(medication: Medication, doseMg: number | null, config: MatConfig): boolean {
  return medication === 'methadone' && doseMg !== null && doseMg > config.methadone.highDoseAboveMg;
}

/** Full assessment of one dose. */
export function assessDose(medication: Medication, doseMg: number | null, config: MatConfig): DoseAssessment {
  const inj = injectableConfig(medication, config);
  return {
    medication,
    doseMg,
    ogBand: ogBand(medication, doseMg, config),
    highDose: isHighDose(medication, doseMg, config),
    aboveMaximum: medication === 'buprenorphine' && doseMg !== null && doseMg > config.buprenorphineSublingual.maxMg,
    slEquivalentMg: injectableSlEquivalent(medication, doseMg, config),
    licensedStrength: inj === null ? null : doseMg !== null && inj.conversions.some((r) => r.strengthMg === doseMg),
  };
}

const LABELS: Record<Medication, string> = {
  methadone: 'methadone',
  buprenorphine: 'buprenorphine',
  buprenorphine_weekly_injection: 'buprenorphine weekly injection',
  buprenorphine_monthly_injection: 'buprenorphine monthly injection',
  diamorphine: 'diamorphine',
  morphine_sr: 'slow-release morphine',
  other: 'other OST',
};

/** Display name of a medication. */
export function medicationLabel(m: Medication): string {
  return LABELS[m];
}

/** "methadone 40 mg" / "buprenorphine weekly injection 24 mg (≈ 12–16 mg SL)" / "methadone (dose unknown)". */
export function describeDose(medication: Medication, doseMg: number | null, config: MatConfig): string {
  if (doseMg === null) return `${LABELS[medication]} (dose unknown)`;
  const sl = injectableSlEquivalent(medication, doseMg, config);
  const base = `${LABELS[medication]} ${formatMg(doseMg)} mg`;
  return sl === null ? base : `${base} (≈ ${formatMg(sl.minMg)}–${formatMg(sl.maxMg)} mg SL)`;
}

/** A dose without trailing zeros: 40 → "40", 2.5 → "2.5". */
export function formatMg(mg: number): string {
  return Number.isInteger(mg) ? String(mg) : String(Math.round(mg * 100) / 100);
}
