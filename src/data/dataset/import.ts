/**
 * `importDataset`: reads a dataset v1 folder, CSV file or XLSX workbook, validates every
 * row and writes the data in ONE transaction, so that an import is all-or-nothing (also
 * when the process is killed half way: an uncommitted transaction leaves no trace).
 * With `skipInvalid` the valid rows are written and the rejected ones are returned as CSV.
 * Every run is recorded in the `imports` table, outside the data transaction, so that a
 * rejected or failed import is recorded too.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { quoteIdent, type Db, type Queryable, type Tx } from '../db';
import { CsvFileSource, type RowSource } from './csv-reader';
import { KeyTable } from './keytable';
import { prepareTables, restoreIndexes, serialTx, TableLoader, type LoadMode, type TableState } from './load';
import { ProblemLog, RejectLog, type Problem, type ProblemCount, type RejectedFile } from './problems';
import { DATASET, specOf, tableForName, type FileSpec, type TableName } from './spec';
import { KeyIndex, TableValidator, type ValidatorContext } from './validate';
import { SpooledSheetSource, spoolWorkbook } from './xlsx-reader';

export type ImportPhase = 'unpacking' | 'validating' | 'merging' | 'indexing' | 'committing' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  /** The file or sheet being worked on ('' between files). */
  file: string;
  /** Data rows read so far in this import. */
  rowsRead: number;
  /** Bytes read so far in this phase (of the workbook while unpacking, else of all the files). */
  bytesRead: number;
  totalBytes: number;
}

export interface ImportOptions {
  /** Validate only: nothing is written (the run is still recorded). */
  dryRun?: boolean;
  /** Write the valid rows and return the rejected ones, instead of writing nothing. */
  skipInvalid?: boolean;
  onProgress?: (event: ImportProgress) => void;
  /** Aborting cancels the import: the transaction is rolled back. */
  signal?: AbortSignal;
  /** The name recorded for the source (e.g. the uploaded file name); default: the path's base name. */
  sourceName?: string;
  userId?: number | null;
  username?: string | null;
  /** Problems kept in detail (all are counted). Default 1000. */
  maxProblems?: number;
  /** Bytes of rejected rows kept in memory with skipInvalid (all are counted). Default 16 MiB. */
  maxRejectBytes?: number;
  /** Write the run to the `imports` table. Default true. */
  record?: boolean;
  /** Called once the run is recorded, with its `imports` id (before validation starts), so a caller can show progress. */
  onRecorded?: (importId: number) => void;
  /** The import day (YYYY-MM-DD) for "not in the future" checks. Default: today (UTC). */
  today?: string;
}

export type ImportStatus = 'succeeded' | 'partial' | 'rejected' | 'failed' | 'validated';

export interface ImportFileSummary {
  file: string;
  table: TableName;
  /** Data rows read (blank lines excluded). */
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  inserted: number;
  updated: number;
  /** Re-imported rows identical to what was stored. */
  unchanged: number;
  /** How rows were written: straight COPY into an empty table, or staged and upserted; null when nothing was written. */
  mode: LoadMode | null;
}

export interface ImportResult {
  /** The `imports` row id, or null when not recorded. */
  importId: number | null;
  status: ImportStatus;
  /** One sentence for people. */
  message: string;
  sourceName: string;
  format: 'csv' | 'xlsx';
  dryRun: boolean;
  skipInvalid: boolean;
  files: ImportFileSummary[];
  rowsRead: number;
  /** Rows now stored from this import: inserted + updated + unchanged (0 unless committed). */
  rowsWritten: number;
  errorCount: number;
  warningCount: number;
  problemCount: number;
  /** The first `maxProblems` problems in detail. */
  problems: Problem[];
  problemsTruncated: boolean;
  /** Every problem counted by file, column and kind. */
  problemSummary: ProblemCount[];
  /** file,line,column,value,expected,message,severity. */
  problemsCsv: string;
  /** With skipInvalid: the rejected rows per file, as CSV (`line,reason,` then the row). */
  rejected: RejectedFile[];
  seconds: number;
}

