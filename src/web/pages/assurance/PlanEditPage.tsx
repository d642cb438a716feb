import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { PlanContent } from '../../../domain/assurance/plan';
import { APPENDIX3_STEP_HEADINGS } from '../../../domain/ldis/appendix3';
import { ApiError } from '../../api/client';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { describedBy, FormField, TextArea } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { usePlan, useWrite } from './api';
import { can, fieldError, fieldIds } from './shared';
import type { PlanView } from './types';

type Contact = PlanContent['coordinator'];
type Block = PlanContent['activities'][number];
const CONTACT_FIELDS: Array<[keyof Contact, string, string]> = [
  ['name', 'Name', 'text'],
  ['role', 'Role', 'text'],
  ['organisation', 'Organisation', 'text'],
  ['email', 'Email', 'email'],
  ['phone', 'Phone', 'tel'],
];
const emptyContact = (): Contact => ({ name: '', role: '', organisation: '', email: '', phone: '' });

/** Activities as text: one activity per line, its sub-points on the lines after it starting "- ". */
export function activitiesToText(a: Block['activities']): string {
  return a.map((x) => [x.text, ...(x.items ?? []).map((i) => `- ${i}`)].join('\n')).join('\n');
}
export function textToActivities(text: string): Block['activities'] {
  const out: Block['activities'] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const sub = /^[-•*]\s*(.*)$/.exec(line);
    const last = out[out.length - 1];
    if (sub && last) {
      if (sub[1]) last.items = [...(last.items ?? []), sub[1]];
    } else out.push({ text: sub ? (sub[1] ?? '') : line });
  }
  return out;
}

interface Draft {
  content: PlanContent;
  audiences: string;
  activities: string[];
}

export function PlanEditPage({ user }: { user: User }) {
  usePageTitle('Change the preparedness plan');
  const plan = usePlan();
  return (
    <>
      <Link className="nhsuk-back-link" to="/assurance/plan">
        Back to the plan
      </Link>
      <h1>
        <span className="nhsuk-caption-l">Synthetic opioid preparedness plan</span>
        Change the plan
      </h1>
      {plan.isPending ? <Loading>Loading the plan…</Loading> : null}
      {plan.error ? <SectionProblem error={plan.error} what="the plan" /> : null}
      {plan.data && !can(user, 'assurance.plan.edit') ? (
        <InsetText>
          <p>Your role does not allow you to change the plan.</p>
        </InsetText>
      ) : null}
      {plan.data && can(user, 'assurance.plan.edit') ? <PlanForm key={plan.data.version} plan={plan.data} /> : null}
    </>
  );
}

