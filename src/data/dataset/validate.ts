/**
 * Per-row validation driven by the spec: hand-written and allocation-light, because it runs
 * for every cell of multi-million-row files. A valid row comes out as one CSV line ready for
 * COPY (values trimmed, dates as YYYY-MM-DD, codes as listed; booleans as written, since
 * PostgreSQL reads every accepted spelling), or as the row's own text when nothing needed
 * changing. An invalid row comes out as problems (and, with skip-invalid, as a rejected row
 * with its reasons). Duplicate keys and references are checked against KeyTables.
 */
import type { RowIssue } from './csv-reader';
import { KeyTable } from './keytable';
import { csvField, type Problem, type ProblemCode, type ProblemLog, type RejectLog, type Severity } from './problems';
import { expectedText, type ColumnSpec, type FileSpec, type TableName } from './spec';
import {
  codeLookup,
  explainDate,
  isNhsNumber,
  isOnsCode,
  isPostcode,
  parseBoolean,
  parseDate,
  parseInteger,
  parseNumber,
  parseTimestamp,
} from './values';

/** Keys of a referenced file (services, people): those in this import and those already stored. */
export class KeyIndex {
  /** Key → line in this import; negative when that row was rejected. */
  readonly imported = new KeyTable();
  /** Keys already in the database (loaded on first need), or null when not loaded. */
  db: KeyTable | null = null;
  /** The file could not be read as a whole (no header, empty, wrong encoding): its keys are unknown. */
  unreadable = false;

  constructor(
    readonly table: TableName,
    /** The file name as the user gave it (for messages); null when this import has no such file. */
    public file: string | null,
  ) {}
}

export interface ValidatorContext {
  problems: ProblemLog;
  /** Collects rejected rows when skip-invalid is on; null otherwise. */
  rejects: RejectLog | null;
  /** Key indexes of referenced tables. */
  keys: Partial<Record<TableName, KeyIndex>>;
  /** The import day (YYYY-MM-DD) for "not in the future" rules. */
  today: string;
}

const K_TEXT = 0;
const K_DATE = 1;
const K_TIMESTAMP = 2;
const K_BOOLEAN = 3;
const K_INTEGER = 4;
const K_NUMBER = 5;
const K_CODE = 6;

const KIND_CODES = { text: K_TEXT, date: K_DATE, timestamp: K_TIMESTAMP, boolean: K_BOOLEAN, integer: K_INTEGER, number: K_NUMBER, code: K_CODE } as const;

function plain(c: number): boolean {
  return c > 32 && c < 127;
}

/** Trim (white space as String.prototype.trim sees it) without allocating when there is nothing to trim. */
function trim(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  return plain(s.charCodeAt(0)) && plain(s.charCodeAt(n - 1)) ? s : s.trim();
}

function needsQuote(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13 || c === 92) return true;
  }
  return false;
}

