import { Button, InsetText } from 'nhsuk-react-components';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatNumber, plural } from '../../format';
import { Link } from '../../router/router';
import { useMatTracker, useMatWorklists } from './api';
import { BAND_LABELS, medicationLabel, COHORT_LABELS, dayLabel, PRIORITIES, regimeLabel, RISK_LABELS, STAGE_LABELS } from './labels';
import { can, MatFilters, MatNav, useMatParams } from './shared';
import type { Priority, WorklistEntry } from './types';

const anchor = (priority: Priority) => `priority-${priority}`;

/** A download of the month and service on screen (files name people: audited on the server). */
function downloadUrl(path: string, month: string, service: string | null): string {
  const q = new URLSearchParams({ month });
  if (service) q.set('service', service);
  return `${path}?${q.toString()}`;
}

/**
 * The toolkit's priority worklists (domain §1.5): priorities 1–5 and everyone
 * uncategorised, each person with the reason and the suggested action. They name people:
 * only for the service's own staff, only the services in the user's scope.
 */
export function MatWorklistsPage({ user }: { user: User }) {
  usePageTitle('MAT priority worklists');
  const params = useMatParams(user);
  const allowed = can(user, 'mat.worklists');
  const worklists = useMatWorklists(params, allowed);
  // The service list for the picker comes from the (aggregate) tracker, when the role has it.
  const tracker = useMatTracker({ month: params.month, service: null, months: 12 }, allowed && can(user, 'mat.tracker'));
  const services = tracker.data ? Object.keys(tracker.data.services).sort() : user.scope.type === 'service' && user.scope.id ? [user.scope.id] : [];
  const data = worklists.data;
  const entries = data?.worklists ?? [];
  const where = params.service ? `service ${params.service}` : user.scope.type === 'organisation' ? 'the whole organisation' : user.scope.label;

  return (
    <>
      <h1>MAT priority worklists</h1>
      <p className="nhsuk-lede-text">Whom to act on first: each person with the reason they are on the list and the suggested action.</p>
      <MatNav user={user} />
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the priority worklists: they name people and are for a service’s own staff.</p>
        </InsetText>
      ) : (
        <>
          <MatFilters params={params} shownMonth={data?.month ?? null} services={services} path="/mat/worklists" />
          {worklists.isPending ? <Loading>Loading the worklists…</Loading> : null}
          {worklists.error ? <SectionProblem error={worklists.error} what="the priority worklists" /> : null}
          {data ? (
            <div aria-busy={worklists.isFetching} data-testid="mat-worklists">
              <p>
                {plural(entries.length, 'entry', 'entries')} on {dayLabel(data.date)} for {where}. Someone can be on more than one list.
              </p>
              <p>Care-plan actions are those open today ({dayLabel(data.actions_as_of)}): an action due before today is overdue.</p>
              <div className="beacon-actions">
                <Button secondary href={downloadUrl('/api/mat/worklists.xlsx', data.month, params.service)} download>
                  Download worklists (XLSX)
                </Button>
                <Button secondary href={downloadUrl('/api/mat/worklists.csv', data.month, params.service)} download>
                  Download worklists (CSV)
                </Button>
                {can(user, 'mat.report') ? (
                  <Button secondary href={downloadUrl('/api/mat/workbook.xlsx', data.month, params.service)} download>
                    Download the MAT workbook (XLSX)
                  </Button>
                ) : null}
              </div>
              <nav className="nhsuk-contents-list" aria-label="Worklists">
                <ol className="nhsuk-contents-list__list">
                  {PRIORITIES.map((p) => (
                    <li className="nhsuk-contents-list__item" key={p.priority}>
                      <a className="nhsuk-contents-list__link" href={`#${anchor(p.priority)}`}>
                        {p.title} ({formatNumber(entries.filter((e) => e.priority === p.priority).length)})
                      </a>
                    </li>
                  ))}
                </ol>
              </nav>
              {PRIORITIES.map((p) => (
                <WorklistSection key={p.priority} priority={p.priority} title={p.title} description={p.description} entries={entries.filter((e) => e.priority === p.priority)} />
              ))}
            </div>
          ) : null}
        </>
      )}
    </>
  );
}

function WorklistSection({ priority, title, description, entries }: { priority: Priority; title: string; description: string; entries: WorklistEntry[] }) {
  const sorted = [...entries].sort((a, b) => a.position - b.position);
  return (
    <section aria-labelledby={anchor(priority)} data-testid={`worklist-${priority}`}>
      <h2 id={anchor(priority)}>
        {title}
        <span className="nhsuk-caption-m">{plural(entries.length, 'person', 'people')}</span>
      </h2>
      <p>{description}</p>
      {sorted.length ? (
        <table className="nhsuk-table-responsive">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">{title}: each person with the reason and the suggested action</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col" className="nhsuk-table__header">Person</th>
              <th scope="col" className="nhsuk-table__header">Reason</th>
              <th scope="col" className="nhsuk-table__header">Suggested action</th>
              <th scope="col" className="nhsuk-table__header">Care-plan actions</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {sorted.map((e) => (
              <tr className="nhsuk-table__row" key={`${e.kind}-${e.person_id}`} data-testid={`worklist-entry-${e.person_id}`}>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Person </span>
                  <div className="beacon-cell">
                    <strong>
                      {e.position}. <Link to={`/people/${encodeURIComponent(e.person_id)}`}>{e.person_id}</Link>
                    </strong>
                    <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">Service {e.service_id}</span>
                    <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">
                      {e.stage ? STAGE_LABELS[e.stage] : 'Stage not known'}
                      {e.cohort ? `, ${COHORT_LABELS[e.cohort]}` : ''}
                    </span>
                    <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">
                      {e.medication ? `${medicationLabel(e.medication)} ${e.dose_mg ?? '–'} mg, ` : ''}
                      {BAND_LABELS[e.og_band ?? 'n/a']}, {regimeLabel(e.regime).toLowerCase()}
                    </span>
                    {e.risk_tier ? <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">{RISK_LABELS[e.risk_tier]} overdose risk</span> : null}
                  </div>
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Reason </span>
                  <div className="beacon-cell">
                    {e.reason}
                  </div>
                </td>
                <td className="nhsuk-table__cell">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Suggested action </span>
                  <div className="beacon-cell">
                    {e.action}
                  </div>
                </td>
                <td className="nhsuk-table__cell" data-testid="worklist-care-plan">
                  <span className="nhsuk-table-responsive__heading" aria-hidden="true">Care-plan actions </span>
                  <div className="beacon-cell">
                    <OpenActions e={e} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <InsetText>
          <p>Nobody is on this list.</p>
        </InsetText>
      )}
    </section>
  );
}

/** The person's open care-plan actions: how many, and the next due date (overdue marked). */
function OpenActions({ e }: { e: WorklistEntry }) {
  if (e.open_actions === 0) return <>None open</>;
  return (
    <>
      {plural(e.open_actions, 'open action', 'open actions')}
      {e.next_action_due ? (
        <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">
          Next due {dayLabel(e.next_action_due)}
          {e.next_action_overdue ? (
            <>
              {' '}
              <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
            </>
          ) : null}
        </span>
      ) : (
        <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">No due date</span>
      )}
      {e.overdue_actions > 1 ? <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">{e.overdue_actions} overdue</span> : null}
    </>
  );
}
