import type { Queryable } from './db';

/** Rejected rows kept for download with an import (per run, all files together). */
export const STORED_REJECTS_BYTES = 16 << 20;

/** Live progress of a running import, for the progress bar. */
export async function setImportProgress(db: Queryable, id: number, progress: Record<string, unknown>): Promise<void> {
  await db.query(
    `UPDATE imports SET summary = COALESCE(summary, '{}'::jsonb) || jsonb_build_object('progress', $2::jsonb) WHERE id = $1 AND status = 'running'`,
    [id, JSON.stringify(progress)],
  );
}

export async function storeImportRejects(db: Queryable, id: number, files: { file: string; rows: number; complete: boolean; csv: string }[]): Promise<void> {
  let budget = STORED_REJECTS_BYTES;
  const kept = files.map((f) => {
    const csv = f.csv.length <= budget ? f.csv : '';
    budget -= csv.length;
    return { file: f.file, rows: f.rows, complete: f.complete && csv.length === f.csv.length, csv };
  });
  await db.query('UPDATE imports SET rejects = $2::jsonb WHERE id = $1', [id, JSON.stringify(kept)]);
}

export async function getImportRejects(db: Queryable, id: number, file: string): Promise<string | null> {
  const rows = await db.query<{ csv: string | null }>(
    `SELECT r->>'csv' AS csv FROM imports, jsonb_array_elements(COALESCE(rejects, '[]'::jsonb)) r WHERE id = $1 AND r->>'file' = $2`,
    [id, file],
  );
  return rows[0]?.csv ?? null;
}
