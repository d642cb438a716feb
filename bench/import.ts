/**
 * Import throughput benchmark: imports a dataset v1 folder into PostgreSQL (databaseUrl)
 * or PGlite (dataDir, or a temporary directory) and measures rows per second and the
 * peak resident memory of this process (which includes PGlite's worker thread).
 *
 * Run it against an empty database to measure a first load; with `reset` the dataset
 * tables are emptied first (never point that at a database whose data you want to keep).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/data/db';
import { migrate } from '../src/data/migrate';
import { DATASET, importDataset, type ImportFileSummary, type ImportProgress } from '../src/data/dataset';

export interface BenchImportOptions {
  /** postgres://… to benchmark PostgreSQL; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (default: a temporary directory, removed afterwards). */
  dataDir?: string;
  /** The dataset folder to import. */
  folder: string;
  /** Empty the dataset tables first (default false). */
  reset?: boolean;
  onProgress?: (event: ImportProgress) => void;
}

export interface BenchImportResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  backend: 'postgres' | 'pglite';
  files: ImportFileSummary[];
}

export async function benchImport(opts: BenchImportOptions): Promise<BenchImportResult> {
  const tempDir = !opts.databaseUrl && !opts.dataDir ? await mkdtemp(join(tmpdir(), 'beacon-bench-')) : null;
  const db = await openDb({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? tempDir ?? null, poolSize: 2 });
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  try {
    await migrate(db);
    if (opts.reset) await db.exec(`TRUNCATE ${DATASET.map((s) => s.table).join(', ')} CASCADE`);
    peak = process.memoryUsage.rss();
    const started = performance.now();
    const result = await importDataset(db, opts.folder, {
      sourceName: 'benchmark',
      onProgress: (e) => {
        peak = Math.max(peak, process.memoryUsage.rss());
        opts.onProgress?.(e);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage.rss());
    if (result.status !== 'succeeded') {
      const first = result.problems.filter((p) => p.severity === 'error').slice(0, 5);
      throw new Error(`benchmark import ${result.status}: ${result.message}\n${first.map((p) => `${p.file}:${p.line} ${p.column} ${p.message}`).join('\n')}`);
    }
    return {
      rows: result.rowsWritten,
      seconds,
      rowsPerSecond: result.rowsWritten / seconds,
      peakRssMb: Math.round(peak / (1 << 20)),
      backend: db.kind,
      files: result.files,
    };
  } finally {
    clearInterval(sampler);
    await db.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}
