import { InsetText, SummaryList } from 'nhsuk-react-components';
import { useSummary } from '../api/queries';
import type { User } from '../api/types';
import { CAPABILITIES } from '../capabilities';
import { SectionProblem } from '../components/ErrorSummaryBox';
import { Figures } from '../components/Figures';
import { Loading } from '../components/Loading';
import { ImportStatusTag } from '../components/StatusTag';
import { usePageTitle } from '../components/usePageTitle';
import { DATASET_FILES } from '../dataset';
import { formatDateTime, plural } from '../format';
import { Link } from '../router/router';
import { canUseArea } from '../components/AppHeader';

/** Areas beyond the four capabilities, shown to the roles that can use them. */
const MORE_AREAS: readonly { to: string; title: string; description: string }[] = [
  { to: '/ldis/report', title: 'Report an incident', description: 'Tell the local drug information system about a death, an overdose, naloxone use or a drug check. It takes under two minutes; “not known” is always an answer.' },
  { to: '/ldis', title: 'LDIS inbox', description: 'New partner reports with their case-definition level, likely duplicates and the 24- and 48-hour timers.' },
  { to: '/alerts', title: 'Alerts and PIN reports', description: 'Draft, approve and issue alerts with redacted copies for partners and the public; PIN reports and distribution.' },
  { to: '/data', title: 'Data', description: 'Import the dataset from CSV files or an Excel workbook, check its quality, and export it.' },
  { to: '/admin', title: 'Administration', description: 'Users, roles and scopes, the audit log of who saw what, and emergency-access reviews.' },
];

export function HomePage({ user }: { user: User }) {
  usePageTitle('Home');
  const canSummarise = user.permissions?.includes('data.summary') ?? false;
  const summary = useSummary(canSummarise);
  const rows = (table: string) => summary.data?.tables.find((t) => t.table === table)?.rows ?? null;
  const totalRows = summary.data?.tables.reduce((sum, t) => sum + t.rows, 0) ?? 0;

  return (
    <>
      <h1>Beacon</h1>
      <p className="nhsuk-lede-text">
        Medication-assisted treatment, overdose risk, early warning and partnership assurance for drug-treatment services.
      </p>

      <SummaryList>
        <SummaryList.Row>
          <SummaryList.Key>Signed in as</SummaryList.Key>
          <SummaryList.Value>{user.displayName}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Role</SummaryList.Key>
          <SummaryList.Value>{user.roleLabel}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Sees data for</SummaryList.Key>
          <SummaryList.Value>{user.scope.label || 'The whole organisation'}</SummaryList.Value>
        </SummaryList.Row>
      </SummaryList>

      <h2>What’s in Beacon</h2>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {CAPABILITIES.filter((capability) => canUseArea(user, capability.path)).map((capability) => (
          <li key={capability.key} className="nhsuk-grid-column-one-half nhsuk-card-group__item">
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to={capability.path}>
                    {capability.title}
                  </Link>
                </h3>
                <p className="nhsuk-card__description">{capability.summary}</p>
              </div>
            </div>
          </li>
        ))}
        {MORE_AREAS.filter((area) => canUseArea(user, area.to)).map((area) => (
          <li key={area.to} className="nhsuk-grid-column-one-half nhsuk-card-group__item">
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to={area.to}>
                    {area.title}
                  </Link>
                </h3>
                <p className="nhsuk-card__description">{area.description}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>

      {canSummarise ? <h2>Data loaded</h2> : null}
      {canSummarise && summary.isPending ? <Loading>Loading the data summary…</Loading> : null}
      {summary.error ? <SectionProblem error={summary.error} what="the data summary" /> : null}
      {summary.data ? (
        <>
          {totalRows === 0 ? (
            <InsetText>
              <p>
                No data has been loaded yet. <Link to="/data/import">Import a dataset</Link> to get started.
              </p>
            </InsetText>
          ) : null}
          <Figures
            label="Rows loaded"
            figures={[
              { key: 'services', value: rows('services'), label: 'services' },
              { key: 'people', value: rows('people'), label: 'people' },
              { key: 'prescriptions', value: rows('prescriptions'), label: 'prescription segments' },
              { key: 'top', value: rows('top'), label: 'TOPs' },
              { key: 'drug_tests', value: rows('drug_tests'), label: 'drug test results' },
              { key: 'incidents', value: rows('incidents'), label: 'partner reports' },
            ]}
          />
          <p>
            {plural(totalRows, 'row')} in {plural(summary.data.tables.length || DATASET_FILES.length, 'table')}.{' '}
            <Link to="/data">See every table on the Data page</Link>.
          </p>
          {summary.data.lastImport ? (
            <p>
              Last import: {summary.data.lastImport.sourceName}, {formatDateTime(summary.data.lastImport.startedAt)}{' '}
              <ImportStatusTag run={summary.data.lastImport} />{' '}
              <Link to={`/data/imports/${encodeURIComponent(String(summary.data.lastImport.id))}`}>
                View the report<span className="nhsuk-u-visually-hidden"> of the last import</span>
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
    </>
  );
}
