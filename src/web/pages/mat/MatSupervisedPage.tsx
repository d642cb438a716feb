import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, InsetText } from 'nhsuk-react-components';
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import type { User } from '../../api/types';
import { ErrorSummaryBox, type ErrorItem } from '../../components/ErrorSummaryBox';
import { TextArea } from '../../components/FormField';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatNumber, plural } from '../../format';
import { Link, navigate, useSearchParams } from '../../router/router';
import { dayLabel, medicationLabel, STAGE_LABELS } from './labels';
import { can, MatFilters, MatNav, matHref, useMatParams } from './shared';
import { useMatTracker, type MatQuery } from './api';

type ListKey = 'relax' | 'regular_on_top' | 'no_review' | 'review_overdue';

interface ScRate {
  supervised: number;
  known: number;
  inMat: number;
  rate: number | null;
}

interface SupervisedPerson {
  person_id: string;
  service_id: string;
  stage: string | null;
  medication: string | null;
  dose_mg: number | null;
  supervised: boolean | null;
  pickup: string | null;
  on_top_days: number | null;
  latest_review: { review_id: string; date: string; decision: string | null; next_review_date: string | null; rationale: string | null } | null;
  assessment: { riskItems: string[]; unanswered: string[]; regularOnTop: boolean; recommendations: { code: string; message: string }[] };
  lists: ListKey[];
}

interface SupervisedResponse {
  month: string;
  date: string;
  service_id: string | null;
  rates: { organisation: ScRate; services: Record<string, ScRate>; reference_rate: number };
  on_top_threshold: { days: number; of: number };
  people: SupervisedPerson[];
}

interface Questionnaire {
  version: string;
  items: { id: string; label: string; drivesDecision: boolean }[];
  decisions: string[];
  on_top_threshold: { days: number; of: number };
}

const DECISION_LABELS: Record<string, string> = { supervised: 'Supervised consumption', daily_pickup: 'Daily pick-up', relaxed: 'Relaxed (less than daily pick-up)' };
const PICKUP_LABELS: Record<string, string> = { daily: 'daily pick-up', weekly: 'weekly pick-up', other: 'other pick-up' };

function supervisedUrl(q: MatQuery): string {
  const search = new URLSearchParams();
  if (q.month) search.set('month', q.month);
  if (q.service) search.set('service', q.service);
  const text = search.toString();
  return `/api/mat/supervised${text ? `?${text}` : ''}`;
}

function useSupervised(q: MatQuery, enabled: boolean) {
  return useQuery({
    queryKey: ['mat', 'supervised', q.month, q.service],
    queryFn: ({ signal }) => api.get<SupervisedResponse>(supervisedUrl(q), { signal }),
    enabled,
    retry: false,
  });
}

const pct = (r: ScRate | undefined): string => (r?.rate == null ? 'not known' : `${(r.rate * 100).toFixed(1)}%`);

/**
 * Supervised consumption (domain §1.6, toolkit §6.4): candidates to relax supervision, people
 * using on top on more than 20 of 28 days, people with no review or an overdue one, and the
 * service's SC rate beside the organisation's and the toolkit's reference.
 */
