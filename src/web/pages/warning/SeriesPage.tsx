import { InsetText, Tag, WarningCallout } from 'nhsuk-react-components';
import { lazy, Suspense } from 'react';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { useWarningSeries } from './api';
import { fmt1, METHOD_NAMES, weekLabel } from './labels';
import { can, WarningNav } from './shared';
import type { SeriesResponse, Week } from './types';

// ECharts is large: load it only on the page that draws the chart.
const SeriesChart = lazy(() => import('./SeriesChart').then((m) => ({ default: m.SeriesChart })));

const TABLE_ID = 'warning-series-table';

function latestAlarm(weeks: readonly Week[]): Week | null {
  for (let i = weeks.length - 1; i >= 0; i--) if (weeks[i]!.alarm || weeks[i]!.triggers.length > 0) return weeks[i]!;
  return null;
}

function SeriesBody({ d }: { d: SeriesResponse }) {
  const alarm = latestAlarm(d.weeks);
  const last = d.weeks[d.weeks.length - 1];
  const first = d.weeks[0];
  const noun = d.label.toLowerCase();
  const label =
    first && last
      ? `Weekly ${noun} in ${d.name} from the week of ${weekLabel(first.period_start)} to the week of ${weekLabel(last.period_start)}, with the expected count and the alarm threshold. The same figures are in the table that follows.`
      : `Weekly ${noun} in ${d.name}.`;
  const alarms = d.weeks.filter((w) => w.alarm).length;
  return (
    <>
      {alarm ? (
        <WarningCallout>
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Latest alarm: week of {weekLabel(alarm.period_start)}
            </span>
          </h2>
          <p>{alarm.reason}.</p>
        </WarningCallout>
      ) : (
        <InsetText>
          <p>No week in the period shown alarmed and no count trigger fired.</p>
        </InsetText>
      )}
      {last ? (
        <p>
          <strong>Latest week ({weekLabel(last.period_start)}):</strong> {last.reason}.
        </p>
      ) : null}
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Method</dt>
          <dd className="nhsuk-summary-list__value">
            {methodText(METHOD_NAMES[d.method] ?? d.method, d.method_note)}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Count triggers</dt>
          <dd className="nhsuk-summary-list__value">{d.triggers.length === 0 ? 'None for this indicator' : d.triggers.map((t) => t.description).join('; ')}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Counts from</dt>
          <dd className="nhsuk-summary-list__value">{d.source}. Drills are left out; reports linked into one case count once.</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">As of</dt>
          <dd className="nhsuk-summary-list__value">
            {weekLabel(d.as_of)} ({alarms} alarm{alarms === 1 ? '' : 's'} in the {d.weeks.length} weeks shown)
          </dd>
        </div>
      </dl>
      <Suspense fallback={<Loading>Loading the chart…</Loading>}>
        <SeriesChart weeks={d.weeks} noun={noun} label={label} tableId={TABLE_ID} />
      </Suspense>
      <h2>Every week</h2>
      <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="Weekly figures">
        <table className="nhsuk-table" id={TABLE_ID}>
          <caption className="nhsuk-table__caption">
            {d.label} in {d.name}, by week (latest first)
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Week of</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Count</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Expected</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Threshold</th>
              <th scope="col" className="nhsuk-table__header">Alarm</th>
              <th scope="col" className="nhsuk-table__header">Why</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {[...d.weeks].reverse().map((w) => (
              <tr key={w.period_start} className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__cell beacon-warning-nowrap">
                  {weekLabel(w.period_start)}
                </th>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{w.count}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{fmt1(w.expected)}</td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{fmt1(w.upper_bound)}</td>
                <td className="nhsuk-table__cell">
                  {w.alarm ? <Tag modifier="red">Alarm</Tag> : null} {w.triggers.length > 0 ? <Tag modifier="purple">Trigger</Tag> : null}
                  {!w.alarm && w.triggers.length === 0 ? 'No' : null}
                </td>
                <td className="nhsuk-table__cell nhsuk-body-s">{w.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function SeriesPage({ user, area, indicator }: { user: User; area: string; indicator: string }) {
  const allowed = can(user, 'warning.read');
  const q = useWarningSeries(area, indicator, allowed);
  usePageTitle(q.data ? `${q.data.label} in ${q.data.name}` : 'Early-warning series');
  return (
    <>
      <Link to={`/early-warning/areas/${encodeURIComponent(area)}`} className="nhsuk-back-link">
        Back to the area
      </Link>
      <h1>
        <span className="nhsuk-caption-l">{q.data ? q.data.name : area}</span>
        {q.data ? q.data.label : 'Weekly series'}
      </h1>
      <WarningNav current="" />
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the early-warning figures.</p>
        </InsetText>
      ) : q.isPending ? (
        <Loading>Loading the series…</Loading>
      ) : q.error ? (
        <SectionProblem error={q.error} what="this series" />
      ) : (
        <SeriesBody d={q.data} />
      )}
    </>
  );
}

/** The method's name and what was used; the note alone when it already starts with the name (an explicitly chosen method). */
function methodText(name: string, note: string): string {
  return note.startsWith(name) ? note : `${name}. ${note}`;
}
