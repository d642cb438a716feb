import { BackLink, Button, Radios, Tag, Textarea, WarningCallout } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { ErrorSummaryBox, ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { dateTime, useEmergencyStatus, useGrants, useOpenInEmergency, useReview, type Grant } from './api';

/**
 * Break-the-glass: opening the record of someone outside your service in an emergency.
 * The reason is required; the access lasts an hour, is audited and goes to the Caldicott
 * guardian for review. (The person page links here when the API says it is available.)
 */
export function EmergencyAccessPage({ personId }: { personId: string }) {
  usePageTitle('Emergency access to a record');
  const status = useEmergencyStatus(personId);
  const open = useOpenInEmergency(personId);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const recordPath = `/people/${encodeURIComponent(personId)}`;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.trim().length < 10) {
      setError('Give the reason for opening this record, in at least 10 characters');
      return;
    }
    setError(null);
    open.mutate(reason.trim(), { onSuccess: () => navigate(recordPath) });
  };

  if (status.isPending) return <Loading>Checking your access…</Loading>;
  if (status.error) {
    if (status.error instanceof ApiError && status.error.status === 404) {
      return (
        <>
          <h1>Record not found</h1>
          <p>There is no record with this id, or it is not one you can ask for.</p>
        </>
      );
    }
    return <SectionProblem error={status.error} what="emergency access" />;
  }
  const s = status.data;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink asElement={Link} to="/">
          Home
        </BackLink>
        {error ? <ErrorSummaryBox title="There is a problem" items={[{ href: '#reason', text: error }]} /> : null}
        {open.error ? <ProblemSummary error={open.error} fieldIds={{ reason: 'reason' }} /> : null}
        <h1>Emergency access to a record</h1>
        {s.access === 'scope' ? (
          <p>
            This record is in your scope. <Link to={recordPath}>Open the record</Link>.
          </p>
        ) : s.access === 'break_glass' ? (
          <p>
            You have emergency access to this record until {s.expiresAt ? dateTime(s.expiresAt) : 'it expires'}. <Link to={recordPath}>Open the record</Link>.
          </p>
        ) : (
          <>
            <p>This person is not on the caseload of your service. You can open their record only in an emergency, when you need it to keep them safe.</p>
            <WarningCallout>
              <WarningCallout.Heading>Your access will be reviewed</WarningCallout.Heading>
              <p>
                Beacon records that you opened this record, when and why. The Caldicott guardian reviews every emergency access. Access lasts {s.minutes} minutes.
              </p>
            </WarningCallout>
            <form noValidate onSubmit={submit} aria-label="Open the record in an emergency">
              <Textarea
                id="reason"
                name="reason"
                label="Why do you need to open this record now?"
                labelProps={{ size: 's' }}
                hint="For example: found unresponsive in our reception; the paramedics need their current prescription."
                rows={4}
                maxLength={2000}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                error={error ?? undefined}
              />
              <Button type="submit" warning disabled={open.isPending}>
                {open.isPending ? 'Opening…' : 'Open the record in an emergency'}
              </Button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}

function ReviewForm({ grant }: { grant: Grant }) {
  const review = useReview();
  const [outcome, setOutcome] = useState<'appropriate' | 'inappropriate' | ''>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ outcome?: string; note?: string }>({});
  const prefix = `grant-${grant.id}`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e: { outcome?: string; note?: string } = {};
    if (!outcome) e.outcome = 'Choose whether the access was appropriate';
    if (outcome === 'inappropriate' && !note.trim()) e.note = 'Say what was wrong and what will be done';
    setErrors(e);
    if (e.outcome || e.note || !outcome) return;
    review.mutate({ id: grant.id, outcome, note: note.trim() });
  };
  return (
    <form noValidate onSubmit={submit} aria-label={`Review emergency access ${grant.id}`}>
      {errors.outcome || errors.note ? (
        <ErrorSummaryBox
          title="There is a problem"
          items={[...(errors.outcome ? [{ href: `#${prefix}-outcome`, text: errors.outcome }] : []), ...(errors.note ? [{ href: `#${prefix}-note`, text: errors.note }] : [])]}
        />
      ) : null}
      {review.error ? <ProblemSummary error={review.error} /> : null}
      <Radios id={`${prefix}-outcome`} name={`${prefix}-outcome`} legend="Outcome of your review" legendProps={{ size: 's' }} error={errors.outcome} inline>
        <Radios.Item value="appropriate" checked={outcome === 'appropriate'} onChange={() => setOutcome('appropriate')}>
          Appropriate
        </Radios.Item>
        <Radios.Item value="inappropriate" checked={outcome === 'inappropriate'} onChange={() => setOutcome('inappropriate')}>
          Not appropriate
        </Radios.Item>
      </Radios>
      <Textarea id={`${prefix}-note`} label="Note (required when not appropriate)" labelProps={{ size: 's' }} rows={2} maxLength={2000} value={note} onChange={(ev) => setNote(ev.currentTarget.value)} error={errors.note} />
      <Button type="submit" secondary disabled={review.isPending}>
        Record the outcome
      </Button>
    </form>
  );
}