/** problems_csv stored in the imports table is cut to this size (the full list is returned). */
export const STORED_PROBLEMS_CSV_BYTES = 1 << 20;

interface PlannedFile {
  table: TableName;
  spec: FileSpec;
  name: string;
  source: RowSource;
}

interface Plan {
  format: 'csv' | 'xlsx';
  files: PlannedFile[];
  totalBytes: number;
}

class Rollback extends Error {
  constructor() {
    super('rollback');
  }
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Imports a dataset v1 source: a folder of CSV files, one `<table>.csv`, or an `.xlsx` workbook. */
export async function importDataset(db: Db, source: string, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const dryRun = options.dryRun ?? false;
  const skipInvalid = options.skipInvalid ?? false;
  const sourceName = options.sourceName ?? basename(source);
  const problems = new ProblemLog(options.maxProblems ?? 1000);
  const rejects = skipInvalid ? new RejectLog(options.maxRejectBytes ?? 16 << 20) : null;
  const isXlsx = extname(source).toLowerCase() === '.xlsx';
  const format = isXlsx ? 'xlsx' : 'csv';
  const summaries = new Map<TableName, ImportFileSummary>();
  let importId: number | null = null;
  let tmp: string | null = null;
  let failure: string | null = null;
  let committed = false;

  const report = (p: Omit<Problem, 'severity'> & { severity?: Problem['severity'] }) =>
    problems.add({ severity: 'error', ...p });

  try {
    if (options.record !== false) importId = await recordStart(db, { sourceName, format, dryRun, skipInvalid, options });
    if (importId !== null) options.onRecorded?.(importId);

    let plan: Plan | null = null;
    try {
      if (isXlsx) {
        tmp = await mkdtemp(join(tmpdir(), 'beacon-import-'));
        plan = await planWorkbook(source, tmp, problems, options);
      } else {
        plan = await planCsv(source, problems);
      }
    } catch (err) {
      if (isAbort(err, options.signal)) throw err;
      report({ code: 'unreadable', file: sourceName, line: 0, column: '', value: '', expected: 'a readable folder, .csv or .xlsx file', message: `cannot read ${sourceName}: ${errorText(err)}` });
    }

    if (plan && plan.files.length > 0) {
      const run = new ImportRun(plan, problems, rejects, options, summaries);
      try {
        await db.transaction(async (tx) => {
          await run.execute(tx, !dryRun);
          if (dryRun || (!skipInvalid && problems.errors > 0)) throw new Rollback();
          run.progress('committing', '');
        }, dryRun ? { readOnly: true } : undefined);
        committed = !dryRun;
      } catch (err) {
        if (!(err instanceof Rollback)) throw err;
      }
    }
  } catch (err) {
    if (isAbort(err, options.signal)) {
      failure = 'the import was cancelled: nothing was written';
      report({ code: 'cancelled', file: '', line: 0, column: '', value: '', expected: '', message: failure });
    } else {
      failure = `the import failed and nothing was written: ${errorText(err)}`;
      report({ code: 'database', file: '', line: 0, column: '', value: '', expected: '', message: failure });
    }
    committed = false;
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }

  const files = [...summaries.values()];
  if (!committed) for (const f of files) Object.assign(f, { inserted: 0, updated: 0, unchanged: 0 });
  const rowsRead = files.reduce((n, f) => n + f.rowsRead, 0);
  const rowsWritten = committed ? files.reduce((n, f) => n + f.inserted + f.updated + f.unchanged, 0) : 0;
  const status: ImportStatus = failure
    ? 'failed'
    : dryRun
      ? problems.errors === 0 || skipInvalid ? 'validated' : 'rejected'
      : problems.errors === 0 ? 'succeeded' : skipInvalid ? 'partial' : 'rejected';
  const message = outcomeMessage(status, { rowsRead, rowsWritten, errors: problems.errors, warnings: problems.warnings, failure, files });
  const result: ImportResult = {
    importId,
    status,
    message,
    sourceName,
    format,
    dryRun,
    skipInvalid,
    files,
    rowsRead,
    rowsWritten,
    errorCount: problems.errors,
    warningCount: problems.warnings,
    problemCount: problems.total,
    problems: problems.detail,
    problemsTruncated: problems.truncated,
    problemSummary: problems.summary(),
    problemsCsv: problems.toCsv(),
    rejected: rejects?.result() ?? [],
    seconds: (performance.now() - started) / 1000,
  };
  if (importId !== null) await recordEnd(db, importId, result, problems.toCsv(STORED_PROBLEMS_CSV_BYTES));
  options.onProgress?.({ phase: 'done', file: '', rowsRead, bytesRead: 0, totalBytes: 0 });
  return result;
}

function outcomeMessage(
  status: ImportStatus,
  r: { rowsRead: number; rowsWritten: number; errors: number; warnings: number; failure: string | null; files: ImportFileSummary[] },
): string {
  const n = (x: number, what: string) => `${x.toLocaleString('en-GB')} ${what}${x === 1 ? '' : 's'}`;
  const warn = r.warnings > 0 ? ` (${n(r.warnings, 'warning')})` : '';
  switch (status) {
    case 'failed':
      return r.failure ?? 'the import failed: nothing was written';
    case 'validated':
      return `valid: ${n(r.rowsRead, 'row')} checked, nothing written (dry run)${r.errors > 0 ? `; ${n(r.errors, 'error')} would be skipped` : ''}${warn}`;
    case 'rejected':
      return `rejected: ${n(r.errors, 'error')} in ${n(r.rowsRead, 'row')}; nothing was written${warn}`;
    case 'partial': {
      const rejected = r.files.reduce((s, f) => s + f.rowsRejected, 0);
      return `partly imported: ${n(r.rowsWritten, 'row')} written, ${n(rejected, 'row')} rejected (${n(r.errors, 'error')})${warn}`;
    }
    case 'succeeded':
      return `imported ${n(r.rowsWritten, 'row')}${warn}`;
  }
}

function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return (signal?.aborted ?? false) && (err === signal?.reason || (err instanceof Error && err.name === 'AbortError'));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The files of a folder or a single CSV file, in dependency order. */
async function planCsv(source: string, problems: ProblemLog): Promise<Plan> {
  const info = await stat(source);
  const found = new Map<TableName, PlannedFile>();
  const consider = (path: string, name: string, bytes: number, single: boolean) => {
    const table = name.toLowerCase().endsWith('.csv') ? tableForName(name) : undefined;
    if (!table) {
      problems.add({
        severity: single ? 'error' : 'warning',
        code: 'unknown_file',
        file: name,
        line: 0,
        column: '',
        value: name,
        expected: `a dataset v1 file: ${DATASET.map((f) => f.file).join(', ')}`,
        message: single ? `${name} is not a dataset v1 file name: name the file after its table, e.g. people.csv` : `${name} is not part of dataset v1 and is ignored`,
      });
      return;
    }
    const already = found.get(table);
    if (already) {
      problems.add({
        severity: 'error', code: 'duplicate_file', file: name, line: 0, column: '', value: name,
        expected: `one file for ${table}`, message: `${name} and ${already.name} are both ${specOf(table).file}`,
      });
      return;
    }
    found.set(table, { table, spec: specOf(table), name, source: new CsvFileSource(path, name, bytes) });
  };
  if (info.isDirectory()) {
    const entries = (await readdir(source, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || !e.isFile()) continue;
      const path = join(source, e.name);
      consider(path, e.name, (await stat(path)).size, false);
    }
    if (found.size === 0 && problems.errors === 0) {
      problems.add({
        severity: 'error', code: 'no_files', file: basename(source), line: 0, column: '', value: '',
        expected: `at least one of ${DATASET.map((f) => f.file).join(', ')}`, message: `the folder ${basename(source)} holds no dataset v1 files`,
      });
    }
  } else {
    consider(source, basename(source), info.size, true);
  }
  const files = DATASET.map((s) => found.get(s.table)).filter((f): f is PlannedFile => f !== undefined);
  return { format: 'csv', files, totalBytes: files.reduce((n, f) => n + f.source.totalBytes, 0) };
}

/** A workbook: every sheet spooled to a temporary CSV, known sheets planned in dependency order. */
async function planWorkbook(source: string, tmp: string, problems: ProblemLog, options: ImportOptions): Promise<Plan> {
  const size = (await stat(source)).size;
  const name = options.sourceName ?? basename(source);
  const sheets = await spoolWorkbook(source, tmp, {
    signal: options.signal,
    onBytes: (bytesRead) => options.onProgress?.({ phase: 'unpacking', file: name, rowsRead: 0, bytesRead, totalBytes: size }),
  });
  const found = new Map<TableName, PlannedFile>();
  for (const sheet of sheets) {
    const table = tableForName(sheet.name);
    if (!table) {
      problems.add({
        severity: 'warning', code: 'unknown_file', file: sheet.name, line: 0, column: '', value: sheet.name,
        expected: `a sheet named after a dataset v1 file: ${DATASET.map((f) => f.table).join(', ')}`,
        message: `sheet ${sheet.name} is not part of dataset v1 and is ignored`,
      });
      continue;
    }
    const already = found.get(table);
    if (already) {
      problems.add({
        severity: 'error', code: 'duplicate_file', file: sheet.name, line: 0, column: '', value: sheet.name,
        expected: `one sheet for ${table}`, message: `sheets ${sheet.name} and ${already.name} are both ${table}`,
      });
      continue;
    }
    found.set(table, { table, spec: specOf(table), name: sheet.name, source: new SpooledSheetSource(sheet, sheet.name) });
  }
  if (found.size === 0 && problems.errors === 0) {
    problems.add({
      severity: 'error', code: 'no_files', file: name, line: 0, column: '', value: '',
      expected: `sheets named ${DATASET.map((f) => f.table).join(', ')}`, message: `the workbook ${name} has no dataset v1 sheets`,
    });
  }
  const files = DATASET.map((s) => found.get(s.table)).filter((f): f is PlannedFile => f !== undefined);
  return { format: 'xlsx', files, totalBytes: files.reduce((n, f) => n + f.source.totalBytes, 0) };
}

/** Statements issued without waiting (merges, index rebuilds): awaited at the end, first failure reported. */
class Background {
  private readonly tasks: Promise<unknown>[] = [];
  private failure: { error: unknown } | null = null;