/** A value for PostgreSQL's COPY (FORMAT csv): quoted when needed; `\.` is always quoted. */
function copyText(s: string): string {
  return needsQuote(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface FileCounts {
  /** Data rows read (blank lines are not rows). */
  read: number;
  valid: number;
  rejected: number;
}

export class TableValidator {
  readonly counts: FileCounts = { read: 0, valid: 0, rejected: 0 };
  /** The spec columns present in the header, in spec order (the COPY column list). */
  readonly present: ColumnSpec[] = [];
  /** False when the header has an error: every row is then rejected. */
  readonly headerOk: boolean;
  /** False when the first line is not a header at all: rows are not even checked. */
  readonly usable: boolean;

  private readonly width: number;
  private readonly fieldIndex: Int32Array;
  private readonly kinds: Uint8Array;
  private readonly required: boolean[];
  private readonly emptyAs: string[];
  private readonly maxLength: number[];
  private readonly min: number[];
  private readonly max: number[];
  private readonly lookups: ((s: string) => string | undefined)[];
  private readonly expected: string[];
  private readonly refIndex: (KeyIndex | undefined)[];
  private readonly keyPos: number[];
  /** The key index this file's own keys go into when other files reference it. */
  private readonly ownKeys: KeyTable;
  private readonly rules: { kind: 'not_before' | 'not_future'; a: number; b: number }[] = [];
  private readonly vals: (string | null)[];
  private readonly outs: string[];
  /** The header lists exactly the present columns, in spec order (a row's text can go to COPY as it is). */
  private readonly identity: boolean;
  private readonly lastRef: (string | null)[];
  private readonly formats: (ColumnSpec['format'] | undefined)[];
  private readonly skipInvalid: boolean;
  private rowErrors: string[] = [];
  private headerProblem = '';

  constructor(
    readonly spec: FileSpec,
    /** The file (or sheet) name shown in problems. */
    readonly file: string,
    /** The header fields as read (original spelling). */
    readonly header: readonly string[],
    readonly headerLine: number,
    private readonly ctx: ValidatorContext,
  ) {
    this.skipInvalid = ctx.rejects !== null;
    this.width = header.length;
    const names = header.map((h) => h.trim().toLowerCase());
    const byName = new Map<string, number>();
    let headerOk = true;
    let known = 0;
    names.forEach((name, i) => {
      const colSpec = spec.columns.find((c) => c.name === name);
      if (!colSpec) {
        this.problem('warning', 'unknown_column', headerLine, (header[i] ?? '').trim(), header[i] ?? '', `a column of ${spec.file}`,
          name === '' ? `column ${i + 1} has no name: its values are ignored` : `unknown column "${header[i]?.trim()}" is ignored`);
        return;
      }
      known++;
      if (byName.has(name)) {
        headerOk = false;
        this.headerProblem = `column ${name} appears twice`;
        this.problem('error', 'duplicate_column', headerLine, name, header[i] ?? '', 'each column once',
          `column ${name} appears twice in the header (columns ${(byName.get(name) ?? 0) + 1} and ${i + 1})`);
        return;
      }
      byName.set(name, i);
    });
    this.usable = known > 0;
    if (!this.usable) {
      headerOk = false;
      const sample = spec.columns.filter((c) => c.required).map((c) => c.name).join(', ');
      this.headerProblem = 'the first line is not a header';
      const joined = header.join(',');
      const separator = header.length === 1 ? (joined.includes(';') ? ';' : joined.includes('\t') ? 'tab' : null) : null;
      this.problem('error', 'missing_header', headerLine, '', shortRow(header), `a header line naming the columns (${sample})`,
        separator
          ? `the values of ${file} are separated by ${separator === ';' ? 'semicolons' : 'tabs'}: save it as CSV with commas`
          : `the first line of ${file} is not a header: none of its names is a column of ${spec.file}`);
    } else {
      for (const c of spec.columns) {
        if (c.required && !byName.has(c.name)) {
          headerOk = false;
          this.headerProblem ||= `required column ${c.name} is missing`;
          this.problem('error', 'missing_column', headerLine, c.name, '', `a column named ${c.name}`,
            `required column ${c.name} is missing from the header of ${file}`);
        }
      }
    }
    this.headerOk = headerOk;

    for (const c of spec.columns) if (byName.has(c.name)) this.present.push(c);
    const n = this.present.length;
    this.fieldIndex = new Int32Array(n);
    this.kinds = new Uint8Array(n);
    this.required = [];
    this.emptyAs = [];
    this.maxLength = [];
    this.min = [];
    this.max = [];
    this.lookups = [];
    this.expected = [];
    this.refIndex = [];
    this.vals = new Array<string | null>(n).fill(null);
    this.outs = new Array<string>(n).fill('');
    this.lastRef = new Array<string | null>(n).fill(null);
    this.formats = this.present.map((c) => c.format);
    this.present.forEach((c, i) => {
      this.fieldIndex[i] = byName.get(c.name) ?? -1;
      this.kinds[i] = KIND_CODES[c.type.kind];
      this.required.push(c.required);
      this.emptyAs.push(c.emptyAs === undefined ? '' : c.emptyAs === 'N' ? 'f' : c.emptyAs === 'Y' ? 't' : c.emptyAs);
      this.maxLength.push(c.type.kind === 'text' ? c.type.maxLength : 0);
      this.min.push(c.type.kind === 'integer' || c.type.kind === 'number' ? c.type.min : 0);
      this.max.push(c.type.kind === 'integer' || c.type.kind === 'number' ? c.type.max : 0);
      this.lookups.push(c.type.kind === 'code' ? codeLookup(c.type.values) : () => undefined);
      this.expected.push(expectedText(c));
      this.refIndex.push(c.references ? ctx.keys[c.references] : undefined);
    });
    this.identity = this.width === n && this.present.every((_, i) => this.fieldIndex[i] === i);
    const pos = (name: string) => this.present.findIndex((c) => c.name === name);
    this.keyPos = spec.key.map(pos);
    if (this.keyPos.some((p) => p < 0)) this.keyPos = [];
    this.ownKeys = ctx.keys[spec.table]?.imported ?? new KeyTable();
    for (const r of spec.rules) {
      if (r.kind === 'not_before') {
        const a = pos(r.column);
        const b = pos(r.other);
        if (a >= 0 && b >= 0) this.rules.push({ kind: 'not_before', a, b });
      } else {
        const a = pos(r.column);
        if (a >= 0) this.rules.push({ kind: 'not_future', a, b: -1 });
      }
    }
  }

  private problem(severity: Severity, code: ProblemCode, line: number, column: string, value: string, expected: string, message: string): void {
    const p: Problem = { severity, code, file: this.file, line, column, value, expected, message };
    this.ctx.problems.add(p);
  }

  /** A row-level error: reported, and remembered as a reason for the reject log. */
  private error(code: ProblemCode, line: number, column: string, value: string, expected: string, message: string): void {
    this.problem('error', code, line, column, value, expected, message);
    this.rowErrors.push(message);
  }

  /**
   * Checks one row. Returns its COPY line (no newline) when it is valid, else null.
   * `issue` is a reading problem found for this row (encoding, quoting).
   */
  validate(fields: string[], line: number, issue: RowIssue | undefined, hasNul: boolean, raw?: string): string | null {
    this.counts.read++;
    if (this.rowErrors.length > 0) this.rowErrors = [];
    if (issue && issue.code !== 'invalid_utf8') {
      // A quoting problem makes the rest of the row meaningless: report it alone.
      this.error(issue.code, line, '', shortRow(fields), issue.code === 'unterminated_quote' ? 'a closing quote (")' : 'a well-formed CSV line', issue.detail);
      this.rememberRawKey(fields, line);
      return this.reject(fields, line);
    }
    if (fields.length !== this.width && !(fields.length > this.width && restEmpty(fields, this.width))) {
      const fewer = fields.length < this.width;
      this.error('field_count', line, fewer ? (this.header[fields.length] ?? '').trim() : '', shortRow(fields), `${this.width} values, one per header column`,
        `line has ${fields.length} values but the header has ${this.width}: ${fewer ? 'the line is cut short (a truncated file?)' : 'an unquoted comma inside a value?'}`);
      this.rememberRawKey(fields, line);
      return this.reject(fields, line);
    }
    if (issue) {
      const at = fields.findIndex((f) => f.indexOf('\uFFFD') >= 0);
      const column = at >= 0 ? (this.header[at] ?? '').trim() : '';
      this.error('invalid_utf8', line, column, at >= 0 ? (fields[at] ?? '') : '', 'UTF-8 text',
        `line has bytes that are not UTF-8 (${issue.detail}): save the file as "CSV UTF-8"`);
    }
    if (!this.usable) return this.reject(fields, line);

    const vals = this.vals;
    const outs = this.outs;
    const n = this.present.length;
    let changed = !this.identity || fields.length !== n;
    for (let c = 0; c < n; c++) {
      const field = fields[this.fieldIndex[c] ?? 0] ?? '';
      const v = trim(field);
      let o = '';
      if (v.length === 0) {
        vals[c] = null;
        if (this.required[c]) this.error('required', line, this.present[c]?.name ?? '', '', this.expected[c] ?? '', `${this.present[c]?.name} is required`);
        o = this.emptyAs[c] ?? '';
      } else {
        switch (this.kinds[c]) {
          case K_TEXT:
            if (v.length > (this.maxLength[c] ?? 0)) {
              this.bad(c, 'too_long', line, v, `${v.length} characters is longer than the ${this.maxLength[c]} allowed`);
            } else if (hasNul && v.indexOf('\u0000') >= 0) {
              this.bad(c, 'invalid_character', line, v, 'the value contains a NUL character');
            } else {
              const f = this.formats[c];
              if (f && !formatOk(f.check, v)) this.formatProblem(c, f.check, f.severity, line, v);
              o = copyText(v);
            }
            vals[c] = v;
            break;
          case K_DATE: {
            const d = parseDate(v);
            if (d === null) this.bad(c, 'bad_date', line, v, explainDate(v));
            else o = d;
            vals[c] = d;
            break;
          }
          case K_TIMESTAMP: {
            const t = parseTimestamp(v);
            if (t === null) this.bad(c, 'bad_timestamp', line, v, `${v} is not an ISO 8601 date and time`);
            else o = t;
            vals[c] = t;
            break;
          }
          case K_BOOLEAN: {
            // PostgreSQL reads every accepted spelling (y, yes, true, 1, …) itself.
            const b = parseBoolean(v);
            if (b === null) this.bad(c, 'bad_boolean', line, v, `${v} is not Y or N`);
            else o = v;
            vals[c] = b;
            break;
          }
          case K_INTEGER: {
            const i = parseInteger(v);
            vals[c] = null;
            if (Number.isNaN(i)) this.bad(c, 'bad_integer', line, v, `${v} is not a whole number`);
            else if (i < (this.min[c] ?? 0) || i > (this.max[c] ?? 0)) {
              this.bad(c, 'out_of_range', line, v, `${v} is out of range: ${this.present[c]?.name} must be from ${this.min[c]} to ${this.max[c]}`);
            } else {
              o = v.charCodeAt(0) === 43 /* + */ ? String(i) : v;
              vals[c] = o;
            }
            break;
          }
          case K_NUMBER: {
            const num = parseNumber(v);
            vals[c] = null;
            if (num === null) this.bad(c, 'bad_number', line, v, `${v} is not a number`);
            else {
              const x = Number(num);
              if (x < (this.min[c] ?? 0)) this.bad(c, 'out_of_range', line, v, `${v} is out of range: ${this.present[c]?.name} cannot be below ${this.min[c]}`);
              else if (x > (this.max[c] ?? 0)) this.bad(c, 'out_of_range', line, v, `${v} is out of range: ${this.present[c]?.name} cannot be above ${this.max[c]}`);
              else {
                o = num;
                vals[c] = num;
              }
            }
            break;
          }
          default: {
            const code = this.lookups[c]?.(v);
            if (code === undefined) this.bad(c, 'unknown_code', line, v, `${v} is not a code for ${this.present[c]?.name}`);
            else o = code;
            vals[c] = code ?? null;
          }
        }
      }
      outs[c] = o;
      if (o !== field) changed = true;
    }

    for (const r of this.rules) {
      const a = vals[r.a];
      if (a === null || a === undefined) continue;
      if (r.kind === 'not_before') {
        const b = vals[r.b];
        if (b !== null && b !== undefined && a < b) {
          const an = this.present[r.a]?.name ?? '';
          const bn = this.present[r.b]?.name ?? '';
          this.error('inconsistent', line, an, a, `a date on or after ${bn} (${b})`, `${an} ${a} is before ${bn} ${b}`);
        }
      } else if (a > this.ctx.today) {
        const an = this.present[r.a]?.name ?? '';
        this.error('inconsistent', line, an, a, `a date not after today (${this.ctx.today})`, `${an} ${a} is in the future`);
      }
    }

    for (let c = 0; c < n; c++) {
      const ref = this.refIndex[c];
      const v = vals[c];
      if (!ref || v === null || v === undefined) continue;
      // Rows usually come grouped by person: the same reference as the row before is known good.
      if (v === this.lastRef[c]) continue;
      const state = ref.imported.get(v);
      const name = this.present[c]?.name ?? '';
      if (state === 0) {
        if (ref.db?.has(v)) {
          this.lastRef[c] = v;
          continue;
        }
        if (ref.unreadable) {
          // That file's own error already rejects the import; with skip-invalid this row must go too.
          if (this.skipInvalid) {
            this.error('rejected_reference', line, name, v, `a ${name} from a readable ${ref.file}`, `${name} ${v} cannot be checked: ${ref.file} could not be read`);
          }
        } else {
          const where = ref.file ? `${ref.file} or the database` : 'the database';
          this.error('dangling_reference', line, name, v, `a ${name} from ${where}`, `${name} ${v} is not in ${where}`);
        }
      } else if (state < 0 && this.skipInvalid && !ref.db?.has(v)) {
        this.error('rejected_reference', line, name, v, `a ${name} whose row is valid`,
          `${name} ${v} is rejected: its row in ${ref.file ?? ref.table} (line ${-state}) has errors`);
      } else if (state > 0) {
        this.lastRef[c] = v;
      }
    }

    // The row's key: one value, or a pair (drug_tests: test_id, substance).
    let k0: string | null = null;
    let k1: string | undefined;
    if (this.keyPos.length > 0) {
      const a = vals[this.keyPos[0] ?? 0];
      if (a !== null && a !== undefined) {
        if (this.keyPos.length === 1) k0 = a;
        else {
          const b = vals[this.keyPos[1] ?? 0];
          if (b !== null && b !== undefined) {
            k0 = a;
            k1 = b;
          }
        }
      }
      if (k0 !== null) {
        const first = this.ownKeys.get(k0, k1);
        if (first !== 0) {
          const names = this.spec.key.join(',');
          const shown = k1 === undefined ? k0 : `${k0},${k1}`;
          this.error('duplicate_id', line, names, shown, `${names} not used on another line of this file`,
            `${names} ${shown} is already used on line ${Math.abs(first)}`);
          k0 = null;
        }
      }
    }

    if (this.rowErrors.length > 0 || !this.headerOk) {
      if (k0 !== null) this.ownKeys.set(-line, k0, k1);
      return this.reject(fields, line);
    }
    if (k0 !== null) this.ownKeys.set(line, k0, k1);
    this.counts.valid++;
    return changed || raw === undefined ? outs.join(',') : raw;
  }

  /**
   * A row rejected before its values were read still claims its key (when the key's
   * values can be read), so that rows referring to it are not also reported as dangling.
   */
  private rememberRawKey(fields: string[], line: number): void {
    if (this.keyPos.length === 0) return;
    const parts: string[] = [];
    for (const p of this.keyPos) {
      const raw = trim(fields[this.fieldIndex[p] ?? -1] ?? '');
      if (raw === '') return;
      const canonical = this.kinds[p] === K_CODE ? this.lookups[p]?.(raw) ?? raw : raw;
      parts.push(canonical);
    }
    const [a = '', b] = parts;
    if (!this.ownKeys.has(a, b)) this.ownKeys.set(-line, a, b);
  }

  private bad(c: number, code: ProblemCode, line: number, value: string, message: string): void {
    this.error(code, line, this.present[c]?.name ?? '', value, this.expected[c] ?? '', message);
  }

  private formatProblem(c: number, check: 'ons' | 'nhs_number' | 'postcode', severity: Severity, line: number, v: string): void {
    const name = this.present[c]?.name ?? '';
    const [expected, message] =
      check === 'ons'
        ? ['an ONS local authority code such as E06000008', `${v} is not an ONS local authority code`]
        : check === 'nhs_number'
          ? ['a 10-digit NHS number with a valid check digit', `${v} is not a valid NHS number`]
          : ['a UK postcode (e.g. FY1 1AA) or district (FY1)', `${v} is not a UK postcode`];
    if (severity === 'error') this.error('bad_format', line, name, v, expected, message);
    else this.problem('warning', 'bad_format', line, name, v, expected, message);
  }

  private reject(fields: string[], line: number): null {
    this.counts.rejected++;
    if (this.ctx.rejects) {
      const reasons = this.rowErrors.length > 0 ? this.rowErrors.join('; ') : `${this.file}: ${this.headerProblem}`;
      this.ctx.rejects.add(this.file, this.header, line, reasons, fields);
    }
    return null;
  }

  /** Whether a row is blank (every value empty): such lines are skipped, not rows. */
  static isBlank(fields: string[]): boolean {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] ?? '';
      if (f.length > 0 && trim(f).length > 0) return false;
    }
    return true;
  }
}

function restEmpty(fields: string[], from: number): boolean {
  for (let i = from; i < fields.length; i++) if (trim(fields[i] ?? '') !== '') return false;
  return true;
}

function formatOk(check: 'ons' | 'nhs_number' | 'postcode', v: string): boolean {
  return check === 'ons' ? isOnsCode(v) : check === 'nhs_number' ? isNhsNumber(v) : isPostcode(v);
}

function shortRow(fields: readonly string[]): string {
  const s = fields.map(csvField).join(',');
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}
