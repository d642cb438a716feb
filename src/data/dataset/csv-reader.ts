/**
 * Streaming CSV reading: bytes → checked UTF-8 → papaparse's parser → batches of rows with
 * their exact line numbers. Memory stays bounded by the chunk size whatever the file size.
 * A chunk without any quote character is split directly (as papaparse's fast mode does),
 * keeping each row's text so that unchanged rows go to COPY without being rebuilt.
 *
 * - UTF-8 is checked per chunk (node's native `isUtf8`); invalid bytes are located and
 *   reported on the row whose line holds them. A UTF-8 BOM is skipped; UTF-16 is refused.
 * - Line numbers count physical lines (a quoted value may span several); a row's line is
 *   the line it starts on. The header is line 1.
 * - An unterminated quote is reported on the row where it opens; one that runs on for more
 *   than MAX_ROW_CHARS stops the file (the rest of the file would be inside the quote).
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import Papa from 'papaparse';
import type { ProblemCode } from './problems';

/** A problem found while reading a row (encoding, quoting). */
export interface RowIssue {
  code: Extract<ProblemCode, 'invalid_utf8' | 'malformed_quote' | 'unterminated_quote'>;
  detail: string;
}

export interface RowBatch {
  /** Raw fields, untrimmed. */
  rows: string[][];
  /** The line each row starts on. */
  lines: number[];
  /** Each row's text (without its line break) when the batch has no quoted values, else null. */
  raw: string[] | null;
  /** Reading problems, by row index in this batch (null when none). */
  issues: Map<number, RowIssue> | null;
  /** Some value in this batch contains a NUL character. */
  hasNul: boolean;
  /** Bytes of the source read so far. */
  bytesRead: number;
}

/** A problem that stops reading a file. */
export interface FatalReadProblem {
  code: Extract<ProblemCode, 'encoding' | 'unterminated_quote' | 'unreadable'>;
  line: number;
  value: string;
  expected: string;
  message: string;
}

/** Where rows come from: a CSV file, or a workbook sheet spooled to one. */
export interface RowSource {
  /** The name the user knows (file name or sheet name). */
  readonly name: string;
  readonly totalBytes: number;
  /** Set when reading stopped early. */
  fatal: FatalReadProblem | null;
  batches(signal?: AbortSignal): AsyncGenerator<RowBatch>;
}

const CHUNK_BYTES = 256 << 10;
/** No real row is this long: a quote still open after this many characters is unterminated. */
export const MAX_ROW_CHARS = 8 << 20;
const MAX_BAD_BYTES_PER_CHUNK = 1000;

interface ParseResult {
  data: string[][];
  errors: { code: string; row: number }[];
  meta: { cursor: number };
}

/** Length of the prefix of buf that ends on a complete UTF-8 character. */
export function completeUtf8Length(buf: Uint8Array): number {
  let i = buf.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 4 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return buf.length;
  const b = buf[i] ?? 0;
  const need = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
  return i + need > buf.length ? i : buf.length;
}

/** Offsets of bytes that start an invalid UTF-8 sequence (at most `max`). */
export function invalidUtf8Offsets(buf: Uint8Array, max = MAX_BAD_BYTES_PER_CHUNK): number[] {
  const bad: number[] = [];
  const n = buf.length;
  let i = 0;
  while (i < n && bad.length < max) {
    const b = buf[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      bad.push(i);
      i++;
      continue;
    }
    let ok = true;
    for (let k = 1; ok && k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) ok = false;
      else if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) ok = false;
    }
    if (ok) i += need + 1;
    else {
      bad.push(i);
      i++;
    }
  }
  return bad;
}

