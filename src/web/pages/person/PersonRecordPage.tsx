import { BackLink } from 'nhsuk-react-components';
import { useId } from 'react';
import { ApiError } from '../../api/client';
import type { User } from '../../api/types';
import { ProblemSummary } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link, navigate } from '../../router/router';
import { usePersonRecord, type CareAction, type Flag, type PersonRecord, type Recommended } from './api';
import { DoseChart } from './DoseChart';
import { ActionStatusControls, CaptureForm, CareActionForm } from './forms';
import {
  dateLabel,
  eventTypeName,
  flagLabel,
  MARKER_INFO,
  medicationName,
  orDash,
  STAGE_LABELS,
  STATUS_LABELS,
  substanceName,
  TIER_LABELS,
  TIER_TAGS,
  yesNo,
} from './labels';

const can = (user: User, action: string): boolean => user.permissions?.includes(action) ?? false;

const HOUSING: Record<string, string> = { settled: 'Settled', unsettled: 'Unsettled', nfa: 'No fixed abode', street: 'Street homeless', hmo: 'House in multiple occupation' };
const INJECTING: Record<string, string> = { C: 'Current', P: 'Previous', N: 'Never', Z: 'Not known' };
const SEX: Record<string, string> = { M: 'Male', F: 'Female', X: 'Other', U: 'Not known' };
const COHORT: Record<string, string> = { red: 'Red', amber: 'Amber', green: 'Green', grey: 'Grey' };
const BAND: Record<string, string> = { below: 'below the Orange Guidelines', at_or_above: 'at or above the Orange Guidelines', 'n/a': 'no Orange Guidelines band' };

