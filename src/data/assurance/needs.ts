/**
 * Needs assessment from the database (seed 004 as the pattern): prevalence estimates and
 * comparators entered or imported by the area, penetration (people known to treatment ÷
 * estimated users) and outcomes from the dataset (episodes and TOP), each over the 12
 * months to a date and for the two years before (trends).
 */
import { z } from 'zod';
import {
  OUTCOME_KEYS,
  SEED_004_OUTCOMES,
  SUBSTANCE_GROUPS,
  penetration,
  rate,
  shareRate,
  type OutcomeKey,
  type Rate,
  type SharedRate,
  type SubstanceGroup,
} from '../../domain/assurance/needs';
import { disclosureNote, DEFAULT_DISCLOSURE_POLICY } from '../../domain/disclosure';
import { addMonthsToDay, fromDayNumber, toDayNumber } from '../../domain/mat/dates';
import type { Queryable } from '../db';
import { AssuranceError } from './errors';

const yearBefore = (date: string, years = 1) => fromDayNumber(addMonthsToDay(toDayNumber(date), -12 * years));
const dayAfter = (date: string) => fromDayNumber(toDayNumber(date) + 1);

/** People with a treatment episode open at any time in (date − 12 months, date], in these areas (null: all). */
export async function knownToTreatment(db: Queryable, date: string, areas: readonly string[] | null = null): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(DISTINCT e.person_id)::int AS n
       FROM episodes e JOIN people p ON p.person_id = e.person_id JOIN services s ON s.service_id = p.service_id
      WHERE e.start_date <= $2::date AND (e.end_date IS NULL OR e.end_date >= $1::date)
        AND ($3::text[] IS NULL OR s.local_authority = ANY($3::text[]))`,
    [dayAfter(yearBefore(date)), date, areas ? [...areas] : null],
  );
  return rows[0]?.n ?? 0;
}

export interface PrevalenceRow {
  id: number;
  area: string;
  substance: SubstanceGroup;
  estimate: number;
  rate_per_1000: number | null;
  year: string;
  source: string;
  entered_by: string;
  entered_at: string;
}

export async function listPrevalence(db: Queryable): Promise<PrevalenceRow[]> {
  return db.query<PrevalenceRow>('SELECT id::int AS id, area, substance, estimate, rate_per_1000, year, source, entered_by, entered_at FROM needs_prevalence ORDER BY area, substance, year DESC, id DESC');
}

/** Penetration over the areas with an opiate and/or crack estimate (their latest). */
export async function penetrationFigure(db: Queryable, date: string): Promise<{ known: number; estimate: number; pct: number | null; areas: string[]; note: string | null } | null> {
  const rows = await db.query<{ area: string; estimate: number }>(
    `SELECT DISTINCT ON (area) area, estimate FROM needs_prevalence WHERE substance = 'opiates_crack' ORDER BY area, year DESC, entered_at DESC, id DESC`,
  );
  if (rows.length === 0) return null;
  const areas = rows.map((r) => r.area);
  const estimate = rows.reduce((s, r) => s + Number(r.estimate), 0);
  const known = await db.query<{ la: string }>('SELECT DISTINCT local_authority AS la FROM services WHERE local_authority = ANY($1::text[])', [areas]);
  const matched = known.map((k) => k.la);
  // Estimates named by local-authority code count the people of those areas; otherwise everyone.
  const filter = matched.length === areas.length ? matched : null;
  const n = await knownToTreatment(db, date, filter);
  return {
    known: n,
    estimate: Math.round(estimate),
    pct: penetration(n, estimate),
    areas,
    note: filter === null ? 'Estimates are not all named by local-authority code: everyone known to treatment is counted' : null,
  };
}

/** Outcomes over (date − 12 months, date]. */
export async function outcomes(db: Queryable, date: string): Promise<Record<OutcomeKey, Rate>> {
  const from = dayAfter(yearBefore(date));
  const exits = await db.query<{ planned: number; total: number }>(
    `SELECT count(*) FILTER (WHERE exit_reason = 'planned')::int AS planned, count(*)::int AS total
       FROM episodes WHERE end_date BETWEEN $1::date AND $2::date AND (exit_reason IS NULL OR exit_reason <> 'transferred')`,
    [from, date],
  );
  const work = await db.query<{ ten: number; total: number }>(
    `SELECT count(*) FILTER (WHERE paid_work_days >= 10)::int AS ten, count(*)::int AS total FROM (
       SELECT DISTINCT ON (person_id) person_id, paid_work_days FROM top
        WHERE date BETWEEN $1::date AND $2::date AND paid_work_days IS NOT NULL
        ORDER BY person_id, date DESC, top_id DESC) t`,
    [from, date],
  );
  const housing = await db.query<{ resolved: number; total: number }>(
    `WITH starts AS (
       SELECT person_id, min(date) AS start_date FROM top WHERE stage = 'start' AND acute_housing GROUP BY person_id),
     later AS (
       SELECT DISTINCT ON (t.person_id) t.person_id, t.acute_housing FROM top t JOIN starts s ON s.person_id = t.person_id
        WHERE t.date > s.start_date AND t.date BETWEEN $1::date AND $2::date AND t.acute_housing IS NOT NULL
        ORDER BY t.person_id, t.date DESC, t.top_id DESC)
     SELECT count(*) FILTER (WHERE NOT acute_housing)::int AS resolved, count(*)::int AS total FROM later`,
    [from, date],
  );
  return {
    successful_exits: rate(exits[0]?.planned ?? 0, exits[0]?.total ?? 0),
    employment: rate(work[0]?.ten ?? 0, work[0]?.total ?? 0),
    housing: rate(housing[0]?.resolved ?? 0, housing[0]?.total ?? 0),
  };
}

export interface ComparatorRow {
  id: number | null;
  measure: OutcomeKey | 'penetration';
  level: 'regional' | 'national';
  value: number;
  period: string;
  source: string;
}

/** The comparators entered; where none is entered for an outcome, seed 004's figures (named as such). */
export async function comparators(db: Queryable): Promise<ComparatorRow[]> {
  const rows = await db.query<ComparatorRow>(
    `SELECT DISTINCT ON (measure, level) id::int AS id, measure, level, value, period, source FROM needs_comparators ORDER BY measure, level, entered_at DESC, id DESC`,
  );
  const out: ComparatorRow[] = [...rows];
  for (const k of OUTCOME_KEYS) {
    for (const level of ['regional', 'national'] as const) {
      if (out.some((r) => r.measure === k && r.level === level)) continue;
      const seed = SEED_004_OUTCOMES[k];
      const v = level === 'regional' ? seed.regional : seed.national;
      if (v !== null) out.push({ id: null, measure: k, level, value: v, period: seed.period, source: `${seed.source} (reference pattern; enter your own)` });
    }
  }
  return out;
}

export interface NeedsFigure {
  key: OutcomeKey | 'penetration';
  /** Trend: the 12 months to the date, and the two years before. */
  years: Array<{ to: string; rate: Rate; shared: SharedRate }>;
  regional: ComparatorRow | null;
  national: ComparatorRow | null;
}

export interface NeedsReport {
  date: string;
  prevalence: PrevalenceRow[];
  penetration: { known: number; estimate: number; pct: number | null; areas: string[]; note: string | null } | null;
  figures: NeedsFigure[];
  /** Every comparator entered or imported, for editing (the figures use the latest per measure and level). */
  comparators_entered: EnteredComparator[];
  disclosure: string;
}

/** The needs assessment on a date: figures with their trend, comparators, and the disclosure-controlled versions for sharing. */
export async function needsReport(db: Queryable, date: string): Promise<NeedsReport> {
  const comps = await comparators(db);
  const years = [date, yearBefore(date, 1), yearBefore(date, 2)];
  const perYear = await Promise.all(years.map((d) => outcomes(db, d)));
  const pens = await Promise.all(years.map((d) => penetrationFigure(db, d)));
  const comp = (k: NeedsFigure['key'], level: 'regional' | 'national') => comps.find((c) => c.measure === k && c.level === level) ?? null;
  const figures: NeedsFigure[] = OUTCOME_KEYS.map((k) => ({
    key: k,
    years: years.map((to, i) => {
      const r = perYear[i]![k];
      return { to, rate: r, shared: shareRate(r) };
    }),
    regional: comp(k, 'regional'),
    national: comp(k, 'national'),
  }));
  if (pens[0]) {
    figures.unshift({
      key: 'penetration',
      years: years.map((to, i) => {
        const p = pens[i];
        const r = p ? rate(p.known, p.estimate) : rate(0, 0);
        return { to, rate: r, shared: shareRate(r) };
      }),
      regional: comp('penetration', 'regional'),
      national: comp('penetration', 'national'),
    });
  }
  return { date, prevalence: await listPrevalence(db), penetration: pens[0] ?? null, figures, comparators_entered: await listComparators(db), disclosure: disclosureNote(DEFAULT_DISCLOSURE_POLICY) };
}

export const prevalenceInputSchema = z.strictObject({
  area: z.string().trim().min(1, 'name the area (a local-authority code such as E08000025, or its name)').max(200),
  substance: z.enum(SUBSTANCE_GROUPS),
  estimate: z.number().positive('the estimate must be more than 0').max(10_000_000),
  rate_per_1000: z.number().min(0).max(1000).nullable().optional(),
  year: z.string().trim().min(1, 'give the year of the estimate').max(40),
  source: z.string().trim().min(1, 'give the source of the estimate').max(500),
});
export type PrevalenceInput = z.infer<typeof prevalenceInputSchema>;

export const comparatorInputSchema = z.strictObject({
  measure: z.enum(['successful_exits', 'employment', 'housing', 'penetration']),
  level: z.enum(['regional', 'national']),
  value: z.number().min(0).max(100),
  period: z.string().trim().min(1, 'give the period').max(100),
  source: z.string().trim().min(1, 'give the source').max(500),
});
export type ComparatorInput = z.infer<typeof comparatorInputSchema>;

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new AssuranceError('invalid', 'The figures are not valid', r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message })));
  return r.data;
}

export async function addPrevalence(db: Queryable, body: unknown, by: string): Promise<number> {
  const p = parse(prevalenceInputSchema, body);
  const r = await db.query<{ id: number }>(
    `INSERT INTO needs_prevalence (area, substance, estimate, rate_per_1000, year, source, entered_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
    [p.area, p.substance, p.estimate, p.rate_per_1000 ?? null, p.year, p.source, by],
  );
  return r[0]!.id;
}