  add(p: Promise<unknown>): void {
    p.catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.tasks.push(p);
  }

  /** Throws as soon as something issued earlier has failed (the transaction is then lost anyway). */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  async drain(): Promise<void> {
    for (const t of this.tasks) await t.catch(() => undefined);
    this.check();
  }
}

/** One run over the planned files inside the transaction. */
class ImportRun {
  private readonly ctx: ValidatorContext;
  private readonly background = new Background();
  private tables = new Map<TableName, TableState>();
  private writing = false;
  private rowsRead = 0;
  private bytesDone = 0;

  constructor(
    private readonly plan: Plan,
    private readonly problems: ProblemLog,
    rejects: RejectLog | null,
    private readonly options: ImportOptions,
    private readonly summaries: Map<TableName, ImportFileSummary>,
  ) {
    const keys: Partial<Record<TableName, KeyIndex>> = {};
    for (const spec of DATASET) {
      for (const c of spec.columns) {
        if (c.references && !keys[c.references]) {
          const file = plan.files.find((f) => f.table === c.references)?.name ?? null;
          keys[c.references] = new KeyIndex(c.references, file);
        }
      }
    }
    this.ctx = { problems, rejects, keys, today: options.today ?? todayUtc() };
  }

  /** Reports progress (once per file phase and once per chunk of about 256 KB). */
  progress(phase: ImportPhase, file: string, bytesRead = this.bytesDone): void {
    const cb = this.options.onProgress;
    if (!cb) return;
    cb({ phase, file, rowsRead: this.rowsRead, bytesRead, totalBytes: this.plan.totalBytes });
  }

