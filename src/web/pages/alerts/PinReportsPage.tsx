import { Button, InsetText } from 'nhsuk-react-components';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate, useSearchParams } from '../../router/router';
import { useAlertsMutation, usePinReport, usePinReports, useSources, type ReportTable } from './api';
import { AlertsNav, can, dayLabel, DeliveryTable, isPanel, PageHeading, TIER_LABELS, timeLabel } from './components';

const TrendChart = lazy(() => import('./TrendChart').then((m) => ({ default: m.TrendChart })));

export function PinReportsPage({ user }: { user: User }) {
  usePageTitle('PIN reports');
  const reports = usePinReports();
  return (
    <>
      <PageHeading caption="Early warning">PIN reports</PageHeading>
      <p className="nhsuk-lede-text">
        The regular report to the Professional Information Network: submissions by source and type, trends, steps and alarms, case-definition matches and gaps in
        the data flow. Monthly at Step 1, weekly at Steps 2 and 3 (with weekly, then daily, requests for information).
      </p>
      <AlertsNav user={user} />
      {reports.isPending ? <Loading>Loading PIN reports…</Loading> : null}
      {reports.error ? <SectionProblem error={reports.error} what="PIN reports" /> : null}
      {reports.data ? (
        reports.data.reports.length === 0 ? (
          <InsetText>
            <p>No PIN report has been made yet.</p>
          </InsetText>
        ) : (
          <div className="beacon-table-scroll" role="region" aria-labelledby="pin-reports-caption" tabIndex={0}>
            <table className="nhsuk-table" data-testid="pin-reports-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="pin-reports-caption">
                PIN reports, newest first
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Report</th>
                  <th scope="col" className="nhsuk-table__header">Period</th>
                  <th scope="col" className="nhsuk-table__header">Step</th>
                  <th scope="col" className="nhsuk-table__header">Made</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {reports.data.reports.map((r) => (
                  <tr className="nhsuk-table__row" key={r.id}>
                    <td className="nhsuk-table__cell">
                      <Link to={`/alerts/pin-reports/${r.id}`}>{r.title}</Link>
                      <br />
                      <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">{r.cadence === 'monthly' ? 'Monthly' : 'Weekly'} report</span>
                    </td>
                    <td className="nhsuk-table__cell">
                      {dayLabel(r.periodStart)} to {dayLabel(r.periodEnd)}
                    </td>
                    <td className="nhsuk-table__cell">Step {r.step}</td>
                    <td className="nhsuk-table__cell">
                      {timeLabel(r.generatedAt)}
                      {r.deliveries ? <span className="nhsuk-body-s"> ({r.deliveries.sent} sent)</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {reports.data?.canGenerate ? <GenerateForm /> : null}
    </>
  );
}

function GenerateForm() {
  const sources = useSources();
  const [area, setArea] = useState('');
  const [cadence, setCadence] = useState('');
  const [asOf, setAsOf] = useState('');
  const [send, setSend] = useState(false);
  const make = useAlertsMutation<Record<string, unknown>, { id: number }>('POST', () => '/api/alerts/pin-reports');
  const areas = sources.data?.areas ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { send };
    if (area || areas[0]) body.area = area || areas[0]?.code;
    if (cadence) body.cadence = cadence;
    if (asOf) body.as_of = asOf;
    make.mutate(body, { onSuccess: (r) => navigate(`/alerts/pin-reports/${r.id}`) });
  };
  return (
    <section aria-labelledby="make-heading">
      <h2 id="make-heading">Make a PIN report</h2>
      {make.error ? <ProblemSummary error={make.error} fieldIds={{ as_of: 'as-of', area: 'pin-area' }} /> : null}
      <form onSubmit={submit} noValidate>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="pin-area">
            Area
          </label>
          <select className="nhsuk-select beacon-alerts-select" id="pin-area" value={area || areas[0]?.code || ''} onChange={(e) => setArea(e.target.value)}>
            {areas.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="cadence">
            Period
          </label>
          <select className="nhsuk-select" id="cadence" value={cadence} onChange={(e) => setCadence(e.target.value)}>
            <option value="">As the area’s step sets it</option>
            <option value="monthly">Last complete month</option>
            <option value="weekly">Last 7 days</option>
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="as-of">
            Made as of (optional)
          </label>
          <div className="nhsuk-hint" id="as-of-hint">
            A date as YYYY-MM-DD, for example 2024-06-03. Leave it empty for today.
          </div>
          <input className="nhsuk-input nhsuk-input--width-10" id="as-of" type="text" value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-describedby="as-of-hint" />
        </div>
        <div className="nhsuk-form-group">
          <div className="nhsuk-checkboxes">
            <div className="nhsuk-checkboxes__item">
              <input className="nhsuk-checkboxes__input" id="send" type="checkbox" checked={send} onChange={(e) => setSend(e.target.checked)} />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="send">
                E-mail each distribution list its copy now
              </label>
            </div>
          </div>
        </div>
        <Button type="submit" disabled={make.isPending}>
          {make.isPending ? 'Making the report…' : 'Make the report'}
        </Button>
      </form>
    </section>
  );
}

function DataTable({ t }: { t: ReportTable }) {
  const id = `table-${t.id}`;
  return (
    <>
      {t.rows.length === 0 && t.id !== 'submissions' ? (
        <>
          <h3 className="nhsuk-heading-s">{t.caption}</h3>
          <p className="nhsuk-body">None.</p>
        </>
      ) : (
        <div className="beacon-table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="nhsuk-table" data-testid={id}>
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={id}>
              {t.caption}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <td className="nhsuk-table__header" />
                {t.columns.map((c) => (
                  <th key={c} scope="col" className="nhsuk-table__header">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {t.rows.map((r) => (
                <tr className="nhsuk-table__row" key={r.label}>
                  <th scope="row" className="nhsuk-table__cell">
                    {r.label}
                  </th>
                  {r.cells.map((c, i) => (
                    <td key={i} className="nhsuk-table__cell">
                      {c}
                    </td>
                  ))}
                </tr>
              ))}
              {t.total ? (
                <tr className="nhsuk-table__row beacon-alerts-total">
                  <th scope="row" className="nhsuk-table__cell">
                    {t.total.label}
                  </th>
                  {t.total.cells.map((c, i) => (
                    <td key={i} className="nhsuk-table__cell">
                      {c}
                    </td>
                  ))}
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
      {t.note ? <p className="nhsuk-body-s">{t.note}</p> : null}
    </>
  );
}

export function PinReportPage({ user, id }: { user: User; id: number }) {
  const params = useSearchParams();
  const tier = params.get('tier');
  const report = usePinReport(id, tier);
  const send = useAlertsMutation<object, unknown>('POST', () => `/api/alerts/pin-reports/${id}/send`);
  const r = report.data;
  usePageTitle(r ? r.title : 'PIN report');
  const panel = isPanel(user);
  return (
    <>
      {report.isPending ? <Loading>Loading the PIN report…</Loading> : null}
      {report.error ? <SectionProblem error={report.error} what="this PIN report" /> : null}
      {r ? (
        <>
          <PageHeading caption={`${r.cadence === 'monthly' ? 'Monthly' : 'Weekly'} PIN report — ${TIER_LABELS[r.tier]}`}>{r.title}</PageHeading>
          <AlertsNav user={user} />
          <p className="nhsuk-body">
            {dayLabel(r.body.period.start)} to {dayLabel(r.body.period.end)}. Made {timeLabel(r.generatedAt)} by {r.generatedBy}.
          </p>
          <p className="nhsuk-body">
            Copies of this report:{' '}
            {(panel ? (['panel', 'partners', 'public'] as const) : (['partners', 'public'] as const)).map((t, i) => (
              <span key={t}>
                {i > 0 ? ', ' : ''}
                {t === r.tier ? (
                  <strong>{TIER_LABELS[t]} (shown)</strong>
                ) : (
                  <Link to={`/alerts/pin-reports/${r.id}?tier=${t}`}>{TIER_LABELS[t]}</Link>
                )}
              </span>
            ))}
            .
          </p>
          <ul className="nhsuk-list beacon-alerts-downloads">
            <li>
              <a className="nhsuk-link" href={`/api/alerts/pin-reports/${r.id}/pdf?tier=${r.tier}`} download>
                Download as PDF ({TIER_LABELS[r.tier]})
              </a>
            </li>
            <li>
              <a className="nhsuk-link" href={`/api/alerts/pin-reports/${r.id}/xlsx?tier=${r.tier}`} download>
                Download as XLSX ({TIER_LABELS[r.tier]})
              </a>
            </li>
          </ul>
          <h2>Summary</h2>
          <ul className="nhsuk-list nhsuk-list--bullet" data-testid="pin-summary">
            {r.body.summary.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
          {r.body.tables.map((t) => (
            <DataTable key={t.id} t={t} />
          ))}
          <h2>Trend</h2>
          <Suspense fallback={<Loading>Loading the chart…</Loading>}>
            <TrendChart trend={r.body.trend} tableId="table-trend" />
          </Suspense>
          <details className="nhsuk-details">
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">The chart’s figures as a table</span>
            </summary>
            <div className="nhsuk-details__text">
              <DataTable
                t={{
                  id: 'trend',
                  caption: r.body.trend.caption,
                  columns: r.body.trend.series.map((s) => s.name),
                  rows: r.body.trend.labels.map((l, i) => ({ label: l, cells: r.body.trend.series.map((s) => s.displays[i] ?? '') })),
                  ...(r.body.trend.note ? { note: r.body.trend.note } : {}),
                }}
              />
            </div>
          </details>
          {r.body.notes.map((n, i) => (
            <p key={i} className="nhsuk-body-s">
              {n}
            </p>
          ))}
          {panel ? (
            <>
              <h2>Distribution</h2>
              <DeliveryTable deliveries={r.deliveries} caption="Who received this report, and when" />
              {can(user, 'alerts.pin_reports.generate') ? (
                <>
                  {send.error ? <ProblemSummary error={send.error} /> : null}
                  <Button type="button" secondary onClick={() => send.mutate({})} disabled={send.isPending}>
                    E-mail each list its copy
                  </Button>
                </>
              ) : null}
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
