import { useQueryClient } from '@tanstack/react-query';
import { BackLink, Button, Checkboxes, Details } from 'nhsuk-react-components';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { queryKeys } from '../api/queries';
import { uploadImport } from '../api/upload';
import { ErrorSummaryBox, ProblemSummary, type ErrorItem } from '../components/ErrorSummaryBox';
import { FileUploadField } from '../components/FileUploadField';
import { ProgressBar } from '../components/ProgressBar';
import { usePageTitle } from '../components/usePageTitle';
import { DATASET_FILES } from '../dataset';
import { checkFiles } from '../importFiles';
import { formatBytes, percent } from '../format';
import { Link, navigate } from '../router/router';

const FILE_INPUT_ID = 'import-files';
const FILE_UPLOAD_TEXT = {
  chooseFilesButton: 'Choose files',
  dropInstruction: 'or drop them here',
  noFileChosen: 'No files chosen',
  multipleFilesChosen: { one: '%{count} file chosen', other: '%{count} files chosen' },
};

type UploadState = { phase: 'idle' } | { phase: 'uploading'; loaded: number; total: number } | { phase: 'failed'; error: unknown };

export function ImportPage() {
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadState>({ phase: 'idle' });
  usePageTitle(fileError || upload.phase === 'failed' ? 'Error: Import data' : 'Import data');

  // Leaving the page cancels an upload still in progress.
  useEffect(() => () => abortRef.current?.abort(), []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (upload.phase === 'uploading') return;
    const files = Array.from(inputRef.current?.files ?? []);
    const problem = checkFiles(files);
    setFileError(problem);
    if (problem) {
      setUpload({ phase: 'idle' });
      return;
    }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const controller = new AbortController();
    abortRef.current = controller;
    setUpload({ phase: 'uploading', loaded: 0, total });
    try {
      const run = await uploadImport({
        files,
        dryRun,
        skipInvalid,
        signal: controller.signal,
        onProgress: (loaded, sent) => setUpload({ phase: 'uploading', loaded, total: sent }),
      });
      await queryClient.invalidateQueries({ queryKey: queryKeys.data });
      navigate(`/data/imports/${encodeURIComponent(String(run.id))}`);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        setUpload({ phase: 'idle' });
        return;
      }
      setUpload({ phase: 'failed', error });
    } finally {
      abortRef.current = null;
    }
  };

  const errorItems: ErrorItem[] = fileError ? [{ href: `#${FILE_INPUT_ID}`, text: fileError }] : [];
  const uploading = upload.phase === 'uploading';

  return (
    <>
      <BackLink asElement={Link} to="/data" href="/data">
        Back to Data
      </BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {errorItems.length ? <ErrorSummaryBox title="There is a problem" items={errorItems} /> : null}
          {upload.phase === 'failed' ? <ProblemSummary error={upload.error} /> : null}

          <h1>Import data</h1>
          <p>
            Upload one Excel workbook (.xlsx) whose sheets are named after the tables, or one or more CSV files named after
            the tables (for example <code>people.csv</code> and <code>prescriptions.csv</code>). Every file is optional;
            rows already in Beacon are updated by their identifiers, never duplicated.
          </p>
          <Details>
            <Details.Summary>Which files and columns can I import?</Details.Summary>
            <Details.Text>
              <ul className="nhsuk-list">
                {DATASET_FILES.map((file) => (
                  <li key={file.file}>
                    <code>{file.file}</code> – {file.label.toLowerCase()}; required columns: {file.required}
                  </li>
                ))}
              </ul>
              <p>Dates are YYYY-MM-DD or DD/MM/YYYY. Files must be UTF-8.</p>
            </Details.Text>
          </Details>

          <form noValidate onSubmit={submit} aria-label="Import data">
            <FileUploadField
              ref={inputRef}
              id={FILE_INPUT_ID}
              name="file"
              label="Workbook or CSV files"
              hint="One .xlsx workbook, or one or more .csv files"
              accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              multiple
              disabled={uploading}
              error={fileError}
              i18n={FILE_UPLOAD_TEXT}
              onChange={() => setFileError(null)}
            />

            <Checkboxes legend="Options" legendProps={{ size: 's' }} idPrefix="import-options" name="options">
              <Checkboxes.Item
                id="dry-run"
                value="dryRun"
                checked={dryRun}
                disabled={uploading}
                onChange={(event) => setDryRun(event.currentTarget.checked)}
                hint="Check the files and show the report without writing anything to Beacon."
              >
                Check only (dry run)
              </Checkboxes.Item>
              <Checkboxes.Item
                id="skip-invalid"
                value="skipInvalid"
                checked={skipInvalid}
                disabled={uploading}
                onChange={(event) => setSkipInvalid(event.currentTarget.checked)}
                hint="Write the valid rows and report the rejected ones. Without this, any invalid row stops the import and nothing is written."
              >
                Skip invalid rows
              </Checkboxes.Item>
            </Checkboxes>

            {uploading ? (
              <>
                <ProgressBar
                  label="Uploading files"
                  value={upload.total > 0 ? percent(upload.loaded, upload.total) : null}
                  detail={`${formatBytes(upload.loaded)} of ${formatBytes(upload.total)} sent`}
                  announcement="Uploading files"
                />
                <Button type="button" secondary onClick={() => abortRef.current?.abort()}>
                  Cancel upload
                </Button>
              </>
            ) : (
              <Button type="submit">{dryRun ? 'Upload and check' : 'Upload and import'}</Button>
            )}
          </form>
        </div>
      </div>
    </>
  );
}
