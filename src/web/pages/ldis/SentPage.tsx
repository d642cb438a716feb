import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime } from '../../format';
import { Link, useSearchParams } from '../../router/router';
import { useReport } from './api';
import { EVENT_TYPE_LABELS, label } from './labels';

/** The confirmation after a report is sent: the reference, and what happens next. */
export function SentPage({ id, user }: { id: string; user: User }) {
  usePageTitle('Report sent');
  const report = useReport(id);
  const r = report.data;
  const ref = useSearchParams().get('ref') ?? r?.partner_report_id ?? null;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-panel nhsuk-panel--confirmation">
          <h1 className="nhsuk-panel__title">Report sent</h1>
          <div className="nhsuk-panel__body">
            Your reference
            <br />
            <strong data-testid="reference" className="beacon-break">
              {ref ?? '…'}
            </strong>
          </div>
        </div>
        {report.isPending ? <Loading>Loading the report…</Loading> : null}
        {report.error ? <SectionProblem error={report.error} what="this report" /> : null}
        {r ? (
          <dl className="nhsuk-summary-list">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Beacon reference</dt>
              <dd className="nhsuk-summary-list__value beacon-break">{r.report.report_id}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">What happened</dt>
              <dd className="nhsuk-summary-list__value">
                {label(EVENT_TYPE_LABELS, r.report.event_type)} on {r.report.event_date}
                {r.exercise ? ' (exercise)' : ''}
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Received</dt>
              <dd className="nhsuk-summary-list__value">{formatDateTime(r.report.received_at)}</dd>
            </div>
          </dl>
        ) : null}
        <h2>What happens next</h2>
        <p>The local drug information system coordinator will assess your report within 24 hours and decide within 48 hours whether to share information or issue an alert.</p>
        <p>If you learn more later, such as toxicology results, tell the coordinator and quote your reference.</p>
        <p>
          <Link to="/ldis/report">Report another incident</Link>
        </p>
        <p>
          <Link to="/ldis/my-reports">{user.role === 'partner_submitter' ? 'See your organisation’s reports' : 'See submitted reports'}</Link>
        </p>
      </div>
    </div>
  );
}