export function MatSupervisedPage({ user }: { user: User }) {
  usePageTitle('Supervised consumption');
  const params = useMatParams(user);
  const search = useSearchParams();
  const allowed = can(user, 'mat.supervised');
  const data = useSupervised(params, allowed);
  const tracker = useMatTracker({ month: params.month, service: null, months: 12 }, allowed && can(user, 'mat.tracker'));
  const services = tracker.data ? Object.keys(tracker.data.services).sort() : user.scope.type === 'service' && user.scope.id ? [user.scope.id] : [];
  const r = data.data;
  const recorded = search.get('recorded');
  const lists: { key: ListKey; title: string; description: (d: SupervisedResponse) => string }[] = [
    { key: 'relax', title: 'Candidates to relax supervision', description: () => 'Supervised (or on daily pick-up) with no risk item on the latest review: the toolkit suggests relaxing, daily pick-up first.' },
    {
      key: 'regular_on_top',
      title: 'Using on top most days',
      description: (d) => `Illicit opioid use on more than ${d.on_top_threshold.days} of ${d.on_top_threshold.of} days on the latest TOP: optimise treatment, particularly the dose.`,
    },
    { key: 'no_review', title: 'No review on record', description: () => 'Everyone in MAT should have a supervised consumption review.' },
    { key: 'review_overdue', title: 'Review overdue', description: () => 'The next review date on the latest review has passed.' },
  ];

  return (
    <>
      <h1>Supervised consumption</h1>
      <p className="nhsuk-lede-text">Who to review, who could have supervision relaxed, and how the service compares with the organisation.</p>
      <MatNav user={user} />
      {recorded ? (
        <div className="nhsuk-inset-text" role="status" data-testid="sc-recorded">
          <p>
            Review recorded for {recorded}. The lists below include it.
          </p>
        </div>
      ) : null}
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to supervised consumption reviews: they name people and are for a service’s own staff.</p>
        </InsetText>
      ) : (
        <>
          <MatFilters params={params} shownMonth={r?.month ?? null} services={services} path="/mat/supervised" />
          {data.isPending ? <Loading>Loading supervised consumption…</Loading> : null}
          {data.error ? <SectionProblem error={data.error} what="supervised consumption" /> : null}
          {r ? (
            <div data-testid="mat-supervised">
              <h2>Supervised consumption rate on {dayLabel(r.date)}</h2>
              <table className="nhsuk-table" data-testid="sc-rates">
                <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Supervised consumption rate of the service, the organisation and the toolkit reference</caption>
                <thead className="nhsuk-table__head">
                  <tr>
                    <th scope="col" className="nhsuk-table__header">Population</th>
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">On supervised consumption</th>
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Rate</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {r.service_id ? (
                    <tr className="nhsuk-table__row">
                      <th scope="row" className="nhsuk-table__cell">Service {r.service_id}</th>
                      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                        {formatNumber(r.rates.services[r.service_id]?.supervised ?? 0)} of {formatNumber(r.rates.services[r.service_id]?.known ?? 0)}
                      </td>
                      <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{pct(r.rates.services[r.service_id])}</td>
                    </tr>
                  ) : null}
                  <tr className="nhsuk-table__row">
                    <th scope="row" className="nhsuk-table__cell">Whole organisation</th>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                      {formatNumber(r.rates.organisation.supervised)} of {formatNumber(r.rates.organisation.known)}
                    </td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{pct(r.rates.organisation)}</td>
                  </tr>
                  <tr className="nhsuk-table__row">
                    <th scope="row" className="nhsuk-table__cell">Toolkit reference (2018)</th>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">–</td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{(r.rates.reference_rate * 100).toFixed(0)}%</td>
                  </tr>
                </tbody>
              </table>
              <p className="nhsuk-body-s">The rate counts people whose supervision is recorded; people with it unrecorded are left out rather than counted as unsupervised.</p>
              {lists.map((list) => {
                const people = r.people.filter((p) => p.lists.includes(list.key));
                return (
                  <section key={list.key} aria-labelledby={`sc-${list.key}`} data-testid={`sc-list-${list.key}`}>
                    <h2 id={`sc-${list.key}`}>
                      {list.title}
                      <span className="nhsuk-caption-m">{plural(people.length, 'person', 'people')}</span>
                    </h2>
                    <p>{list.description(r)}</p>
                    {people.length ? <PeopleTable people={people} caption={list.title} month={r.month} canRecord={can(user, 'mat.sc_review.record')} /> : <p>Nobody.</p>}
                  </section>
                );
              })}
            </div>
          ) : null}
        </>
      )}
    </>
  );
}