  async execute(connection: Tx, write: boolean): Promise<void> {
    const tx = serialTx(connection);
    try {
      await this.run(tx, write);
    } finally {
      // Whatever happened, nothing issued may still be queued when the transaction ends.
      await tx.close();
    }
  }

  private async run(tx: Tx, write: boolean): Promise<void> {
    this.writing = write;
    // Values without an offset are UK local time; dates are written ISO whatever the server's style.
    await tx.exec(`SET LOCAL TimeZone = 'Europe/London'; SET LOCAL DateStyle = 'ISO, YMD'`);
    if (write) {
      // One import at a time: two concurrent imports of the same rows would conflict.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      await tx.exec(`SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '256MB'`);
    }
    // Keys already stored, for the references of the files in this import (read before anything is written).
    for (const f of this.plan.files) {
      for (const c of f.spec.columns) if (c.references) await this.loadStoredKeys(tx, c.references);
    }
    if (write) this.tables = await prepareTables(tx, this.plan.files.map((f) => ({ spec: f.spec, bytes: f.source.totalBytes })));
    for (const f of this.plan.files) {
      await this.importFile(tx, f);
      this.bytesDone += f.source.totalBytes;
    }
    // Wait for the merges and index rebuilds still running in the database.
    await this.background.drain();
  }

