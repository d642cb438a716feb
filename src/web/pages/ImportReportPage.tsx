import { useQueryClient } from '@tanstack/react-query';
import { BackLink, Panel, SummaryList, Table, Tag, WarningCallout } from 'nhsuk-react-components';
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { ApiError } from '../api/client';
import { urls } from '../api/endpoints';
import { queryKeys, useImportRun } from '../api/queries';
import type { ImportProblem, ImportRun, ImportTableSummary } from '../api/types';
import { ErrorSummaryBox, ProblemSummary } from '../components/ErrorSummaryBox';
import { Loading } from '../components/Loading';
import { ProgressBar } from '../components/ProgressBar';
import { ImportStatusTag } from '../components/StatusTag';
import { usePageTitle } from '../components/usePageTitle';
import { DATASET_FILES } from '../dataset';
import { formatBytes, formatDateTime, formatNumber, percent, plural } from '../format';
import { Link } from '../router/router';
import { NotFoundPage } from './NotFoundPage';

const PHASES: Record<string, string> = {
  queued: 'Waiting to start',
  unpacking: 'Opening the workbook',
  merging: 'Writing to the database',
  indexing: 'Updating the indexes',
  done: 'Finishing',
  starting: 'Starting',
  receiving: 'Receiving the files',
  upload: 'Receiving the files',
  reading: 'Reading the files',
  parsing: 'Reading the files',
  validating: 'Checking the rows',
  checking: 'Checking the rows',
  references: 'Checking references between tables',
  loading: 'Writing to the database',
  writing: 'Writing to the database',
  committing: 'Saving the changes',
  refreshing: 'Updating summaries',
  snapshots: 'Updating summaries',
  finishing: 'Finishing',
};

export function phaseLabel(phase: string | undefined): string {
  if (!phase) return 'Working';
  const known = PHASES[phase.toLowerCase()];
  if (known) return known;
  const words = phase.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Working';
}

function titleFor(run: ImportRun): string {
  switch (run.status) {
    case 'running':
      return run.dryRun ? 'Checking your files' : 'Importing your data';
    case 'validated':
      return 'Check complete';
    case 'succeeded':
      return 'Import complete';
    case 'partial':
      return 'Import complete with rows skipped';
    case 'rejected':
      return run.dryRun ? 'The check found problems' : 'Import rejected';
    case 'failed':
      return run.dryRun ? 'The check failed' : 'Import failed';
    default:
      return 'Import report';
  }
}

