import { Details, InsetText } from 'nhsuk-react-components';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Figures } from '../../components/Figures';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatNumber } from '../../format';
import { Link, navigate } from '../../router/router';
import { useMatTracker } from './api';
import { dayLabel, formatDose, formatMg, formatPct, groupInfo, MAIN_GROUPS, monthLabel } from './labels';
import { ServiceDataSection } from './ServiceDataSection';
import { can, MatFilters, matHref, MatNav, useMatParams, WHOLE_ORGANISATION } from './shared';
import type { Group, MonthFigures, TrackerFigures, TrackerResponse } from './types';

const CHART_TABLE_ID = 'mat-chart-figures';

// ECharts is large: load it only on the page that draws the chart.
const TrackerChart = lazy(() => import('./TrackerChart').then((m) => ({ default: m.TrackerChart })));

/** The groups to show: the toolkit's seven, and the "no OG band" groups when anyone is in them. */
function shownGroups(series: readonly TrackerFigures[]): Group[] {
  const extra = (['mat2_no_band', 'mat3_no_band'] as const).filter((g) => series.some((m) => m.cohorts[g] > 0));
  return [...MAIN_GROUPS, ...extra];
}

/** The latest month end in the series with anyone in MAT. */
function latestWithData(data: TrackerResponse): string | null {
  for (let i = data.organisation.length - 1; i >= 0; i--) {
    const m = data.organisation[i];
    if (m && m.in_mat > 0) return m.month;
  }
  return null;
}

