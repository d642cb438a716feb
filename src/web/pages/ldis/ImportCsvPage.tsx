import { Button } from 'nhsuk-react-components';
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { User } from '../../api/types';
import { ErrorSummaryBox } from '../../components/ErrorSummaryBox';
import { FileProblemsTable } from '../../components/FileProblemsTable';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { ldisApi, useLdisMutation, type ImportResult } from './api';
import { isPartner, LdisNav, ScrollTable, TextField } from './components';

/** Import partner reports from a file in the incidents.csv format: all or nothing, every problem listed. */
export function ImportCsvPage({ user }: { user: User }) {
  usePageTitle('Import partner reports');
  const partnerUser = isPartner(user);
  const fileRef = useRef<HTMLInputElement>(null);
  const [partner, setPartner] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ImportResult | null>(null);
  const upload = useLdisMutation((b: { file_name: string; csv: string; partner?: string }) => ldisApi.importCsv(b));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    const file = fileRef.current?.files?.[0];
    const found: Record<string, string> = {};
    if (!file) found.file = 'Choose a CSV file';
    else if (file.size > 10_000_000) found.file = 'The file must be smaller than 10 MB';
    if (!partnerUser && !/^[a-z0-9][a-z0-9_.:-]{0,99}$/.test(partner.trim())) found.partner = 'Enter the partner organisation the file comes from, for example west-midlands-police';
    setErrors(found);
    if (Object.keys(found).length > 0 || !file) return;
    const csv = await file.text();
    upload.mutate({ file_name: file.name, csv, ...(partnerUser ? {} : { partner: partner.trim() }) }, { onSuccess: setResult });
  }

  const problem = upload.error instanceof ApiError ? upload.error.problem : null;
  const rows = (problem?.errors ?? []).map((e) => {
    const [file, line, column] = (e.field ?? '').split(':');
    return { file: file ?? '', line: line ?? '', column: column ?? '', message: e.message };
  });
  const items = Object.entries(errors).map(([k, text]) => ({ href: `#${k}`, text }));
  return (
    <>
      {!partnerUser ? <LdisNav user={user} current="/ldis/import" /> : null}
      <span className="nhsuk-caption-l">Local drug information system</span>
      <h1>Import partner reports</h1>
      <p>
        Upload a CSV file in the <code>incidents.csv</code> format: a header line with the column names, then one report per line. <code>report_id</code> is your own reference:
        importing the same file again adds nothing new. If any line has a problem, nothing is saved and every problem is listed.
      </p>
      {items.length > 0 ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
      {upload.error ? (
        <ErrorSummaryBox
          title={problem?.title ?? 'The file was not imported'}
          description={<p>{rows.length > 0 ? 'Correct these lines and upload the file again. Nothing was saved.' : (problem?.detail ?? upload.error.message)}</p>}
          items={rows.slice(0, 10).map((r) => ({ text: `Line ${r.line}${r.column ? `, ${r.column}` : ''}: ${r.message}` }))}
        />
      ) : null}
      {result ? (
        <div className="nhsuk-panel nhsuk-panel--confirmation" role="status">
          <h2 className="nhsuk-panel__title">File imported</h2>
          <div className="nhsuk-panel__body">
            {result.rows} report{result.rows === 1 ? '' : 's'}: {result.created} new, {result.replayed} already received
          </div>
        </div>
      ) : null}
      <form noValidate onSubmit={(e) => void submit(e)} aria-label="Import partner reports">
        {!partnerUser ? <TextField id="partner" label="Partner organisation" hint="Who the file comes from, for example west-midlands-police." value={partner} onChange={setPartner} error={errors.partner} width={20} /> : null}
        <div className={`nhsuk-form-group${errors.file ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor="file">
            CSV file
          </label>
          {errors.file ? (
            <span className="nhsuk-error-message" id="file-error">
              <span className="nhsuk-u-visually-hidden">Error: </span>
              {errors.file}
            </span>
          ) : null}
          <input className="nhsuk-file-upload__input" id="file" name="file" type="file" accept=".csv,text/csv" ref={fileRef} aria-describedby={errors.file ? 'file-error' : undefined} />
        </div>
        <Button type="submit" disabled={upload.isPending}>
          {upload.isPending ? 'Importing…' : 'Import'}
        </Button>
      </form>
      {rows.length > 0 ? (
        <ScrollTable label="Problems in the file">
          <FileProblemsTable problems={rows} testId="import-problems" />
        </ScrollTable>
      ) : null}
      <p>
        <Link to={partnerUser ? '/ldis/my-reports' : '/ldis'}>{partnerUser ? 'See your reports' : 'Back to the inbox'}</Link>
      </p>
    </>
  );
}