export function ImportReportPage({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const query = useImportRun(id);
  const run = query.data?.import;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const wasRunning = useRef(false);
  usePageTitle(run ? titleFor(run) : 'Import report');

  // When a running import finishes: refresh the counts, and move focus to the new heading
  // so screen-reader users hear the outcome.
  useEffect(() => {
    if (!run) return;
    if (run.status === 'running') {
      wasRunning.current = true;
      return;
    }
    if (wasRunning.current) {
      wasRunning.current = false;
      void queryClient.invalidateQueries({ queryKey: queryKeys.summary });
      void queryClient.invalidateQueries({ queryKey: queryKeys.imports, exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.quality });
      headingRef.current?.focus();
    }
  }, [run, queryClient]);

  if (query.error instanceof ApiError && query.error.status === 404) {
    return <NotFoundPage what="import" />;
  }

  return (
    <>
      <BackLink asElement={Link} to="/data" href="/data">
        Back to Data
      </BackLink>
      {query.isPending ? (
        <>
          <h1>Import report</h1>
          <Loading>Loading the import…</Loading>
        </>
      ) : null}
      {query.error ? (
        <>
          <ProblemSummary error={query.error} />
          <h1>Import report</h1>
        </>
      ) : null}
      {run && query.data ? <Report run={run} problems={query.data.problems} headingRef={headingRef} /> : null}
    </>
  );
}

interface ReportProps {
  run: ImportRun;
  problems: ImportProblem[];
  headingRef: RefObject<HTMLHeadingElement | null>;
}

function Report({ run, problems, headingRef }: ReportProps) {
  const title = titleFor(run);
  const progress = run.summary?.progress;
  const rejected = run.status === 'rejected' || run.status === 'failed';
  const problemsCsv = urls.importProblemsCsv(run.id);
  const tables = Object.entries(run.summary?.tables ?? {});
  const hasProblems = run.problemCount > 0 || problems.length > 0;

  return (
    <>
      {rejected ? (
        <ErrorSummaryBox
          title={
            run.status === 'failed'
              ? 'The import could not be completed'
              : `${plural(Math.max(run.problemCount, problems.length), 'problem')} found`
          }
          description={
            <>
              {run.status === 'failed' && run.summary?.message ? <p>{sentence(run.summary.message)}</p> : null}
              <p>
                {run.dryRun ? 'This was a check only: nothing was written.' : 'Nothing was written to Beacon.'}{' '}
                {hasProblems
                  ? 'Fix the problems listed below and upload the files again.'
                  : 'Try again, or tell your administrator if it keeps happening.'}
              </p>
            </>
          }
          items={[
            ...(hasProblems ? [{ href: '#problems', text: 'See the problems, row by row' }] : []),
          ]}
        />
      ) : null}

      {run.status === 'succeeded' || run.status === 'validated' ? (
        <Panel>
          <Panel.Title headingLevel="h1">
            <span ref={headingRef} tabIndex={-1} className="beacon-focus-target">
              {title}
            </span>
          </Panel.Title>
          {run.status === 'validated'
            ? `${plural(run.rowsRead, 'row')} checked. Nothing was written because this was a check only (dry run).`
            : `${plural(run.rowsWritten, 'row')} written.`}
        </Panel>
      ) : (
        <h1 ref={headingRef} tabIndex={-1} className="beacon-focus-target">
          {title}
        </h1>
      )}

      {run.status === 'running' ? (
        <ProgressBar
          label={progress?.file ? `${phaseLabel(progress.phase)}: ${progress.file}` : phaseLabel(progress?.phase)}
          value={progress && progress.totalBytes > 0 ? percent(progress.bytesRead, progress.totalBytes) : null}
          detail={
            progress
              ? `${plural(progress.rowsRead, 'row')} read${
                  progress.totalBytes > 0 ? `, ${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)}` : ''
                }`
              : 'Starting…'
          }
          announcement={phaseLabel(progress?.phase)}
        />
      ) : null}

      {run.status === 'partial' ? (
        <WarningCallout>
          <WarningCallout.Heading>Some rows were not written</WarningCallout.Heading>
          <p>
            {plural(run.rowsWritten, 'row')} written. The rows with problems were skipped: they are listed below and in the{' '}
            <a href={problemsCsv} download>
              problems CSV
            </a>
            .
          </p>
        </WarningCallout>
      ) : null}

      <h2>Details</h2>
      <SummaryList>
        <Row name="Status">
          <ImportStatusTag run={run} />
        </Row>
        <Row name="Files">
          <span className="beacon-break">{run.sourceName}</span> ({run.format.toUpperCase()})
        </Row>
        <Row name="Type">
          {run.dryRun ? 'Check only (dry run)' : 'Import'}
          {run.skipInvalid ? ', skipping invalid rows' : ', all or nothing'}
        </Row>
        <Row name="Started">{formatDateTime(run.startedAt)}</Row>
        <Row name="Finished">{run.finishedAt ? formatDateTime(run.finishedAt) : 'Not yet'}</Row>
        {run.username ? <Row name="By">{run.username}</Row> : null}
        <Row name="Rows read">{formatNumber(run.rowsRead)}</Row>
        <Row name="Rows written">{formatNumber(run.rowsWritten)}</Row>
        <Row name="Problems">{formatNumber(run.problemCount)}</Row>
      </SummaryList>

      {tables.length ? <TablesTable run={run} tables={tables} /> : null}

      {hasProblems ? <ProblemsTable run={run} problems={problems} csvHref={problemsCsv} /> : null}
      {!hasProblems && run.status !== 'running' ? <p>No problems were found in the files.</p> : null}

      <p>
        <Link to="/data/import">Import more data</Link> or <Link to="/data">go back to Data</Link>.
      </p>
    </>
  );
}

function Row({ name, children }: { name: string; children: ReactNode }) {
  return (
    <SummaryList.Row>
      <SummaryList.Key>{name}</SummaryList.Key>
      <SummaryList.Value>{children}</SummaryList.Value>
    </SummaryList.Row>
  );
}

