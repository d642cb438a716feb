/**
 * The demo dataset through Beacon's own importer (src/data/dataset) into an embedded
 * database: every row must pass its validation and references, and every row is written.
 * (verify.ts states the format independently; this checks the two agree.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../dataset';
import { createTestDb, type TestDb } from '../../testing/db';
import { generateDemo, type DemoSummary } from './generate';

let root = '';
let testDb: TestDb | null = null;
let summary: DemoSummary;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'beacon-demo-import-'));
  [summary, testDb] = await Promise.all([generateDemo({ outDir: root }), createTestDb('pglite')]);
});

afterAll(async () => {
  await testDb?.drop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the demo dataset imports with the dataset v1 importer', () => {
  it('imports every row with no problems', async () => {
    if (!testDb) throw new Error('no database');
    const result = await importDataset(testDb.db, root, { record: false, today: '2026-11-01' });
    expect(result.problems).toEqual([]);
    expect(result.errorCount).toBe(0);
    expect(result.warningCount).toBe(0);
    expect(result.status).toBe('succeeded');
    expect(result.rowsWritten).toBe(summary.totalRows);
  });
});