  private async loadStoredKeys(tx: Queryable, table: TableName): Promise<void> {
    const index = this.ctx.keys[table];
    if (!index || index.db) return;
    const keys = new KeyTable();
    const key = specOf(table).key[0] ?? '';
    const k = quoteIdent(key);
    let last: string | null = null;
    for (;;) {
      const rows: Record<string, string>[] = await tx.query<Record<string, string>>(
        `SELECT ${k} AS k FROM ${quoteIdent(table)} ${last === null ? '' : `WHERE ${k} > $1`} ORDER BY ${k} LIMIT 100000`,
        last === null ? [] : [last],
      );
      for (const r of rows) if (r.k !== undefined) keys.set(1, r.k);
      if (rows.length < 100000) break;
      last = rows[rows.length - 1]?.k ?? null;
    }
    index.db = keys;
  }

  private async importFile(tx: Tx, f: PlannedFile): Promise<void> {
    const summary: ImportFileSummary = {
      file: f.name, table: f.table, rowsRead: 0, rowsValid: 0, rowsRejected: 0, inserted: 0, updated: 0, unchanged: 0, mode: null,
    };
    this.summaries.set(f.table, summary);
    const keyIndex = this.ctx.keys[f.table];
    if (keyIndex) keyIndex.file = f.name;
    // (`as`: the loop assigns these; without it TypeScript narrows them to null for good.)
    let validator = null as TableValidator | null;
    let loader = null as TableLoader | null;
    const skipInvalid = this.ctx.rejects !== null;
    const state = this.tables.get(f.table);
    this.progress('validating', f.name);
    try {
      for await (const batch of f.source.batches(this.options.signal)) {
        const { rows, lines, issues, hasNul, raw } = batch;
        for (let i = 0; i < rows.length; i++) {
          const fields = rows[i] ?? [];
          const line = lines[i] ?? 0;
          const issue = issues?.get(i);
          if (!issue && TableValidator.isBlank(fields)) continue;
          if (!validator) {
            validator = new TableValidator(f.spec, f.name, fields, line, this.ctx);
            if (issue) this.headerIssue(f.name, line, issue.code, issue.detail);
            if (state && this.writing && validator.headerOk && (skipInvalid || this.problems.errors === 0)) {
              loader = new TableLoader(tx, f.spec, validator.present.map((c) => c.name), state);
              summary.mode = loader.mode;
            }
            continue;
          }
          this.rowsRead++;
          const out = validator.validate(fields, line, issue, hasNul, raw?.[i]);
          if (out !== null && loader) loader.add(out);
        }
        if (loader && !skipInvalid && this.problems.errors > 0) {
          // All-or-nothing and there is an error: stop writing, keep checking to report everything.
          await loader.discard();
          loader = null;
          this.writing = false;
        }
        if (loader) await loader.maybeFlush();
        this.background.check();
        this.progress('validating', f.name, this.bytesDone + batch.bytesRead);
      }
      const fatal = f.source.fatal;
      if (keyIndex && (fatal || !validator?.usable)) keyIndex.unreadable = true;
      if (fatal) {
        this.problems.add({ severity: 'error', code: fatal.code, file: f.name, line: fatal.line, column: '', value: fatal.value, expected: fatal.expected, message: fatal.message });
      } else if (!validator) {
        this.problems.add({
          severity: 'error', code: 'empty_file', file: f.name, line: 1, column: '', value: '',
          expected: `a header line (${f.spec.columns.filter((c) => c.required).map((c) => c.name).join(', ')}) and data rows`,
          message: `${f.name} is empty: not even a header line`,
        });
      }
      if (loader && !skipInvalid && this.problems.errors > 0) {
        await loader.discard();
        loader = null;
        this.writing = false;
      }
      if (loader) {
        const done = loader.finish((phase) => this.progress(phase, f.name));
        loader = null;
        this.background.add(done.then((counts) => Object.assign(summary, counts)));
      } else if (state?.deferred && this.writing) {
        // Nothing written to this table (every row rejected): its indexes still come back.
        this.background.add(restoreIndexes(tx, f.table, state.deferred));
        state.deferred = null;
      }
    } finally {
      if (loader) await loader.discard();
      if (validator) {
        summary.rowsRead = validator.counts.read;
        summary.rowsValid = validator.counts.valid;
        summary.rowsRejected = validator.counts.rejected;
      }
    }
  }

