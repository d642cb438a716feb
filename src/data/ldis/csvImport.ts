/**
 * Partner reports from a CSV file in the incidents.csv format (dataset.md): every row is
 * checked first and every problem reported with file, line, column, value and what was
 * expected; then all rows are written in one transaction as ordinary submissions of the
 * partner organisation (report_id = the partner's own id), so re-importing the same file
 * creates nothing new, and one bad row saves nothing.
 */
import Papa from 'papaparse';
import { INCIDENT_EVENT_TYPES, INCIDENT_SOURCES, OUTCOMES, ROUTES, TRI_STATE_FIELDS } from '../../domain/ldis/types';
import type { Db } from '../db';
import { LdisError } from './errors';
import { prepareSubmission, submitPrepared, type PreparedSubmission } from './reports';
import type { ReportSubmission } from './schema';
import { PARTNER_PATTERN } from './tokens';

/** Columns of incidents.csv, required first. */
export const REQUIRED_COLUMNS = ['report_id', 'received_at', 'source', 'event_date', 'event_type', 'local_authority'] as const;
export const OPTIONAL_COLUMNS = [
  'age', 'sex', 'postcode', 'hmo', 'street_sleeping', 'class_a_user', 'in_treatment', 'route', 'naloxone_doses',
  'synthetic_opioid_suspected', 'forensic_nitazene', 'tox_tested_nitazene', 'tox_nitazene_present',
  'tox_n_desethyl_isotonitazene', 'substances', 'outcome', 'location_type', 'notes', 'exercise',
] as const;
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
export const MAX_IMPORT_ROWS = 10_000;

export interface CsvProblem {
  file: string;
  line: number;
  column: string;
  value: string;
  expected: string;
  message: string;
}

export interface CsvImportResult {
  file: string;
  partner: string;
  rows: number;
  created: number;
  replayed: number;
  report_ids: string[];
}

/** What each column expects, in words (for the problem list). */
const EXPECTED: Record<string, string> = {
  report_id: "the partner's own report id (1–100 characters)",
  received_at: 'a date and time (ISO 8601), e.g. 2024-05-10T14:30:00Z',
  source: `one of ${INCIDENT_SOURCES.join(', ')}`,
  event_date: 'a date as YYYY-MM-DD, not in the future',
  event_type: `one of ${INCIDENT_EVENT_TYPES.join(', ')}`,
  local_authority: 'an ONS local authority code, e.g. E08000025',
  age: 'a whole number of years 0–120, or empty',
  sex: 'M, F, X or U, or empty',
  postcode: 'a UK postcode or postcode district, or empty',
  route: `one of ${ROUTES.join(', ')}, or empty`,
  naloxone_doses: 'a whole number 0–100, or empty',
  substances: 'substances separated by semicolons, or empty',
  outcome: `one of ${OUTCOMES.join(', ')}, or empty`,
  location_type: 'text up to 100 characters, or empty',
  notes: 'text up to 4,000 characters, or empty',
  exercise: 'Y for drill data, N or empty otherwise',
};
for (const f of TRI_STATE_FIELDS) EXPECTED[f] = 'Y, N, or empty for unknown';

const INTEGER_COLUMNS = new Set(['age', 'naloxone_doses']);

interface ParsedRow {
  line: number;
  cells: Record<string, string>;
}

/** CSV text → header and rows with the line each row starts on (quoted newlines allowed). */
function parseCsv(text: string): { header: string[]; rows: ParsedRow[]; problems: Array<{ line: number; message: string }> } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineStarts: number[] = [0];
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let header: string[] | null = null;
  const rows: ParsedRow[] = [];
  const problems: Array<{ line: number; message: string }> = [];
  let start = 0;
  Papa.parse<string[]>(body, {
    delimiter: ',',
    skipEmptyLines: false,
    step: (result) => {
      const line = lineOf(start);
      start = result.meta.cursor;
      // Skip the newline the cursor stops before.
      while (body.charCodeAt(start) === 13 || body.charCodeAt(start) === 10) start++;
      for (const e of result.errors) problems.push({ line, message: e.message });
      const cells = result.data;
      if (cells.length === 1 && cells[0] === '') return;
      if (header === null) {
        header = cells.map((c) => c.trim());
        return;
      }
      if (rows.length >= MAX_IMPORT_ROWS + 1) return;
      const record: Record<string, string> = {};
      header.forEach((h, i) => (record[h] = (cells[i] ?? '').trim()));
      if (cells.length !== header.length) problems.push({ line, message: `${cells.length} fields where the header has ${header.length}` });
      rows.push({ line, cells: record });
    },
  });
  return { header: header ?? [], rows, problems };
}

/** One CSV row → a submission (types converted; empty cells left out = unknown). */
function submissionOf(cells: Record<string, string>): { submission: Record<string, unknown>; problems: Array<{ column: string; message: string }> } {
  const out: Record<string, unknown> = {};
  const problems: Array<{ column: string; message: string }> = [];
  for (const [column, value] of Object.entries(cells)) {
    if (value === '' || column === 'received_at') continue;
    if (column === 'report_id') out.partner_report_id = value;
    else if (INTEGER_COLUMNS.has(column)) {
      if (!/^-?\d+$/.test(value)) problems.push({ column, message: 'not a whole number' });
      else out[column] = Number(value);
    } else if (column === 'exercise') {
      if (!['Y', 'N'].includes(value.toUpperCase())) problems.push({ column, message: 'not Y or N' });
      else out.exercise = value.toUpperCase() === 'Y';
    } else if ((TRI_STATE_FIELDS as readonly string[]).includes(column)) {
      const v = value.toUpperCase();
      out[column] = v === 'UNKNOWN' ? 'unknown' : v;
    } else out[column] = value;
  }
  return { submission: out, problems };
}

