/**
 * `exportDataset`: writes the stored dataset in the v1 format, to a folder of CSV files or
 * to one `.xlsx` workbook (one sheet per file). Values are written exactly as the importer
 * reads them (dates YYYY-MM-DD, booleans Y/N, timestamps ISO 8601 in UTC, empty = unknown)
 * and rows are ordered by key, so export → import → export gives identical files.
 *
 * Rows are read in key-ordered pages (keyset pagination inside one repeatable-read
 * snapshot), so memory stays bounded and the export is consistent even while others write.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { quoteIdent, type Db, type Tx } from '../db';
import { DATASET, specOf, sqlTypeOf, type ColumnSpec, type FileSpec, type TableName } from './spec';

export interface ExportOptions {
  /** Only these tables (default: all). */
  tables?: readonly TableName[];
  /** Rows per page read from the database. Default 20,000. */
  pageSize?: number;
  onProgress?: (event: { table: TableName; rows: number }) => void;
  signal?: AbortSignal;
  /**
   * Values rewritten on the way out, per table and column (e.g. dates of birth as the year
   * for a principal who may not see them: src/server/access/fields.ts). A function
   * answering null leaves the cell empty. Empty values are never passed to it.
   */
  masks?: Readonly<Record<string, Readonly<Record<string, (value: string) => string | null>>>>;
}

export interface ExportResult {
  format: 'csv' | 'xlsx';
  target: string;
  files: { file: string; table: TableName; rows: number }[];
  rows: number;
  seconds: number;
}

/** Data rows one worksheet can hold (Excel's 1,048,576 rows, less the header). */
export const XLSX_MAX_ROWS = 1_048_575;

/** The SQL expression that formats one column the way the importer reads it. */
function exportExpr(c: ColumnSpec): string {
  const q = quoteIdent(c.name);
  switch (sqlTypeOf(c)) {
    case 'date':
      return `to_char(${q}, 'YYYY-MM-DD')`;
    case 'timestamptz':
      return `rtrim(rtrim(to_char(${q} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '0'), '.') || 'Z'`;
    case 'boolean':
      return `CASE WHEN ${q} THEN 'Y' WHEN NOT ${q} THEN 'N' END`;
    case 'numeric':
      return `trim_scale(${q})::text`;
    case 'smallint':
      return `${q}::text`;
    default:
      return `NULLIF(${q}, '')`;
  }
}

