import { InsetText } from 'nhsuk-react-components';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { useAlerts, type AlertSummary, type SharedSummary } from './api';
import { AlertsNav, can, dayLabel, KIND_LABELS, PageHeading, VersionTag } from './components';

export function AlertsListPage({ user }: { user: User }) {
  usePageTitle('Alerts');
  const alerts = useAlerts();
  const data = alerts.data;
  return (
    <>
      <PageHeading caption="Early warning">Alerts and information shares</PageHeading>
      <p className="nhsuk-lede-text">
        Formal alerts and information shares from the local drug information system. Each is approved by a second person before it is issued, and goes to each
        audience in its own copy: the panel in full, partners and the PIN redacted, the public as a bulletin.
      </p>
      <AlertsNav user={user} />
      {alerts.isPending ? <Loading>Loading alerts…</Loading> : null}
      {alerts.error ? <SectionProblem error={alerts.error} what="alerts" /> : null}
      {data && data.tier === 'panel' ? <PanelTable alerts={data.alerts} canDraft={can(user, 'alerts.draft')} /> : null}
      {data && data.tier === 'partners' ? <SharedTable alerts={data.alerts} /> : null}
    </>
  );
}

function PanelTable({ alerts, canDraft }: { alerts: AlertSummary[]; canDraft: boolean }) {
  if (alerts.length === 0) {
    return (
      <InsetText>
        <p>There are no alerts yet.{canDraft ? ' ' : ''}{canDraft ? <Link to="/alerts/new">Draft an alert</Link> : null}</p>
      </InsetText>
    );
  }
  return (
    <div className="beacon-table-scroll" role="region" aria-labelledby="alerts-caption" tabIndex={0}>
      <table className="nhsuk-table" data-testid="alerts-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="alerts-caption">
          Alerts, most recently changed first
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Alert</th>
            <th scope="col" className="nhsuk-table__header">Area</th>
            <th scope="col" className="nhsuk-table__header">Status</th>
            <th scope="col" className="nhsuk-table__header">Issued</th>
            <th scope="col" className="nhsuk-table__header">Deliveries</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {alerts.map((a) => (
            <tr className="nhsuk-table__row" key={a.id}>
              <td className="nhsuk-table__cell">
                <Link to={`/alerts/${a.id}`}>{a.title}</Link>
                <br />
                <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                  {KIND_LABELS[a.kind]}, version {a.currentVersion}
                </span>
              </td>
              <td className="nhsuk-table__cell">
                {a.areaName} <span className="nhsuk-body-s">(Step {a.step})</span>
              </td>
              <td className="nhsuk-table__cell">
                <VersionTag status={a.status} />
              </td>
              <td className="nhsuk-table__cell">{a.issuedVersion ? `Version ${a.issuedVersion}, ${dayLabel(a.issuedAt)}` : 'Not yet'}</td>
              <td className="nhsuk-table__cell">
                {a.deliveries
                  ? [
                      a.deliveries.sent ? `${a.deliveries.sent} sent` : null,
                      a.deliveries.pending ? `${a.deliveries.pending} waiting` : null,
                      a.deliveries.retrying ? `${a.deliveries.retrying} retrying` : null,
                      a.deliveries.failed ? `${a.deliveries.failed} failed` : null,
                    ]
                      .filter(Boolean)
                      .join(', ')
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SharedTable({ alerts }: { alerts: SharedSummary[] }) {
  if (alerts.length === 0) {
    return (
      <InsetText>
        <p>No alert has been issued to partners yet.</p>
      </InsetText>
    );
  }
  return (
    <div className="beacon-table-scroll" role="region" aria-labelledby="shared-alerts-caption" tabIndex={0}>
      <table className="nhsuk-table" data-testid="alerts-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="shared-alerts-caption">
          Issued alerts (partners’ redacted copies), newest first
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Alert</th>
            <th scope="col" className="nhsuk-table__header">Area</th>
            <th scope="col" className="nhsuk-table__header">Issued</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {alerts.map((a) => (
            <tr className="nhsuk-table__row" key={a.id}>
              <td className="nhsuk-table__cell">
                <Link to={`/alerts/${a.id}`}>{a.title}</Link>
                <br />
                <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">{KIND_LABELS[a.kind]}</span>
              </td>
              <td className="nhsuk-table__cell">{a.areaName}</td>
              <td className="nhsuk-table__cell">
                Version {a.version}, {dayLabel(a.issuedAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
