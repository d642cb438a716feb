/**
 * Weekly counts imported from a partner's own system (e.g. an ambulance trust's weekly
 * call-outs): `area,indicator,period_start,count` rows, `period_start` a Monday. An
 * imported count replaces the count built from reports for that area, indicator and
 * week; importing the same week again updates it. All rows or none.
 */
import { z } from 'zod';
import { parseIsoDate } from '../../domain/detection/dates';
import type { Db } from '../db';
import { INDICATOR_IDS } from './config';

export const countRowSchema = z.object({
  area: z.string().regex(/^[EWSN]\d{8}$/, 'an ONS local authority code, e.g. E06000009'),
  indicator: z.enum(INDICATOR_IDS),
  period_start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD')
    .refine((d) => {
      try {
        const day = parseIsoDate(d);
        return (((day + 3) % 7) + 7) % 7 === 0;
      } catch {
        return false;
      }
    }, 'the Monday that starts the week'),
  count: z.number().int().min(0),
});
export type CountRow = z.infer<typeof countRowSchema>;

export class CountsError extends Error {
  override name = 'CountsError';
  readonly errors: Array<{ field: string; message: string }>;
  constructor(message: string, errors: Array<{ field: string; message: string }>) {
    super(message);
    this.errors = errors;
  }
}

export async function importCounts(db: Db, rows: readonly unknown[], opts: { source: string; by: string }): Promise<{ written: number }> {
  const errors: Array<{ field: string; message: string }> = [];
  const good: CountRow[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const r = countRowSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ field: `rows[${i}].${issue.path.join('.')}`, message: issue.message });
      return;
    }
    const key = `${r.data.area}|${r.data.indicator}|${r.data.period_start}`;
    if (seen.has(key)) errors.push({ field: `rows[${i}]`, message: `a second count for ${key.replace(/\|/g, ', ')}` });
    seen.add(key);
    good.push(r.data);
  });
  if (errors.length > 0) throw new CountsError(`${errors.length} problem(s) in the counts; nothing was written`, errors.slice(0, 100));
  if (good.length === 0) throw new CountsError('no rows to import', [{ field: 'rows', message: 'at least one row' }]);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO warning_counts (area, indicator, period_start, count, source, imported_by)
       SELECT x.area, x.indicator, x.period_start, x.count, $2, $3 FROM jsonb_to_recordset($1::jsonb) AS x(area text, indicator text, period_start date, count int)
       ON CONFLICT (area, indicator, period_start) DO UPDATE SET count = EXCLUDED.count, source = EXCLUDED.source, imported_by = EXCLUDED.imported_by, imported_at = now()`,
      [JSON.stringify(good), opts.source, opts.by],
    );
  });
  return { written: good.length };
}