export function MatTrackerPage({ user }: { user: User }) {
  usePageTitle('MAT tracker');
  const params = useMatParams(user);
  const allowed = can(user, 'mat.tracker');
  const tracker = useMatTracker(params, allowed);
  const data = tracker.data;

  // With no month asked for, show the latest month end that has data.
  useEffect(() => {
    if (params.month || !data || tracker.isPlaceholderData) return;
    const latest = latestWithData(data);
    if (latest && latest !== data.month) {
      navigate(matHref('/mat', { month: latest, service: params.service ?? WHOLE_ORGANISATION, months: params.months === 24 ? 24 : null }), { replace: true });
    }
  }, [data, params.month, params.service, params.months, tracker.isPlaceholderData]);

  const services = data ? Object.keys(data.services).sort() : [];
  const serviceSeries = data && params.service ? data.services[params.service] : undefined;
  const series: MonthFigures[] = (params.service ? serviceSeries : data?.organisation) ?? [];
  const current = series[series.length - 1];
  const org = data?.organisation[data.organisation.length - 1];
  const scopeLabel = params.service ? `service ${params.service}` : 'the whole organisation';
  const groups = data ? shownGroups([...series, ...(data.organisation ?? [])]) : [...MAIN_GROUPS];
  const dq = data ? (params.service ? data.data_quality.services[params.service] : data.data_quality.organisation) : undefined;
  const drill = can(user, 'mat.report');

  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Medication-assisted treatment</span>
        MAT tracker
      </h1>
      <p className="nhsuk-lede-text">
        Everyone in medication-assisted treatment at each month end, by MAT stage and tracker cohort, with their mean doses, for a
        service beside the whole organisation.
      </p>
      <MatNav user={user} />
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the MAT tracker.</p>
        </InsetText>
      ) : (
        <>
          <MatFilters params={params} shownMonth={data?.month ?? null} services={services} withMonths path="/mat" />
          {tracker.isPending ? <Loading>Loading the tracker…</Loading> : null}
          {tracker.error ? <SectionProblem error={tracker.error} what="the MAT tracker" /> : null}
          {data && current && org ? (
            <div aria-busy={tracker.isFetching} data-testid="mat-tracker">
              <h2>
                Cohorts on {dayLabel(data.date)}
                <span className="nhsuk-caption-m">{params.service ? `Service ${params.service}` : 'Whole organisation'}</span>
              </h2>
              <Figures
                label={`Key figures on ${dayLabel(data.date)}`}
                figures={[
                  { key: 'in-mat', value: current.in_mat, label: 'people in MAT' },
                  { key: 'mat2', value: current.stages.mat2, label: `using on top (MAT 2, ${formatPct(current.pct.mat2)})` },
                  { key: 'mat3', value: current.stages.mat3, label: `not using on top (MAT 3, ${formatPct(current.pct.mat3)})` },
                  { key: 'uncategorised', value: current.stages.uncategorised, label: `uncategorised (${formatPct(current.pct.uncategorised)})` },
                ]}
              />
              <CohortTable figures={current} organisation={params.service ? org : null} month={data.month} service={params.service} drill={drill} />
              <Details>
                <Details.Summary>What the cohorts mean</Details.Summary>
                <Details.Text>
                  <dl className="nhsuk-summary-list">
                    {groups.map((g) => (
                      <div className="nhsuk-summary-list__row" key={g}>
                        <dt className="nhsuk-summary-list__key">
                          <span className={`beacon-swatch beacon-swatch--${g}`} aria-hidden="true" />
                          {groupInfo(g).label}
                        </dt>
                        <dd className="nhsuk-summary-list__value">
                          {groupInfo(g).description}
                          {groupInfo(g).better ? ` (a ${groupInfo(g).better} % is better)` : ''}
                        </dd>
                      </div>
                    ))}
                  </dl>
                  <p>Percentages are of everyone in MAT on the month end. Mean doses are daily doses: methadone for the people on methadone, sublingual buprenorphine for the people on it.</p>
                </Details.Text>
              </Details>
              {dq ? (
                <p className="nhsuk-body-s" data-testid="mat-dq-footnote">
                  {dq.issues === 0
                    ? 'No data-quality issues were found in the records of the people counted here.'
                    : `${formatNumber(dq.issues)} data-quality ${dq.issues === 1 ? 'issue' : 'issues'} affect ${formatNumber(dq.people)} of the people counted here; they are counted, not dropped.`}{' '}
                  {can(user, 'data.quality') ? <Link to="/data">See data quality</Link> : null}
                </p>
              ) : null}

              <h2>
                {data.months.length} months to {monthLabel(data.month)}
              </h2>
              <Suspense fallback={<Loading>Loading the chart…</Loading>}>
                <TrackerChart series={series} groups={groups} scopeLabel={scopeLabel} tableId={CHART_TABLE_ID} />
              </Suspense>
              <Details>
                <Details.Summary>The chart’s figures as a table</Details.Summary>
                <Details.Text>
                  <MonthTable series={series} groups={groups} scopeLabel={scopeLabel} />
                </Details.Text>
              </Details>

              <ServiceDataSection data={data} service={params.service} drill={drill} />
            </div>
          ) : null}
          {data && !current ? (
            <InsetText>
              <p>There are no figures for {params.service ? `service ${params.service}` : 'the organisation'} in {monthLabel(data.month)}.</p>
            </InsetText>
          ) : null}
        </>
      )}
    </>
  );
}

interface CohortTableProps {
  figures: TrackerFigures;
  /** The organisation's figures beside the service's; null when the table is the organisation. */
  organisation: TrackerFigures | null;
  month: string;
  service: string | null;
  drill: boolean;
}

