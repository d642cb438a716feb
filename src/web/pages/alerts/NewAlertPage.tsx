import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { navigate } from '../../router/router';
import { useAlertsMutation, useSources, type AlertKind } from './api';
import { AlertsNav, can, dayLabel, PageHeading } from './components';

type BasisType = 'report' | 'step_change' | 'manual';

interface CreateBody {
  kind: AlertKind;
  basis: { type: 'report'; report_id: string } | { type: 'step_change'; step_change_id: number } | { type: 'manual'; area: string; title: string };
}

export function NewAlertPage({ user }: { user: User }) {
  usePageTitle('Draft an alert');
  const sources = useSources();
  const [kind, setKind] = useState<AlertKind>('formal_alert');
  const [basis, setBasis] = useState<BasisType>('report');
  const [reportId, setReportId] = useState('');
  const [stepChange, setStepChange] = useState('');
  const [area, setArea] = useState('');
  const [title, setTitle] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const create = useAlertsMutation<CreateBody, { id: number }>('POST', () => '/api/alerts');
  const data = sources.data;

  if (!can(user, 'alerts.draft')) {
    return (
      <>
        <PageHeading caption="Alerts">Draft an alert</PageHeading>
        <InsetText>
          <p>Your role does not draft alerts. The LDIS coordinator drafts them and a panel member approves them.</p>
        </InsetText>
      </>
    );
  }

  const chosenReport = reportId || data?.reports[0]?.reportId || '';
  const chosenStep = stepChange || (data?.stepChanges[0] ? String(data.stepChanges[0].id) : '');
  const chosenArea = area || data?.areas[0]?.code || '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(null);
    let body: CreateBody;
    if (basis === 'report') {
      if (!chosenReport) return setMissing('There is no assessed report to draft from: choose another starting point.');
      body = { kind, basis: { type: 'report', report_id: chosenReport } };
    } else if (basis === 'step_change') {
      if (!chosenStep) return setMissing('There is no step change to draft from: choose another starting point.');
      body = { kind, basis: { type: 'step_change', step_change_id: Number(chosenStep) } };
    } else {
      if (!chosenArea) return setMissing('Choose an area.');
      body = { kind, basis: { type: 'manual', area: chosenArea, title } };
    }
    create.mutate(body, { onSuccess: (r) => navigate(`/alerts/${r.id}/edit`) });
  };

  return (
    <>
      <PageHeading caption="Alerts">Draft an alert</PageHeading>
      <AlertsNav user={user} />
      {missing ? <ErrorSummaryBox title="There is a problem" items={[{ text: missing }]} /> : null}
      {create.error ? <ProblemSummary error={create.error} /> : null}
      {sources.isPending ? <Loading>Loading what an alert can be drafted from…</Loading> : null}
      {sources.error ? <SectionProblem error={sources.error} what="the reports and step changes" /> : null}
      {data ? (
        <form onSubmit={submit} noValidate>
          <div className="nhsuk-form-group">
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">What are you drafting?</legend>
              <div className="nhsuk-radios">
                {(
                  [
                    ['formal_alert', 'A formal alert', 'For a decision to alert: urgent harm-reduction advice and actions by agency.'],
                    ['information_share', 'An information share', 'For information: what partners should know, without a formal alert.'],
                  ] as const
                ).map(([value, label, hint]) => (
                  <div className="nhsuk-radios__item" key={value}>
                    <input className="nhsuk-radios__input" id={`kind-${value}`} name="kind" type="radio" value={value} checked={kind === value} onChange={() => setKind(value)} aria-describedby={`kind-${value}-hint`} />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`kind-${value}`}>
                      {label}
                    </label>
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`kind-${value}-hint`}>
                      {hint}
                    </div>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>

          <div className="nhsuk-form-group">
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Start from</legend>
              <div className="nhsuk-radios">
                {(
                  [
                    ['report', `An assessed report (${data.reports.length})`],
                    ['step_change', `A step change (${data.stepChanges.length})`],
                    ['manual', 'The blank template'],
                  ] as const
                ).map(([value, label]) => (
                  <div className="nhsuk-radios__item" key={value}>
                    <input className="nhsuk-radios__input" id={`basis-${value}`} name="basis" type="radio" value={value} checked={basis === value} onChange={() => setBasis(value)} />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`basis-${value}`}>
                      {label}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>

          {basis === 'report' ? (
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="report">
                Assessed report
              </label>
              <div className="nhsuk-hint" id="report-hint">
                Reports decided for a formal alert come first. Nothing is circulated before a report is assessed.
              </div>
              {data.reports.length === 0 ? (
                <p className="nhsuk-body">No report has been assessed yet.</p>
              ) : (
                <select className="nhsuk-select beacon-alerts-select" id="report" value={chosenReport} onChange={(e) => setReportId(e.target.value)} aria-describedby="report-hint">
                  {data.reports.map((r) => (
                    <option key={r.reportId} value={r.reportId}>
                      {r.reportId}: {r.eventType.replace(/_/g, ' ')}, {dayLabel(r.eventDate)}, {r.areaName}
                      {r.level ? ` (${r.level})` : ''}
                      {r.decision ? ` — ${r.decision.replace(/_/g, ' ')}` : ''}
                    </option>
                  ))}
                </select>
              )}
            </div>
          ) : null}
          {basis === 'step_change' ? (
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="step-change">
                Step change
              </label>
              {data.stepChanges.length === 0 ? (
                <p className="nhsuk-body">No step change has been confirmed yet.</p>
              ) : (
                <select className="nhsuk-select beacon-alerts-select" id="step-change" value={chosenStep} onChange={(e) => setStepChange(e.target.value)}>
                  {data.stepChanges.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.areaName}: Step {s.fromStep} to Step {s.toStep}, {dayLabel(s.at)}
                    </option>
                  ))}
                </select>
              )}
            </div>
          ) : null}
          {basis === 'manual' ? (
            <>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor="area">
                  Area
                </label>
                <select className="nhsuk-select beacon-alerts-select" id="area" value={chosenArea} onChange={(e) => setArea(e.target.value)}>
                  {data.areas.map((a) => (
                    <option key={a.code} value={a.code}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor="title">
                  Title (optional)
                </label>
                <input className="nhsuk-input" id="title" name="title" type="text" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} />
              </div>
            </>
          ) : null}
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Drafting…' : 'Draft from the template'}
          </Button>
        </form>
      ) : null}
    </>
  );
}
