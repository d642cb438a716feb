import { InsetText } from 'nhsuk-react-components';
import { useSummary } from '../api/queries';
import type { Capability } from '../capabilities';
import { SectionProblem } from '../components/ErrorSummaryBox';
import { Figures } from '../components/Figures';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { DATASET_FILES } from '../dataset';
import { formatDateTime } from '../format';
import { Link } from '../router/router';

/**
 * The landing page of a capability for a role that does not use its pages: what it does,
 * said plainly, who it is for, and the rows loaded in the tables it works from.
 */
export function CapabilityPage({ capability }: { capability: Capability }) {
  usePageTitle(capability.short);
  const summary = useSummary();

  const figures = capability.tables.map((table) => {
    const entry = summary.data?.tables.find((t) => t.table === table);
    const fallback = DATASET_FILES.find((f) => f.table === table)?.label ?? table;
    return { key: table, value: entry?.rows ?? null, label: entry?.label ?? fallback };
  });
  const empty = summary.data !== undefined && figures.every((f) => !f.value);

  return (
    <>
      <h1>{capability.title}</h1>
      <p className="nhsuk-lede-text">{capability.summary}</p>

      <h2>What it does</h2>
      <ul>
        {capability.does.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p>
        <strong>Who it is for:</strong> {capability.audience}
      </p>

      <h2>Data available now</h2>
      {summary.isPending ? <Loading>Loading the figures…</Loading> : null}
      {summary.error ? <SectionProblem error={summary.error} what="these figures" /> : null}
      {summary.data ? (
        <>
          <Figures label={`Rows loaded in the tables ${capability.short} uses`} figures={figures} />
          {empty ? (
            <InsetText>
              <p>
                None of the data this needs has been loaded yet. <Link to="/data/import">Import a dataset</Link>.
              </p>
            </InsetText>
          ) : null}
          <p className="nhsuk-body-s">
            Rows loaded in each table {capability.short} works from.
            {summary.data.lastImport
              ? ` Data last imported ${formatDateTime(summary.data.lastImport.finishedAt ?? summary.data.lastImport.startedAt)}.`
              : ''}{' '}
            <Link to="/data">See every table</Link>.
          </p>
        </>
      ) : null}

      <h2>Who works here</h2>
      <InsetText>
        <p>
          The {capability.short} pages are for {capability.audience.replace(/\.$/, '').toLowerCase()}. Your role does not use them, so this page
          describes them and shows what data is loaded. Ask your administrator if you need access.
        </p>
      </InsetText>
    </>
  );
}

