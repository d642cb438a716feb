/**
 * Prevalence estimates or comparators from a CSV file (docs/assurance.md). The header
 * says which: `area,substance,estimate,rate_per_1000,year,source` for prevalence
 * estimates, `measure,level,value,period,source` for regional and national comparators.
 * Every row is checked first and every problem reported with file, line, column, value and
 * what was expected (as the dataset and LDIS imports do); then all rows are written in one
 * transaction. A row identical to one already stored is not added again, so importing the
 * same file twice changes nothing.
 */
import Papa from 'papaparse';
import type { z } from 'zod';
import { SUBSTANCE_GROUPS } from '../../domain/assurance/needs';
import type { Db } from '../db';
import { AssuranceError } from './errors';
import { comparatorInputSchema, prevalenceInputSchema, type ComparatorInput, type PrevalenceInput } from './needs';

export const PREVALENCE_COLUMNS = ['area', 'substance', 'estimate', 'rate_per_1000', 'year', 'source'] as const;
export const COMPARATOR_COLUMNS = ['measure', 'level', 'value', 'period', 'source'] as const;
const PREVALENCE_REQUIRED = ['area', 'substance', 'estimate', 'year', 'source'];
export const MAX_NEEDS_ROWS = 5_000;

const EXPECTED: Record<string, string> = {
  area: 'a local-authority code such as E08000025, or the area’s name (1–200 characters)',
  substance: `one of ${SUBSTANCE_GROUPS.join(', ')}`,
  estimate: 'a number greater than 0',
  rate_per_1000: 'a number from 0 to 1000, or empty',
  year: 'the year of the estimate, such as 2022/23 (1–40 characters)',
  source: 'where the figure comes from (1–500 characters)',
  measure: 'one of penetration, successful_exits, employment, housing',
  level: 'regional or national',
  value: 'a percentage from 0 to 100',
  period: 'the period the figure covers, such as 2022/23 (1–100 characters)',
};

export interface NeedsCsvProblem {
  file: string;
  line: number;
  column: string;
  value: string;
  expected: string;
  message: string;
}

export interface NeedsImportResult {
  file: string;
  kind: 'prevalence' | 'comparators';
  rows: number;
  created: number;
  unchanged: number;
}

/** The file was refused: every problem in it (nothing was saved). */
export class NeedsImportError extends AssuranceError {
  readonly problems: NeedsCsvProblem[];
  constructor(message: string, problems: NeedsCsvProblem[]) {
    super('invalid', message, problems.slice(0, 200).map((p) => ({ field: `${p.file}:${p.line}:${p.column}`, message: p.message })));
    this.problems = problems;
  }
}

interface Row {
  line: number;
  cells: Record<string, string>;
}

/** CSV text → header and rows with the line each row starts on. */
function parseCsv(text: string): { header: string[]; rows: Row[]; errors: Array<{ line: number; message: string }> } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result = Papa.parse<string[]>(body, { delimiter: ',', skipEmptyLines: false });
  // Line numbers: count the newlines before each record (quoted newlines move later records on).
  const lines: number[] = [];
  let line = 1;
  for (const record of result.data) {
    lines.push(line);
    line += 1 + record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  }
  const errors = result.errors.map((e) => ({ line: lines[e.row ?? 0] ?? (e.row ?? 0) + 1, message: e.message }));
  let header: string[] | null = null;
  const rows: Row[] = [];
  result.data.forEach((cells, i) => {
    if (cells.length === 1 && (cells[0] ?? '').trim() === '') return;
    if (header === null) {
      header = cells.map((c) => c.trim().toLowerCase());
      return;
    }
    const h = header;
    const record: Record<string, string> = {};
    h.forEach((name, j) => (record[name] = (cells[j] ?? '').trim()));
    if (cells.length !== h.length) errors.push({ line: lines[i] ?? i + 1, message: `${cells.length} fields where the header has ${h.length}` });
    rows.push({ line: lines[i] ?? i + 1, cells: record });
  });
  return { header: header ?? [], rows, errors };
}

function numberOrText(v: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(v.replace(/,/g, '')) ? Number(v.replace(/,/g, '')) : v;
}

function check<T>(schema: z.ZodType<T>, file: string, row: Row, input: Record<string, unknown>, problems: NeedsCsvProblem[]): T | null {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const column = String(issue.path[0] ?? '');
    problems.push({ file, line: row.line, column, value: row.cells[column] ?? '', expected: EXPECTED[column] ?? '', message: `${column}: ${issue.message} (found "${row.cells[column] ?? ''}"; expected ${EXPECTED[column] ?? 'a valid value'})` });
  }
  return null;
}

