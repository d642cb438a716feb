import { Button, Details, InsetText, Tag } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime, plural } from '../../format';
import { Link } from '../../router/router';
import { useDecideStep, useWarningArea } from './api';
import { fmt1, HISTORY_KIND, STEP_NAMES, STEP_TAG, weekLabel } from './labels';
import { can, WarningNav } from './shared';
import type { AreaResponse, Step, StepGuide, StepProposal } from './types';

function Proposal({ p }: { p: StepProposal }) {
  return (
    <>
      <p>{p.summary}</p>
      {p.reasons.map((r) => (
        <div key={r.ruleId}>
          <p className="nhsuk-u-margin-bottom-1">
            <strong>
              Step {r.step}: {r.text}
            </strong>
          </p>
          <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
            {r.evidence.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function Guide({ guide, step }: { guide: StepGuide; step: Step }) {
  return (
    <>
      <h3>Reporting rhythm at Step {step}</h3>
      <p>{guide.rhythm.summary}</p>
      <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
        <li>PIN report every {plural(guide.rhythm.pinReportEveryDays, 'day')}</li>
        <li>
          {guide.rhythm.requestForInformationEveryDays === null
            ? 'No routine requests for information'
            : `Requests for information every ${plural(guide.rhythm.requestForInformationEveryDays, 'day')}`}
        </li>
      </ul>
      <h3>What each agency does at Step {step}</h3>
      <p className="nhsuk-body-s">{guide.heading} (seed 000 Appendix 3; activities of lower steps continue.)</p>
      {guide.agencies.map((a) => (
        <Details key={a.agency}>
          <Details.Summary>{a.agency}</Details.Summary>
          <Details.Text>
            <ul className="nhsuk-list nhsuk-list--bullet">
              {a.activities.map((act, i) => (
                <li key={i}>
                  {act.text} <span className="nhsuk-u-secondary-text-colour nhsuk-body-s">(from Step {act.fromStep})</span>
                  {act.items ? (
                    <ul className="nhsuk-list nhsuk-list--bullet">
                      {act.items.map((it, j) => (
                        <li key={j}>{it}</li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </Details.Text>
        </Details>
      ))}
    </>
  );
}

function DecideForm({ d }: { d: AreaResponse }) {
  const decide = useDecideStep(d.area);
  const [step, setStep] = useState<Step | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ step?: string; reason?: string }>({});

  const override = (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (step === null) errs.step = 'Select the step for the area';
    if (reason.trim() === '') errs.reason = 'Give the reason for setting the step';
    setErrors(errs);
    if (step === null || reason.trim() === '') {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('#decide-errors')?.focus());
      return;
    }
    decide.mutate({ action: 'override', step, reason: reason.trim() }, { onSuccess: () => { setReason(''); setStep(null); } });
  };
  const errorItems = [
    ...(errors.step ? [{ href: '#override-step-1', text: errors.step }] : []),
    ...(errors.reason ? [{ href: '#override-reason', text: errors.reason }] : []),
  ];

  return (
    <section aria-labelledby="decide-heading">
      <h2 id="decide-heading">Decide the step</h2>
      {decide.error ? <ProblemSummary error={decide.error} /> : null}
      {errorItems.length > 0 ? (
        <div id="decide-errors" tabIndex={-1}>
          <ErrorSummaryBox title="There is a problem" items={errorItems} />
        </div>
      ) : null}
      {decide.isSuccess ? <p role="status">Saved. The step history below is up to date.</p> : null}
      {d.pending ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            decide.mutate({ action: 'confirm', ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: () => setNote('') });
          }}
          noValidate
        >
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="confirm-note">
              Note (optional)
            </label>
            <div className="nhsuk-hint" id="confirm-note-hint">
              For example where it was agreed.
            </div>
            <textarea className="nhsuk-textarea" id="confirm-note" rows={2} aria-describedby="confirm-note-hint" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <Button type="submit" disabled={decide.isPending}>
            Confirm Step {d.pending.step}
          </Button>
        </form>
      ) : null}
      <form onSubmit={override} noValidate>
        <div className={`nhsuk-form-group${errors.step ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset className="nhsuk-fieldset" aria-describedby="override-step-hint">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{d.pending ? 'Or set another step' : 'Set the step'}</legend>
            <div className="nhsuk-hint" id="override-step-hint">
              The area is at Step {d.step}. Setting the same step dismisses a proposal.
            </div>
            {errors.step ? (
              <span className="nhsuk-error-message">
                <span className="nhsuk-u-visually-hidden">Error:</span> {errors.step}
              </span>
            ) : null}
            <div className="nhsuk-radios">
              {([1, 2, 3] as const).map((s) => (
                <div className="nhsuk-radios__item" key={s}>
                  <input className="nhsuk-radios__input" id={`override-step-${s}`} name="override-step" type="radio" value={s} checked={step === s} onChange={() => setStep(s)} />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={`override-step-${s}`}>
                    {STEP_NAMES[s]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div className={`nhsuk-form-group${errors.reason ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label" htmlFor="override-reason">
            Reason
          </label>
          {errors.reason ? (
            <span className="nhsuk-error-message" id="override-reason-error">
              <span className="nhsuk-u-visually-hidden">Error:</span> {errors.reason}
            </span>
          ) : null}
          <textarea
            className={`nhsuk-textarea${errors.reason ? ' nhsuk-textarea--error' : ''}`}
            id="override-reason"
            rows={3}
            value={reason}
            aria-describedby={errors.reason ? 'override-reason-error' : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <Button type="submit" secondary disabled={decide.isPending}>
          Set the step
        </Button>
      </form>
    </section>
  );
}

function AreaBody({ d, user }: { d: AreaResponse; user: User }) {
  return (
    <>
      <p className="nhsuk-body-l">
        <Tag modifier={STEP_TAG[d.step]}>{STEP_NAMES[d.step]}</Tag> {d.since ? <span className="nhsuk-body-s">since {formatDateTime(d.since)}</span> : null}
      </p>
      {d.pending ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Step {d.pending.step} proposed
            </span>
          </h2>
          <Proposal p={d.pending} />
          {!d.can_decide ? <p>The area’s LDIS coordinator confirms or overrides the proposal.</p> : null}
        </div>
      ) : (
        <InsetText>
          <p>No proposal waiting. {d.last_proposal ? `Latest evaluation (as of ${weekLabel(d.last_proposal.asOf)}): ${d.last_proposal.summary}` : ''}</p>
        </InsetText>
      )}
      {d.can_decide && can(user, 'warning.decide') ? <DecideForm d={d} /> : null}

      <h2>Indicators</h2>
      <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="Indicators">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption">Latest week of each indicator in {d.name}</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Indicator</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Count</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Expected</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Threshold</th>
              <th scope="col" className="nhsuk-table__header">Recent</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.indicators.map((i) => (
              <tr key={i.indicator} className="nhsuk-table__row">
                <th scope="row" className="nhsuk-table__cell">
                  <Link to={`/early-warning/series/${encodeURIComponent(d.area)}/${i.indicator}`}>{i.label}</Link>
                </th>
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

      <h2>At Step {d.step}</h2>
      <Guide guide={d.guide} step={d.step} />
      {d.pending && d.pending_guide ? (
        <Details>
          <Details.Summary>What changes at Step {d.pending.step} (proposed)</Details.Summary>
          <Details.Text>
            <Guide guide={d.pending_guide} step={d.pending.step} />
          </Details.Text>
        </Details>
      ) : null}

      <h2>Neighbouring areas</h2>
      {d.neighbours.length === 0 ? (
        <p>No neighbouring areas are configured; they are told when this area’s step changes.</p>
      ) : (
        <>
          <p>These areas are notified when this area’s step changes.</p>
          <ul className="nhsuk-list">
            {d.neighbours.map((n) => (
              <li key={n.area}>
                <Link to={`/early-warning/areas/${encodeURIComponent(n.area)}`}>{n.name}</Link> <Tag modifier={STEP_TAG[n.step]}>Step {n.step}</Tag>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Step history</h2>
      <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="Step history">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Step history of {d.name}, latest first</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">When</th>
              <th scope="col" className="nhsuk-table__header">What</th>
              <th scope="col" className="nhsuk-table__header">Step</th>
              <th scope="col" className="nhsuk-table__header">Who</th>
              <th scope="col" className="nhsuk-table__header">Reason</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.history.map((h) => (
              <tr key={h.id} className="nhsuk-table__row">
                <td className="nhsuk-table__cell">{formatDateTime(h.at)}</td>
                <td className="nhsuk-table__cell">{HISTORY_KIND[h.kind] ?? h.kind}</td>
                <td className="nhsuk-table__cell beacon-warning-nowrap">
                  {h.kind === 'proposed' ? `Step ${h.step} (at Step ${h.previousStep})` : h.step === h.previousStep ? `Step ${h.step}` : `Step ${h.previousStep} → ${h.step}`}
                </td>
                <td className="nhsuk-table__cell">{h.by ?? 'Beacon'}</td>
                <td className="nhsuk-table__cell nhsuk-body-s">{h.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function AreaPage({ user, area }: { user: User; area: string }) {
  const allowed = can(user, 'warning.read');
  const q = useWarningArea(area, allowed);
  usePageTitle(q.data ? `${q.data.name}: early warning` : 'Early warning: area');
  return (
    <>
      <Link to="/early-warning" className="nhsuk-back-link">
        Back to early warning
      </Link>
      <h1>
        <span className="nhsuk-caption-l">Early warning</span>
        {q.data ? q.data.name : area}
      </h1>
      <WarningNav current="" />
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the early-warning figures.</p>
        </InsetText>
      ) : q.isPending ? (
        <Loading>Loading the area…</Loading>
      ) : q.error ? (
        <SectionProblem error={q.error} what="this area" />
      ) : (
        <AreaBody d={q.data} user={user} />
      )}
    </>
  );
}
