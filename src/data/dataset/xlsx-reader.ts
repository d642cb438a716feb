/**
 * Reading a workbook with exceljs's streaming parsers. The ZIP is read through its central
 * directory (zip.ts), so the parts are taken in the order they are needed (relationships,
 * workbook, shared strings, styles, then each sheet) whatever order they are stored in.
 * Sheets come in workbook order, not in dependency order (people before their
 * prescriptions), so each sheet is first spooled to a temporary CSV file of text values
 * (with each row's sheet row number in front), then read back like a CSV file. Memory stays
 * bounded (exceljs keeps the shared strings of the workbook in memory).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CsvFileSource, type FatalReadProblem, type RowBatch, type RowSource } from './csv-reader';
import { csvField } from './problems';
import { ZipFile, ZipFormatError } from './zip';

export interface SpooledSheet {
  /** The sheet's name in the workbook. */
  name: string;
  /** The temporary CSV file. */
  path: string;
  bytes: number;
  rows: number;
}

const MS_PER_DAY = 86_400_000;

/** A date cell as text: YYYY-MM-DD at midnight, else a date-time without offset (local UK time). */
export function excelDateText(d: Date): string {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(Math.round(ms / 1000) * 1000).toISOString();
  if (Math.round(ms / 1000) % (MS_PER_DAY / 1000) === 0) return iso.slice(0, 10);
  return iso.slice(0, 19);
}

/** The text of one cell value as exceljs reads it. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  if (v instanceof Date) return excelDateText(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text?: unknown }[]; result?: unknown; text?: unknown; error?: unknown; formula?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('result' in o || 'formula' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** The parts of exceljs's streaming WorkbookReader used here (its per-part parsers). */
interface ReaderParts {
  workbookRels?: { Id: string; Target: string; Type?: string }[];
  model?: { sheets?: { name: string; rId: string; id: number; state?: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/** `worksheets/sheet1.xml`, `/xl/worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`. */
function partName(target: string): string {
  const t = target.replace(/\\/g, '/');
  return t.startsWith('/') ? t.slice(1) : `xl/${t}`;
}

/**
 * Spools every sheet of the workbook into `dir`, in workbook order. `onBytes` reports
 * progress through the workbook file. Rows before the first non-empty one are skipped;
 * the first is the header.
 */
export async function spoolWorkbook(
  path: string,
  dir: string,
  options: { signal?: AbortSignal | undefined; onBytes?: (bytesRead: number) => void } = {},
): Promise<SpooledSheet[]> {
  const zip = await ZipFile.open(path);
  // exceljs parses each part; the ZIP is read here in the order the parts are needed.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ReaderParts;
  if (!zip.has('xl/workbook.xml') || !zip.has('xl/_rels/workbook.xml.rels')) {
    throw new ZipFormatError('this ZIP file is not an XLSX workbook (it has no xl/workbook.xml)');
  }
  await reader._parseRels(await zip.stream('xl/_rels/workbook.xml.rels'));
  await reader._parseWorkbook(await zip.stream('xl/workbook.xml'));
  if (zip.has('xl/sharedStrings.xml')) {
    for await (const _ of reader._parseSharedStrings(await zip.stream('xl/sharedStrings.xml'))) {
      // 'cache' mode: the strings are kept on the reader.
    }
  }
  if (zip.has('xl/styles.xml')) await reader._parseStyles(await zip.stream('xl/styles.xml'));

  const sheets: SpooledSheet[] = [];
  let bytesDone = 0;
  for (const sheet of reader.model?.sheets ?? []) {
    options.signal?.throwIfAborted();
    const rel = reader.workbookRels?.find((r) => r.Id === sheet.rId);
    const part = rel ? partName(rel.Target) : '';
    const sheetNo = /sheet(\d+)\.xml$/i.exec(part)?.[1];
    const entry = zip.entries.get(part);
    if (!sheetNo || !entry) continue;
    const events = [...reader._parseWorksheet(await zip.stream(part), sheetNo)];
    const worksheet = events[0]?.value;
    if (!worksheet) continue;
    const file = join(dir, `sheet${sheets.length + 1}.csv`);
    const out = createWriteStream(file);
    let bytes = 0;
    let width = -1;
    let block: string[] = [];
    let rows = 0;
    try {
      for await (const row of worksheet) {
        const values = (Array.isArray(row.values) ? row.values : []) as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (width < 0) {
          if (cells.every((c) => c.trim() === '')) continue;
          // The header's last named column fixes the width.
          while (cells.length > 0 && (cells[cells.length - 1] ?? '').trim() === '') cells.pop();
          width = cells.length;
        }
        while (cells.length < width) cells.push('');
        block.push(`${row.number},${cells.map(csvField).join(',')}\n`);
        if (block.length >= 2000) {
          const text = block.join('');
          bytes += Buffer.byteLength(text);
          await write(out, text);
          block = [];
          rows += 2000;
          options.signal?.throwIfAborted();
          if (entry.size > 0) options.onBytes?.(bytesDone + Math.min(entry.compressedSize, Math.round((bytes / entry.size) * entry.compressedSize)));
        }
      }
      if (block.length > 0) {
        const text = block.join('');
        bytes += Buffer.byteLength(text);
        await write(out, text);
        rows += block.length;
      }
    } finally {
      out.end();
      await once(out, 'close');
    }
    bytesDone += entry.compressedSize;
    options.onBytes?.(bytesDone);
    sheets.push({ name: sheet.name, path: file, bytes, rows });
  }
  return sheets;
}

/** Rows of a spooled sheet: the first spooled value is the sheet row number. */
export class SpooledSheetSource implements RowSource {
  fatal: FatalReadProblem | null = null;
  private readonly csv: CsvFileSource;

  constructor(
    sheet: SpooledSheet,
    readonly name: string,
  ) {
    this.csv = new CsvFileSource(sheet.path, name, sheet.bytes);
  }

  get totalBytes(): number {
    return this.csv.totalBytes;
  }

  async *batches(signal?: AbortSignal): AsyncGenerator<RowBatch> {
    for await (const batch of this.csv.batches(signal)) {
      const rows = batch.rows;
      const raw = batch.raw;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] ?? [];
        batch.lines[i] = Number(r[0]);
        rows[i] = r.slice(1);
        if (raw) {
          const text = raw[i] ?? '';
          raw[i] = text.slice(text.indexOf(',') + 1);
        }
      }
      yield batch;
    }
    this.fatal = this.csv.fatal;
  }
}