function hexBytes(buf: Uint8Array, at: number): string {
  const out: string[] = [];
  for (let k = at; k < Math.min(buf.length, at + 4); k++) {
    const b = buf[k] ?? 0;
    if (k > at && b < 0x80) break;
    out.push(`0x${b.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  return out.join(' ');
}

function countChar(text: string, ch: string): number {
  let n = 0;
  let i = text.indexOf(ch);
  while (i >= 0) {
    n++;
    i = text.indexOf(ch, i + 1);
  }
  return n;
}

/**
 * The synchronous core: feed decoded-and-checked buffers, get row batches. Separate from
 * the file reading so it can be tested chunk by chunk.
 */
export class CsvChunker {
  /** The line the unparsed remainder starts on. */
  private line = 1;
  private leftover = '';
  private newline: '\n' | '\r' | null = null;
  private parser: Papa.Parser | null = null;
  private started = false;
  /** Lines holding invalid bytes, waiting for the row that contains them. */
  private badLines: { line: number; bytes: string }[] = [];
  fatal: FatalReadProblem | null = null;

  /** Feeds the next bytes (ending on a character boundary unless final). Returns null when reading must stop. */
  push(input: Buffer, bytesRead: number, final: boolean): RowBatch | null {
    let buf = input;
    if (!this.started) {
      if (buf.length === 0 && !final) return this.empty(bytesRead);
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      else if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
        this.fatal = {
          code: 'encoding',
          line: 1,
          value: buf[0] === 0xff ? 'UTF-16LE' : 'UTF-16BE',
          expected: 'UTF-8 text',
          message: 'the file is UTF-16 encoded: save it as "CSV UTF-8"',
        };
        return null;
      } else if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) {
        this.fatal = {
          code: 'encoding',
          line: 1,
          value: 'PK…',
          expected: 'CSV text',
          message: 'this is a ZIP file (an XLSX workbook?), not CSV: import it as .xlsx',
        };
        return null;
      }
    }
    const valid = isUtf8(buf);
    const text = buf.toString('utf8');
    if (this.newline === null && (text.length > 0 || final)) {
      this.newline = text.indexOf('\n') < 0 && text.indexOf('\r') >= 0 ? '\r' : '\n';
      this.parser = new Papa.Parser({ delimiter: ',', newline: this.newline, quoteChar: '"' });
    }
    if (!valid) this.locateBadBytes(buf);
    const parser = this.parser;
    if (!parser) return this.empty(bytesRead);
    const all = this.leftover + text;
    const quoted = all.indexOf('"') >= 0;
    let result: ParseResult;
    let raw: string[] | null = null;
    if (quoted) {
      result = parser.parse(all, 0, !final) as ParseResult;
      this.leftover = final ? '' : all.slice(result.meta.cursor);
      // At the end papaparse adds an empty row after a final line break; there is no such line.
      const last = result.data[result.data.length - 1];
      if (final && all.endsWith(this.newline ?? '\n') && last?.length === 1 && last[0] === '') result.data.pop();
    } else {
      // No quote anywhere: every line is one row and every comma separates values (what
      // papaparse's own fast mode does), and each row's text is kept so that a row that
      // needs no change can be passed on to COPY as it is.
      const nl = this.newline ?? '\n';
      const lines = all.split(nl);
      this.leftover = final ? '' : (lines.pop() ?? '');
      if (final && lines[lines.length - 1] === '') lines.pop();
      const data = new Array<string[]>(lines.length);
      for (let i = 0; i < lines.length; i++) {
        let l = lines[i] ?? '';
        if (l.charCodeAt(l.length - 1) === 13) {
          l = l.slice(0, -1);
          lines[i] = l;
        }
        data[i] = l.split(',');
      }
      raw = lines;
      result = { data, errors: [], meta: { cursor: 0 } };
    }
    const batch = this.toBatch(result, all, quoted, bytesRead, final);
    batch.raw = raw;
    if (!final && this.leftover.length > MAX_ROW_CHARS) {
      this.fatal = quoted
        ? {
            code: 'unterminated_quote',
            line: this.line,
            value: this.leftover.slice(0, 60),
            expected: 'a closing quote (")',
            message: `a quoted value opened on line ${this.line} is not closed within ${MAX_ROW_CHARS >> 20} MB: a closing quote is missing`,
          }
        : {
            code: 'unreadable',
            line: this.line,
            value: this.leftover.slice(0, 60),
            expected: 'lines of CSV text',
            message: `line ${this.line} runs on for more than ${MAX_ROW_CHARS >> 20} MB without a line break: this is not a CSV file`,
          };
      return batch.rows.length > 0 ? batch : null;
    }
    return batch;
  }

  private empty(bytesRead: number): RowBatch {
    return { rows: [], lines: [], raw: null, issues: null, hasNul: false, bytesRead };
  }

  /** Records the line of each invalid byte sequence in buf. */
  private locateBadBytes(buf: Buffer): void {
    const nlByte = this.newline === '\r' ? 13 : 10;
    // Lines already inside the unparsed remainder come first.
    let line = this.line + countChar(this.leftover, this.newline ?? '\n');
    let pos = 0;
    for (const at of invalidUtf8Offsets(buf)) {
      let nl = buf.indexOf(nlByte, pos);
      while (nl >= 0 && nl < at) {
        line++;
        nl = buf.indexOf(nlByte, nl + 1);
      }
      pos = at;
      const last = this.badLines[this.badLines.length - 1];
      if (last && last.line === line) continue;
      this.badLines.push({ line, bytes: hexBytes(buf, at) });
    }
  }

  private toBatch(result: ParseResult, all: string, quoted: boolean, bytesRead: number, final: boolean): RowBatch {
    const rows = result.data;
    const n = rows.length;
    const lines = new Array<number>(n);
    let issues: Map<number, RowIssue> | null = null;
    const nl = this.newline ?? '\n';
    let line = this.line;
    for (let i = 0; i < n; i++) {
      lines[i] = line;
      let span = 0;
      if (quoted) {
        const row = rows[i] ?? [];
        for (let f = 0; f < row.length; f++) {
          const v = row[f] ?? '';
          if (v.indexOf(nl) >= 0) span += countChar(v, nl);
        }
      }
      const end = line + span;
      if (this.badLines.length > 0 && (this.badLines[0]?.line ?? Infinity) <= end) {
        const bytes: string[] = [];
        while (this.badLines.length > 0 && (this.badLines[0]?.line ?? Infinity) <= end) {
          const b = this.badLines.shift();
          if (b) bytes.push(b.bytes);
        }
        issues ??= new Map();
        issues.set(i, { code: 'invalid_utf8', detail: bytes.join(', ') });
      }
      line = end + 1;
    }
    this.line = line;
    for (const e of result.errors) {
      if (e.row < 0 || e.row >= n) continue;
      issues ??= new Map();
      if (e.code === 'MissingQuotes') {
        issues.set(e.row, { code: 'unterminated_quote', detail: 'a quoted value is not closed before the end of the file' });
      } else if (e.code === 'InvalidQuotes' && !issues.has(e.row)) {
        issues.set(e.row, { code: 'malformed_quote', detail: 'a closing quote is followed by other text (write "" for a quote inside a quoted value)' });
      }
    }
    if (final && this.badLines.length > 0) {
      // Invalid bytes after the last row (e.g. a cut-off character at the end of the file).
      issues ??= new Map();
      const b = this.badLines.splice(0);
      if (n > 0) issues.set(n - 1, { code: 'invalid_utf8', detail: b.map((x) => x.bytes).join(', ') });
    }
    return { rows, lines, raw: null, issues, hasNul: all.indexOf('\u0000') >= 0, bytesRead };
  }
}

/** A CSV file on disk. */
export class CsvFileSource implements RowSource {
  fatal: FatalReadProblem | null = null;

  constructor(
    readonly path: string,
    readonly name: string,
    readonly totalBytes: number,
  ) {}

  async *batches(signal?: AbortSignal): AsyncGenerator<RowBatch> {
    const chunker = new CsvChunker();
    const stream = createReadStream(this.path, { highWaterMark: CHUNK_BYTES });
    let carry: Buffer | null = null;
    let bytes = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        signal?.throwIfAborted();
        bytes += chunk.length;
        let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
        carry = null;
        const cut = completeUtf8Length(buf);
        if (cut < buf.length) {
          carry = Buffer.from(buf.subarray(cut));
          buf = buf.subarray(0, cut);
        }
        const batch = chunker.push(buf, bytes, false);
        if (batch && batch.rows.length > 0) yield batch;
        if (chunker.fatal) {
          this.fatal = chunker.fatal;
          return;
        }
      }
      const last = chunker.push(carry ?? Buffer.alloc(0), bytes, true);
      if (chunker.fatal) this.fatal = chunker.fatal;
      if (last && last.rows.length > 0) yield last;
    } finally {
      stream.destroy();
    }
  }
}