function PeopleTable({ people, caption, month, canRecord }: { people: SupervisedPerson[]; caption: string; month: string; canRecord: boolean }) {
  return (
    <table className="nhsuk-table-responsive">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col" className="nhsuk-table__header">Person</th>
          <th scope="col" className="nhsuk-table__header">Latest review</th>
          <th scope="col" className="nhsuk-table__header">Recommendation</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {people.map((p) => (
          <tr className="nhsuk-table__row" key={p.person_id} data-testid={`sc-person-${p.person_id}`}>
            <td className="nhsuk-table__cell">
              <span className="nhsuk-table-responsive__heading" aria-hidden="true">Person </span>
              <div className="beacon-cell">
                <strong>{p.person_id}</strong>
                <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">
                  Service {p.service_id}
                  {p.stage ? `, ${STAGE_LABELS[p.stage as keyof typeof STAGE_LABELS] ?? p.stage}` : ''}
                </span>
                <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">
                  {p.medication ? `${medicationLabel(p.medication as Parameters<typeof medicationLabel>[0])} ${p.dose_mg ?? '–'} mg; ` : ''}
                  {p.supervised === true ? 'supervised' : p.supervised === false ? 'not supervised' : 'supervision not recorded'}
                  {p.pickup ? `, ${PICKUP_LABELS[p.pickup] ?? p.pickup}` : ''}
                </span>
                {p.on_top_days !== null ? (
                  <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">On-top use {p.on_top_days} of 28 days (latest TOP)</span>
                ) : null}
              </div>
            </td>
            <td className="nhsuk-table__cell">
              <span className="nhsuk-table-responsive__heading" aria-hidden="true">Latest review </span>
              <div className="beacon-cell">
                {p.latest_review ? (
                  <>
                    {dayLabel(p.latest_review.date)}: {DECISION_LABELS[p.latest_review.decision ?? ''] ?? 'decision not recorded'}
                    {p.latest_review.next_review_date ? <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">Next review {dayLabel(p.latest_review.next_review_date)}</span> : null}
                  </>
                ) : (
                  'None'
                )}
              </div>
            </td>
            <td className="nhsuk-table__cell">
              <span className="nhsuk-table-responsive__heading" aria-hidden="true">Recommendation </span>
              <div className="beacon-cell">
                <ul className="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-2">
                  {p.assessment.recommendations.map((rec) => (
                    <li key={rec.code}>{rec.message}</li>
                  ))}
                </ul>
                {canRecord ? (
                  <Link to={matHref(`/mat/supervised/review/${encodeURIComponent(p.person_id)}`, { month })}>
                    Record a review<span className="nhsuk-u-visually-hidden"> for {p.person_id}</span>
                  </Link>
                ) : null}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Answer = 'yes' | 'no' | 'unanswered';

/** Record a supervised-consumption review for one person (the configured questionnaire). */
export function MatScReviewPage({ user, personId }: { user: User; personId: string }) {
  usePageTitle(`Supervised consumption review: ${personId}`);
  const id = useId();
  const queryClient = useQueryClient();
  const search = useSearchParams();
  const month = search.get('month');
  const questionnaire = useQuery({ queryKey: ['mat', 'sc-questionnaire'], queryFn: ({ signal }) => api.get<Questionnaire>('/api/mat/sc-questionnaire', { signal }), retry: false });
  const today = new Date().toISOString().slice(0, 10);
  const [date, setDate] = useState(today);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [decision, setDecision] = useState('');
  const [rationale, setRationale] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const save = useMutation({
    mutationFn: (body: unknown) => api.post<{ review_id: string }>('/api/mat/sc-reviews', body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['mat'] });
      navigate(matHref('/mat/supervised', { month, recorded: personId }));
    },
    onError: (err) => {
      if (err instanceof ApiError && err.problem.errors?.length) {
        setErrors(err.problem.errors.map((e) => ({ href: e.field ? `#${id}-${e.field.replace(/^answers\./, 'answer-')}` : undefined, text: e.message })));
      } else setErrors([{ text: err instanceof Error ? err.message : 'The review could not be recorded' }]);
    },
  });

  if (!can(user, 'mat.sc_review.record')) {
    return (
      <>
        <h1>Supervised consumption review</h1>
        <InsetText>
          <p>Your role does not allow recording supervised consumption reviews.</p>
        </InsetText>
      </>
    );
  }
  const items = questionnaire.data?.items ?? [];
  const fieldError = (field: string) => errors.find((e) => e.href === `#${id}-${field}`)?.text;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: ErrorItem[] = [];
    for (const item of items) if (!answers[item.id]) problems.push({ href: `#${id}-answer-${item.id}`, text: `Answer "${item.label}": yes, no or not answered` });
    if (!decision) problems.push({ href: `#${id}-decision`, text: 'Choose the decision' });
    if (!rationale.trim()) problems.push({ href: `#${id}-rationale`, text: 'Give the rationale for the decision' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.push({ href: `#${id}-date`, text: 'Enter the review date as YYYY-MM-DD' });
    if (next && !/^\d{4}-\d{2}-\d{2}$/.test(next)) problems.push({ href: `#${id}-next_review_date`, text: 'Enter the next review date as YYYY-MM-DD' });
    setErrors(problems);
    if (problems.length) return;
    save.mutate({
      person_id: personId,
      date,
      answers: Object.fromEntries(items.map((i) => [i.id, answers[i.id] === 'yes' ? true : answers[i.id] === 'no' ? false : null])),
      decision,
      rationale,
      next_review_date: next || null,
    });
  };

  return (
    <>
      <Link className="nhsuk-back-link" to={matHref('/mat/supervised', { month })}>
        Back to supervised consumption
      </Link>
      <h1>
        <span className="nhsuk-caption-l">{personId}</span>
        Supervised consumption review
      </h1>
      {errors.length ? <ErrorSummaryBox title="There is a problem" items={errors} /> : null}
      {questionnaire.isPending ? <Loading>Loading the questionnaire…</Loading> : null}
      {questionnaire.error ? <SectionProblem error={questionnaire.error} what="the questionnaire" /> : null}
      {questionnaire.data ? (
        <form onSubmit={submit} noValidate data-testid="sc-review-form">
          <div className={`nhsuk-form-group${fieldError('date') ? ' nhsuk-form-group--error' : ''}`}>
            <label className="nhsuk-label nhsuk-label--s" htmlFor={`${id}-date`}>
              Date of the review
            </label>
            <div className="nhsuk-hint" id={`${id}-date-hint`}>
              The day the review took place
            </div>
            {fieldError('date') ? <span className="nhsuk-error-message">{fieldError('date')}</span> : null}
            <input className="nhsuk-input nhsuk-input--width-10" id={`${id}-date`} name="date" type="date" value={date} max={today} aria-describedby={`${id}-date-hint`} onChange={(e) => setDate(e.target.value)} />
          </div>
          {items.map((item) => (
            <div className={`nhsuk-form-group${fieldError(`answer-${item.id}`) ? ' nhsuk-form-group--error' : ''}`} key={item.id}>
              <fieldset className="nhsuk-fieldset" id={`${id}-answer-${item.id}`}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{item.label}</legend>
                {fieldError(`answer-${item.id}`) ? <span className="nhsuk-error-message">{fieldError(`answer-${item.id}`)}</span> : null}
                <div className="nhsuk-radios nhsuk-radios--inline">
                  {(['yes', 'no', 'unanswered'] as const).map((a) => (
                    <div className="nhsuk-radios__item" key={a}>
                      <input
                        className="nhsuk-radios__input"
                        id={`${id}-answer-${item.id}-${a}`}
                        name={`answer-${item.id}`}
                        type="radio"
                        value={a}
                        checked={answers[item.id] === a}
                        onChange={() => setAnswers((prev) => ({ ...prev, [item.id]: a }))}
                      />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-answer-${item.id}-${a}`}>
                        {a === 'yes' ? 'Yes' : a === 'no' ? 'No' : 'Not answered'}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
          ))}
          <div className={`nhsuk-form-group${fieldError('decision') ? ' nhsuk-form-group--error' : ''}`}>
            <fieldset className="nhsuk-fieldset" id={`${id}-decision`}>
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Clinician decision</legend>
              {fieldError('decision') ? <span className="nhsuk-error-message">{fieldError('decision')}</span> : null}
              <div className="nhsuk-radios">
                {questionnaire.data.decisions.map((d) => (
                  <div className="nhsuk-radios__item" key={d}>
                    <input className="nhsuk-radios__input" id={`${id}-decision-${d}`} name="decision" type="radio" value={d} checked={decision === d} onChange={() => setDecision(d)} />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-decision-${d}`}>
                      {DECISION_LABELS[d] ?? d}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <TextArea id={`${id}-rationale`} label="Rationale" value={rationale} onChange={setRationale} error={fieldError('rationale')} maxLength={2000} />
          <div className={`nhsuk-form-group${fieldError('next_review_date') ? ' nhsuk-form-group--error' : ''}`}>
            <label className="nhsuk-label nhsuk-label--s" htmlFor={`${id}-next_review_date`}>
              Next review date (optional)
            </label>
            {fieldError('next_review_date') ? <span className="nhsuk-error-message">{fieldError('next_review_date')}</span> : null}
            <input className="nhsuk-input nhsuk-input--width-10" id={`${id}-next_review_date`} name="next_review_date" type="date" value={next} min={date} onChange={(e) => setNext(e.target.value)} />
          </div>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Recording…' : 'Record the review'}
          </Button>
        </form>
      ) : null}
    </>
  );
}
