-- Rows rejected by an import run with skip-invalid, kept for download: [{file, rows, complete, csv}].
ALTER TABLE imports ADD COLUMN rejects jsonb;
