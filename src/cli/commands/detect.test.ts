import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/beacon.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../domain/detection/fixtures/', import.meta.url));

type Row = Record<string, string>;
async function csv(file: string): Promise<Row[]> {
  return Papa.parse<Row>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
}
const key = (r: Row) => `${r.series_id}|${r.period_start}`;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
}

describe('beacon detect against R surveillance (committed reference output)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-detect-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reproduces farringtonFlexible with the Noufaily settings', async () => {
    const out = join(dir, 'farrington.csv');
    await run(process.execPath, [BIN, 'detect', '--input', join(FIXTURES, 'input.csv'), '--method', 'farrington', '--output', out]);
    const ours = new Map((await csv(out)).map((r) => [key(r), r]));
    const ref = await csv(join(FIXTURES, 'farrington.csv'));
    const rel: number[] = [];
    let agree = 0;
    let compared = 0;
    for (const r of ref) {
      const o = ours.get(key(r));
      if (r.upperbound && o) rel.push(Math.abs(Number(o.upper_bound) - Number(r.upperbound)) / Math.max(1e-9, Math.abs(Number(r.upperbound))));
      if (o) {
        compared++;
        if (o.alarm === r.alarm) agree++;
      }
    }
    expect(compared).toBeGreaterThan(2500);
    expect(median(rel)).toBeLessThanOrEqual(0.01);
    expect(agree / compared).toBeGreaterThanOrEqual(0.99);
  });

  it.each([
    ['ears-c1', 'c1'],
    ['ears-c2', 'c2'],
  ])('reproduces earsC %s', async (method, col) => {
    const out = join(dir, `${method}.csv`);
    await run(process.execPath, [BIN, 'detect', '--input', join(FIXTURES, 'input.csv'), '--method', method, '--output', out]);
    const ours = new Map((await csv(out)).map((r) => [key(r), r]));
    const ref = (await csv(join(FIXTURES, 'ears.csv'))).filter((r) => r[`${col}_upperbound`] !== '');
    let agree = 0;
    const rel: number[] = [];
    for (const r of ref) {
      const o = ours.get(key(r));
      expect(o, key(r)).toBeDefined();
      if (!o) continue;
      if (o.alarm === r[`${col}_alarm`]) agree++;
      const expected = Number(r[`${col}_upperbound`]);
      rel.push(Math.abs(Number(o.upper_bound) - expected) / Math.max(1e-9, Math.abs(expected)));
    }
    expect(median(rel)).toBeLessThanOrEqual(0.01);
    expect(agree / ref.length).toBeGreaterThanOrEqual(0.99);
  });

  it('names the line, column and value of a bad input row', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'series_id,period_start,count\na,2024-01-01,3\na,2024-01-09,4\na,2024-01-15,-1\n');
    const err = await run(process.execPath, [BIN, 'detect', '--input', bad]).catch((e: { stderr: string; code: number }) => e);
    expect(err).toMatchObject({ code: 1 });
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toMatch(/line 3, column period_start: "2024-01-09" \(expected the Monday/);
    expect(stderr).toMatch(/line 4, column count: "-1"/);
  });
});
