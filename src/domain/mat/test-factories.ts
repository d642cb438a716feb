/**
 * Factories for test data (used by the *.test.ts files of this folder only; not exported
 * from index.ts).
 */
import type { DrugTestRow, Medication, PersonHistory, PrescriptionSegment, ScReview, Substance, Top } from './types';

let seq = 0;
const nextId = (prefix: string): string => `${prefix}${++seq}`;

/** A prescription segment; defaults: methadone 60 mg, ongoing. */
export function rx(start_date: string, end_date: string | null, dose_mg: number | null = 60, medication: Medication = 'methadone', extra: Partial<PrescriptionSegment> = {}): PrescriptionSegment {
  return { prescription_id: nextId('rx'), medication, dose_mg, start_date, end_date, ...extra };
}

/** A TOP with the given illicit-opiate days. */
export function top(date: string, opiate_days: number | null, extra: Partial<Top> = {}): Top {
  return { top_id: nextId('top'), date, opiate_days, ...extra };
}

/** One drug test (several substance rows share the test_id). */
export function test(date: string, results: Partial<Record<Substance, 'positive' | 'negative'>>, test_id: string = nextId('t')): DrugTestRow[] {
  return Object.entries(results).map(([substance, result]) => ({ test_id, date, substance: substance as Substance, result: result ?? null }));
}

export function review(date: string, answers: Partial<Pick<ScReview, 'diverted' | 'vulnerable' | 'regular_on_top' | 'other_risk'>>, extra: Partial<ScReview> = {}): ScReview {
  return { review_id: nextId('sc'), date, decision: 'supervised', ...answers, ...extra };
}

export function person(parts: Partial<PersonHistory> = {}): PersonHistory {
  return { prescriptions: [], tops: [], drug_tests: [], ...parts };
}
