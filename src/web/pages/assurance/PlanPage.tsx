import { FormField } from '../../components/FormField';
import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { APPENDIX3_STEP_HEADINGS } from '../../../domain/ldis/appendix3';
import type { User } from '../../api/types';
import { ApiError } from '../../api/client';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { usePlan, useWrite } from './api';
import { AssuranceNav, can, fieldError, fieldIds, SavedStatus, Scroll } from './shared';
import { Link, navigate, useSearchParams } from '../../router/router';
import type { PlanView, TrialRun } from './types';

export function PlanPage({ user }: { user: User }) {
  usePageTitle('Preparedness plan');
  const plan = usePlan();
  const start = useWrite('POST', '/api/assurance/plan');
  const none = plan.error instanceof ApiError && plan.error.status === 404;
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Partnership assurance</span>
        Synthetic opioid preparedness plan
      </h1>
      <AssuranceNav user={user} />
      {plan.isPending ? <Loading>Loading the plan…</Loading> : null}
      {plan.error && !none ? <SectionProblem error={plan.error} what="the plan" /> : null}
      {none ? (
        <InsetText>
          <p>There is no plan yet.</p>
          {can(user, 'assurance.plan.edit') ? (
            <Button onClick={() => start.mutate({})} disabled={start.isPending}>
              Start the plan from the guidance
            </Button>
          ) : null}
        </InsetText>
      ) : null}
      {plan.data ? <Plan plan={plan.data} user={user} /> : null}
    </>
  );
}

