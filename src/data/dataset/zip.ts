/**
 * Random access to the entries of a ZIP file (an XLSX workbook is one), read through its
 * central directory. Each entry is streamed (inflated on the fly), so a large workbook is
 * never held in memory, and entries can be read in any order: exceljs's own streaming
 * reader depends on the order entries are stored in and loses sheets when they come before
 * the workbook part, which is how its own streaming writer stores them.
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipFile {
  private constructor(
    readonly path: string,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Reads the central directory of the ZIP file at `path`. */
  static async open(path: string): Promise<ZipFile> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const tailLength = Math.min(size, 22 + 0xffff);
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      let at = -1;
      for (let i = tailLength - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD) {
          at = i;
          break;
        }
      }
      if (at < 0) throw new ZipFormatError('not a ZIP file (no end of central directory): is it really an .xlsx workbook?');
      const count = tail.readUInt16LE(at + 10);
      const cdSize = tail.readUInt32LE(at + 12);
      const cdOffset = tail.readUInt32LE(at + 16);
      if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        throw new ZipFormatError('the workbook uses ZIP64 (over 4 GB): save it in smaller parts or as CSV files');
      }
      const cd = Buffer.alloc(cdSize);
      await handle.read(cd, 0, cdSize, cdOffset);
      const entries = new Map<string, ZipEntry>();
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError('damaged ZIP central directory');
        const nameLength = cd.readUInt16LE(p + 28);
        const extraLength = cd.readUInt16LE(p + 30);
        const commentLength = cd.readUInt16LE(p + 32);
        const name = cd.toString('utf8', p + 46, p + 46 + nameLength).replace(/\\/g, '/').replace(/^\//, '');
        entries.set(name, {
          name,
          method: cd.readUInt16LE(p + 10),
          compressedSize: cd.readUInt32LE(p + 20),
          size: cd.readUInt32LE(p + 24),
          localHeaderOffset: cd.readUInt32LE(p + 42),
        });
        p += 46 + nameLength + extraLength + commentLength;
      }
      return new ZipFile(path, entries);
    } finally {
      await handle.close();
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The uncompressed content of one entry as a stream. */
  async stream(name: string): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry) throw new ZipFormatError(`the workbook has no part ${name}`);
    const handle = await open(this.path, 'r');
    const header = Buffer.alloc(30);
    try {
      await handle.read(header, 0, 30, entry.localHeaderOffset);
    } finally {
      await handle.close();
    }
    if (header.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`damaged ZIP entry ${name}`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (entry.compressedSize === 0) return Readable.from([]);
    const raw = createReadStream(this.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 1 << 20 });
    if (entry.method === 0) return raw;
    if (entry.method !== 8) throw new ZipFormatError(`ZIP entry ${name} uses an unsupported compression method (${entry.method})`);
    const inflate = createInflateRaw();
    raw.on('error', (err) => inflate.destroy(err));
    inflate.on('close', () => raw.destroy());
    return raw.pipe(inflate);
  }
}
