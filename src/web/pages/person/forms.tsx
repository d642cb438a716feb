import { Button } from 'nhsuk-react-components';
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { ErrorSummaryBox, ProblemSummary, type ErrorItem } from '../../components/ErrorSummaryBox';
import { describedBy, FormField } from '../../components/FormField';
import { useCapture, useCreateAction, useUpdateAction, type ActionStatus, type CareAction, type CaptureKind, type FlagCode, type Recommended } from './api';
import { localToday, RISK_EVENT_TYPES, STATUS_LABELS, SUBSTANCES } from './labels';

/** Field errors from a 400 problem (field → message), for the inputs to show. */
function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const e of error.problem.errors ?? []) if (e.field && !out[e.field]) out[e.field] = e.message;
  return out;
}

function FormErrors({ error, fieldIds, local }: { error: unknown; fieldIds: Record<string, string>; local: ErrorItem[] }) {
  if (local.length > 0) return <ErrorSummaryBox title="There is a problem" items={local} />;
  if (error) return <ProblemSummary error={error} fieldIds={fieldIds} />;
  return null;
}

const OTHER = '__other';

/** Record a care-plan action against one flag: a recommended action or the team's own. */
export function CareActionForm({ personId, flag, recommended, onDone }: { personId: string; flag: FlagCode; recommended: readonly Recommended[]; onDone?: () => void }) {
  const id = useId();
  const create = useCreateAction(personId);
  const [choice, setChoice] = useState(recommended[0]?.id ?? OTHER);
  const [text, setText] = useState(recommended[0]?.text ?? '');
  const [status, setStatus] = useState<ActionStatus>('planned');
  const [reason, setReason] = useState('');
  const [due, setDue] = useState('');
  const [owner, setOwner] = useState(recommended[0]?.owner ?? '');
  const [local, setLocal] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState(false);
  const ids = { action: `${id}-action`, text: `${id}-text`, status: `${id}-status-planned`, declined_reason: `${id}-reason`, due_date: `${id}-due`, owner: `${id}-owner` };
  const server = fieldErrors(create.error);
  const localField = (key: string) => local.find((l) => l.href === `#${ids[key as keyof typeof ids]}`)?.text;
  const err = (key: string) => localField(key) ?? server[key];

  const pick = (value: string) => {
    setChoice(value);
    const r = recommended.find((x) => x.id === value);
    setText(r?.text ?? '');
    if (r) setOwner(r.owner);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const problems: ErrorItem[] = [];
    if (!text.trim()) problems.push({ href: `#${ids.text}`, text: 'Enter what will be done' });
    if (status === 'declined' && !reason.trim()) problems.push({ href: `#${ids.declined_reason}`, text: 'Enter why the action was declined' });
    setLocal(problems);
    if (problems.length) return;
    create.mutate(
      {
        flag,
        action_id: choice === OTHER ? null : choice,
        text: text.trim(),
        status,
        declined_reason: status === 'declined' ? reason.trim() : null,
        due_date: due || null,
        owner: owner.trim() || null,
        note: null,
      },
      {
        onSuccess: () => {
          setSaved(true);
          setStatus('planned');
          setReason('');
          setDue('');
          onDone?.();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="beacon-person-form" aria-label={`Record a care-plan action for this flag`}>
      <FormErrors error={create.error} fieldIds={ids} local={local} />
      {saved ? (
        <p className="nhsuk-body-s" role="status">
          Action recorded. It is in the care plan below.
        </p>
      ) : null}
      <FormField id={ids.action} label="Action">
        <select className="nhsuk-select beacon-person-wide" id={ids.action} value={choice} onChange={(e) => pick(e.target.value)}>
          {recommended.map((r) => (
            <option key={r.id} value={r.id}>
              {r.text.length > 90 ? `${r.text.slice(0, 88)}…` : r.text}
            </option>
          ))}
          <option value={OTHER}>Another action (write it below)</option>
        </select>
      </FormField>
      <FormField id={ids.text} label="What will be done" error={err('text')}>
        <textarea
          className={`nhsuk-textarea${err('text') ? ' nhsuk-textarea--error' : ''}`}
          id={ids.text}
          rows={3}
          value={text}
          maxLength={2000}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={describedBy(ids.text, false, err('text'))}
        />
      </FormField>
      <div className="nhsuk-form-group">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Status</legend>
          <div className="nhsuk-radios nhsuk-radios--inline nhsuk-radios--small">
            {(['planned', 'done', 'declined'] as const).map((s) => (
              <div className="nhsuk-radios__item" key={s}>
                <input className="nhsuk-radios__input" id={`${id}-status-${s}`} name={`${id}-status`} type="radio" value={s} checked={status === s} onChange={() => setStatus(s)} />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-status-${s}`}>
                  {STATUS_LABELS[s]}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      {status === 'declined' ? (
        <FormField id={ids.declined_reason} label="Why it was declined" error={err('declined_reason')}>
          <textarea
            className={`nhsuk-textarea${err('declined_reason') ? ' nhsuk-textarea--error' : ''}`}
            id={ids.declined_reason}
            rows={2}
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby={describedBy(ids.declined_reason, false, err('declined_reason'))}
          />
        </FormField>
      ) : null}
      <div className="beacon-person-inline">
        <FormField id={ids.due_date} label="Due date (optional)" error={err('due_date')}>
          <input className="nhsuk-input beacon-person-date" id={ids.due_date} type="date" value={due} onChange={(e) => setDue(e.target.value)} aria-describedby={describedBy(ids.due_date, false, err('due_date'))} />
        </FormField>
        <FormField id={ids.owner} label="Owner (optional)" error={err('owner')}>
          <input className="nhsuk-input beacon-person-owner" id={ids.owner} type="text" value={owner} maxLength={200} onChange={(e) => setOwner(e.target.value)} />
        </FormField>
      </div>
      <Button type="submit" secondary disabled={create.isPending}>
        Save action
      </Button>
    </form>
  );
}

/** Mark an open action done, or declined with a reason. */
export function ActionStatusControls({ personId, action }: { personId: string; action: CareAction }) {
  const id = useId();
  const update = useUpdateAction(personId);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  if (action.status !== 'planned') return null;
  const decline = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    update.mutate({ id: action.id, status: 'declined', declined_reason: reason.trim() });
  };
  return (
    <div className="beacon-person-controls">
      {update.error ? <ProblemSummary error={update.error} /> : null}
      {declining ? (
        <form onSubmit={decline} noValidate>
          <div className={`nhsuk-form-group${missing ? ' nhsuk-form-group--error' : ''}`}>
            <label className="nhsuk-label nhsuk-label--s" htmlFor={`${id}-reason`}>
              Why was it declined?
            </label>
            {missing ? (
              <span className="nhsuk-error-message" id={`${id}-error`}>
                <span className="nhsuk-u-visually-hidden">Error:</span> Enter why the action was declined
              </span>
            ) : null}
            <textarea
              className={`nhsuk-textarea${missing ? ' nhsuk-textarea--error' : ''}`}
              id={`${id}-reason`}
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-describedby={missing ? `${id}-error` : undefined}
            />
          </div>
          <Button type="submit" secondary disabled={update.isPending}>
            Save: declined
          </Button>{' '}
          <Button type="button" secondary onClick={() => setDeclining(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <>
          <Button type="button" secondary disabled={update.isPending} onClick={() => update.mutate({ id: action.id, status: 'done' })}>
            Mark done<span className="nhsuk-u-visually-hidden">: {action.text}</span>
          </Button>{' '}
          <Button type="button" secondary onClick={() => setDeclining(true)}>
            Declined<span className="nhsuk-u-visually-hidden">: {action.text}</span>
          </Button>
        </>
      )}
    </div>
  );
}

type Values = Record<string, string>;

/** One of the three capture forms: risk event, naloxone supply, drug test. */
export function CaptureForm({ personId, kind }: { personId: string; kind: CaptureKind }) {
  const id = useId();
  const capture = useCapture(personId);
  const initial: Values =
    kind === 'risk-events' ? { date: localToday(), type: 'non_fatal_overdose', detail: '' } : kind === 'naloxone' ? { date: localToday(), product: 'nasal', recipient: 'service_user', reason: 'new' } : { date: localToday(), sample: 'urine' };
  const [values, setValues] = useState<Values>(initial);
  const [results, setResults] = useState<Record<string, 'positive' | 'negative' | ''>>({});
  const [local, setLocal] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const set = (k: string, v: string) => setValues((old) => ({ ...old, [k]: v }));
  const ids: Record<string, string> = { date: `${id}-date`, type: `${id}-type`, detail: `${id}-detail`, product: `${id}-product`, recipient: `${id}-recipient`, reason: `${id}-reason`, sample: `${id}-sample`, results: `${id}-results`, substance: `${id}-results` };
  const server = fieldErrors(capture.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const problems: ErrorItem[] = [];
    if (!values.date) problems.push({ href: `#${ids.date}`, text: 'Enter the date' });
    const chosen = Object.entries(results).filter(([, r]) => r !== '');
    if (kind === 'drug-tests' && chosen.length === 0) problems.push({ href: `#${ids.results}`, text: 'Give at least one substance result' });
    setLocal(problems);
    if (problems.length) return;
    const body: Record<string, unknown> = { ...values };
    if (kind === 'drug-tests') body.results = chosen.map(([substance, result]) => ({ substance, result }));
    capture.mutate(
      { kind, body },
      {
        onSuccess: (r) => {
          setSaved(`Saved. The risk profile has been updated: tier ${r.tier}.`);
          setValues(initial);
          setResults({});
        },
      },
    );
  };

  const select = (key: string, label: string, options: readonly [string, string][]) => (
    <FormField id={ids[key] ?? key} label={label} error={server[key]}>
      <select className="nhsuk-select" id={ids[key]} value={values[key] ?? ''} onChange={(e) => set(key, e.target.value)} aria-describedby={describedBy(ids[key] ?? key, false, server[key])}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </FormField>
  );

  return (
    <form onSubmit={submit} noValidate className="beacon-person-form">
      <FormErrors error={capture.error} fieldIds={ids} local={local} />
      {saved ? (
        <p className="nhsuk-body-s" role="status">
          {saved}
        </p>
      ) : null}
      <FormField id={ids.date ?? 'date'} label="Date" hint="The day it happened, not today unless it was today" error={local.find((l) => l.href === `#${ids.date}`)?.text ?? server.date}>
        <input
          className="nhsuk-input beacon-person-date"
          id={ids.date}
          type="date"
          value={values.date ?? ''}
          max={localToday()}
          onChange={(e) => set('date', e.target.value)}
          aria-describedby={describedBy(ids.date ?? 'date', true, server.date)}
        />
      </FormField>
      {kind === 'risk-events' ? (
        <>
          {select('type', 'What happened', RISK_EVENT_TYPES)}
          <FormField id={ids.detail ?? 'detail'} label="Detail (optional)" error={server.detail}>
            <textarea className="nhsuk-textarea" id={ids.detail} rows={2} value={values.detail ?? ''} maxLength={10000} onChange={(e) => set('detail', e.target.value)} />
          </FormField>
        </>
      ) : null}
      {kind === 'naloxone' ? (
        <>
          {select('product', 'Product', [
            ['nasal', 'Nasal'],
            ['intramuscular', 'Intramuscular'],
          ])}
          {select('recipient', 'Given to', [
            ['service_user', 'The person'],
            ['family', 'A family member'],
            ['friend', 'A friend'],
          ])}
          {select('reason', 'Reason', [
            ['new', 'New supply'],
            ['replacement_used', 'Replacement: used'],
            ['replacement_lost', 'Replacement: lost'],
            ['replacement_expired', 'Replacement: expired'],
          ])}
        </>
      ) : null}
      {kind === 'drug-tests' ? (
        <>
          {select('sample', 'Sample', [
            ['urine', 'Urine'],
            ['oral_fluid', 'Oral fluid'],
            ['blood', 'Blood'],
            ['hair', 'Hair'],
          ])}
          <div className={`nhsuk-form-group${server.substance || local.some((l) => l.href === `#${ids.results}`) ? ' nhsuk-form-group--error' : ''}`}>
            <div className="beacon-table-scroll" id={ids.results} role="region" aria-label="Substance results" tabIndex={0}>
              <table className="nhsuk-table beacon-person-results">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">Results (leave a substance blank if it was not tested)</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">
                      Substance
                    </th>
                    <th scope="col" className="nhsuk-table__header">
                      Result
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {SUBSTANCES.map(([s, name]) => (
                    <tr className="nhsuk-table__row" key={s}>
                      <th scope="row" className="nhsuk-table__header">
                        <label htmlFor={`${id}-r-${s}`}>{name}</label>
                      </th>
                      <td className="nhsuk-table__cell">
                        <select className="nhsuk-select" id={`${id}-r-${s}`} value={results[s] ?? ''} onChange={(e) => setResults((old) => ({ ...old, [s]: e.target.value as 'positive' | 'negative' | '' }))}>
                          <option value="">Not tested</option>
                          <option value="positive">Positive</option>
                          <option value="negative">Negative</option>
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </>
      ) : null}
      <Button type="submit" disabled={capture.isPending}>
        {kind === 'risk-events' ? 'Save risk event' : kind === 'naloxone' ? 'Save naloxone supply' : 'Save drug test'}
      </Button>
    </form>
  );
}