function GrantCard({ grant, reviewable }: { grant: Grant; reviewable: boolean }) {
  return (
    <div className="nhsuk-card" data-testid="break-glass-grant">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">
          {grant.username} ({grant.role}) opened person {grant.person_id}{' '}
          {grant.review_status === 'pending' ? <Tag color="orange">To review</Tag> : grant.review_status === 'appropriate' ? <Tag color="green">Appropriate</Tag> : <Tag color="red">Not appropriate</Tag>}
        </h3>
        <dl className="nhsuk-summary-list">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">When</dt>
            <dd className="nhsuk-summary-list__value">
              {dateTime(grant.granted_at)} (until {dateTime(grant.expires_at)})
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Service of the record</dt>
            <dd className="nhsuk-summary-list__value">{grant.service_id}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Reason given</dt>
            <dd className="nhsuk-summary-list__value">{grant.reason}</dd>
          </div>
          {grant.reviewed_at ? (
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Review</dt>
              <dd className="nhsuk-summary-list__value">
                {grant.reviewed_by}, {dateTime(grant.reviewed_at)}
                {grant.review_note ? `: ${grant.review_note}` : ''}
              </dd>
            </div>
          ) : null}
        </dl>
        <p>
          <Link to={`/admin/audit?resourceType=person&resourceId=${encodeURIComponent(grant.person_id)}`}>What was seen (audit log)</Link>
        </p>
        {reviewable ? <ReviewForm grant={grant} /> : null}
      </div>
    </div>
  );
}

/** The Caldicott guardian's queue of emergency accesses to review, and those already reviewed. */
export function BreakGlassReviewPage() {
  usePageTitle('Emergency access reviews');
  const pending = useGrants('pending');
  const reviewed = useGrants('reviewed');
  return (
    <>
      <BackLink asElement={Link} to="/admin">
        Administration
      </BackLink>
      <h1>Emergency access reviews</h1>
      <p className="nhsuk-lede-text">Records opened “breaking the glass”: by someone without a care relationship, in an emergency, with a reason.</p>
      <h2>To review</h2>
      {pending.isPending ? <Loading>Loading…</Loading> : null}
      {pending.error ? <SectionProblem error={pending.error} what="emergency access reviews" /> : null}
      {pending.data && pending.data.grants.length === 0 ? <p data-testid="no-pending">There is nothing to review.</p> : null}
      {pending.data?.grants.map((g) => <GrantCard key={g.id} grant={g} reviewable />)}
      <h2>Reviewed</h2>
      {reviewed.data && reviewed.data.grants.length === 0 ? <p>None yet.</p> : null}
      {reviewed.data?.grants.map((g) => <GrantCard key={g.id} grant={g} reviewable={false} />)}
    </>
  );
}
