/**
 * The demo's MAT picture against the toolkit's reference (seed 003, October 2018: Red
 * 22%, 7.25% uncategorised, MAT 2 / MAT 3 mean methadone 58.22 / 49.92 mg; about 40% in
 * MAT 2), classified with the MAT domain rules (src/domain/mat) on the last month end and
 * on the first. Ranges are tolerant: the demo has ~860 people in MAT, so a percentage has
 * a sampling error of about ±1.7 points.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoSummary } from './generate';
import { matPictures, readDataset, type MatPicture } from './verify';

let root = '';
let summary: DemoSummary;
let last: MatPicture;
let first: MatPicture;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'beacon-demo-cal-'));
  summary = await generateDemo({ outDir: root });
  const data = await readDataset(root);
  const pictures = matPictures(data, ['2024-11-30', summary.endDate]);
  first = pictures[0] as MatPicture;
  last = pictures[1] as MatPicture;
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe.each([
  ['the last month end', () => last],
  ['the first month end', () => first],
])('demo MAT picture on %s', (_label, picture) => {
  it('has everyone the generator put in MAT', () => {
    expect(picture().tracker.inMat).toBeGreaterThan(0.38 * summary.people);
    expect(picture().tracker.inMat).toBeLessThan(0.47 * summary.people);
  });
  it('has about 40% in MAT 2', () => {
    expect(picture().pct.mat2).toBeGreaterThanOrEqual(35);
    expect(picture().pct.mat2).toBeLessThanOrEqual(45);
  });
  it('has about 22% Red', () => {
    expect(picture().pct.red).toBeGreaterThanOrEqual(17);
    expect(picture().pct.red).toBeLessThanOrEqual(27);
  });
  it('has about 7% uncategorised', () => {
    expect(picture().pct.uncategorised).toBeGreaterThanOrEqual(4);
    expect(picture().pct.uncategorised).toBeLessThanOrEqual(10);
  });
  it('has a mean methadone dose in the mid-50s, higher in MAT 2 than in MAT 3', () => {
    const m = picture().meanMethadone;
    expect(m.all).toBeGreaterThanOrEqual(50);
    expect(m.all).toBeLessThanOrEqual(60);
    expect(m.mat2 ?? 0).toBeGreaterThan(m.mat3 ?? Infinity);
  });
  it('has some in induction and detox, and about half on supervised consumption', () => {
    expect(picture().pct.mat1).toBeGreaterThan(0.3);
    expect(picture().pct.mat4).toBeGreaterThan(0);
    expect(picture().supervisedPct).toBeGreaterThan(35);
    expect(picture().supervisedPct).toBeLessThan(65);
  });
});
