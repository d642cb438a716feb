import { quoteIdent, type Queryable } from './db';
import { DATASET, type TableName } from './dataset/spec';

/** What people call each dataset table; the tables and their order come from the dataset spec. */
const TABLE_LABELS: Record<TableName, string> = {
  services: 'Services',
  people: 'People',
  episodes: 'Treatment episodes',
  prescriptions: 'Prescription segments',
  top: 'Treatment Outcomes Profiles (TOP)',
  drug_tests: 'Drug test results',
  risk_events: 'Risk events',
  naloxone: 'Naloxone supplies',
  sc_reviews: 'Supervised consumption reviews',
  incidents: 'LDIS partner reports',
};

export interface TableCount {
  table: TableName;
  label: string;
  rows: number;
}

/** Exact row counts per dataset table, in one round trip. */
export async function tableCounts(db: Queryable): Promise<TableCount[]> {
  const sql = DATASET.map((t) => `SELECT '${t.table}' AS t, count(*)::bigint AS n FROM ${quoteIdent(t.table)}`).join(' UNION ALL ');
  const rows = await db.query<{ t: string; n: number }>(sql);
  const byTable = new Map(rows.map((r) => [r.t, r.n]));
  return DATASET.map((t) => ({ table: t.table, label: TABLE_LABELS[t.table], rows: byTable.get(t.table) ?? 0 }));
}

export interface ImportRun {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  username: string | null;
  sourceName: string;
  format: string;
  dryRun: boolean;
  skipInvalid: boolean;
  status: 'running' | 'succeeded' | 'rejected' | 'partial' | 'failed' | 'validated';
  rowsRead: number;
  rowsWritten: number;
  problemCount: number;
  summary: Record<string, unknown> | null;
}

const IMPORT_COLUMNS = `id, started_at AS "startedAt", finished_at AS "finishedAt", username, source_name AS "sourceName", format,
  dry_run AS "dryRun", skip_invalid AS "skipInvalid", status, rows_read AS "rowsRead", rows_written AS "rowsWritten",
  problem_count AS "problemCount", summary`;

export async function listImports(db: Queryable, limit = 50): Promise<ImportRun[]> {
  return db.query<ImportRun>(`SELECT ${IMPORT_COLUMNS} FROM imports ORDER BY id DESC LIMIT $1`, [limit]);
}

export async function getImport(db: Queryable, id: number): Promise<ImportRun | null> {
  const rows = await db.query<ImportRun>(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getImportProblemsCsv(db: Queryable, id: number): Promise<string | null> {
  const rows = await db.query<{ problems_csv: string | null }>('SELECT problems_csv FROM imports WHERE id = $1', [id]);
  return rows[0] ? (rows[0].problems_csv ?? '') : null;
}