function PlanForm({ plan }: { plan: PlanView }) {
  const [d, setD] = useState<Draft>(() => ({
    content: structuredClone(plan.content),
    audiences: plan.content.commsAudiences.join('\n'),
    activities: plan.content.activities.map((b) => activitiesToText(b.activities)),
  }));
  const [note, setNote] = useState('');
  const save = useWrite<{ version: number }>('PUT', '/api/assurance/plan');
  const c = d.content;
  const update = (f: (c: PlanContent) => void) =>
    setD((x) => {
      const content = structuredClone(x.content);
      f(content);
      return { ...x, content };
    });
  const err = (path: string) => fieldError(save.error, `content.${path}`);

  // Field names the server may report, mapped to the inputs here (for the error summary's links).
  const ids: Record<string, string> = { 'content.title': 'plan-title', 'content.area': 'plan-area', note: 'plan-note', 'content.triggerNote': 'plan-trigger-note', 'content.escalation.lrfName': 'plan-lrf', 'content.escalation.guidance': 'plan-lrf-guidance', 'content.commsAudiences': 'plan-audiences', 'content.invitees': 'invitee-first', 'content.circulation': 'circulation-first' };
  for (const who of ['coordinator', 'chair'] as const) for (const [k] of CONTACT_FIELDS) ids[`content.${who}.${k}`] = `${who}-${k}`;
  c.escalation.contacts.forEach((_, i) => CONTACT_FIELDS.forEach(([k]) => (ids[`content.escalation.contacts.${i}.${k}`] = `lrf-${i}-${k}`)));
  c.activities.forEach((_, i) => {
    ids[`content.activities.${i}.agency`] = `act-${i}-agency`;
    ids[`content.activities.${i}.activities`] = `act-${i}-text`;
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const content: PlanContent = {
      ...c,
      commsAudiences: d.audiences.split('\n').map((s) => s.trim()).filter(Boolean),
      activities: c.activities.map((b, i) => ({ ...b, activities: textToActivities(d.activities[i] ?? '') })),
    };
    save.mutate({ base_version: plan.version, note, content }, { onSuccess: (r) => navigate(`/assurance/plan?saved=${r.version}`) });
  };

  const contactFields = (prefix: string, value: Contact, onChange: (k: keyof Contact, v: string) => void, errPath: string) =>
    CONTACT_FIELDS.map(([k, label, type]) => {
      const id = `${prefix}-${k}`;
      const error = err(`${errPath}.${k}`);
      return (
        <FormField key={k} id={id} label={label} error={error}>
          <input className={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`} id={id} name={id} type={type} value={value[k]} onChange={(e) => onChange(k, e.currentTarget.value)} aria-describedby={describedBy(id, false, error)} autoComplete="off" />
        </FormField>
      );
    });

  const partnerChoice = (list: 'invitees' | 'circulation', legend: string) => (
    <div className={`nhsuk-form-group${err(list) ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={`${list}-hint`}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">{legend}</legend>
        <div className="nhsuk-hint" id={`${list}-hint`}>
          From the <Link to="/assurance/partners">partner directory</Link>
          {plan.partners.length === 0 ? ', which is empty: add partners there first' : ''}.
        </div>
        {err(list) ? <span className="nhsuk-error-message">{err(list)}</span> : null}
        <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
          {plan.partners.map((p, i) => {
            const id = i === 0 ? `${list === 'invitees' ? 'invitee' : 'circulation'}-first` : `${list}-${p.id}`;
            return (
              <div className="nhsuk-checkboxes__item" key={p.id}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={id}
                  type="checkbox"
                  checked={c[list].includes(p.id)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    update((x) => {
                      x[list] = on ? [...x[list], p.id] : x[list].filter((v) => v !== p.id);
                    });
                  }}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
                  {p.organisation}
                  {p.contact_name ? ` (${p.contact_name})` : ''}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Change the plan">
      {save.error ? <ProblemSummary error={save.error} fieldIds={fieldIds(ids)} /> : null}
      {save.error instanceof ApiError && save.error.status === 409 ? (
        <p>
          <a href="/assurance/plan/edit">Reload the plan</a> to see the newer version, then make your change again.
        </p>
      ) : null}
      <p>
        You are changing version {plan.version}. Saving makes version {plan.version + 1}; every version is kept with what changed and who changed it.
      </p>

      <h2>The plan</h2>
      <FormField id="plan-title" label="Title" error={err('title')}>
        <input className="nhsuk-input" id="plan-title" value={c.title} onChange={(e) => { const v = e.currentTarget.value; update((x) => { x.title = v; }); }} />
      </FormField>
      <FormField id="plan-area" label="Area" hint="A local-authority code such as E08000025, or the partnership’s name" error={err('area')}>
        <input className="nhsuk-input nhsuk-input--width-20" id="plan-area" value={c.area} onChange={(e) => { const v = e.currentTarget.value; update((x) => { x.area = v; }); }} aria-describedby="plan-area-hint" />
      </FormField>

      <h2>Coordinator</h2>
      {contactFields('coordinator', c.coordinator, (k, v) => update((x) => { x.coordinator[k] = v; }), 'coordinator')}
      <h2>Chair of incident response meetings</h2>
      {contactFields('chair', c.chair, (k, v) => update((x) => { x.chair[k] = v; }), 'chair')}

      {partnerChoice('invitees', 'Invited to the incident response group')}

      <h2>Triggers</h2>
      <p>
        The triggers come from the <Link to="/early-warning">early-warning settings</Link> ({plan.triggers.source}); change them there, not here.
      </p>
      <ul data-testid="plan-edit-triggers">
        {plan.triggers.countTriggers.map((t) => (
          <li key={`${t.indicator}-${t.id}`}>
            {t.indicatorLabel}: {t.description}
          </li>
        ))}
        {plan.triggers.exceedance.map((t) => (
          <li key={`x-${t.indicator}`}>
            {t.indicatorLabel}: statistical exceedance ({t.method})
          </li>
        ))}
        {plan.triggers.stepRules.map((r) => (
          <li key={r.id}>
            Step {r.step}: {r.text}
          </li>
        ))}
      </ul>
      <TextArea id="plan-trigger-note" label="Local note about the triggers (optional)" value={c.triggerNote} onChange={(v) => update((x) => { x.triggerNote = v; })} error={err('triggerNote')} rows={3} />

      <h2>Escalation: Local Resilience Forum</h2>
      <FormField id="plan-lrf" label="Local Resilience Forum" error={err('escalation.lrfName')}>
        <input className="nhsuk-input" id="plan-lrf" value={c.escalation.lrfName} onChange={(e) => { const v = e.currentTarget.value; update((x) => { x.escalation.lrfName = v; }); }} />
      </FormField>
      <TextArea id="plan-lrf-guidance" label="When to escalate (optional)" value={c.escalation.guidance} onChange={(v) => update((x) => { x.escalation.guidance = v; })} error={err('escalation.guidance')} rows={2} />
      {c.escalation.contacts.map((k, i) => (
        <fieldset className="nhsuk-fieldset beacon-assurance-item" key={i}>
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Escalation contact {i + 1}</legend>
          {contactFields(`lrf-${i}`, k, (f, v) => update((x) => { x.escalation.contacts[i]![f] = v; }), `escalation.contacts.${i}`)}
          <button type="button" className="beacon-assurance-link" onClick={() => update((x) => { x.escalation.contacts.splice(i, 1); })}>
            Remove escalation contact {i + 1}
          </button>
        </fieldset>
      ))}
      <Button type="button" secondary onClick={() => update((x) => { x.escalation.contacts.push(emptyContact()); })}>
        Add an escalation contact
      </Button>

      {partnerChoice('circulation', 'Circulate the plan to')}

      <h2>Comms audiences</h2>
      <TextArea id="plan-audiences" label="Audiences, one per line" value={d.audiences} onChange={(v) => setD((x) => ({ ...x, audiences: v }))} error={err('commsAudiences')} rows={8} />

      <h2>Activities by agency and step</h2>
      <p className="nhsuk-body-s">One activity per line; a line starting with “- ” is a point under the activity above it.</p>
      {c.activities.map((b, i) => (
        <fieldset className="nhsuk-fieldset beacon-assurance-item" key={i}>
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
            {b.agency || 'New agency'}, {APPENDIX3_STEP_HEADINGS[b.step]}
          </legend>
          <FormField id={`act-${i}-agency`} label="Agency" error={err(`activities.${i}.agency`)}>
            <input className="nhsuk-input" id={`act-${i}-agency`} value={b.agency} onChange={(e) => { const v = e.currentTarget.value; update((x) => { x.activities[i]!.agency = v; }); }} />
          </FormField>
          <FormField id={`act-${i}-step`} label="Step">
            <select className="nhsuk-select beacon-assurance-select" id={`act-${i}-step`} value={b.step} onChange={(e) => { const v = Number(e.currentTarget.value) as 1 | 2 | 3; update((x) => { x.activities[i]!.step = v; }); }}>
              {([1, 2, 3] as const).map((s) => (
                <option key={s} value={s}>
                  {APPENDIX3_STEP_HEADINGS[s]}
                </option>
              ))}
            </select>
          </FormField>
          <TextArea id={`act-${i}-text`} label="Activities" value={d.activities[i] ?? ''} onChange={(v) => setD((x) => ({ ...x, activities: x.activities.map((t, j) => (j === i ? v : t)) }))} error={err(`activities.${i}.activities`)} rows={Math.min(12, Math.max(3, (d.activities[i] ?? '').split('\n').length + 1))} />
          <button
            type="button"
            className="beacon-assurance-link"
            onClick={() =>
              setD((x) => {
                const content = structuredClone(x.content);
                content.activities.splice(i, 1);
                return { ...x, content, activities: x.activities.filter((_, j) => j !== i) };
              })
            }
          >
            Remove {b.agency || 'this agency'} at step {b.step}
          </button>
        </fieldset>
      ))}
      <Button
        type="button"
        secondary
        onClick={() =>
          setD((x) => {
            const content = structuredClone(x.content);
            content.activities.push({ agency: '', step: 1, activities: [] });
            return { ...x, content, activities: [...x.activities, ''] };
          })
        }
      >
        Add an agency and step
      </Button>

      <h2>Save</h2>
      <FormField id="plan-note" label="What changed and why" hint="Kept with the version, beside the list of changes" error={fieldError(save.error, 'note')}>
        <input className="nhsuk-input" id="plan-note" value={note} onChange={(e) => setNote(e.currentTarget.value)} aria-describedby="plan-note-hint" />
      </FormField>
      <div className="beacon-assurance-actions">
        <Button type="submit" disabled={save.isPending}>
          Save a new version
        </Button>
        <Link to="/assurance/plan" className="nhsuk-link">
          Cancel
        </Link>
      </div>
    </form>
  );
}