/**
 * Checks and imports a partner's CSV file, all or nothing. Throws LdisError 'invalid'
 * with `problems` (every problem in the file) when anything is wrong.
 */
export async function importPartnerCsv(
  db: Db,
  opts: { partner: string; fileName: string; text: string; importedBy: string; now?: string },
): Promise<CsvImportResult> {
  const file = opts.fileName.trim() || 'incidents.csv';
  const problems: CsvProblem[] = [];
  const add = (line: number, column: string, value: string, message: string) =>
    problems.push({ file, line, column, value: value.length > 200 ? `${value.slice(0, 200)}…` : value, expected: EXPECTED[column] ?? '', message });
  if (!PARTNER_PATTERN.test(opts.partner)) throw new CsvImportError([{ file, line: 0, column: '', value: opts.partner, expected: 'a partner organisation name', message: 'no partner organisation' }]);
  const { header, rows, problems: parseProblems } = parseCsv(opts.text);
  for (const p of parseProblems) add(p.line, '', '', p.message);
  if (header.length === 0) add(1, '', '', 'the file is empty: it needs a header line and at least one report');
  for (const h of header) if (!KNOWN.has(h)) problems.push({ file, line: 1, column: h, value: h, expected: `a column of incidents.csv: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')}`, message: 'unknown column' });
  for (const c of REQUIRED_COLUMNS) if (header.length > 0 && !header.includes(c)) problems.push({ file, line: 1, column: c, value: '', expected: 'the column in the header line', message: 'required column missing' });
  if (header.length > 0 && rows.length === 0) add(2, '', '', 'the file has no reports');
  if (rows.length > MAX_IMPORT_ROWS) add(rows[MAX_IMPORT_ROWS]?.line ?? 0, '', '', `more than ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} reports in one file: split it`);
  const prepared: Array<{ line: number; p: PreparedSubmission }> = [];
  if (problems.length === 0) {
    for (const row of rows) {
      for (const c of REQUIRED_COLUMNS) if ((row.cells[c] ?? '') === '') add(row.line, c, '', 'required');
      const ra = row.cells.received_at ?? '';
      if (ra !== '' && Number.isNaN(Date.parse(ra))) add(row.line, 'received_at', ra, 'not a date and time');
      const { submission, problems: cellProblems } = submissionOf(row.cells);
      for (const cp of cellProblems) add(row.line, cp.column, row.cells[cp.column] ?? '', cp.message);
      const said = new Set(cellProblems.map((cp) => cp.column));
      try {
        const p = {
          line: row.line,
          p: prepareSubmission({ partner: opts.partner, submittedBy: opts.importedBy, submission: submission as ReportSubmission, ...(opts.now ? { now: opts.now } : {}) }),
        };
        if (cellProblems.length === 0) prepared.push(p);
      } catch (err) {
        if (!(err instanceof LdisError)) throw err;
        for (const e of err.errors ?? [{ field: '', message: err.message }]) {
          const column = e.field === 'partner_report_id' ? 'report_id' : e.field.split('.')[0] ?? '';
          if (said.has(column)) continue;
          if (column === 'report_id' && (row.cells.report_id ?? '') === '') continue; // already said: required
          if (REQUIRED_COLUMNS.includes(column as (typeof REQUIRED_COLUMNS)[number]) && (row.cells[column] ?? '') === '') continue;
          add(row.line, column, row.cells[column] ?? '', e.message);
        }
      }
    }
  }
  if (problems.length > 0) throw new CsvImportError(problems);
  return db.transaction(async (tx) => {
    let created = 0;
    let replayed = 0;
    const ids: string[] = [];
    const conflicts: CsvProblem[] = [];
    for (const { line, p } of prepared) {
      try {
        const r = await submitPrepared(tx, p);
        if (r.created) created++;
        else replayed++;
        ids.push(r.reportId);
      } catch (err) {
        if (!(err instanceof LdisError)) throw err;
        conflicts.push({ file, line, column: 'report_id', value: p.partnerReportId, expected: 'a report id not used before for a different report', message: err.message });
      }
    }
    if (conflicts.length > 0) throw new CsvImportError(conflicts);
    await tx.query('INSERT INTO ldis_partner_imports (partner, file_name, imported_by, rows, created, replayed) VALUES ($1, $2, $3, $4, $5, $6)', [
      opts.partner,
      file,
      opts.importedBy,
      prepared.length,
      created,
      replayed,
    ]);
    return { file, partner: opts.partner, rows: prepared.length, created, replayed, report_ids: ids };
  });
}

/** The file was not imported: every problem found. */
export class CsvImportError extends LdisError {
  readonly problems: CsvProblem[];
  constructor(problems: CsvProblem[]) {
    super(
      'invalid',
      'invalid_file',
      `The file was not imported: ${problems.length.toLocaleString('en-GB')} problem${problems.length === 1 ? '' : 's'}. Nothing was saved.`,
      problems.slice(0, 500).map((p) => ({ field: `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}`, message: `${p.message}${p.value ? ` (value “${p.value}”)` : ''}${p.expected ? `; expected ${p.expected}` : ''}` })),
    );
    this.problems = problems;
  }
}
