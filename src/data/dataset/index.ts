/** Dataset v1 import and export (docs: ../shared/docs/dataset.md). */
export {
  DATASET,
  fileSpec,
  specOf,
  tableForName,
  expectedText,
  type TableName,
  type FileSpec,
  type ColumnSpec,
  type ValueType,
  type RowRule,
  type FormatCheck,
} from './spec';
export {
  importDataset,
  markInterruptedImports,
  IMPORT_LOCK,
  STORED_PROBLEMS_CSV_BYTES,
  type ImportOptions,
  type ImportProgress,
  type ImportPhase,
  type ImportResult,
  type ImportStatus,
  type ImportFileSummary,
} from './import';
export { exportDataset, XLSX_MAX_ROWS, type ExportOptions, type ExportResult } from './export';
export {
  PROBLEM_CSV_HEADER,
  problemCsvLine,
  type Problem,
  type ProblemCode,
  type ProblemCount,
  type RejectedFile,
  type Severity,
} from './problems';
export type { LoadMode } from './load';
