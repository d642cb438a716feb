import type { User } from '../../api/types';
import { Figures } from '../../components/Figures';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Button } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { Link, navigate, useLocation, useSearchParams } from '../../router/router';
import { useAdvisories, useCaseload, useOpenActions, type CaseloadPerson, type ServiceOption } from './api';
import { dateLabel, flagLabel, SHORT_FLAG_LABELS, STAGE_LABELS, TIER_LABELS, TIER_TAGS } from './labels';

const can = (user: User, action: string): boolean => user.permissions?.includes(action) ?? false;

/** Links between the risk pages the user may use. */
export function RiskNav({ user }: { user: User }) {
  const { pathname } = useLocation();
  const items = [
    { to: '/risk/caseload', text: 'Caseload', show: can(user, 'person.caseload') },
    { to: '/risk/actions', text: 'Open actions', show: can(user, 'person.open_actions') },
    { to: '/risk/advisories', text: 'Dose safety advisories', show: can(user, 'person.advisories') },
    { to: '/risk/report', text: 'Service report', show: can(user, 'risk.report') },
    { to: '/risk/settings', text: 'Settings', show: can(user, 'risk.config.write') },
  ].filter((i) => i.show);
  return (
    <nav className="beacon-mat-subnav" aria-label="Risk pages">
      <ul>
        {items.map((i) => (
          <li key={i.to}>
            <Link to={i.to} aria-current={pathname === i.to || (pathname === '/risk' && i.to === '/risk/caseload') ? 'page' : undefined}>
              {i.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Choose a service when the user's scope spans several (the choice lives in the URL). */
function ServicePicker({ services, shown, path }: { services: readonly ServiceOption[]; shown: string | null; path: string }) {
  const [value, setValue] = useState(shown ?? '');
  const [synced, setSynced] = useState(shown);
  if (synced !== shown) {
    setSynced(shown);
    setValue(shown ?? '');
  }
  if (services.length < 2) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`${path}?service=${encodeURIComponent(value)}`);
  };
  return (
    <form className="beacon-mat-filters" onSubmit={submit} noValidate aria-label="Choose the service">
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="risk-service">
          Service
        </label>
        <select className="nhsuk-select" id="risk-service" value={value} onChange={(e) => setValue(e.target.value)}>
          {services.map((s) => (
            <option key={s.service_id} value={s.service_id}>
              {s.name ? `${s.name} (${s.service_id})` : s.service_id}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" secondary>
        Show
      </Button>
    </form>
  );
}

function FlagList({ p }: { p: CaseloadPerson }) {
  if (p.flags.length === 0) return <>None</>;
  return (
    <ul className="beacon-person-flaglist">
      {p.flags.map((f) => {
        const isNew = p.new_flags.includes(f);
        const critical = p.critical.includes(f);
        return (
          <li key={f} className={isNew ? 'beacon-person-new' : undefined}>
            <abbr title={flagLabel(f)}>{SHORT_FLAG_LABELS[f]}</abbr>
            {critical ? ' (critical)' : ''}
            {isNew ? <strong className="nhsuk-tag nhsuk-tag--yellow beacon-person-newtag">New</strong> : null}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The keyworker's caseload: everyone in their services in MAT or in treatment, highest risk
 * first, with flags new since last week, what is overdue and who has no naloxone.
 */
export function CaseloadPage({ user }: { user: User }) {
  usePageTitle('Caseload by overdose risk');
  const service = useSearchParams().get('service');
  const caseload = useCaseload(service);
  return (
    <>
      <h1>Caseload by overdose risk</h1>
      <RiskNav user={user} />
      <p>
        Everyone in your {user.scope.type === 'service' ? 'service' : 'services'} who is in medication-assisted treatment or in a treatment episode, highest risk first. Flags that appeared in the last week are marked{' '}
        <strong className="nhsuk-tag nhsuk-tag--yellow">New</strong>.
      </p>
      {caseload.isPending ? <Loading>Loading the caseload…</Loading> : null}
      {caseload.error ? <SectionProblem error={caseload.error} what="the caseload" /> : null}
      {caseload.data ? (
        <>
          <ServicePicker services={caseload.data.services} shown={caseload.data.service_id} path="/risk/caseload" />
          <Figures
            label="Caseload figures"
            figures={[
              { key: 'people', label: 'people', value: caseload.data.totals.people },
              { key: 'high', label: 'at high risk', value: caseload.data.totals.high },
              { key: 'new', label: 'with a new flag this week', value: caseload.data.totals.new_flags },
              { key: 'top', label: 'with a TOP overdue', value: caseload.data.totals.top_overdue },
              { key: 'test', label: 'in MAT with a test or TOP overdue', value: caseload.data.totals.test_overdue },
              { key: 'naloxone', label: 'with no naloxone in 12 months', value: caseload.data.totals.no_naloxone },
            ]}
          />
          <div className="beacon-table-scroll" role="region" aria-label="Caseload table" tabIndex={0}>
            <table className="nhsuk-table beacon-person-caseload" data-testid="caseload">
              <caption className="nhsuk-table__caption">Caseload on {dateLabel(caseload.data.date)}, sorted by risk tier</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Person</th>
                  <th scope="col" className="nhsuk-table__header">Tier</th>
                  <th scope="col" className="nhsuk-table__header">Flags</th>
                  <th scope="col" className="nhsuk-table__header">MAT</th>
                  <th scope="col" className="nhsuk-table__header">Due</th>
                  <th scope="col" className="nhsuk-table__header">Naloxone</th>
                  <th scope="col" className="nhsuk-table__header">Open actions</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {caseload.data.people.map((p) => (
                  <tr className={`nhsuk-table__row${p.new_flags.length ? ' beacon-person-row--new' : ''}`} key={p.person_id}>
                    <th scope="row" className="nhsuk-table__header">
                      <Link to={`/people/${encodeURIComponent(p.person_id)}`}>{p.person_id}</Link>
                    </th>
                    <td className="nhsuk-table__cell">
                      <strong className={`nhsuk-tag ${TIER_TAGS[p.tier]}`}>{TIER_LABELS[p.tier]}</strong>
                    </td>
                    <td className="nhsuk-table__cell">
                      <FlagList p={p} />
                    </td>
                    <td className="nhsuk-table__cell">{p.mat_stage ? STAGE_LABELS[p.mat_stage] : 'Not in MAT'}</td>
                    <td className="nhsuk-table__cell">
                      {p.reviews.topOverdue ? <div>TOP overdue</div> : null}
                      {p.reviews.testOverdue ? <div>Test or TOP overdue</div> : null}
                      {!p.reviews.topOverdue && !p.reviews.testOverdue ? '–' : null}
                    </td>
                    <td className="nhsuk-table__cell">{p.no_naloxone ? <strong>None in 12 months</strong> : dateLabel(p.last_naloxone)}</td>
                    <td className="nhsuk-table__cell" data-testid="caseload-actions">
                      {p.open_actions === 0 ? (
                        'None'
                      ) : (
                        <>
                          {p.open_actions} open
                          {p.next_action_due ? (
                            <span className="nhsuk-u-display-block">
                              next due <span className="beacon-nowrap">{dateLabel(p.next_action_due)}</span>
                              {p.next_action_overdue ? (
                                <>
                                  {' '}
                                  <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
                                </>
                              ) : null}
                            </span>
                          ) : null}
                          {p.overdue_actions > 1 ? <span className="nhsuk-u-display-block">{p.overdue_actions} overdue</span> : null}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

/** Open care-plan actions of the user's services: the worklist of what the team said it would do. */
export function OpenActionsPage({ user }: { user: User }) {
  usePageTitle('Open care-plan actions');
  const open = useOpenActions(null);
  return (
    <>
      <h1>Open care-plan actions</h1>
      <RiskNav user={user} />
      {open.isPending ? <Loading>Loading open actions…</Loading> : null}
      {open.error ? <SectionProblem error={open.error} what="care-plan actions" /> : null}
      {open.data && open.data.actions.length === 0 ? <p>No open actions.</p> : null}
      {open.data && open.data.actions.length > 0 ? (
        <div className="beacon-table-scroll" role="region" aria-label="Open actions table" tabIndex={0}>
          <table className="nhsuk-table" data-testid="open-actions">
            <caption className="nhsuk-table__caption">Open actions, most overdue first</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Person</th>
                <th scope="col" className="nhsuk-table__header">Flag</th>
                <th scope="col" className="nhsuk-table__header">Action</th>
                <th scope="col" className="nhsuk-table__header">Due</th>
                <th scope="col" className="nhsuk-table__header">Owner</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {open.data.actions.map((a) => (
                <tr className="nhsuk-table__row" key={a.id}>
                  <th scope="row" className="nhsuk-table__header">
                    <Link to={`/people/${encodeURIComponent(a.person_id)}`}>{a.person_id}</Link>
                  </th>
                  <td className="nhsuk-table__cell">{flagLabel(a.flag)}</td>
                  <td className="nhsuk-table__cell">{a.text}</td>
                  <td className="nhsuk-table__cell">
                    {dateLabel(a.due_date)}
                    {a.overdue ? (
                      <>
                        {' '}
                        <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
                      </>
                    ) : null}
                  </td>
                  <td className="nhsuk-table__cell">{a.owner ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** Dose safety advisories (domain §1.1) for prescribers. */
export function AdvisoriesPage({ user }: { user: User }) {
  usePageTitle('Dose safety advisories');
  const service = useSearchParams().get('service');
  const list = useAdvisories(service, 90);
  return (
    <>
      <h1>Dose safety advisories</h1>
      <RiskNav user={user} />
      <p>
        Titration and dose limits from the Orange Guidelines: a methadone first dose above 40 mg (30 mg with depressant use), fast increases during induction, sublingual buprenorphine above 32 mg, injections at an unlicensed strength and methadone above 120 mg. Advisories of the last 90 days and those on a prescription still in force.
      </p>
      {list.isPending ? <Loading>Loading advisories…</Loading> : null}
      {list.error ? <SectionProblem error={list.error} what="dose advisories" /> : null}
      {list.data ? <ServicePicker services={list.data.services} shown={list.data.service_id} path="/risk/advisories" /> : null}
      {list.data && list.data.advisories.length === 0 ? <p>No advisories.</p> : null}
      {list.data && list.data.advisories.length > 0 ? (
        <div className="beacon-table-scroll" role="region" aria-label="Advisories table" tabIndex={0}>
          <table className="nhsuk-table" data-testid="advisories">
            <caption className="nhsuk-table__caption">Advisories, latest first</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Person</th>
                <th scope="col" className="nhsuk-table__header">From</th>
                <th scope="col" className="nhsuk-table__header">Advisory</th>
                <th scope="col" className="nhsuk-table__header">Prescription</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {list.data.advisories.map((a) => (
                <tr className="nhsuk-table__row" key={`${a.person_id}-${a.code}-${a.prescription_id}-${a.date}`}>
                  <th scope="row" className="nhsuk-table__header">
                    <Link to={`/people/${encodeURIComponent(a.person_id)}`}>{a.person_id}</Link>
                  </th>
                  <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(a.date)}</td>
                  <td className="nhsuk-table__cell">{a.message}</td>
                  <td className="nhsuk-table__cell">
                    {a.prescription_id}
                    {a.current ? ' (in force)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
