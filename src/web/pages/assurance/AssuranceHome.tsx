import { FormField } from '../../components/FormField';
import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { useAudits, useTemplates, useWrite } from './api';
import { lastCompleteMonth } from '../../format';
import { AssuranceNav, can, fieldError, Scroll } from './shared';

export function AssuranceHome({ user }: { user: User }) {
  usePageTitle('Partnership assurance');
  const audits = useAudits();
  const templates = useTemplates();
  const edit = can(user, 'assurance.audit.edit');
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Partnership assurance</span>
        Self-audits
      </h1>
      <p className="nhsuk-lede-text">Rate the harm-reduction system, keep the preparedness plan and assess need, with the evidence pulled from Beacon’s own data.</p>
      <AssuranceNav user={user} />
      {!can(user, 'assurance.read') ? (
        <InsetText>
          <p>Your role does not give you access to partnership assurance.</p>
        </InsetText>
      ) : (
        <>
          <h2>Audits</h2>
          {audits.isPending ? <Loading>Loading the audits…</Loading> : null}
          {audits.error ? <SectionProblem error={audits.error} what="the audits" /> : null}
          {audits.data && audits.data.length === 0 ? <p>No audits yet.</p> : null}
          {audits.data && audits.data.length > 0 ? (
            <Scroll label="Audits">
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Self-audits, latest first</caption>
                <thead className="nhsuk-table__head">
                  <tr>
                    <th scope="col">Audit</th>
                    <th scope="col">Round</th>
                    <th scope="col">Measures on</th>
                    <th scope="col">Status</th>
                    <th scope="col">Red</th>
                    <th scope="col">Amber</th>
                    <th scope="col">Green / Amber</th>
                    <th scope="col">Green</th>
                    <th scope="col">Not rated</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {audits.data.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/assurance/audits/${a.id}`}>{a.title}</Link>
                        <br />
                        <span className="nhsuk-body-s">{a.template_name}</span>
                      </td>
                      <td>{a.round}</td>
                      <td>{a.as_of}</td>
                      <td>{a.status === 'completed' ? 'Completed' : 'Draft'}</td>
                      <td>{a.counts.red}</td>
                      <td>{a.counts.amber}</td>
                      <td>{a.counts.green_amber}</td>
                      <td>{a.counts.green}</td>
                      <td>{a.counts.not_rated}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          ) : null}
          {edit && templates.data ? <StartAudit templates={templates.data.map((t) => ({ id: t.id, name: `${t.name} (${t.items} items)` }))} /> : null}
          {templates.data ? (
            <>
              <h2>Templates</h2>
              <ul>
                {templates.data.map((t) => (
                  <li key={t.id}>
                    <strong>{t.name}</strong> – {t.items} items. <span className="nhsuk-body-s">{t.source}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {edit ? <NewTemplate /> : null}
        </>
      )}
    </>
  );
}

function StartAudit({ templates }: { templates: Array<{ id: string; name: string }> }) {
  const [template, setTemplate] = useState(templates[0]?.id ?? '');
  const [title, setTitle] = useState('');
  const [month, setMonth] = useState(lastCompleteMonth());
  const write = useWrite<{ id: number }>('POST', '/api/assurance/audits');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    write.mutate({ template_id: template, title, month }, { onSuccess: (r) => navigate(`/assurance/audits/${r.id}`) });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="start-audit">
      <h2 id="start-audit">Start an audit</h2>
      {write.error ? <ProblemSummary error={write.error} fieldIds={{ title: 'audit-title', month: 'audit-month', template_id: 'audit-template' }} /> : null}
      <FormField id="audit-template" label="Template" error={fieldError(write.error, 'template_id')}>
        <select className="nhsuk-select" id="audit-template" value={template} onChange={(e) => setTemplate(e.target.value)}>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="audit-title" label="Title" error={fieldError(write.error, 'title')}>
        <input className="nhsuk-input" id="audit-title" value={title} onChange={(e) => setTitle(e.target.value)} />
      </FormField>
      <FormField id="audit-month" label="Month for the measures" hint="The measures are taken on the last day of this month, for example 2024-03" error={fieldError(write.error, 'month')}>
        <input className="nhsuk-input nhsuk-input--width-10" id="audit-month" value={month} onChange={(e) => setMonth(e.target.value)} aria-describedby="audit-month-hint" />
      </FormField>
      <Button type="submit" disabled={write.isPending}>
        Start the audit
      </Button>
    </form>
  );
}

function NewTemplate() {
  const [name, setName] = useState('');
  const [outline, setOutline] = useState('');
  const write = useWrite('POST', '/api/assurance/templates');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    write.mutate({ name, outline }, { onSuccess: () => { setName(''); setOutline(''); } });
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-template">
      <h2 id="new-template">Create a template</h2>
      {write.error ? <ProblemSummary error={write.error} fieldIds={{ name: 'tpl-name', outline: 'tpl-outline' }} /> : null}
      {write.isSuccess ? <p role="status">Template created.</p> : null}
      <FormField id="tpl-name" label="Name" error={fieldError(write.error, 'name')}>
        <input className="nhsuk-input" id="tpl-name" value={name} onChange={(e) => setName(e.target.value)} />
      </FormField>
      <FormField id="tpl-outline" label="Sections and items" hint="A line starting with # begins a section. Each other line is an item; put the lead after a | (for example: Peer naloxone supply | Harm reduction service)." error={fieldError(write.error, 'outline')}>
        <textarea className="nhsuk-textarea" id="tpl-outline" rows={8} value={outline} onChange={(e) => setOutline(e.target.value)} aria-describedby="tpl-outline-hint" />
      </FormField>
      <Button type="submit" secondary disabled={write.isPending}>
        Create the template
      </Button>
    </form>
  );
}
