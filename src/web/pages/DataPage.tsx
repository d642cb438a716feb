import { Button, Details, InsetText, Table } from 'nhsuk-react-components';
import { urls } from '../api/endpoints';
import { useImports, useQuality, useSummary } from '../api/queries';
import { SectionProblem } from '../components/ErrorSummaryBox';
import { Loading } from '../components/Loading';
import { ImportStatusTag, SeverityTag } from '../components/StatusTag';
import { usePageTitle } from '../components/usePageTitle';
import { fileForTable } from '../dataset';
import { formatDateTimeShort, formatNumber, plural } from '../format';
import { Link } from '../router/router';

const RECENT_IMPORTS = 20;

export function DataPage() {
  usePageTitle('Data');
  const summary = useSummary();
  const imports = useImports();
  const quality = useQuality();
  const totalRows = summary.data?.tables.reduce((sum, t) => sum + t.rows, 0) ?? 0;
  const findings = quality.data
    ? { found: quality.data.filter((f) => f.count > 0), clear: quality.data.filter((f) => f.count === 0) }
    : null;

  return (
    <>
      <h1>Data</h1>
      <p className="nhsuk-lede-text">
        Import the dataset from CSV files or one Excel workbook, see what is loaded, check its quality and export it in the
        same format.
      </p>
      <div className="beacon-actions">
        <Button asElement={Link} to="/data/import" href="/data/import">
          Import data
        </Button>
        <Button secondary href={urls.exportXlsx} download>
          Download all data (XLSX)
        </Button>
      </div>

      <h2 id="tables">Tables</h2>
      {summary.isPending ? <Loading>Loading the tables…</Loading> : null}
      {summary.error ? <SectionProblem error={summary.error} what="the table counts" /> : null}
      {summary.data ? (
        <>
          <div className="beacon-table-scroll">
            <Table responsive caption="Rows loaded in each table" captionProps={{ className: 'nhsuk-u-visually-hidden' }}>
              <Table.Head>
                <Table.Row>
                  <Table.Cell>Table</Table.Cell>
                  <Table.Cell>Dataset file</Table.Cell>
                  <Table.Cell format="numeric">Rows</Table.Cell>
                  <Table.Cell>Export</Table.Cell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {summary.data.tables.map((table) => (
                  <Table.Row key={table.table} data-testid={`table-row-${table.table}`}>
                    <Table.Cell>{table.label}</Table.Cell>
                    <Table.Cell>
                      <code>{fileForTable(table.table)}</code>
                    </Table.Cell>
                    <Table.Cell format="numeric">{formatNumber(table.rows)}</Table.Cell>
                    <Table.Cell>
                      <a href={urls.exportCsv(table.table)} download>
                        Download CSV<span className="nhsuk-u-visually-hidden"> of {table.label.toLowerCase()}</span>
                      </a>
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
          <p>
            {plural(totalRows, 'row')} in all.
            {summary.data.lastImport ? (
              <>
                {' '}
                Last import {formatDateTimeShort(summary.data.lastImport.startedAt)}.
              </>
            ) : null}
          </p>
        </>
      ) : null}

      <h2 id="imports">Recent imports</h2>
      {imports.isPending ? <Loading>Loading the imports…</Loading> : null}
      {imports.error ? <SectionProblem error={imports.error} what="the list of imports" /> : null}
      {imports.data && imports.data.length === 0 ? (
        <InsetText>
          <p>
            Nothing has been imported yet. <Link to="/data/import">Import data</Link>.
          </p>
        </InsetText>
      ) : null}
      {imports.data && imports.data.length > 0 ? (
        <div className="beacon-table-scroll">
          <Table responsive caption="Recent imports, newest first" captionProps={{ className: 'nhsuk-u-visually-hidden' }}>
            <Table.Head>
              <Table.Row>
                <Table.Cell>Started</Table.Cell>
                <Table.Cell>Files</Table.Cell>
                <Table.Cell>Type</Table.Cell>
                <Table.Cell>Status</Table.Cell>
                <Table.Cell format="numeric">Rows read</Table.Cell>
                <Table.Cell format="numeric">Rows written</Table.Cell>
                <Table.Cell format="numeric">Problems</Table.Cell>
                <Table.Cell>Report</Table.Cell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {imports.data.slice(0, RECENT_IMPORTS).map((run) => (
                <Table.Row key={String(run.id)} data-testid="import-row">
                  <Table.Cell>
                    {formatDateTimeShort(run.startedAt)}
                    {run.username ? <span className="nhsuk-u-secondary-text-colour"> by {run.username}</span> : null}
                  </Table.Cell>
                  <Table.Cell className="beacon-break">{run.sourceName}</Table.Cell>
                  <Table.Cell>
                    {run.dryRun ? 'Check only' : 'Import'}
                    {run.skipInvalid ? ', skip invalid rows' : ''}
                  </Table.Cell>
                  <Table.Cell>
                    <ImportStatusTag run={run} />
                  </Table.Cell>
                  <Table.Cell format="numeric">{formatNumber(run.rowsRead)}</Table.Cell>
                  <Table.Cell format="numeric">{formatNumber(run.rowsWritten)}</Table.Cell>
                  <Table.Cell format="numeric">{formatNumber(run.problemCount)}</Table.Cell>
                  <Table.Cell>
                    <Link to={`/data/imports/${encodeURIComponent(String(run.id))}`}>
                      View report<span className="nhsuk-u-visually-hidden"> of the import started {formatDateTimeShort(run.startedAt)}</span>
                    </Link>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      ) : null}

      <h2 id="quality">Data quality</h2>
      {quality.isPending ? <Loading>Checking the data quality…</Loading> : null}
      {quality.error ? <SectionProblem error={quality.error} what="the data-quality checks" /> : null}
      {findings ? (
        findings.found.length === 0 ? (
          <InsetText>
            <p>
              No data-quality problems found
              {findings.clear.length ? ` (${plural(findings.clear.length, 'check')} run)` : ''}.
            </p>
          </InsetText>
        ) : (
          <div className="beacon-table-scroll">
            <Table responsive caption="Data-quality findings" captionProps={{ className: 'nhsuk-u-visually-hidden' }}>
              <Table.Head>
                <Table.Row>
                  <Table.Cell>Finding</Table.Cell>
                  <Table.Cell>Severity</Table.Cell>
                  <Table.Cell format="numeric">Records</Table.Cell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {findings.found.map((finding) => (
                  <Table.Row key={finding.code} data-testid={`finding-${finding.code}`}>
                    <Table.Cell>
                      <strong>{finding.title}</strong>
                      <br />
                      <span className="nhsuk-body-s">{finding.description}</span>
                    </Table.Cell>
                    <Table.Cell>
                      <SeverityTag severity={finding.severity} />
                    </Table.Cell>
                    <Table.Cell format="numeric">{formatNumber(finding.count)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
        )
      ) : null}
      {findings && findings.clear.length > 0 ? (
        <Details>
          <Details.Summary>Checks that found nothing ({formatNumber(findings.clear.length)})</Details.Summary>
          <Details.Text>
            <ul>
              {findings.clear.map((finding) => (
                <li key={finding.code}>
                  <strong>{finding.title}</strong>: {finding.description}
                </li>
              ))}
            </ul>
          </Details.Text>
        </Details>
      ) : null}
    </>
  );
}
