import { FormField } from '../../components/FormField';
import { Button, Details } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { RAG_DEFINITIONS } from '../../../domain/assurance/rag';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { useAudit, useWrite } from './api';
import { AssuranceNav, can, fieldError, MeasureList, RagTag } from './shared';
import type { AuditItemView } from './types';

const CHANGE: Record<string, string> = {
  improved: 'Improved since the last round',
  worsened: 'Worse than the last round',
  unchanged: 'Same rating as the last round',
  newly_rated: 'Rated for the first time',
  no_longer_rated: 'No longer rated',
  not_rated: '',
};

export function RagKey() {
  return (
    <Details>
      <Details.Summary>What Red, Amber and Green mean</Details.Summary>
      <Details.Text>
        <dl className="nhsuk-summary-list">
          {Object.values(RAG_DEFINITIONS).map((d) => (
            <div className="nhsuk-summary-list__row" key={d.rating}>
              <dt className="nhsuk-summary-list__key">
                <RagTag rating={d.rating} />
              </dt>
              <dd className="nhsuk-summary-list__value">{d.definition}</dd>
            </div>
          ))}
        </dl>
      </Details.Text>
    </Details>
  );
}

function Item({ auditId, item, edit }: { auditId: number; item: AuditItemView; edit: boolean }) {
  const c = item.change;
  return (
    <li className="beacon-assurance-item" id={`item-${item.key}`}>
      <p className="nhsuk-u-margin-bottom-2">{item.text}</p>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
        <span className="nhsuk-u-font-weight-bold">Lead:</span> {item.lead ?? 'not set'}
      </p>
      <p className="nhsuk-u-margin-bottom-2">
        <span className="nhsuk-u-visually-hidden">RAG status: </span>
        <RagTag rating={item.rating} />
        {c && CHANGE[c.rating.change] ? <span className="nhsuk-body-s"> {CHANGE[c.rating.change]}{c.rating.before && c.rating.change !== 'unchanged' ? ` (was ${RAG_DEFINITIONS[c.rating.before].label})` : ''}.</span> : null}
      </p>
      <MeasureList measures={item.measures} live={item.measures_live} />
      {item.comments ? <p className="nhsuk-body-s">{item.comments}</p> : null}
      {item.actions.length ? (
        <ul className="nhsuk-body-s">
          {item.actions.map((a) => (
            <li key={a.id}>
              Action: {a.text} – {a.owner ?? 'no owner'}, due {a.due ?? 'no date'} ({a.status === 'done' ? 'done' : 'open'})
            </li>
          ))}
        </ul>
      ) : null}
      {item.evidence.length ? (
        <ul className="nhsuk-body-s">
          {item.evidence.map((e) => (
            <li key={e.url}>
              Evidence: <a href={e.url} rel="noreferrer noopener" target="_blank">{e.label}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {edit ? (
        <p className="nhsuk-body-s">
          <Link to={`/assurance/audits/${auditId}/items/${item.key}`}>
            Rate or update<span className="nhsuk-u-visually-hidden"> item {item.key}</span>
          </Link>
        </p>
      ) : null}
    </li>
  );
}

export function AuditPage({ user, id }: { user: User; id: number }) {
  const audit = useAudit(id);
  const a = audit.data;
  usePageTitle(a ? a.title : 'Self-audit');
  const edit = can(user, 'assurance.audit.edit') && a?.status === 'draft';
  const complete = useWrite('POST', `/api/assurance/audits/${id}/complete`);
  const [month, setMonth] = useState('');
  const repeat = useWrite<{ id: number }>('POST', `/api/assurance/audits/${id}/repeat`);
  const submitRepeat = (e: FormEvent) => {
    e.preventDefault();
    repeat.mutate({ month }, { onSuccess: (r) => navigate(`/assurance/audits/${r.id}`) });
  };
  return (
    <>
      <AssuranceNav user={user} />
      {audit.isPending ? <Loading>Loading the audit…</Loading> : null}
      {audit.error ? <SectionProblem error={audit.error} what="the audit" /> : null}
      {a ? (
        <>
          <h1>
            <span className="nhsuk-caption-l">
              {a.template_name} – round {a.round}
            </span>
            {a.title}
          </h1>
          <p>
            Measures on {a.as_of}. {a.status === 'completed' ? `Completed ${a.completed_at?.slice(0, 10) ?? ''} by ${a.completed_by ?? ''}; measures frozen then.` : 'Draft: measures are live.'}
            <br />
            <span className="nhsuk-body-s">Source: {a.source}</span>
          </p>
          <p data-testid="rag-counts">
            Red {a.counts.red}, Amber {a.counts.amber}, Green / Amber {a.counts.green_amber}, Green {a.counts.green}, not rated {a.counts.not_rated}.
          </p>
          {a.previous && a.changes ? (
            <p data-testid="changes">
              Since round {a.round - 1} (<Link to={`/assurance/audits/${a.previous.id}`}>{a.previous.as_of}</Link>): {a.changes.improved} improved, {a.changes.worsened} worse, {a.changes.newly_rated} newly rated, {a.changes.unchanged} unchanged.
            </p>
          ) : null}
          <RagKey />
          <ul className="nhsuk-list beacon-assurance-actions">
            {can(user, 'assurance.export') ? (
              <>
                <li>
                  <a href={`/api/assurance/audits/${id}/export.xlsx`} download>
                    Download as Excel (XLSX)
                  </a>
                </li>
                <li>
                  <a href={`/api/assurance/audits/${id}/export.pdf`} download>
                    Download as PDF
                  </a>
                </li>
              </>
            ) : null}
          </ul>
          {a.sections.map((s) => (
            <section key={s.key} aria-labelledby={`sec-${s.key}`}>
              <h2 id={`sec-${s.key}`}>{s.title}</h2>
              <ol className="nhsuk-list">
                {s.items.map((i) => (
                  <Item key={i.key} auditId={id} item={i} edit={edit} />
                ))}
              </ol>
            </section>
          ))}
          {edit ? (
            <>
              {complete.error ? <ProblemSummary error={complete.error} /> : null}
              <Button secondary onClick={() => complete.mutate(undefined)} disabled={complete.isPending}>
                Complete this audit
              </Button>
            </>
          ) : null}
          {can(user, 'assurance.audit.edit') && a.status === 'completed' ? (
            <form onSubmit={submitRepeat} noValidate aria-labelledby="repeat">
              <h2 id="repeat">Start the next round</h2>
              {repeat.error ? <ProblemSummary error={repeat.error} fieldIds={{ month: 'repeat-month' }} /> : null}
              <FormField id="repeat-month" label="Month for the measures" hint="For example 2025-03. Ratings, comments, evidence and open actions are carried forward." error={fieldError(repeat.error, 'month')}>
                <input className="nhsuk-input nhsuk-input--width-10" id="repeat-month" value={month} onChange={(e) => setMonth(e.target.value)} aria-describedby="repeat-month-hint" />
              </FormField>
              <Button type="submit" secondary disabled={repeat.isPending}>
                Start the next round
              </Button>
            </form>
          ) : null}
        </>
      ) : null}
    </>
  );
}