function Identity({ r }: { r: PersonRecord }) {
  const p = r.person;
  const rows: [string, string][] = [
    ['Person ID', p.person_id],
    ['Service', p.service_name ? `${p.service_name} (${p.service_id})` : p.service_id],
    [p.masked.includes('date_of_birth') ? 'Year of birth' : 'Date of birth', p.masked.includes('date_of_birth') ? p.date_of_birth : dateLabel(p.date_of_birth)],
    ['Sex', SEX[p.sex] ?? p.sex],
    ['NHS number', orDash(p.nhs_number)],
    [p.masked.includes('postcode') ? 'Postcode district' : 'Postcode', orDash(p.postcode)],
    ['Housing', p.housing ? (HOUSING[p.housing] ?? p.housing) : '–'],
    ['Injecting', p.injecting_status ? (INJECTING[p.injecting_status] ?? p.injecting_status) : '–'],
    ['Lives alone', yesNo(p.lives_alone)],
  ];
  return (
    <dl className="nhsuk-summary-list beacon-person-identity">
      {rows.map(([k, v]) => (
        <div className="nhsuk-summary-list__row" key={k}>
          <dt className="nhsuk-summary-list__key">{k}</dt>
          <dd className="nhsuk-summary-list__value">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Tier({ tier }: { tier: PersonRecord['profile']['tier'] }) {
  return <strong className={`nhsuk-tag ${TIER_TAGS[tier]}`}>{TIER_LABELS[tier]} risk</strong>;
}

function EvidenceTable({ flag }: { flag: Flag }) {
  if (flag.evidence.length === 0) return null;
  return (
    <div className="beacon-table-scroll" role="region" aria-label={`Evidence: ${flagLabel(flag.code)}`} tabIndex={0}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Evidence</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Record</th>
            <th scope="col" className="nhsuk-table__header">Date</th>
            <th scope="col" className="nhsuk-table__header">What it says</th>
            <th scope="col" className="nhsuk-table__header">Source</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {flag.evidence.map((e) => (
            <tr className="nhsuk-table__row" key={`${e.kind}-${e.id}-${e.detail}`}>
              <td className="nhsuk-table__cell">
                {e.kind.replaceAll('_', ' ')} <span className="beacon-person-id">{e.id}</span>
              </td>
              <td className="nhsuk-table__cell beacon-nowrap">{e.date ? dateLabel(e.date) : 'Current record'}</td>
              <td className="nhsuk-table__cell">{e.detail}</td>
              <td className="nhsuk-table__cell">{e.source === 'beacon' ? `Recorded on Beacon by ${e.captured_by ?? 'staff'}` : 'Case-management import'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ActionsList({ actions }: { actions: readonly CareAction[] }) {
  if (actions.length === 0) return <p className="nhsuk-body-s">No care-plan action recorded for this flag yet.</p>;
  return (
    <ul className="nhsuk-list beacon-person-actions">
      {actions.map((a) => (
        <li key={a.id}>
          <strong className={`nhsuk-tag ${a.status === 'planned' ? 'nhsuk-tag--blue' : a.status === 'done' ? 'nhsuk-tag--green' : 'nhsuk-tag--grey'}`}>{STATUS_LABELS[a.status]}</strong> {a.text}
          {a.due_date ? ` – due ${dateLabel(a.due_date)}` : ''}
          {a.declined_reason ? ` – declined: ${a.declined_reason}` : ''}
        </li>
      ))}
    </ul>
  );
}

function FlagCard({ flag, recommended, actions, personId, canWrite }: { flag: Flag; recommended: readonly Recommended[]; actions: readonly CareAction[]; personId: string; canWrite: boolean }) {
  const headingId = useId();
  return (
    <section className={`nhsuk-card beacon-person-flag${flag.critical ? ' beacon-person-flag--critical' : ''}`} aria-labelledby={headingId} data-flag={flag.code}>
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s" id={headingId}>
          {flagLabel(flag.code)}{' '}
          {flag.critical ? <strong className="nhsuk-tag nhsuk-tag--red">Critical</strong> : null}{' '}
          {flag.new ? <strong className="nhsuk-tag nhsuk-tag--yellow">New this week</strong> : null}{' '}
          {!flag.counted ? <strong className="nhsuk-tag nhsuk-tag--grey">Gap in protection (not counted)</strong> : null}
        </h3>
        <p className="nhsuk-body-s">
          {flag.reason} <span className="nhsuk-u-secondary-text-colour">(flag code {flag.code})</span>
        </p>
        <EvidenceTable flag={flag} />
        <h4 className="nhsuk-heading-xs">What to do</h4>
        <ul className="nhsuk-list nhsuk-list--bullet beacon-person-recommended">
          {recommended.map((r) => (
            <li key={r.id}>
              {r.text} <span className="nhsuk-body-s nhsuk-u-secondary-text-colour">({r.owner}; source: {r.sources.join('; ')})</span>
            </li>
          ))}
        </ul>
        <h4 className="nhsuk-heading-xs">Care plan for this flag</h4>
        <ActionsList actions={actions} />
        {canWrite ? (
          <details className="nhsuk-details">
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">
                Record an action<span className="nhsuk-u-visually-hidden"> for {flagLabel(flag.code)}</span>
              </span>
            </summary>
            <div className="nhsuk-details__text">
              <CareActionForm personId={personId} flag={flag.code} recommended={recommended} />
            </div>
          </details>
        ) : null}
      </div>
    </section>
  );
}

function RiskProfile({ r, user }: { r: PersonRecord; user: User }) {
  const p = r.profile;
  const canWrite = can(user, 'person.actions.write');
  return (
    <section aria-labelledby="risk-heading" className="beacon-person-section">
      <h2 id="risk-heading">Overdose risk profile</h2>
      <p className="nhsuk-body-l">
        <Tier tier={p.tier} /> <span className="beacon-person-rule">{p.rule.text}</span>
      </p>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">How the tier is decided</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>The rules are checked in this order; the first that matches decides. There is no hidden score.</p>
          <ol className="nhsuk-list nhsuk-list--number">
            {p.rules.map((rule) => (
              <li key={rule.id}>
                {rule.text} {rule.id === p.rule.id ? <strong>(this rule applies)</strong> : null}
              </li>
            ))}
          </ol>
        </div>
      </details>
      {p.flags.length === 0 ? <p>No risk flags are raised on {dateLabel(r.date)}.</p> : null}
      {p.flags.map((f) => (
        <FlagCard
          key={f.code}
          flag={f}
          personId={r.person.person_id}
          canWrite={canWrite}
          recommended={p.actions.find((a) => a.flag === f.code)?.actions ?? []}
          actions={r.care_actions.filter((a) => a.flag === f.code)}
        />
      ))}
    </section>
  );
}

function CarePlan({ r, user }: { r: PersonRecord; user: User }) {
  const canWrite = can(user, 'person.actions.write');
  const open = r.care_actions.filter((a) => a.status === 'planned');
  return (
    <section aria-labelledby="plan-heading" className="beacon-person-section">
      <h2 id="plan-heading">Care plan actions</h2>
      <p>
        {open.length === 0 ? 'No open actions.' : `${open.length} open action${open.length === 1 ? '' : 's'}.`} Record a new action from a flag above.
      </p>
      {r.care_actions.length > 0 ? (
        <div className="beacon-table-scroll" role="region" aria-label="Care plan actions table" tabIndex={0}>
          <table className="nhsuk-table" data-testid="care-plan">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Every action, open first</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Flag</th>
                <th scope="col" className="nhsuk-table__header">Action</th>
                <th scope="col" className="nhsuk-table__header">Status</th>
                <th scope="col" className="nhsuk-table__header">Due</th>
                <th scope="col" className="nhsuk-table__header">Owner</th>
                <th scope="col" className="nhsuk-table__header">Recorded</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {r.care_actions.map((a) => {
                const overdue = a.status === 'planned' && a.due_date !== null && a.due_date < r.date;
                return (
                  <tr className="nhsuk-table__row" key={a.id}>
                    <td className="nhsuk-table__cell">{flagLabel(a.flag)}</td>
                    <td className="nhsuk-table__cell">
                      {a.text}
                      {a.declined_reason ? <p className="nhsuk-body-s">Declined because: {a.declined_reason}</p> : null}
                      {canWrite ? <ActionStatusControls personId={r.person.person_id} action={a} /> : null}
                    </td>
                    <td className="nhsuk-table__cell">
                      {STATUS_LABELS[a.status]}
                      {overdue ? (
                        <>
                          {' '}
                          <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>
                        </>
                      ) : null}
                    </td>
                    <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(a.due_date)}</td>
                    <td className="nhsuk-table__cell">{orDash(a.owner)}</td>
                    <td className="nhsuk-table__cell">
                      {a.updated_by}, {dateLabel(a.updated_at)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function Mat({ r }: { r: PersonRecord }) {
  const m = r.mat;
  return (
    <section aria-labelledby="mat-heading" className="beacon-person-section">
      <h2 id="mat-heading">Medication-assisted treatment</h2>
      {m.in_mat && m.stage ? (
        <>
          <p className="nhsuk-body-l">
            {STAGE_LABELS[m.stage]}
            {m.cohort ? `, ${COHORT[m.cohort]} cohort` : ''}
          </p>
          <p>
            {medicationName(m.medication)} {m.dose_mg === null ? '' : `${m.dose_mg} mg`}
            {m.og_band ? ` (${BAND[m.og_band]})` : ''}
            {m.regime ? `, ${m.regime}` : ''}
            {m.supervised ? ', supervised' : ''}
            {m.high_dose ? '. High dose: review (ECG/QTc).' : '.'}
          </p>
        </>
      ) : (
        <p>Not in MAT on {dateLabel(r.date)}.</p>
      )}
      {m.reasons.length > 0 ? (
        <>
          <h3 className="nhsuk-heading-xs">Why</h3>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {m.reasons.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="nhsuk-heading-xs">What is due</h3>
      <ul className="nhsuk-list nhsuk-list--bullet">
        <li>
          TOP: {r.reviews.topOverdue ? <strong>overdue</strong> : 'up to date'}
          {r.reviews.topDueDate ? ` (next due ${dateLabel(r.reviews.topDueDate)})` : ' (no TOP on record)'}
        </li>
        {r.mat.in_mat ? <li>TOP or drug test every 3 months: {r.reviews.testOverdue ? <strong>overdue</strong> : 'up to date'} (last {dateLabel(r.reviews.lastEvidenceDate)})</li> : null}
      </ul>
    </section>
  );
}

function Advisories({ r }: { r: PersonRecord }) {
  if (r.advisories.length === 0) return null;
  return (
    <div className="nhsuk-warning-callout">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Dose safety advisories
        </span>
      </h2>
      <ul className="nhsuk-list nhsuk-list--bullet">
        {r.advisories.map((a) => (
          <li key={`${a.code}-${a.prescription_id}-${a.date}`}>
            {dateLabel(a.date)}: {a.message} <span className="beacon-person-id">({a.prescription_id})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function History({ r }: { r: PersonRecord }) {
  const tableId = useId();
  const rx = [...r.prescriptions].sort((a, b) => (a.start_date < b.start_date ? 1 : -1));
  const events = [...r.markers].reverse();
  return (
    <section aria-labelledby="rx-heading" className="beacon-person-section">
      <h2 id="rx-heading">Prescription history</h2>
      <div className="beacon-person-chart-layout">
        <DoseChart prescriptions={r.prescriptions} markers={r.markers} asOf={r.date} tableId={tableId} />
        <div id={tableId} className="beacon-person-chart-tables">
          <div className="beacon-table-scroll beacon-person-tall" role="region" aria-label="Prescriptions table" tabIndex={0}>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Prescriptions, latest first</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">From</th>
                  <th scope="col" className="nhsuk-table__header">To</th>
                  <th scope="col" className="nhsuk-table__header">Medicine</th>
                  <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">mg</th>
                  <th scope="col" className="nhsuk-table__header">Supervised</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {rx.map((p) => (
                  <tr className="nhsuk-table__row" key={p.prescription_id}>
                    <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(p.start_date)}</td>
                    <td className="nhsuk-table__cell beacon-nowrap">{p.end_date ? dateLabel(p.end_date) : 'Ongoing'}</td>
                    <td className="nhsuk-table__cell">
                      {medicationName(p.medication)}
                      {p.reduction_plan ? ' (reduction plan)' : ''}
                    </td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{orDash(p.dose_mg)}</td>
                    <td className="nhsuk-table__cell">{yesNo(p.supervised)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="beacon-table-scroll beacon-person-tall" role="region" aria-label="Events table" tabIndex={0}>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Events marked on the chart, latest first</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Date</th>
                  <th scope="col" className="nhsuk-table__header">Event</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {events.map((m) => (
                  <tr className="nhsuk-table__row" key={`${m.kind}-${m.id}`}>
                    <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(m.date)}</td>
                    <td className="nhsuk-table__cell">
                      <span className="nhsuk-u-visually-hidden">{MARKER_INFO[m.kind].label}: </span>
                      {m.label}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </section>
  );
}

function TopTracker({ r }: { r: PersonRecord }) {
  const tops = [...r.tops].reverse();
  const n = (v: number | null | undefined) => orDash(v);
  return (
    <section aria-labelledby="top-heading" className="beacon-person-section">
      <h2 id="top-heading">TOP tracker</h2>
      {tops.length === 0 ? (
        <p>No Treatment Outcomes Profile on record.</p>
      ) : (
        <div className="beacon-table-scroll" role="region" aria-label="TOP tracker table" tabIndex={0}>
          <table className="nhsuk-table beacon-person-top">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Treatment Outcomes Profiles, latest first (days are of the last 28; scores 0–20)</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Date</th>
                <th scope="col" className="nhsuk-table__header">Stage</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Opiates</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Crack</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Cocaine</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Alcohol days</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Units/day</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Injecting</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Psych. health</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Phys. health</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Quality of life</th>
                <th scope="col" className="nhsuk-table__header">Housing problem</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Paid work days</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {tops.map((t) => (
                <tr className="nhsuk-table__row" key={t.top_id}>
                  <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(t.date)}</td>
                  <td className="nhsuk-table__cell">{orDash(t.stage)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.opiate_days)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.crack_days)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.cocaine_days)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.alcohol_days)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.alcohol_units)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.injecting_days)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.psych_health)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.phys_health)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.quality_of_life)}</td>
                  <td className="nhsuk-table__cell">
                    {yesNo(t.acute_housing)}
                    {t.eviction_risk ? ' (eviction risk)' : ''}
                  </td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{n(t.paid_work_days)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Records({ r }: { r: PersonRecord }) {
  return (
    <section aria-labelledby="records-heading" className="beacon-person-section">
      <h2 id="records-heading">Drug tests, risk events and naloxone</h2>
      <div className="beacon-table-scroll beacon-person-tall" role="region" aria-label="Drug tests table" tabIndex={0}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Drug tests, latest first</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Date</th>
              <th scope="col" className="nhsuk-table__header">Positive for</th>
              <th scope="col" className="nhsuk-table__header">Negative for</th>
              <th scope="col" className="nhsuk-table__header">Source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {[...r.drug_tests].reverse().map((t) => (
              <tr className="nhsuk-table__row" key={t.test_id}>
                <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(t.date)}</td>
                <td className="nhsuk-table__cell">{t.results.filter((x) => x.result === 'positive').map((x) => substanceName(x.substance)).join(', ') || '–'}</td>
                <td className="nhsuk-table__cell">{t.results.filter((x) => x.result === 'negative').map((x) => substanceName(x.substance)).join(', ') || '–'}</td>
                <td className="nhsuk-table__cell">{t.source === 'beacon' ? `Beacon (${t.captured_by ?? 'staff'})` : 'Import'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="beacon-table-scroll" role="region" aria-label="Risk events and naloxone table" tabIndex={0}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Risk events and naloxone supplies, latest first</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Date</th>
              <th scope="col" className="nhsuk-table__header">What</th>
              <th scope="col" className="nhsuk-table__header">Source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {[
              ...r.risk_events.map((e) => ({ key: e.event_id, date: e.date, what: `${eventTypeName(e.type)}${e.detail ? `: ${e.detail}` : ''}`, source: e.source, by: e.captured_by })),
              ...r.naloxone.map((n) => ({ key: n.supply_id, date: n.date, what: `Naloxone supplied (${n.product ?? '–'}, to ${n.recipient?.replaceAll('_', ' ') ?? 'not recorded'})`, source: n.source, by: n.captured_by })),
            ]
              .sort((a, b) => (a.date < b.date ? 1 : -1))
              .map((x) => (
                <tr className="nhsuk-table__row" key={x.key}>
                  <td className="nhsuk-table__cell beacon-nowrap">{dateLabel(x.date)}</td>
                  <td className="nhsuk-table__cell">{x.what}</td>
                  <td className="nhsuk-table__cell">{x.source === 'beacon' ? `Beacon (${x.by ?? 'staff'})` : 'Import'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Capture({ r, user }: { r: PersonRecord; user: User }) {
  if (!can(user, 'person.capture')) return null;
  const items = [
    { kind: 'risk-events', title: 'Record a risk event (an overdose they tell you about, a release or discharge)' },
    { kind: 'naloxone', title: 'Record a naloxone supply' },
    { kind: 'drug-tests', title: 'Record a drug-test result' },
  ] as const;
  return (
    <section aria-labelledby="capture-heading" className="beacon-person-section">
      <h2 id="capture-heading">Record something new</h2>
      <p>Not every risk reaches the case-management system. What you record here is checked like an import, added to this person’s records and changes the risk profile at once.</p>
      {items.map((i) => (
        <details className="nhsuk-details" key={i.kind}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">{i.title}</span>
          </summary>
          <div className="nhsuk-details__text">
            <CaptureForm personId={r.person.person_id} kind={i.kind} />
          </div>
        </details>
      ))}
    </section>
  );
}

function Episodes({ r }: { r: PersonRecord }) {
  return (
    <section aria-labelledby="episodes-heading" className="beacon-person-section">
      <h2 id="episodes-heading">Treatment episodes</h2>
      {r.episodes.length === 0 ? (
        <p>No episodes on record.</p>
      ) : (
        <div className="beacon-table-scroll" role="region" aria-label="Episodes table" tabIndex={0}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Episodes, latest first</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Started</th>
                <th scope="col" className="nhsuk-table__header">Ended</th>
                <th scope="col" className="nhsuk-table__header">Why it ended</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {[...r.episodes].reverse().map((e) => (
                <tr className="nhsuk-table__row" key={e.episode_id}>
                  <td className="nhsuk-table__cell">{dateLabel(e.start_date)}</td>
                  <td className="nhsuk-table__cell">{e.end_date ? dateLabel(e.end_date) : 'Open'}</td>
                  <td className="nhsuk-table__cell">{orDash(e.exit_reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One person's record: identity, risk profile with what to do, care plan, MAT, history, TOPs, episodes. */
export function PersonRecordPage({ personId, user }: { personId: string; user: User }) {
  const record = usePersonRecord(personId);
  usePageTitle(`Person ${personId}`);
  const back = (
    <BackLink
      href="/risk/caseload"
      onClick={(event) => {
        event.preventDefault();
        navigate('/risk/caseload');
      }}
    >
      Caseload
    </BackLink>
  );
  if (record.isPending) return <Loading>Loading the record…</Loading>;
  if (record.error) {
    const breakGlass = record.error instanceof ApiError && record.error.status === 403 && record.error.problem.extensions?.breakGlassAvailable === true;
    return (
      <>
        {back}
        <h1>Person {personId}</h1>
        {breakGlass ? (
          <>
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>This person is not in your services, so their record is closed to you. In an emergency, when you need it to keep them safe, you can open it with break-the-glass: you give a reason, your access is recorded and the Caldicott guardian reviews it.</p>
            </div>
            {can(user, 'break_glass.request') ? (
              <Link className="nhsuk-button nhsuk-button--warning" to={`/people/${encodeURIComponent(personId)}/emergency-access`} data-testid="break-glass-link">
                Emergency access (break the glass)
              </Link>
            ) : null}
          </>
        ) : (
          <ProblemSummary error={record.error} />
        )}
      </>
    );
  }
  const r = record.data;
  return (
    <>
      {back}
      <h1>
        Person {r.person.person_id} <Tier tier={r.profile.tier} />
      </h1>
      {r.via === 'break_glass' ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Opened with break-the-glass
            </span>
          </h2>
          <p>This record is outside your services. Your access is recorded and will be reviewed.</p>
        </div>
      ) : null}
      <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">Profile as of {dateLabel(r.date)}.</p>
      <Identity r={r} />
      <nav className="nhsuk-contents-list" aria-label="On this page">
        <ol className="nhsuk-contents-list__list">
          {[
            ['#risk-heading', 'Overdose risk profile'],
            ['#plan-heading', 'Care plan actions'],
            ['#mat-heading', 'Medication-assisted treatment'],
            ['#rx-heading', 'Prescription history'],
            ['#top-heading', 'TOP tracker'],
            ['#records-heading', 'Drug tests, risk events and naloxone'],
            ['#episodes-heading', 'Treatment episodes'],
          ].map(([href, text]) => (
            <li className="nhsuk-contents-list__item" key={href}>
              <a className="nhsuk-contents-list__link" href={href}>
                {text}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <Advisories r={r} />
      <RiskProfile r={r} user={user} />
      <CarePlan r={r} user={user} />
      <Capture r={r} user={user} />
      <Mat r={r} />
      <History r={r} />
      <TopTracker r={r} />
      <Records r={r} />
      <Episodes r={r} />
    </>
  );
}
