import { Button } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { TextArea } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { useSend, useTrialRun } from './api';
import { can, fieldError, fieldIds, SavedStatus, Scroll } from './shared';
import type { TrialRunDetail } from './types';

const STATUS: Record<string, string> = { received: 'Received, not yet assessed', assessed: 'Assessed', decided: 'Decided', issued: 'Issued', closed: 'Closed' };
const DECISION: Record<string, string> = { no_further_action: 'No further action', share_for_information: 'Share for information', formal_alert: 'Formal alert' };

/** Minutes as "3 h 20 min" (or "45 min"). */
export function duration(minutes: number | null): string {
  if (minutes === null) return '–';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min`;
}
const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '–');

/** A trial run of the plan: its drill reports as they stand in the LDIS, what happened, what to improve, and closing it. */
export function TrialRunPage({ user, id }: { user: User; id: number }) {
  usePageTitle(`Trial run ${id}`);
  const run = useTrialRun(id);
  return (
    <>
      <Link className="nhsuk-back-link" to="/assurance/plan">
        Back to the plan
      </Link>
      {run.isPending ? <Loading>Loading the trial run…</Loading> : null}
      {run.error ? <SectionProblem error={run.error} what="this trial run" /> : null}
      {run.data ? <Run run={run.data} user={user} /> : null}
    </>
  );
}

function Run({ run, user }: { run: TrialRunDetail; user: User }) {
  const s = run.summary;
  const canRecord = can(user, 'assurance.trial_run') && !run.closed_at;
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Trial run of the preparedness plan</span>
        {run.scenario}
      </h1>
      <p>
        {run.closed_at ? <strong className="nhsuk-tag nhsuk-tag--green">Closed</strong> : <strong className="nhsuk-tag nhsuk-tag--blue">Open</strong>} Started{' '}
        {when(run.started_at)} by {run.started_by}, on version {run.plan_version} of the plan.
        {run.closed_at ? ` Closed ${when(run.closed_at)} by ${run.closed_by ?? ''}.` : ''}
      </p>

      <h2>Progress in the LDIS</h2>
      <p>The drill’s exercise reports go through the LDIS inbox like real ones, labelled as exercises and kept out of real counts and triggers.</p>
      <dl className="nhsuk-summary-list" data-testid="trial-summary">
        {[
          ['Reports received', `${s.received} of ${s.started}`],
          ['Assessed', `${s.assessed} of ${s.received}${s.assessed ? ` (${s.assessed_within_24h} within 24 hours)` : ''}`],
          ['Time to assessment', s.max_minutes_to_assessment === null ? 'None assessed yet' : `median ${duration(s.median_minutes_to_assessment)}, longest ${duration(s.max_minutes_to_assessment)}`],
          ['Decided', `${s.decided} of ${s.received}`],
        ].map(([k, v]) => (
          <div className="nhsuk-summary-list__row" key={k}>
            <dt className="nhsuk-summary-list__key">{k}</dt>
            <dd className="nhsuk-summary-list__value">{v}</dd>
          </div>
        ))}
      </dl>
      <Scroll label="Exercise reports">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Exercise reports</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Report</th>
              <th scope="col">Received</th>
              <th scope="col">Where it stands</th>
              <th scope="col">Time to assessment</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {run.reports.map((r) => (
              <tr key={r.report_id}>
                <td>
                  <Link to={`/ldis/reports/${encodeURIComponent(r.report_id)}`}>{r.report_id}</Link>
                  <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">{r.source.replace(/_/g, ' ')}</span>
                </td>
                <td>{when(r.received_at)}</td>
                <td>{STATUS[r.status] ?? r.status}</td>
                <td>{duration(r.minutes_to_assessment)}</td>
                <td>{r.decision ? `${DECISION[r.decision] ?? r.decision} (${when(r.decided_at)})` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {run.reports.length < s.started ? <p>{s.started - run.reports.length} of the drill’s reports are no longer in the LDIS.</p> : null}

      <h2>What happened and what to improve</h2>
      {canRecord ? (
        <RecordForm run={run} />
      ) : (
        <dl className="nhsuk-summary-list">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">What happened</dt>
            <dd className="nhsuk-summary-list__value">{run.what_happened ?? 'Not recorded'}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">What to improve</dt>
            <dd className="nhsuk-summary-list__value">{run.improvements ?? 'Not recorded'}</dd>
          </div>
        </dl>
      )}
    </>
  );
}

function RecordForm({ run }: { run: TrialRunDetail }) {
  const [what, setWhat] = useState(run.what_happened ?? '');
  const [improve, setImprove] = useState(run.improvements ?? '');
  const [done, setDone] = useState('');
  const save = useSend();
  const close = useSend();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    close.reset();
    save.mutate({ method: 'PUT', path: `/api/assurance/plan/trial-runs/${run.id}`, json: { whatHappened: what, improvements: improve } }, { onSuccess: () => setDone('Recorded.') });
  };
  const error = save.error ?? close.error;
  return (
    <form onSubmit={submit} noValidate aria-label="Record the trial run">
      {error ? <ProblemSummary error={error} fieldIds={fieldIds({ whatHappened: 'run-what', improvements: 'run-improve' })} /> : null}
      <SavedStatus message={done} />
      {run.recorded_at ? (
        <p className="nhsuk-body-s">
          Last recorded {when(run.recorded_at)} by {run.recorded_by}.
        </p>
      ) : null}
      <TextArea id="run-what" label="What happened" hint="Who received the reports, how quickly they were assessed, who was told, what worked" value={what} onChange={setWhat} error={fieldError(error, 'whatHappened')} rows={5} />
      <TextArea id="run-improve" label="What to improve" hint="Changes to the plan, contacts or the way reports are handled (or say that nothing needs to change)" value={improve} onChange={setImprove} error={fieldError(error, 'improvements')} rows={4} />
      <div className="beacon-assurance-actions">
        <Button type="submit" secondary disabled={save.isPending}>
          Record what happened
        </Button>
        <Button
          type="button"
          disabled={close.isPending || !run.recorded_at}
          onClick={() => {
            setDone('');
            save.reset();
            close.mutate({ method: 'POST', path: `/api/assurance/plan/trial-runs/${run.id}/close` });
          }}
        >
          Close the trial run
        </Button>
      </div>
      {!run.recorded_at ? <p className="nhsuk-body-s">Record what happened and what to improve before closing the trial run.</p> : null}
    </form>
  );
}
