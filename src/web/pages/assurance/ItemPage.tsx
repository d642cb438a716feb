import { FormField } from '../../components/FormField';
import { Button } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { RAG_DEFINITIONS, RAG_RATINGS, type RagRating } from '../../../domain/assurance/rag';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { useAudit, useSend, useWrite } from './api';
import { fieldError, MeasureList, RagTag, SavedStatus } from './shared';
import type { AuditItemView } from './types';

export function ItemPage({ user, id, itemKey }: { user: User; id: number; itemKey: string }) {
  usePageTitle('Rate an item');
  const audit = useAudit(id);
  const item = audit.data?.sections.flatMap((s) => s.items).find((i) => i.key === itemKey);
  void user;
  return (
    <>
      <Link className="nhsuk-back-link" to={`/assurance/audits/${id}#item-${itemKey}`}>
        Back to the audit
      </Link>
      {audit.isPending ? <Loading>Loading…</Loading> : null}
      {audit.error ? <SectionProblem error={audit.error} what="the audit" /> : null}
      {audit.data && !item ? <p>There is no item {itemKey} in this audit.</p> : null}
      {item ? <ItemForm id={id} item={item} /> : null}
    </>
  );
}

function ItemForm({ id, item }: { id: number; item: AuditItemView }) {
  const [rating, setRating] = useState<RagRating | ''>(item.rating ?? '');
  const [comments, setComments] = useState(item.comments);
  const [lead, setLead] = useState(item.lead ?? '');
  const [evLabel, setEvLabel] = useState('');
  const [evUrl, setEvUrl] = useState('');
  const save = useWrite('PATCH', `/api/assurance/audits/${id}/items/${item.key}`);
  const [actText, setActText] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const action = useWrite('POST', `/api/assurance/audits/${id}/items/${item.key}/actions`);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const evidence = evUrl.trim() ? [...item.evidence, { label: evLabel.trim() || evUrl.trim(), url: evUrl.trim() }] : undefined;
    save.mutate(
      { rating: rating === '' ? null : rating, comments, lead, ...(evidence ? { evidence } : {}) },
      { onSuccess: () => navigate(`/assurance/audits/${id}#item-${item.key}`) },
    );
  };
  const addAction = (e: FormEvent) => {
    e.preventDefault();
    action.mutate({ text: actText, owner: owner || null, due: due || null }, { onSuccess: () => { setActText(''); setOwner(''); setDue(''); } });
  };
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Item {item.key}</span>
        Rate this item
      </h1>
      <p>{item.text}</p>
      <p>
        Current rating: <RagTag rating={item.rating} />
      </p>
      <MeasureList measures={item.measures} live={item.measures_live} />
      {save.error ? <ProblemSummary error={save.error} fieldIds={{ rating: 'rating-red', evidence: 'ev-url', lead: 'item-lead' }} /> : null}
      <form onSubmit={submit} noValidate>
        <div className="nhsuk-form-group">
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">RAG status</legend>
            <div className="nhsuk-radios">
              {RAG_RATINGS.map((r) => (
                <div className="nhsuk-radios__item" key={r}>
                  <input className="nhsuk-radios__input" id={`rating-${r}`} name="rating" type="radio" value={r} checked={rating === r} onChange={() => setRating(r)} aria-describedby={`rating-${r}-hint`} />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={`rating-${r}`}>
                    {RAG_DEFINITIONS[r].label}
                  </label>
                  <div className="nhsuk-hint nhsuk-radios__hint" id={`rating-${r}-hint`}>
                    {RAG_DEFINITIONS[r].definition}
                  </div>
                </div>
              ))}
              <div className="nhsuk-radios__item">
                <input className="nhsuk-radios__input" id="rating-none" name="rating" type="radio" value="" checked={rating === ''} onChange={() => setRating('')} />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor="rating-none">
                  Not rated yet
                </label>
              </div>
            </div>
          </fieldset>
        </div>
        <FormField id="item-lead" label="Lead agencies / individuals" error={fieldError(save.error, 'lead')}>
          <input className="nhsuk-input" id="item-lead" value={lead} onChange={(e) => setLead(e.target.value)} />
        </FormField>
        <FormField id="item-comments" label="Issues / comments">
          <textarea className="nhsuk-textarea" id="item-comments" rows={5} value={comments} onChange={(e) => setComments(e.target.value)} />
        </FormField>
        <h2>Add evidence</h2>
        <FormField id="ev-label" label="Evidence name (optional)">
          <input className="nhsuk-input" id="ev-label" value={evLabel} onChange={(e) => setEvLabel(e.target.value)} />
        </FormField>
        <FormField id="ev-url" label="Evidence link (optional)" hint="A web address starting https://" error={fieldError(save.error, 'evidence')}>
          <input className="nhsuk-input" id="ev-url" type="url" value={evUrl} onChange={(e) => setEvUrl(e.target.value)} aria-describedby="ev-url-hint" />
        </FormField>
        <Button type="submit" disabled={save.isPending}>
          Save the rating
        </Button>
      </form>
      <Actions id={id} item={item} />
      <form onSubmit={addAction} noValidate aria-labelledby="add-action">
        <h2 id="add-action">Add an action</h2>
        {action.error ? <ProblemSummary error={action.error} fieldIds={{ text: 'act-text', due: 'act-due' }} /> : null}
        {action.isSuccess ? <p role="status">Action added.</p> : null}
        <FormField id="act-text" label="Action" error={fieldError(action.error, 'text')}>
          <input className="nhsuk-input" id="act-text" value={actText} onChange={(e) => setActText(e.target.value)} />
        </FormField>
        <FormField id="act-owner" label="Owner">
          <input className="nhsuk-input" id="act-owner" value={owner} onChange={(e) => setOwner(e.target.value)} />
        </FormField>
        <FormField id="act-due" label="Due date" hint="For example 2025-03-31" error={fieldError(action.error, 'due')}>
          <input className="nhsuk-input nhsuk-input--width-10" id="act-due" value={due} onChange={(e) => setDue(e.target.value)} aria-describedby="act-due-hint" />
        </FormField>
        <Button type="submit" secondary disabled={action.isPending}>
          Add the action
        </Button>
      </form>
    </>
  );
}