function Plan({ plan, user }: { plan: PlanView; user: User }) {
  const saved = useSearchParams().get('saved');
  const c = plan.content;
  const partner = (id: number) => plan.partners.find((p) => p.id === id)?.organisation ?? `Partner ${id} (removed from the directory)`;
  const contact = (k: { name: string; role: string; organisation: string; email: string }) => (k.name ? [k.name, k.role, k.organisation, k.email].filter(Boolean).join(', ') : 'Not named');
  const agencies = [...new Set(c.activities.map((a) => a.agency))];
  return (
    <>
      <p>
        Version {plan.version}, {plan.changed_at.slice(0, 10)} by {plan.changed_by}.{' '}
        {can(user, 'assurance.export') ? (
          <a href="/api/assurance/plan/export.pdf" download>
            Download the plan as PDF
          </a>
        ) : null}
      </p>
      <SavedStatus message={saved ? `Saved as version ${saved}.` : null} />
      {can(user, 'assurance.plan.edit') ? (
        <p>
          <Link to="/assurance/plan/edit" className="nhsuk-button nhsuk-button--secondary">
            Change the plan
          </Link>{' '}
          <Link to="/assurance/partners">Partner directory</Link>
        </p>
      ) : null}
      {plan.gaps.length ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Gaps in the plan
            </span>
          </h2>
          <ul>
            {plan.gaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <h2>Coordination</h2>
      <dl className="nhsuk-summary-list">
        {[
          ['Coordinator', contact(c.coordinator)],
          ['Chair', contact(c.chair)],
          ['Invited', c.invitees.map(partner).join('; ') || 'Nobody yet'],
          ['Escalation (Local Resilience Forum)', [c.escalation.lrfName, ...c.escalation.contacts.map(contact)].filter(Boolean).join('; ') || 'Not set'],
          ['Circulated to', c.circulation.map(partner).join('; ') || 'Nobody yet'],
          ['Comms audiences', c.commsAudiences.join('; ')],
        ].map(([k, v]) => (
          <div className="nhsuk-summary-list__row" key={k}>
            <dt className="nhsuk-summary-list__key">{k}</dt>
            <dd className="nhsuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      <h2>Triggers</h2>
      <p className="nhsuk-body-s">From the early-warning configuration ({plan.triggers.source}), not copied into the plan.</p>
      {plan.triggers.problem ? <p>{plan.triggers.problem}</p> : null}
      <ul>
        {plan.triggers.countTriggers.map((t) => (
          <li key={`${t.indicator}-${t.id}`}>
            {t.indicatorLabel}: {t.description}
          </li>
        ))}
        {plan.triggers.stepRules.map((r) => (
          <li key={r.id}>
            Step {r.step}: {r.text}
          </li>
        ))}
      </ul>
      {c.triggerNote ? <p>{c.triggerNote}</p> : null}
      <h2>Activities by agency and step</h2>
      <Scroll label="Activities by agency and step">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Activities by agency and step (seed 000 Appendix 3 as the starting content)</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Agency</th>
              {([1, 2, 3] as const).map((s) => (
                <th scope="col" key={s}>
                  {APPENDIX3_STEP_HEADINGS[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {agencies.map((ag) => (
              <tr key={ag}>
                <th scope="row">{ag}</th>
                {([1, 2, 3] as const).map((s) => (
                  <td key={s}>
                    {c.activities
                      .filter((a) => a.agency === ag && a.step === s)
                      .flatMap((a) => a.activities)
                      .map((x, i) => (
                        <div key={i}>
                          <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{x.text}</p>
                          {x.items?.length ? (
                            <ul className="nhsuk-body-s">
                              {x.items.map((it) => (
                                <li key={it}>{it}</li>
                              ))}
                            </ul>
                          ) : null}
                        </div>
                      ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <Versions plan={plan} />
      <TrialRuns plan={plan} user={user} />
    </>
  );
}

function TrialRuns({ plan, user }: { plan: PlanView; user: User }) {
  const [scenario, setScenario] = useState('');
  const [la, setLa] = useState(/^[EWSN]\d{8}$/.test(plan.content.area) ? plan.content.area : '');
  const start = useWrite<TrialRun>('POST', '/api/assurance/plan/trial-runs');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ scenario, local_authority: la, reports: 3 }, { onSuccess: (run) => navigate(`/assurance/plan/trial-runs/${run.id}`) });
  };
  return (
    <>
      <h2>Trial runs</h2>
      {plan.trial_runs.length === 0 ? <p>No trial runs yet.</p> : null}
      {plan.trial_runs.map((r) => (
        <div key={r.id} className="beacon-assurance-item">
          <p className="nhsuk-u-margin-bottom-1">
            <Link to={`/assurance/plan/trial-runs/${r.id}`}>
              Trial run {r.id}, {r.started_at.slice(0, 10)}: {r.scenario}
            </Link>{' '}
            {r.closed_at ? <strong className="nhsuk-tag nhsuk-tag--green">Closed</strong> : <strong className="nhsuk-tag nhsuk-tag--blue">Open</strong>}
          </p>
          <p className="nhsuk-body-s">
            {r.report_ids.length} exercise reports in the LDIS, plan version {r.plan_version}
          </p>
          {r.improvements ? <p className="nhsuk-body-s">To improve: {r.improvements}</p> : null}
        </div>
      ))}
      {can(user, 'assurance.trial_run') ? (
        <form onSubmit={submit} noValidate aria-labelledby="start-drill">
          <h3 id="start-drill">Start a trial run</h3>
          <p className="nhsuk-body-s">Three drill reports enter the LDIS inbox, labelled as exercise reports and kept out of real counts and triggers.</p>
          {start.error ? <ProblemSummary error={start.error} fieldIds={fieldIds({ scenario: 'drill-scenario', local_authority: 'drill-la' })} /> : null}
          <FormField id="drill-scenario" label="Scenario" error={fieldError(start.error, 'scenario')}>
            <input className="nhsuk-input" id="drill-scenario" value={scenario} onChange={(e) => setScenario(e.target.value)} />
          </FormField>
          <FormField id="drill-la" label="Local authority code" hint="For example E08000025" error={fieldError(start.error, 'local_authority')}>
            <input className="nhsuk-input nhsuk-input--width-10" id="drill-la" value={la} onChange={(e) => setLa(e.target.value)} aria-describedby="drill-la-hint" />
          </FormField>
          <Button type="submit" secondary disabled={start.isPending}>
            Start the trial run
          </Button>
        </form>
      ) : null}
    </>
  );
}

/** Every version with who changed what: each change with its value before and after. */
function Versions({ plan }: { plan: PlanView }) {
  // Invitees and circulation are kept as directory ids: show the partner's name.
  const value = (path: string, v: string) => {
    if (!/^(invitees|circulation)/.test(path) || !/^\d+$/.test(v)) return v;
    return plan.partners.find((p) => p.id === Number(v))?.organisation ?? `Partner ${v} (removed from the directory)`;
  };
  return (
    <>
      <h2 id="versions">Versions</h2>
      <ol className="nhsuk-list" reversed data-testid="plan-versions">
        {plan.versions.map((v) => (
          <li key={v.version} className="beacon-assurance-item">
            <p className="nhsuk-u-margin-bottom-1">
              <strong>Version {v.version}</strong>, {v.changed_at.slice(0, 16).replace('T', ' ')} by {v.changed_by}
              {v.note ? `: ${v.note}` : ''}
            </p>
            {v.changes.length ? (
              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    What changed in version {v.version} ({v.changes.length} change{v.changes.length === 1 ? '' : 's'})
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  <ul className="beacon-assurance-diff">
                    {v.changes.map((c, i) => (
                      <li key={i}>
                        <code>{c.path}</code> {c.kind}
                        {c.before !== null ? (
                          <>
                            : <span className="nhsuk-u-visually-hidden">before </span>
                            <del>{value(c.path, c.before)}</del>
                          </>
                        ) : null}
                        {c.after !== null ? (
                          <>
                            {c.before !== null ? ' → ' : ': '}
                            <span className="nhsuk-u-visually-hidden">after </span>
                            <ins>{value(c.path, c.after)}</ins>
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </div>
              </details>
            ) : (
              <p className="nhsuk-body-s">The first version.</p>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