/** Checks and imports the file, all or nothing. Throws NeedsImportError listing every problem. */
export async function importNeedsCsv(db: Db, opts: { fileName: string; text: string; by: string }): Promise<NeedsImportResult> {
  const file = opts.fileName;
  const { header, rows, errors } = parseCsv(opts.text);
  const problems: NeedsCsvProblem[] = errors.map((e) => ({ file, line: e.line, column: '', value: '', expected: 'a well-formed CSV line', message: e.message }));
  const kind = header.includes('substance') ? 'prevalence' : header.includes('measure') ? 'comparators' : null;
  if (kind === null) {
    throw new NeedsImportError('The file is not a prevalence or comparator file', [
      { file, line: 1, column: '', value: header.join(','), expected: `a header line: ${PREVALENCE_COLUMNS.join(',')} or ${COMPARATOR_COLUMNS.join(',')}`, message: `The header must name the columns: ${PREVALENCE_COLUMNS.join(',')} (prevalence) or ${COMPARATOR_COLUMNS.join(',')} (comparators)` },
    ]);
  }
  const known: readonly string[] = kind === 'prevalence' ? PREVALENCE_COLUMNS : COMPARATOR_COLUMNS;
  const required = kind === 'prevalence' ? PREVALENCE_REQUIRED : [...COMPARATOR_COLUMNS];
  for (const c of required) if (!header.includes(c)) problems.push({ file, line: 1, column: c, value: '', expected: EXPECTED[c] ?? '', message: `The column ${c} is missing from the header` });
  for (const c of header) if (!known.includes(c)) problems.push({ file, line: 1, column: c, value: c, expected: `one of ${known.join(', ')}`, message: `Unknown column ${c}` });
  if (rows.length === 0) problems.push({ file, line: 2, column: '', value: '', expected: 'at least one line of figures', message: 'The file has no figures under the header' });
  if (rows.length > MAX_NEEDS_ROWS) problems.push({ file, line: rows[MAX_NEEDS_ROWS]!.line, column: '', value: '', expected: `at most ${MAX_NEEDS_ROWS} lines`, message: `More than ${MAX_NEEDS_ROWS} lines` });

  const prevalence: PrevalenceInput[] = [];
  const comps: ComparatorInput[] = [];
  if (problems.length === 0) {
    for (const row of rows) {
      const c = row.cells;
      if (kind === 'prevalence') {
        const input: Record<string, unknown> = { area: c.area ?? '', substance: c.substance ?? '', estimate: numberOrText(c.estimate ?? ''), year: c.year ?? '', source: c.source ?? '' };
        if (c.rate_per_1000) input.rate_per_1000 = numberOrText(c.rate_per_1000);
        const p = check(prevalenceInputSchema, file, row, input, problems);
        if (p) prevalence.push(p);
      } else {
        const input = { measure: c.measure ?? '', level: c.level ?? '', value: numberOrText((c.value ?? '').replace(/%$/, '')), period: c.period ?? '', source: c.source ?? '' };
        const p = check(comparatorInputSchema, file, row, input, problems);
        if (p) comps.push(p);
      }
    }
  }
  if (problems.length > 0) throw new NeedsImportError(`The file has ${problems.length} problem${problems.length === 1 ? '' : 's'}: nothing was saved`, problems);

  return db.transaction(async (tx) => {
    let created = 0;
    if (kind === 'prevalence') {
      for (const p of prevalence) {
        const r = await tx.query(
          `INSERT INTO needs_prevalence (area, substance, estimate, rate_per_1000, year, source, entered_by)
           SELECT $1::text, $2::text, $3::numeric, $4::numeric, $5::text, $6::text, $7::text WHERE NOT EXISTS (
             SELECT 1 FROM needs_prevalence WHERE area = $1::text AND substance = $2::text AND estimate = $3::numeric AND rate_per_1000 IS NOT DISTINCT FROM $4::numeric AND year = $5::text AND source = $6::text)
           RETURNING id`,
          [p.area, p.substance, p.estimate, p.rate_per_1000 ?? null, p.year, p.source, opts.by],
        );
        created += r.length;
      }
    } else {
      for (const p of comps) {
        const r = await tx.query(
          `INSERT INTO needs_comparators (measure, level, value, period, source, entered_by)
           SELECT $1::text, $2::text, $3::numeric, $4::text, $5::text, $6::text WHERE NOT EXISTS (
             SELECT 1 FROM needs_comparators WHERE measure = $1::text AND level = $2::text AND value = $3::numeric AND period = $4::text AND source = $5::text)
           RETURNING id`,
          [p.measure, p.level, p.value, p.period, p.source, opts.by],
        );
        created += r.length;
      }
    }
    const n = kind === 'prevalence' ? prevalence.length : comps.length;
    return { file, kind, rows: n, created, unchanged: n - created };
  });
}
