import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeUtf8Length, CsvChunker, invalidUtf8Offsets, type RowIssue } from './csv-reader';

interface Read {
  rows: string[][];
  lines: number[];
  issues: [number, RowIssue][];
  fatal: string | null;
}

/** Feeds `bytes` to a chunker in pieces cut at `cuts` (character boundaries are kept as the file reader does). */
function read(bytes: Buffer, cuts: number[] = []): Read {
  const chunker = new CsvChunker();
  const out: Read = { rows: [], lines: [], issues: [], fatal: null };
  let carry = Buffer.alloc(0);
  let prev = 0;
  const take = (batch: ReturnType<CsvChunker['push']>) => {
    if (!batch) return;
    const base = out.rows.length;
    out.rows.push(...batch.rows);
    out.lines.push(...batch.lines);
    for (const [i, issue] of batch.issues ?? []) out.issues.push([base + i, issue]);
  };
  for (const cut of cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    let buf = Buffer.concat([carry, bytes.subarray(prev, cut)]);
    prev = cut;
    const n = completeUtf8Length(buf);
    carry = Buffer.from(buf.subarray(n));
    buf = buf.subarray(0, n);
    take(chunker.push(buf, cut, false));
    if (chunker.fatal) {
      out.fatal = chunker.fatal.message;
      return out;
    }
    carry = Buffer.from(carry);
  }
  take(chunker.push(Buffer.concat([carry, bytes.subarray(prev)]), bytes.length, true));
  if (chunker.fatal) out.fatal = chunker.fatal.message;
  return out;
}

const text = (s: string) => Buffer.from(s, 'utf8');

describe('CsvChunker', () => {
  it('gives each row the line it starts on, counting newlines inside quoted values', () => {
    const r = read(text('a,b\n1,"x\ny\nz"\n2,w\n\n3,"q"\n'));
    expect(r.rows.filter((row) => row.join('') !== '')).toEqual([['a', 'b'], ['1', 'x\ny\nz'], ['2', 'w'], ['3', 'q']]);
    const lineOf = (v: string) => r.lines[r.rows.findIndex((row) => row[0] === v)];
    expect([lineOf('a'), lineOf('1'), lineOf('2'), lineOf('3')]).toEqual([1, 2, 5, 7]);
  });

  it('reads CRLF files and a UTF-8 BOM', () => {
    const r = read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('id,name\r\n1,"a, b"\r\n2,c\r\n')]));
    expect(r.rows[0]).toEqual(['id', 'name\r']);
    expect(r.rows[1]).toEqual(['1', 'a, b']);
    expect(r.lines.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('locates invalid UTF-8 bytes on their line', () => {
    const bytes = Buffer.concat([text('id,name\n1,ok\n2,Caf'), Buffer.from([0xe9]), text('\n3,"multi\nline"\n4,x'), Buffer.from([0xff]), text('\n')]);
    const r = read(bytes);
    expect(r.issues.map(([i, issue]) => [r.lines[i], issue.code, issue.detail])).toEqual([
      [3, 'invalid_utf8', '0xE9'],
      [6, 'invalid_utf8', '0xFF'],
    ]);
    expect(r.rows[2]?.[1]).toBe('Caf\uFFFD');
  });

  it('reports an unterminated quote at the end of the file on the row where it opens', () => {
    const r = read(text('id,detail\n1,ok\n2,"never closed\nmore text\n'));
    expect(r.issues).toHaveLength(1);
    const [i, issue] = r.issues[0] ?? [];
    expect(issue?.code).toBe('unterminated_quote');
    expect(r.lines[i ?? -1]).toBe(3);
  });

  it('stops at a line that never ends', () => {
    const r = read(Buffer.alloc(10 << 20, 0x61), Array.from({ length: 9 }, (_, i) => (i + 1) << 20));
    expect(r.fatal).toMatch(/without a line break/);
  });

  it('refuses UTF-16 and ZIP files', () => {
    expect(read(Buffer.from([0xff, 0xfe, 0x61, 0x00])).fatal).toMatch(/UTF-16/);
    expect(read(Buffer.from('PK\u0003\u0004rest', 'latin1')).fatal).toMatch(/ZIP/);
  });

  it('gives the same rows and lines however the bytes are cut into chunks', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9 é€]{0,6}$/),
      fc.stringMatching(/^[a-z,"\n ]{0,8}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }).map((rows) =>
      text(rows.map((r) => r.join(',')).join('\n') + '\n'),
    );
    fc.assert(
      fc.property(csv, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        const whole = read(bytes);
        const pieces = read(bytes, cuts.map((c) => c % (bytes.length + 1)));
        expect(pieces.rows).toEqual(whole.rows);
        expect(pieces.lines).toEqual(whole.lines);
      }),
      { numRuns: 200 },
    );
  });
});

describe('UTF-8 helpers', () => {
  it('finds where a buffer stops on a whole character', () => {
    const euro = Buffer.from('a€', 'utf8'); // 61 E2 82 AC
    expect(completeUtf8Length(euro)).toBe(4);
    expect(completeUtf8Length(euro.subarray(0, 3))).toBe(1);
    expect(completeUtf8Length(euro.subarray(0, 2))).toBe(1);
  });
  it('finds invalid sequences', () => {
    expect(invalidUtf8Offsets(Buffer.from([0x61, 0xe9, 0x62]))).toEqual([1]);
    expect(invalidUtf8Offsets(Buffer.from('ok € fine', 'utf8'))).toEqual([]);
    expect(invalidUtf8Offsets(Buffer.from([0xed, 0xa0, 0x80]))).toEqual([0, 1, 2]);
    expect(invalidUtf8Offsets(Buffer.from([0xc0, 0xaf]))).toEqual([0, 1]);
  });
});