export async function addComparator(db: Queryable, body: unknown, by: string): Promise<number> {
  const c = parse(comparatorInputSchema, body);
  const r = await db.query<{ id: number }>(
    `INSERT INTO needs_comparators (measure, level, value, period, source, entered_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
    [c.measure, c.level, c.value, c.period, c.source, by],
  );
  return r[0]!.id;
}

export async function updatePrevalence(db: Queryable, id: number, body: unknown, by: string): Promise<void> {
  const p = parse(prevalenceInputSchema, body);
  const r = await db.query(
    `UPDATE needs_prevalence SET area = $2, substance = $3, estimate = $4, rate_per_1000 = $5, year = $6, source = $7, entered_by = $8, entered_at = now() WHERE id = $1 RETURNING id`,
    [id, p.area, p.substance, p.estimate, p.rate_per_1000 ?? null, p.year, p.source, by],
  );
  if (r.length === 0) throw new AssuranceError('not_found', `No prevalence estimate ${id}`);
}

export async function deletePrevalence(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM needs_prevalence WHERE id = $1 RETURNING id', [id]);
  if (r.length === 0) throw new AssuranceError('not_found', `No prevalence estimate ${id}`);
}

export interface EnteredComparator {
  id: number;
  measure: ComparatorInput['measure'];
  level: ComparatorInput['level'];
  value: number;
  period: string;
  source: string;
  entered_by: string;
  entered_at: string;
}

/** Every comparator entered or imported (the report uses the latest per measure and level). */
export async function listComparators(db: Queryable): Promise<EnteredComparator[]> {
  return db.query<EnteredComparator>('SELECT id::int AS id, measure, level, value, period, source, entered_by, entered_at FROM needs_comparators ORDER BY measure, level, entered_at DESC, id DESC');
}

export async function updateComparator(db: Queryable, id: number, body: unknown, by: string): Promise<void> {
  const c = parse(comparatorInputSchema, body);
  const r = await db.query(
    `UPDATE needs_comparators SET measure = $2, level = $3, value = $4, period = $5, source = $6, entered_by = $7, entered_at = now() WHERE id = $1 RETURNING id`,
    [id, c.measure, c.level, c.value, c.period, c.source, by],
  );
  if (r.length === 0) throw new AssuranceError('not_found', `No comparator ${id}`);
}

export async function deleteComparator(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM needs_comparators WHERE id = $1 RETURNING id', [id]);
  if (r.length === 0) throw new AssuranceError('not_found', `No comparator ${id}`);
}