  private headerIssue(file: string, line: number, code: 'invalid_utf8' | 'malformed_quote' | 'unterminated_quote', detail: string): void {
    this.problems.add({
      severity: 'error', code, file, line, column: '', value: '', expected: code === 'invalid_utf8' ? 'UTF-8 text' : 'a well-formed header line',
      message: code === 'invalid_utf8' ? `the header has bytes that are not UTF-8 (${detail}): save the file as "CSV UTF-8"` : detail,
    });
  }
}

/** The advisory lock a writing import holds for its whole transaction. */
export const IMPORT_LOCK = 4242100;

/**
 * Marks imports left 'running' by a process that died (killed, power cut) as 'failed'; their
 * transaction was rolled back, so nothing of them was written. Does nothing while an import
 * is running (it holds IMPORT_LOCK). Call it when Beacon starts. Returns how many were marked.
 */
export async function markInterruptedImports(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [IMPORT_LOCK]);
    if (!lock?.ok) return 0;
    const rows = await tx.query<{ id: number }>(
      `UPDATE imports SET status = 'failed', finished_at = now(),
              summary = jsonb_build_object('message', 'the import was interrupted (the process stopped): nothing was written')
        WHERE status = 'running' RETURNING id`,
    );
    return rows.length;
  });
}

async function recordStart(
  db: Db,
  r: { sourceName: string; format: string; dryRun: boolean; skipInvalid: boolean; options: ImportOptions },
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO imports (source_name, format, dry_run, skip_invalid, status, user_id, username)
     VALUES ($1, $2, $3, $4, 'running', $5, $6) RETURNING id`,
    [r.sourceName, r.format, r.dryRun, r.skipInvalid, r.options.userId ?? null, r.options.username ?? null],
  );
  return rows[0]?.id ?? null;
}

async function recordEnd(db: Db, id: number, r: ImportResult, problemsCsv: string): Promise<void> {
  const summary = {
    message: r.message,
    seconds: Math.round(r.seconds * 1000) / 1000,
    errors: r.errorCount,
    warnings: r.warningCount,
    tables: Object.fromEntries(r.files.map((f) => [f.table, {
      file: f.file, read: f.rowsRead, valid: f.rowsValid, rejected: f.rowsRejected,
      inserted: f.inserted, updated: f.updated, unchanged: f.unchanged, mode: f.mode,
    }])),
    problems: r.problemSummary,
  };
  await db.query(
    `UPDATE imports SET finished_at = now(), status = $2, rows_read = $3, rows_written = $4, problem_count = $5,
            summary = $6::jsonb, problems_csv = $7 WHERE id = $1`,
    [id, r.status, r.rowsRead, r.rowsWritten, r.problemCount, JSON.stringify(summary), problemsCsv],
  );
}
