import { Button, InsetText, Tag } from 'nhsuk-react-components';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime, plural } from '../../format';
import { Link } from '../../router/router';
import { useMarkRead, useRunDetection, useWarningNotifications, useWarningOverview } from './api';
import { fmt1, STEP_NAMES, STEP_TAG, weekLabel } from './labels';
import { can, WarningNav } from './shared';
import type { AreaSummary } from './types';

function AreaRow({ a }: { a: AreaSummary }) {
  return (
    <tr className="nhsuk-table__row">
      <th scope="row" className="nhsuk-table__cell">
        <Link to={`/early-warning/areas/${encodeURIComponent(a.area)}`}>{a.name}</Link>
        <span className="nhsuk-u-secondary-text-colour nhsuk-body-s beacon-warning-code"> {a.area}</span>
      </th>
      <td className="nhsuk-table__cell">
        <Tag modifier={STEP_TAG[a.step]}>{STEP_NAMES[a.step]}</Tag>
      </td>
      <td className="nhsuk-table__cell">
        {a.pending ? (
          <>
            <Tag modifier={STEP_TAG[a.pending.step]}>Step {a.pending.step} proposed</Tag>
            <span className="nhsuk-body-s beacon-warning-block">{a.pending.summary}</span>
          </>
        ) : (
          'None'
        )}
      </td>
      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{a.recent_alarms}</td>
      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{a.triggers_firing}</td>
    </tr>
  );
}

