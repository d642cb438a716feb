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
import { AssuranceNav, can, fieldError, Scroll } from './shared';
import type { PlanView } from './types';

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
  const c = plan.content;
  const partner = (id: number) => plan.partners.find((p) => p.id === id)?.organisation ?? `Partner ${id}`;
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
      {can(user, 'assurance.plan.edit') ? <EditCoordination plan={plan} /> : null}
      <h2>Versions</h2>
      <ul>
        {plan.versions.map((v) => (
          <li key={v.version}>
            Version {v.version}, {v.changed_at.slice(0, 10)} by {v.changed_by}
            {v.note ? `: ${v.note}` : ''}
            {v.changes.length ? ` (${v.changes.map((x) => x.path).filter((p, i, a) => a.indexOf(p) === i).join(', ')})` : ''}
          </li>
        ))}
      </ul>
      <TrialRuns plan={plan} user={user} />
    </>
  );
}

function EditCoordination({ plan }: { plan: PlanView }) {
  const c = plan.content;
  const [coordinator, setCoordinator] = useState(c.coordinator.name);
  const [chair, setChair] = useState(c.chair.name);
  const [lrf, setLrf] = useState(c.escalation.lrfName);
  const [invitees, setInvitees] = useState<number[]>(c.invitees);
  const [note, setNote] = useState('');
  const save = useWrite('PUT', '/api/assurance/plan');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ base_version: plan.version, note, content: { ...c, coordinator: { ...c.coordinator, name: coordinator }, chair: { ...c.chair, name: chair }, escalation: { ...c.escalation, lrfName: lrf }, invitees } });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="edit-plan">
      <h2 id="edit-plan">Change the plan</h2>
      {save.error ? <ProblemSummary error={save.error} /> : null}
      {save.isSuccess ? <p role="status">Saved as a new version.</p> : null}
      <FormField id="plan-coordinator" label="Coordinator">
        <input className="nhsuk-input" id="plan-coordinator" value={coordinator} onChange={(e) => setCoordinator(e.target.value)} />
      </FormField>
      <FormField id="plan-chair" label="Chair of incident response meetings">
        <input className="nhsuk-input" id="plan-chair" value={chair} onChange={(e) => setChair(e.target.value)} />
      </FormField>
      <FormField id="plan-lrf" label="Local Resilience Forum">
        <input className="nhsuk-input" id="plan-lrf" value={lrf} onChange={(e) => setLrf(e.target.value)} />
      </FormField>
      <div className="nhsuk-form-group">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Invited to the incident response group (partner directory)</legend>
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            {plan.partners.map((p) => (
              <div className="nhsuk-checkboxes__item" key={p.id}>
                <input className="nhsuk-checkboxes__input" id={`inv-${p.id}`} type="checkbox" checked={invitees.includes(p.id)} onChange={(e) => setInvitees(e.target.checked ? [...invitees, p.id] : invitees.filter((x) => x !== p.id))} />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`inv-${p.id}`}>
                  {p.organisation}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <FormField id="plan-note" label="What changed and why">
        <input className="nhsuk-input" id="plan-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </FormField>
      <Button type="submit" secondary disabled={save.isPending}>
        Save a new version
      </Button>
    </form>
  );
}

function TrialRuns({ plan, user }: { plan: PlanView; user: User }) {
  const [scenario, setScenario] = useState('');
  const [la, setLa] = useState(/^[EWSN]\d{8}$/.test(plan.content.area) ? plan.content.area : '');
  const start = useWrite('POST', '/api/assurance/plan/trial-runs');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ scenario, local_authority: la, reports: 3 });
  };
  return (
    <>
      <h2>Trial runs</h2>
      {plan.trial_runs.length === 0 ? <p>No trial runs yet.</p> : null}
      {plan.trial_runs.map((r) => (
        <div key={r.id} className="beacon-assurance-item">
          <p>
            <strong>{r.started_at.slice(0, 10)}</strong>: {r.scenario} ({r.report_ids.length} exercise reports in the LDIS, plan version {r.plan_version})
          </p>
          {r.what_happened ? <p className="nhsuk-body-s">What happened: {r.what_happened}</p> : null}
          {r.improvements ? <p className="nhsuk-body-s">To improve: {r.improvements}</p> : null}
          {!r.what_happened && can(user, 'assurance.trial_run') ? <RecordRun id={r.id} /> : null}
        </div>
      ))}
      {can(user, 'assurance.trial_run') ? (
        <form onSubmit={submit} noValidate aria-labelledby="start-drill">
          <h3 id="start-drill">Start a trial run</h3>
          <p className="nhsuk-body-s">Three drill reports enter the LDIS inbox, labelled as exercise reports and kept out of real counts and triggers.</p>
          {start.error ? <ProblemSummary error={start.error} fieldIds={{ scenario: 'drill-scenario', local_authority: 'drill-la' }} /> : null}
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

function RecordRun({ id }: { id: number }) {
  const [what, setWhat] = useState('');
  const [improve, setImprove] = useState('');
  const save = useWrite('PUT', `/api/assurance/plan/trial-runs/${id}`);
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate({ whatHappened: what, improvements: improve }); }} noValidate aria-label="Record the trial run">
      {save.error ? <ProblemSummary error={save.error} fieldIds={{ whatHappened: `run-${id}-what`, improvements: `run-${id}-improve` }} /> : null}
      <FormField id={`run-${id}-what`} label="What happened" error={fieldError(save.error, 'whatHappened')}>
        <textarea className="nhsuk-textarea" id={`run-${id}-what`} rows={3} value={what} onChange={(e) => setWhat(e.target.value)} />
      </FormField>
      <FormField id={`run-${id}-improve`} label="What to improve" error={fieldError(save.error, 'improvements')}>
        <textarea className="nhsuk-textarea" id={`run-${id}-improve`} rows={3} value={improve} onChange={(e) => setImprove(e.target.value)} />
      </FormField>
      <Button type="submit" secondary disabled={save.isPending}>
        Record the trial run
      </Button>
    </form>
  );
}
