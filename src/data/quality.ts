import type { Queryable } from './db';
import { defaultMatConfig } from '../domain/mat';

const LIMITS = defaultMatConfig.impossibleDoseAboveMg;

export interface QualityFinding {
  code: string;
  title: string;
  description: string;
  count: number;
  severity: 'error' | 'warning' | 'info';
}

/**
 * Data-quality checks that the import cannot make row by row (they span rows). Counts only:
 * the people behind them are listed where the role allows, never here.
 */
const CHECKS: { code: string; title: string; description: string; severity: QualityFinding['severity']; sql: string }[] = [
  {
    code: 'overlapping_prescriptions',
    title: 'Overlapping prescriptions',
    description: 'People with two opioid substitution prescription segments covering the same day.',
    severity: 'warning',
    sql: `SELECT count(DISTINCT a.person_id)::bigint AS n FROM prescriptions a JOIN prescriptions b
            ON a.person_id = b.person_id AND a.prescription_id < b.prescription_id
           AND a.start_date <= COALESCE(b.end_date, DATE '9999-12-31') AND b.start_date <= COALESCE(a.end_date, DATE '9999-12-31')`,
  },
  {
    code: 'zero_dose',
    title: 'Prescriptions with no dose',
    description: 'Current prescription segments recorded with a dose of 0 mg.',
    severity: 'warning',
    sql: `SELECT count(*)::bigint AS n FROM prescriptions WHERE dose_mg = 0 AND end_date IS NULL`,
  },
  {
    code: 'implausible_dose',
    title: 'Implausible doses',
    description: `Doses above the configured limits (e.g. methadone above ${LIMITS.methadone ?? '∞'} mg a day), which cannot be right.`,
    severity: 'error',
    sql: `SELECT count(*)::bigint AS n FROM prescriptions p
           JOIN (VALUES ${Object.entries(LIMITS)
             .filter(([, v]) => v !== null)
             .map(([m, v]) => `('${m}', ${Number(v)})`)
             .join(', ')}) AS lim(medication, max_mg) ON lim.medication = p.medication
          WHERE p.dose_mg > lim.max_mg`,
  },
  {
    code: 'no_episode',
    title: 'People with no treatment episode',
    description: 'People on record with no episode of treatment.',
    severity: 'info',
    sql: `SELECT count(*)::bigint AS n FROM people p WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = p.person_id)`,
  },
  {
    code: 'prescription_outside_episode',
    title: 'Prescriptions after the episode ended',
    description: 'Prescription segments that start after every episode of the person has ended.',
    severity: 'warning',
    sql: `SELECT count(*)::bigint AS n FROM prescriptions r
           WHERE EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = r.person_id)
             AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = r.person_id
                               AND e.start_date <= r.start_date AND (e.end_date IS NULL OR e.end_date >= r.start_date))`,
  },
  {
    code: 'missing_nhs_number',
    title: 'People without an NHS number',
    description: 'An NHS number helps link records across services safely.',
    severity: 'info',
    sql: `SELECT count(*)::bigint AS n FROM people WHERE nhs_number IS NULL`,
  },
];

export async function qualityFindings(db: Queryable): Promise<QualityFinding[]> {
  const out: QualityFinding[] = [];
  for (const c of CHECKS) {
    const rows = await db.query<{ n: number }>(c.sql);
    out.push({ code: c.code, title: c.title, description: c.description, severity: c.severity, count: rows[0]?.n ?? 0 });
  }
  return out;
}