function AreaIndicators({ a, weeks }: { a: AreaSummary; weeks: number }) {
  const flagged = a.indicators.filter((i) => i.recent_alarms > 0 || i.triggers_firing > 0);
  return (
    <section className="beacon-warning-area" aria-labelledby={`area-${a.area}`}>
      <h3 id={`area-${a.area}`}>
        {a.name} <Tag modifier={STEP_TAG[a.step]}>{STEP_NAMES[a.step]}</Tag>
      </h3>
      <p className="nhsuk-body-s">
        {flagged.length === 0
          ? `No alarm and no count trigger in the last ${plural(weeks, 'week')}.`
          : `${plural(flagged.length, 'indicator')} with an alarm or a count trigger in the last ${plural(weeks, 'week')}.`}
      </p>
      <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label={`Indicators for ${a.name}`}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Latest week of each indicator in {a.name}</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Indicator</th>
              <th scope="col" className="nhsuk-table__header">Latest week</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Count</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Expected</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Threshold</th>
              <th scope="col" className="nhsuk-table__header">Recent alarms</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {a.indicators.map((i) => (
              <tr key={i.indicator} className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__cell">
                  <Link to={`/early-warning/series/${encodeURIComponent(a.area)}/${i.indicator}`}>{i.label}</Link>
                </th>
                <td className="nhsuk-table__cell">{i.latest_period ? weekLabel(i.latest_period) : '–'}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{fmt1(i.latest_count)}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{fmt1(i.latest_expected)}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{fmt1(i.latest_upper)}</td>
                <td className="nhsuk-table__cell">
                  {i.recent_alarms > 0 ? <Tag modifier="red">{plural(i.recent_alarms, 'alarm')}</Tag> : null}{' '}
                  {i.triggers_firing > 0 ? <Tag modifier="purple">{plural(i.triggers_firing, 'trigger')}</Tag> : null}
                  {i.recent_alarms === 0 && i.triggers_firing === 0 ? 'None' : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Notifications({ user }: { user: User }) {
  const q = useWarningNotifications(can(user, 'warning.notifications'));
  const mark = useMarkRead();
  if (!can(user, 'warning.notifications')) return null;
  if (q.isPending) return <Loading>Loading notifications…</Loading>;
  if (q.error) return <SectionProblem error={q.error} what="early-warning notifications" />;
  const unread = q.data.notifications.filter((n) => !n.read_at);
  return (
    <section aria-labelledby="warning-notifications">
      <h2 id="warning-notifications">Notifications{q.data.unread > 0 ? ` (${q.data.unread} unread)` : ''}</h2>
      {q.data.notifications.length === 0 ? (
        <p>No notifications for your area yet.</p>
      ) : (
        <>
          <ul className="nhsuk-list beacon-warning-notes">
            {q.data.notifications.slice(0, 8).map((n) => (
              <li key={n.id} className={n.read_at ? 'beacon-warning-note' : 'beacon-warning-note beacon-warning-note--unread'}>
                <p className="nhsuk-u-margin-bottom-1">
                  <strong>{n.title}</strong>
                  {n.read_at ? null : <span className="nhsuk-u-visually-hidden"> (unread)</span>}
                </p>
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{n.body}</p>
                <p className="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-0">
                  {formatDateTime(n.created_at)} · <Link to={`/early-warning/areas/${encodeURIComponent(n.about_area)}`}>open the area</Link>
                </p>
              </li>
            ))}
          </ul>
          {mark.error ? <ProblemSummary error={mark.error} /> : null}
          {unread.length > 0 ? (
            <Button type="button" secondary onClick={() => mark.mutate(unread.map((n) => n.id))} disabled={mark.isPending}>
              Mark all as read
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}

export function OverviewPage({ user }: { user: User }) {
  usePageTitle('Early warning');
  const allowed = can(user, 'warning.read');
  const q = useWarningOverview(allowed);
  const run = useRunDetection();
  const data = q.data;
  const alarmed = data ? data.areas.filter((a) => a.recent_alarms > 0 || a.triggers_firing > 0 || a.step > 1 || a.pending) : [];

  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Local drug information system</span>
        Early warning
      </h1>
      <p className="nhsuk-lede-text">
        Weekly counts of deaths, overdoses, A&amp;E attendances, ambulance call-outs, naloxone and nitazene-positive results in each area,
        against the count expected from the area’s own history, with count triggers for rare and severe events, and each area’s step.
      </p>
      <WarningNav current="/early-warning" />
      <p>
        New partner reports are handled in the <Link to="/ldis">LDIS inbox</Link>; they feed these series and the step proposals.
      </p>
      {can(user, 'warning.caseload') ? (
        <p>
          <Link to="/early-warning/caseload">Your caseload in areas at Step 2 or 3</Link>: the people most at risk when synthetic opioids are about.
        </p>
      ) : null}
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the early-warning figures.</p>
        </InsetText>
      ) : q.isPending ? (
        <Loading>Loading the early-warning picture…</Loading>
      ) : q.error || !data ? (
        <SectionProblem error={q.error} what="the early-warning figures" />
      ) : (
        <>
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            {data.last_run ? (
              <p>
                Figures as of {data.as_of ? weekLabel(data.as_of) : 'the latest data'}. Last run {formatDateTime(data.last_run.started_at)} (
                {data.last_run.status === 'succeeded' ? `${data.last_run.series_computed} of ${data.last_run.series_total} series recomputed` : data.last_run.status}).
                Detection runs after new data and on a schedule.
              </p>
            ) : (
              <p>Detection has not run yet. It runs after new data and on a schedule.</p>
            )}
          </div>
          {can(user, 'warning.run') ? (
            <>
              {run.error ? <ProblemSummary error={run.error} /> : null}
              {run.data ? (
                <p role="status">
                  Run {run.data.run_id} finished: {run.data.series_computed} of {run.data.series_total} series recomputed, {plural(run.data.alarms_new, 'new alarm')}.
                </p>
              ) : null}
              <Button type="button" secondary onClick={() => run.mutate()} disabled={run.isPending}>
                {run.isPending ? 'Running detection…' : 'Run detection now'}
              </Button>
            </>
          ) : null}
          <Notifications user={user} />
          <h2>Areas</h2>
          {data.areas.length === 0 ? (
            <p>No areas yet: import data or wait for the first run.</p>
          ) : (
            <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="Areas and their steps">
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption">Each area’s step, the proposal waiting for the coordinator, and alarms in the last {plural(data.recent_weeks, 'week')}</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">Area</th>
                    <th scope="col" className="nhsuk-table__header">Step</th>
                    <th scope="col" className="nhsuk-table__header">Proposal waiting</th>
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Alarms</th>
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Count triggers</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {data.areas.map((a) => (
                    <AreaRow key={a.area} a={a} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {alarmed.length > 0 ? <h2>Areas needing attention</h2> : null}
          {alarmed.map((a) => (
            <AreaIndicators key={a.area} a={a} weeks={data.recent_weeks} />
          ))}
          {data.areas.length > alarmed.length ? (
            <>
              <h2>Other areas</h2>
              {data.areas
                .filter((a) => !alarmed.includes(a))
                .map((a) => (
                  <AreaIndicators key={a.area} a={a} weeks={data.recent_weeks} />
                ))}
            </>
          ) : null}
        </>
      )}
    </>
  );
}