/** An SQL string literal, safe whatever standard_conforming_strings says. */
function literal(s: string): string {
  return `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Pages of one table in key order. */
class Pager {
  private readonly select: string;
  private readonly keyList: string;
  private last: string[] | null = null;
  done = false;

  constructor(
    private readonly tx: Tx,
    private readonly spec: FileSpec,
    private readonly pageSize: number,
  ) {
    this.select = spec.columns.map((c) => `${exportExpr(c)} AS ${quoteIdent(c.name)}`).join(', ');
    this.keyList = spec.key.map(quoteIdent).join(', ');
  }

  private after(values: readonly string[] | null, op: '>' | '<=', params: boolean, offset = 0): string {
    if (!values) return '';
    const rhs = params ? values.map((_, i) => `$${i + 1 + offset}`) : values.map(literal);
    return `(${this.keyList}) ${op} (${rhs.join(', ')})`;
  }

  /** The key of the last row of the next page, or null when the next page is the last one. */
  private async boundary(): Promise<string[] | null> {
    const where = this.last ? `WHERE ${this.after(this.last, '>', true)}` : '';
    const rows = await this.tx.query<Record<string, string>>(
      `SELECT ${this.keyList} FROM ${quoteIdent(this.spec.table)} ${where} ORDER BY ${this.keyList} OFFSET ${this.pageSize - 1} LIMIT 1`,
      this.last ?? [],
    );
    const r = rows[0];
    return r ? this.spec.key.map((k) => String(r[k])) : null;
  }

  private range(until: string[] | null): string {
    const parts = [this.after(this.last, '>', false), this.after(until, '<=', false)].filter(Boolean);
    return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
  }

  /** The next page as CSV text (no header), or null when done. */
  async nextCsv(): Promise<string | null> {
    if (this.done) return null;
    const until = await this.boundary();
    const text = await this.tx.copyTo(
      `SELECT ${this.select} FROM ${quoteIdent(this.spec.table)} ${this.range(until)} ORDER BY ${this.keyList}`,
    );
    if (until) this.last = until;
    else this.done = true;
    return text;
  }

  /** The next page as rows of text values (null = empty), or null when done. */
  async nextRows(): Promise<(string | null)[][] | null> {
    if (this.done) return null;
    const keys = this.spec.key.map((k, i) => `${quoteIdent(k)} AS "__k${i}"`).join(', ');
    const rows = await this.tx.query<Record<string, string | null>>(
      `SELECT ${this.select}, ${keys} FROM ${quoteIdent(this.spec.table)} ${this.last ? `WHERE ${this.after(this.last, '>', true)}` : ''}
        ORDER BY ${this.keyList} LIMIT ${this.pageSize}`,
      this.last ?? [],
    );
    const lastRow = rows[rows.length - 1];
    if (rows.length < this.pageSize || !lastRow) this.done = true;
    else this.last = this.spec.key.map((_, i) => String(lastRow[`__k${i}`]));
    return rows.map((r) => this.spec.columns.map((c) => r[c.name] ?? null));
  }
}

/** Exports the dataset to a folder of CSV files, or to a workbook when `target` ends in .xlsx. */
export async function exportDataset(db: Db, target: string, options: ExportOptions = {}): Promise<ExportResult> {
  const started = performance.now();
  const specs = options.tables ? options.tables.map(specOf) : DATASET;
  const pageSize = options.pageSize ?? 20_000;
  const xlsx = extname(target).toLowerCase() === '.xlsx';
  const files = await db.transaction(
    (tx) => (xlsx ? exportXlsx(tx, target, specs, pageSize, options) : exportCsv(tx, target, specs, pageSize, options)),
    { isolation: 'repeatable read', readOnly: true },
  );
  return {
    format: xlsx ? 'xlsx' : 'csv',
    target,
    files,
    rows: files.reduce((n, f) => n + f.rows, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

function countLines(text: string): number {
  // Every CSV record ends with a newline; newlines inside quoted values need a real count.
  if (text.indexOf('"') < 0) {
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    return n;
  }
  let n = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) n++;
  }
  return n;
}

async function exportCsv(
  tx: Tx,
  folder: string,
  specs: readonly FileSpec[],
  pageSize: number,
  options: ExportOptions,
): Promise<ExportResult['files']> {
  await mkdir(folder, { recursive: true });
  const files: ExportResult['files'] = [];
  for (const spec of specs) {
    const path = join(folder, spec.file);
    const partial = `${path}.partial`;
    const handle = await open(partial, 'w');
    let rows = 0;
    try {
      await handle.write(`${spec.columns.map((c) => c.name).join(',')}\n`);
      const pager = new Pager(tx, spec, pageSize);
      const masks = columnMasks(spec, options);
      if (masks) {
        // Masked columns: rows pass through the masks and are written as CSV here.
        for (let page = await pager.nextRows(); page !== null; page = await pager.nextRows()) {
          options.signal?.throwIfAborted();
          if (page.length > 0) await handle.write(`${Papa.unparse(page.map((r) => applyMasks(r, masks)), { header: false, newline: '\n' })}\n`);
          rows += page.length;
          options.onProgress?.({ table: spec.table, rows });
        }
      } else {
        for (let page = await pager.nextCsv(); page !== null; page = await pager.nextCsv()) {
          options.signal?.throwIfAborted();
          if (page.length > 0) await handle.write(page);
          rows += countLines(page);
          options.onProgress?.({ table: spec.table, rows });
        }
      }
    } catch (err) {
      await handle.close();
      await rm(partial, { force: true });
      throw err;
    }
    await handle.close();
    await rename(partial, path);
    files.push({ file: spec.file, table: spec.table, rows });
  }
  return files;
}

type Mask = ((value: string) => string | null) | undefined;

/** The mask of each column of a file (by position), or null when none is masked. */
function columnMasks(spec: FileSpec, options: ExportOptions): Mask[] | null {
  const byColumn = options.masks?.[spec.table];
  if (!byColumn) return null;
  const masks = spec.columns.map((c) => byColumn[c.name]);
  return masks.some(Boolean) ? masks : null;
}

function applyMasks(row: (string | null)[], masks: Mask[]): (string | null)[] {
  return row.map((v, i) => {
    const mask = masks[i];
    return v === null || !mask ? v : mask(v);
  });
}

function cellValue(c: ColumnSpec, v: string | null): string | number | Date | null {
  if (v === null) return null;
  switch (c.type.kind) {
    case 'date':
      return new Date(`${v}T00:00:00Z`);
    case 'integer':
      return Number(v);
    case 'number': {
      const n = Number(v);
      return String(n) === v ? n : v;
    }
    default:
      return v;
  }
}

async function exportXlsx(
  tx: Tx,
  path: string,
  specs: readonly FileSpec[],
  pageSize: number,
  options: ExportOptions,
): Promise<ExportResult['files']> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Beacon';
  const files: ExportResult['files'] = [];
  try {
    for (const spec of specs) {
      const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(spec.table)}`);
      if ((count?.n ?? 0) > XLSX_MAX_ROWS) {
        throw new Error(`${spec.table} has ${count?.n.toLocaleString('en-GB')} rows, more than a worksheet holds (${XLSX_MAX_ROWS.toLocaleString('en-GB')}): export to a folder of CSV files instead`);
      }
      const sheet = workbook.addWorksheet(spec.table);
      sheet.columns = spec.columns.map((c) => ({
        header: c.name,
        key: c.name,
        width: Math.max(10, c.name.length + 2),
        ...(c.type.kind === 'date' ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
      }));
      const pager = new Pager(tx, spec, pageSize);
      const masks = columnMasks(spec, options);
      let rows = 0;
      for (let page = await pager.nextRows(); page !== null; page = await pager.nextRows()) {
        options.signal?.throwIfAborted();
        for (const r of page) {
          // A masked value is written as text (a date of birth cut to its year is no date).
          sheet.addRow(spec.columns.map((c, i) => (masks?.[i] ? (r[i] == null ? null : masks[i](r[i])) : cellValue(c, r[i] ?? null)))).commit();
        }
        rows += page.length;
        options.onProgress?.({ table: spec.table, rows });
      }
      sheet.commit();
      files.push({ file: spec.table, table: spec.table, rows });
    }
    await workbook.commit();
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, path);
  return files;
}
