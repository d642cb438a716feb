/**
 * The shapes of Beacon's HTTP API as the web app uses them. The server declares the same
 * contract with zod; these types follow it field for field.
 */

export interface Scope {
  type: string;
  id: string | null;
  label: string;
}

export interface User {
  id: number | string;
  username: string;
  displayName: string;
  role: string;
  roleLabel: string;
  scope: Scope;
  /** The actions this user's role allows (e.g. 'mat.tracker', 'data.import'); scope is checked per record. */
  permissions?: string[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

export type TableName =
  | 'services'
  | 'people'
  | 'episodes'
  | 'prescriptions'
  | 'top'
  | 'drug_tests'
  | 'risk_events'
  | 'naloxone'
  | 'sc_reviews'
  | 'incidents';

export interface TableCount {
  /** One of {@link TableName}; kept open so a table added on the server still shows. */
  table: string;
  label: string;
  rows: number;
}

export type ImportStatus = 'running' | 'succeeded' | 'rejected' | 'partial' | 'failed' | 'validated';

/** Rows of one table in an import. The server reports inserted/updated/unchanged once written. */
export interface ImportTableSummary {
  /** The file (or workbook sheet) the rows came from. */
  file?: string;
  read: number;
  valid?: number;
  rejected: number;
  inserted?: number;
  updated?: number;
  /** Re-imported rows identical to what was stored. */
  unchanged?: number;
  written?: number;
}

export interface ImportProgress {
  phase: string;
  file: string | null;
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportSummary {
  tables?: Record<string, ImportTableSummary>;
  /** Present while the import runs. */
  progress?: ImportProgress;
  /** The outcome in one line (for a failed import, why it failed). */
  message?: string;
  errors?: number;
  warnings?: number;
}

export interface ImportRun {
  id: number | string;
  startedAt: string;
  finishedAt: string | null;
  username: string | null;
  sourceName: string;
  format: string;
  dryRun: boolean;
  skipInvalid: boolean;
  status: ImportStatus;
  rowsRead: number;
  rowsWritten: number;
  problemCount: number;
  summary: ImportSummary | null;
}

export interface ImportProblem {
  file: string | null;
  line: number | null;
  column: string | null;
  value: string | null;
  expected: string | null;
  message: string;
  severity?: string;
}

export interface DataSummary {
  tables: TableCount[];
  lastImport: ImportRun | null;
}

export interface ImportDetail {
  import: ImportRun;
  problems: ImportProblem[];
}

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface QualityFinding {
  code: string;
  title: string;
  description: string;
  count: number;
  severity: FindingSeverity;
}

export interface Health {
  status: 'ok';
  database: 'pglite' | 'postgres';
  version: string;
}

/** An RFC 9457 problem document, as every Beacon error response carries. */
export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
  /** RFC 9457 extension members the server added (e.g. `breakGlassAvailable`), when any. */
  extensions?: Record<string, unknown>;
}

/** One entry of a problem's `errors`: which field (if any) and what is wrong with it. */
export interface ProblemFieldError {
  field?: string;
  path?: string | (string | number)[];
  message: string;
}
