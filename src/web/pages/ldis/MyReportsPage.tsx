import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTimeShort } from '../../format';
import { Link } from '../../router/router';
import { useReportList } from './api';
import { ExerciseTag, isPartner, LdisNav, ScrollTable, StatusTag } from './components';
import { EVENT_TYPE_LABELS, label } from './labels';

/** Reports submitted: a partner submitter sees only their own organisation's. */
export function MyReportsPage({ user }: { user: User }) {
  const partner = isPartner(user);
  usePageTitle(partner ? 'Your reports' : 'Submitted reports');
  const list = useReportList();
  const reports = list.data?.reports ?? [];
  return (
    <>
      {!partner ? <LdisNav user={user} current="/ldis/my-reports" /> : null}
      <span className="nhsuk-caption-l">Local drug information system</span>
      <h1>{partner ? 'Your organisation’s reports' : 'Submitted reports'}</h1>
      <p>
        <Link to="/ldis/report">
          Report an incident
        </Link>
      </p>
      {list.isPending ? <Loading>Loading reports…</Loading> : null}
      {list.error ? <SectionProblem error={list.error} what="these reports" /> : null}
      {list.data && reports.length === 0 ? <p>No reports yet.</p> : null}
      {reports.length > 0 ? (
        <ScrollTable label="Reports">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">The latest {reports.length} reports, newest first</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Your reference</th>
                <th scope="col">What happened</th>
                <th scope="col">Event date</th>
                <th scope="col">Area</th>
                <th scope="col">Received</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {reports.map((r) => (
                <tr key={r.report_id}>
                  <td>
                    <Link to={`/ldis/reports/${encodeURIComponent(r.report_id)}`}>{r.partner_report_id ?? r.report_id}</Link>
                  </td>
                  <td>
                    {label(EVENT_TYPE_LABELS, r.event_type)} {r.exercise ? <ExerciseTag /> : null}
                  </td>
                  <td className="beacon-nowrap">{r.event_date}</td>
                  <td>{r.local_authority}</td>
                  <td>{formatDateTimeShort(r.received_at)}</td>
                  <td>
                    <StatusTag status={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
