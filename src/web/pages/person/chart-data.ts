/** The dose chart's data, as pure functions (tested in chart-data.test.ts). */
import type { Prescription } from './api';

export const DAY_MS = 86_400_000;

/** Midnight UTC of an ISO date, in ms. */
export const ms = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** Step lines of daily dose per medication; a gap between segments breaks the line. */
export function doseSeries(prescriptions: readonly Prescription[], asOf: string): { medication: string; points: ([number, number] | [number, null])[] }[] {
  const byMed = new Map<string, Prescription[]>();
  for (const p of prescriptions) {
    const list = byMed.get(p.medication) ?? [];
    list.push(p);
    byMed.set(p.medication, list);
  }
  const out: { medication: string; points: ([number, number] | [number, null])[] }[] = [];
  for (const [medication, list] of byMed) {
    const sorted = [...list].sort((a, b) => (a.start_date < b.start_date ? -1 : 1));
    const points: ([number, number] | [number, null])[] = [];
    let lastEnd: number | null = null;
    for (const p of sorted) {
      if (p.dose_mg === null) continue;
      const start = ms(p.start_date);
      const end = ms(p.end_date ?? asOf);
      if (lastEnd !== null && start - lastEnd > DAY_MS) points.push([lastEnd + DAY_MS / 2, null]);
      points.push([start, p.dose_mg], [end, p.dose_mg]);
      lastEnd = end;
    }
    out.push({ medication, points });
  }
  return out;
}

