/**
 * Problems found in an import, and the CSV reports made from them: the problem list
 * (kept in detail up to a cap, counted in full) and, with skip-invalid, the rejected rows.
 */

export type Severity = 'error' | 'warning';

export type ProblemCode =
  | 'no_files'
  | 'unknown_file'
  | 'duplicate_file'
  | 'unreadable'
  | 'empty_file'
  | 'encoding'
  | 'invalid_utf8'
  | 'invalid_character'
  | 'missing_header'
  | 'missing_column'
  | 'duplicate_column'
  | 'unknown_column'
  | 'field_count'
  | 'unterminated_quote'
  | 'malformed_quote'
  | 'required'
  | 'too_long'
  | 'bad_date'
  | 'bad_timestamp'
  | 'bad_boolean'
  | 'bad_integer'
  | 'bad_number'
  | 'unknown_code'
  | 'out_of_range'
  | 'bad_format'
  | 'inconsistent'
  | 'duplicate_id'
  | 'dangling_reference'
  | 'rejected_reference'
  | 'database'
  | 'cancelled';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  /** The file (or workbook sheet) as the user named it, e.g. `people.csv`. Empty for the whole import. */
  file: string;
  /** 1-based line (the header is line 1; in a workbook, the sheet's row number). 0 = the whole file. */
  line: number;
  /** The column named in the header, or empty when the problem is not about one column. */
  column: string;
  /** The offending value as read (shortened when long). */
  value: string;
  /** What was expected instead. */
  expected: string;
  /** A sentence saying what is wrong. */
  message: string;
}

/** How many problems of one kind one column has (counted even beyond the detail cap). */
export interface ProblemCount {
  file: string;
  column: string;
  code: ProblemCode;
  severity: Severity;
  count: number;
  /** The first line where it happens. */
  firstLine: number;
}

const MAX_VALUE_CHARS = 200;

/** A value fit for a report: at most `max` characters, NUL shown as \0 (PostgreSQL text cannot hold it). */
export function shorten(value: string, max = MAX_VALUE_CHARS): string {
  const v = value.length <= max ? value : `${value.slice(0, max)}…`;
  return v.indexOf('\u0000') >= 0 ? v.replaceAll('\u0000', '\\0') : v;
}

/** Quotes one CSV field when it needs it (RFC 4180). */
export function csvField(value: string): string {
  if (value === '') return '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** A CSV field for a report people open in a spreadsheet: a leading = + @ - cannot start a formula. */
function reportField(value: string): string {
  const first = value.charCodeAt(0);
  const safe = first === 61 /* = */ || first === 43 /* + */ || first === 64 /* @ */ || (first === 45 /* - */ && !/^-\d/.test(value))
    ? `'${value}`
    : value;
  return csvField(safe);
}

export const PROBLEM_CSV_HEADER = 'file,line,column,value,expected,message,severity';

export function problemCsvLine(p: Problem): string {
  return [p.file, p.line === 0 ? '' : String(p.line), p.column, p.value, p.expected, p.message, p.severity]
    .map(reportField)
    .join(',');
}

/** Collects problems: every one is counted, the first `maxDetail` are kept. */
export class ProblemLog {
  readonly detail: Problem[] = [];
  errors = 0;
  warnings = 0;
  private readonly counts = new Map<string, ProblemCount>();

  constructor(readonly maxDetail: number) {}

  get total(): number {
    return this.errors + this.warnings;
  }

  get truncated(): boolean {
    return this.total > this.detail.length;
  }

  add(p: Problem): void {
    if (p.severity === 'error') this.errors++;
    else this.warnings++;
    const key = `${p.file}\u0000${p.column}\u0000${p.code}`;
    const c = this.counts.get(key);
    if (c) c.count++;
    else this.counts.set(key, { file: p.file, column: p.column, code: p.code, severity: p.severity, count: 1, firstLine: p.line });
    if (this.detail.length < this.maxDetail) this.detail.push({ ...p, value: shorten(p.value), message: shorten(p.message, 2000) });
  }

  summary(): ProblemCount[] {
    return [...this.counts.values()];
  }

  /** The problem report as CSV; when the list was capped, a last line says how many more there were. */
  toCsv(maxBytes = Number.POSITIVE_INFINITY): string {
    const lines = [PROBLEM_CSV_HEADER];
    let bytes = PROBLEM_CSV_HEADER.length + 1;
    let listed = 0;
    for (const p of this.detail) {
      const line = problemCsvLine(p);
      if (bytes + line.length + 1 > maxBytes - 200) break;
      lines.push(line);
      bytes += line.length + 1;
      listed++;
    }
    const more = this.total - listed;
    if (more > 0) {
      lines.push(['', '', '', '', '', `${more} more problem${more === 1 ? '' : 's'} not listed (${this.errors} errors and ${this.warnings} warnings in all)`, '']
        .map(reportField).join(','));
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Rejected rows of one file, as CSV: `line,reason` then the row's own columns. */
export interface RejectedFile {
  file: string;
  rows: number;
  /** False when the CSV stops early because the byte cap was reached (rows still counts all). */
  complete: boolean;
  csv: string;
}

/** Collects rejected rows per file up to a total byte cap. */
export class RejectLog {
  private readonly files = new Map<string, { header: string[]; rows: number; complete: boolean; parts: string[] }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  add(file: string, header: readonly string[], line: number, reasons: string, fields: readonly string[]): void {
    let f = this.files.get(file);
    if (!f) {
      f = { header: [...header], rows: 0, complete: true, parts: [] };
      this.files.set(file, f);
    }
    f.rows++;
    if (!f.complete) return;
    const text = [String(line), reasons, ...fields].map(csvField).join(',');
    if (this.bytes + text.length > this.maxBytes) {
      f.complete = false;
      return;
    }
    this.bytes += text.length + 1;
    f.parts.push(text);
  }

  result(): RejectedFile[] {
    return [...this.files.entries()].map(([file, f]) => ({
      file,
      rows: f.rows,
      complete: f.complete,
      csv: `${['line', 'reason', ...f.header].map(csvField).join(',')}\n${f.parts.map((p) => `${p}\n`).join('')}`,
    }));
  }
}