/** The item's actions, each marked done or reopened from here. */
function Actions({ id, item }: { id: number; item: AuditItemView }) {
  const send = useSend();
  const [done, setDone] = useState('');
  if (item.actions.length === 0) return null;
  const toggle = (a: AuditItemView['actions'][number]) => {
    const status = a.status === 'done' ? 'open' : 'done';
    setDone('');
    send.mutate({ method: 'PATCH', path: `/api/assurance/audits/${id}/actions/${a.id}`, json: { status } }, { onSuccess: () => setDone(status === 'done' ? `Marked done: ${a.text}` : `Reopened: ${a.text}`) });
  };
  return (
    <>
      <h2 id="actions">Actions</h2>
      {send.error ? <ProblemSummary error={send.error} /> : null}
      <SavedStatus message={done} />
      <ul className="nhsuk-list" data-testid="item-actions">
        {item.actions.map((a) => (
          <li key={a.id} className="beacon-assurance-item">
            <p className="nhsuk-u-margin-bottom-1">
              {a.status === 'done' ? <strong className="nhsuk-tag nhsuk-tag--green">Done</strong> : <strong className="nhsuk-tag nhsuk-tag--grey">Open</strong>} {a.text}
            </p>
            <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
              {a.owner ? `Owner: ${a.owner}` : 'No owner'}
              {a.due ? `; due ${a.due}` : ''}
            </p>
            <button type="button" className="beacon-assurance-link" disabled={send.isPending} onClick={() => toggle(a)}>
              {a.status === 'done' ? 'Reopen' : 'Mark as done'}
              <span className="nhsuk-u-visually-hidden">: {a.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