function CohortTable({ figures, organisation, month, service, drill }: CohortTableProps) {
  const groups = shownGroups(organisation ? [figures, organisation] : [figures]);
  const who = service ? 'Service' : 'Organisation';
  const count = (group: Group, value: number): ReactNode =>
    drill && value > 0 ? (
      <Link to={matHref('/mat/people', { month, service: service ?? WHOLE_ORGANISATION, group })}>
        {formatNumber(value)}
        <span className="nhsuk-u-visually-hidden"> people in {groupInfo(group).label}: see who</span>
      </Link>
    ) : (
      formatNumber(value)
    );
  return (
    <div className="beacon-table-scroll" role="region" aria-labelledby="mat-cohort-caption" tabIndex={0}>
      <table className="nhsuk-table" id="mat-cohort-table" data-testid="mat-cohort-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="mat-cohort-caption">
          People in each cohort, % of everyone in MAT and mean daily doses{organisation ? ', with the organisation beside the service (doses: service / organisation)' : ''}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Cohort
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              {who} people
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              {who} %
            </th>
            {organisation ? (
              <>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                  Organisation people
                </th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                  Organisation %
                </th>
              </>
            ) : null}
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Mean methadone, mg
            </th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              Mean buprenorphine, mg
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {groups.map((group) => {
            const info = groupInfo(group);
            const mine = figures.mean_doses[group];
            const theirs = organisation?.mean_doses[group];
            return (
              <tr className="nhsuk-table__row" key={group} data-testid={`cohort-row-${group}`}>
                <th scope="row" className="nhsuk-table__header beacon-nowrap">
                  <span className={`beacon-swatch beacon-swatch--${group}`} aria-hidden="true" />
                  {info.label}
                </th>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric" data-testid="count">
                  {count(group, figures.cohorts[group])}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric" data-testid="pct">
                  {formatPct(figures.pct[group])}
                </td>
                {organisation ? (
                  <>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric" data-testid="org-count">
                      {formatNumber(organisation.cohorts[group])}
                    </td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric" data-testid="org-pct">
                      {formatPct(organisation.pct[group])}
                    </td>
                  </>
                ) : null}
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric beacon-nowrap" data-testid="methadone">
                  {formatDose(mine?.methadone_mg)}
                  {organisation ? ` / ${formatDose(theirs?.methadone_mg)}` : ''}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric beacon-nowrap" data-testid="buprenorphine">
                  {formatDose(mine?.buprenorphine_mg)}
                  {organisation ? ` / ${formatDose(theirs?.buprenorphine_mg)}` : ''}
                </td>
              </tr>
            );
          })}
          <tr className="nhsuk-table__row" data-testid="cohort-row-total">
            <th scope="row" className="nhsuk-table__header">
              Everyone in MAT
            </th>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric" data-testid="count">
              <strong>{formatNumber(figures.in_mat)}</strong>
            </td>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{figures.in_mat > 0 ? '100.0%' : '–'}</td>
            {organisation ? (
              <>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric" data-testid="org-count">
                  <strong>{formatNumber(organisation.in_mat)}</strong>
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{organisation.in_mat > 0 ? '100.0%' : '–'}</td>
              </>
            ) : null}
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              {formatDose(figures.mean_doses.all?.methadone_mg)}
              {organisation ? ` / ${formatDose(organisation.mean_doses.all?.methadone_mg)}` : ''}
            </td>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              {formatDose(figures.mean_doses.all?.buprenorphine_mg)}
              {organisation ? ` / ${formatDose(organisation.mean_doses.all?.buprenorphine_mg)}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The chart's figures month by month: its text alternative. */
function MonthTable({ series, groups, scopeLabel }: { series: readonly MonthFigures[]; groups: readonly Group[]; scopeLabel: string }) {
  return (
    <div className="beacon-table-scroll" role="region" aria-labelledby={`${CHART_TABLE_ID}-caption`} tabIndex={0}>
      <table className="nhsuk-table" id={CHART_TABLE_ID} data-testid="mat-month-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={`${CHART_TABLE_ID}-caption`}>
          People in each cohort at each month end for {scopeLabel}: count, % of everyone in MAT and mean methadone dose
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Month end
            </th>
            {groups.map((g) => (
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric" key={g}>
                {groupInfo(g).label}
              </th>
            ))}
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
              In MAT
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {[...series].reverse().map((m) => (
            <tr className="nhsuk-table__row" key={m.month}>
              <th scope="row" className="nhsuk-table__header beacon-nowrap">
                {monthLabel(m.month)}
              </th>
              {groups.map((g) => (
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric beacon-nowrap" key={g}>
                  {formatNumber(m.cohorts[g])} ({formatPct(m.pct[g])})
                  <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">{formatMg(m.mean_doses[g]?.methadone_mg)}</span>
                </td>
              ))}
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatNumber(m.in_mat)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
