import { TextArea } from '../../components/FormField';
import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { useAlert, useAlertsMutation, type AlertContent, type AlertDetail } from './api';
import { can, KIND_LABELS, PageHeading } from './components';

export function EditAlertPage({ user, id }: { user: User; id: number }) {
  usePageTitle('Edit alert');
  const alert = useAlert(id, can(user, 'alerts.draft'));
  if (!can(user, 'alerts.draft')) {
    return (
      <>
        <PageHeading caption="Alerts">Edit an alert</PageHeading>
        <InsetText>
          <p>Your role does not edit alerts.</p>
        </InsetText>
      </>
    );
  }
  return (
    <>
      {alert.isPending ? <Loading>Loading the alert…</Loading> : null}
      {alert.error ? <SectionProblem error={alert.error} what="this alert" /> : null}
      {alert.data ? <EditForm key={`${alert.data.id}-${alert.data.currentVersion}`} alert={alert.data} /> : null}
    </>
  );
}

function EditForm({ alert }: { alert: AlertDetail }) {
  const current = alert.versions.find((v) => v.version === alert.currentVersion);
  const [c, setC] = useState<AlertContent>(() => current?.content ?? ({} as AlertContent));
  const [actionsText, setActionsText] = useState<string[]>(() => (current?.content.actions ?? []).map((a) => a.actions.join('\n')));
  const save = useAlertsMutation<AlertContent, { id: number }>('PUT', () => `/api/alerts/${alert.id}`);
  if (!current) return null;
  const locked = current.status === 'issued' || current.status === 'superseded';
  const set = (k: keyof AlertContent) => (v: string) => setC((old) => ({ ...old, [k]: v }));
  const errorFor = (field: string) => (save.error && 'problem' in save.error ? (save.error as { problem: { errors?: Array<{ field?: string; message: string }> } }).problem.errors?.find((e) => e.field === field)?.message : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const content: AlertContent = {
      ...c,
      actions: c.actions.map((a, i) => ({ agency: a.agency, actions: (actionsText[i] ?? '').split('\n').map((x) => x.trim()).filter((x) => x !== '') })),
      figures: c.figures.map((f) => ({ label: f.label, count: Number(f.count) })),
    };
    save.mutate(content, { onSuccess: () => navigate(`/alerts/${alert.id}`) });
  };

  return (
    <>
      <PageHeading caption={`${KIND_LABELS[alert.kind]}, version ${current.version}`}>Edit the alert</PageHeading>
      {locked ? (
        <InsetText>
          <p>
            Version {current.version} has been issued and cannot be changed. <Link to={`/alerts/${alert.id}`}>Revise it</Link> to make a new version.
          </p>
        </InsetText>
      ) : null}
      {current.status !== 'draft' && !locked ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Approvals will be cleared
            </span>
          </h2>
          <p>This version is {current.status === 'approved' ? 'approved' : 'awaiting approval'}. Saving a change sends it back to draft: it must be approved again.</p>
        </div>
      ) : null}
      {save.error ? <ProblemSummary error={save.error} /> : null}
      <p className="nhsuk-body">Write for the panel: Beacon makes the redacted partners’ copy and the public bulletin itself, and shows them side by side before issuing.</p>
      <form onSubmit={submit} noValidate>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label nhsuk-label--s" htmlFor="title">
            Title
          </label>
          <input className="nhsuk-input" id="title" type="text" value={c.title} onChange={(e) => set('title')(e.target.value)} maxLength={300} disabled={locked} />
        </div>
        <TextArea id="what" label="What" value={c.what} onChange={set('what')} rows={6} error={errorFor('what')} />
        <TextArea id="where" label="Where" hint="Shared copies show postcode districts only; the public bulletin shows the area." value={c.where} onChange={set('where')} rows={2} />
        <TextArea id="when" label="When" value={c.when} onChange={set('when')} rows={2} />
        <TextArea id="advicePeopleWhoUseDrugs" label="Advice for people who use drugs" value={c.advicePeopleWhoUseDrugs} onChange={set('advicePeopleWhoUseDrugs')} rows={5} />
        <TextArea id="adviceProfessionals" label="Advice for professionals" value={c.adviceProfessionals} onChange={set('adviceProfessionals')} rows={5} />
        <TextArea
          id="coronerInformation"
          label="Information from the coroner"
          hint="Held back from every shared copy unless permission to share it has been recorded."
          value={c.coronerInformation}
          onChange={set('coronerInformation')}
          rows={3}
        />

        <h2>Figures</h2>
        <p className="nhsuk-body">Exact counts for the panel. Shared copies show 1 to 7 as “*” and round other counts to the nearest 5.</p>
        {c.figures.map((f, i) => (
          <div className="beacon-alerts-figure" key={i}>
            <div className="nhsuk-form-group beacon-alerts-figure__label">
              <label className="nhsuk-label" htmlFor={`figure-${i}-label`}>
                Figure {i + 1}: what is counted
              </label>
              <input className="nhsuk-input" id={`figure-${i}-label`} type="text" value={f.label} onChange={(e) => setC((o) => ({ ...o, figures: o.figures.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)) }))} />
            </div>
            <div className="nhsuk-form-group beacon-alerts-figure__count">
              <label className="nhsuk-label" htmlFor={`figure-${i}-count`}>
                Count
              </label>
              <input
                className="nhsuk-input nhsuk-input--width-5"
                id={`figure-${i}-count`}
                type="text"
                inputMode="numeric"
                value={String(f.count)}
                onChange={(e) => setC((o) => ({ ...o, figures: o.figures.map((x, j) => (j === i ? { ...x, count: Number(e.target.value.replace(/\D/g, '') || '0') } : x)) }))}
              />
            </div>
            <Button type="button" secondary onClick={() => setC((o) => ({ ...o, figures: o.figures.filter((_, j) => j !== i) }))}>
              Remove figure {i + 1}
            </Button>
          </div>
        ))}
        <Button type="button" secondary onClick={() => setC((o) => ({ ...o, figures: [...o.figures, { label: '', count: 0 }] }))}>
          Add a figure
        </Button>

        <h2>Actions by agency</h2>
        <p className="nhsuk-body">From seed 000 Appendix 3 for Step {alert.step}, one action per line. Edit them to what was agreed locally.</p>
        {c.actions.map((a, i) => (
          <TextArea key={a.agency} id={`actions-${i}`} label={a.agency} value={actionsText[i] ?? ''} onChange={(v) => setActionsText((old) => old.map((x, j) => (j === i ? v : x)))} rows={4} />
        ))}
        <div className="beacon-alerts-buttons">
          <Button type="submit" disabled={save.isPending || locked}>
            {save.isPending ? 'Saving…' : 'Save the alert'}
          </Button>
          <Link to={`/alerts/${alert.id}`} className="nhsuk-link">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