function ProblemsTable({ run, problems, csvHref }: { run: ImportRun; problems: ImportProblem[]; csvHref: string }) {
  const total = Math.max(run.problemCount, problems.length);
  return (
    <>
      <h2 id="problems" tabIndex={-1} className="beacon-focus-target">
        Problems
      </h2>
      <p>
        {total > problems.length
          ? `Showing the first ${formatNumber(problems.length)} of ${formatNumber(total)} problems. The CSV has all of them.`
          : total === 1
            ? '1 problem, with the file, line and column where it was found.'
            : `${plural(total, 'problem')}, each with the file, line and column where it was found.`}
      </p>
      <p>
        <a href={csvHref} download data-testid="problems-csv">
          Download the problems (CSV)
        </a>
      </p>
      <div className="beacon-table-scroll">
        <Table responsive caption="Problems found in the files" captionProps={{ className: 'nhsuk-u-visually-hidden' }}>
          <Table.Head>
            <Table.Row>
              <Table.Cell>File</Table.Cell>
              <Table.Cell format="numeric">Line</Table.Cell>
              <Table.Cell>Column</Table.Cell>
              <Table.Cell>Value</Table.Cell>
              <Table.Cell>Expected</Table.Cell>
              <Table.Cell>Problem</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {problems.map((problem, index) => (
              <Table.Row key={index} data-testid="problem-row">
                <Table.Cell className="beacon-break">{orDash(problem.file)}</Table.Cell>
                <Table.Cell format="numeric">{problem.line === null ? '–' : formatNumber(problem.line)}</Table.Cell>
                <Table.Cell className="beacon-break">{orDash(problem.column)}</Table.Cell>
                <Table.Cell className="beacon-break">
                  <ProblemValue problem={problem} />
                </Table.Cell>
                <Table.Cell className="beacon-break">{orDash(problem.expected)}</Table.Cell>
                <Table.Cell className="beacon-break">
                  {problem.severity && problem.severity !== 'error' ? (
                    <>
                      <Tag modifier="yellow">{problem.severity === 'warning' ? 'Warning' : problem.severity}</Tag>{' '}
                    </>
                  ) : null}
                  {problem.message}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </>
  );
}

function orDash(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '–' : value;
}

/** The offending value as written in the file; "(empty)" when a value was required but blank. */
function ProblemValue({ problem }: { problem: ImportProblem }) {
  if (problem.value === null || problem.value === undefined) return <>–</>;
  if (problem.value === '') return problem.column && problem.line !== null ? <em>(empty)</em> : <>–</>;
  return <code>{problem.value}</code>;
}

/** Rows by table: read, rejected, and what happened to the rest (new, updated, unchanged). */
function TablesTable({ run, tables }: { run: ImportRun; tables: [string, ImportTableSummary][] }) {
  const detailed = tables.some(([, t]) => typeof t.inserted === 'number');
  const rejectedFiles = run.skipInvalid
    ? tables.filter(([, t]) => t.rejected > 0).map(([table, t]) => ({ table, file: t.file?.endsWith('.csv') ? t.file : `${table}.csv` }))
    : [];
  const written = (t: ImportTableSummary) =>
    t.written ?? (detailed ? (t.inserted ?? 0) + (t.updated ?? 0) + (t.unchanged ?? 0) : null);
  return (
    <>
      <div className="beacon-table-scroll">
        <Table responsive caption="Rows by table" captionProps={{ size: 'm' }}>
          <Table.Head>
            <Table.Row>
              <Table.Cell>Table</Table.Cell>
              <Table.Cell format="numeric">Read</Table.Cell>
              <Table.Cell format="numeric">Rejected</Table.Cell>
              {/* Arrays, not fragments: the responsive table reads its headings from the row's direct children. */}
              {detailed
                ? [
                    <Table.Cell key="new" format="numeric">
                      New
                    </Table.Cell>,
                    <Table.Cell key="updated" format="numeric">
                      Updated
                    </Table.Cell>,
                    <Table.Cell key="unchanged" format="numeric">
                      Unchanged
                    </Table.Cell>,
                  ]
                : [
                    <Table.Cell key="written" format="numeric">
                      Written
                    </Table.Cell>,
                  ]}
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {tables.map(([table, counts]) => (
              <Table.Row key={table} data-testid={`import-table-${table}`}>
                <Table.Cell>{DATASET_FILES.find((f) => f.table === table)?.label ?? table}</Table.Cell>
                <Table.Cell format="numeric">{formatNumber(counts.read)}</Table.Cell>
                <Table.Cell format="numeric">{formatNumber(counts.rejected)}</Table.Cell>
                {detailed
                  ? [
                      <Table.Cell key="new" format="numeric">
                        {formatNumber(counts.inserted ?? 0)}
                      </Table.Cell>,
                      <Table.Cell key="updated" format="numeric">
                        {formatNumber(counts.updated ?? 0)}
                      </Table.Cell>,
                      <Table.Cell key="unchanged" format="numeric">
                        {formatNumber(counts.unchanged ?? 0)}
                      </Table.Cell>,
                    ]
                  : [
                      <Table.Cell key="written" format="numeric">
                        {formatNumber(written(counts) ?? 0)}
                      </Table.Cell>,
                    ]}
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      {rejectedFiles.length && run.status !== 'running' ? (
        <>
          <p>The rejected rows, each with the reason, ready to correct and import again:</p>
          <ul>
            {rejectedFiles.map(({ table, file }) => (
              <li key={table}>
                <a href={urls.importRejectedCsv(run.id, file)} download data-testid={`rejected-${table}`}>
                  Download the rejected rows of {file} (CSV)
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** A server message as a sentence: capital first letter, full stop at the end. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
