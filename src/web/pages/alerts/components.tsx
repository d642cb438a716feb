import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { Link, useLocation } from '../../router/router';
import type { AlertKind, Delivery, DeliveryStatus, Tier, TierCopy, VersionStatus } from './api';

export const KIND_LABELS: Record<AlertKind, string> = { formal_alert: 'Formal alert', information_share: 'Information share' };
export const TIER_LABELS: Record<Tier, string> = { panel: 'Panel (full)', partners: 'Partners and PIN (redacted)', public: 'Public bulletin' };
export const STATUS_LABELS: Record<VersionStatus, string> = {
  draft: 'Draft',
  awaiting_approval: 'Awaiting approval',
  approved: 'Approved',
  issued: 'Issued',
  superseded: 'Superseded',
};
const STATUS_COLOURS: Record<VersionStatus, string> = {
  draft: 'nhsuk-tag--grey',
  awaiting_approval: 'nhsuk-tag--yellow',
  approved: 'nhsuk-tag--blue',
  issued: 'nhsuk-tag--green',
  superseded: 'nhsuk-tag--white',
};
export const DELIVERY_LABELS: Record<DeliveryStatus, string> = { pending: 'Waiting to send', sent: 'Sent', retrying: 'Failed, will retry', failed: 'Failed' };
const DELIVERY_COLOURS: Record<DeliveryStatus, string> = { pending: 'nhsuk-tag--grey', sent: 'nhsuk-tag--green', retrying: 'nhsuk-tag--orange', failed: 'nhsuk-tag--red' };

export function can(user: User, action: string): boolean {
  return user.permissions?.includes(action) ?? false;
}

/** Panel roles see full copies; PIN members and commissioners the shared copies only. */
export function isPanel(user: User): boolean {
  return can(user, 'alerts.read');
}

export function VersionTag({ status }: { status: VersionStatus }) {
  return <strong className={`nhsuk-tag ${STATUS_COLOURS[status]}`}>{STATUS_LABELS[status]}</strong>;
}

export function DeliveryTag({ status }: { status: DeliveryStatus }) {
  return <strong className={`nhsuk-tag ${DELIVERY_COLOURS[status]}`}>{DELIVERY_LABELS[status]}</strong>;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2024-05-10…" → "10 May 2024". */
export function dayLabel(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? ''} ${m[1]}` : iso;
}

/** "10 May 2024, 14:05" (UTC). */
export function timeLabel(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${dayLabel(iso)}, ${m[1]}:${m[2]}` : dayLabel(iso);
}

/** The sub-navigation of the alerts area (only what the role may use). */
export function AlertsNav({ user }: { user: User }) {
  const { pathname } = useLocation();
  const items: Array<[string, string, boolean]> = [
    ['/alerts', 'Alerts', true],
    ['/alerts/new', 'Draft an alert', can(user, 'alerts.draft')],
    ['/alerts/pin-reports', 'PIN reports', can(user, 'alerts.pin_reports')],
    ['/alerts/distribution', 'Distribution', can(user, 'alerts.deliveries')],
  ];
  return (
    <nav className="beacon-alerts-nav" aria-label="Alerts">
      <ul className="beacon-alerts-nav__list">
        {items
          .filter(([, , ok]) => ok)
          .map(([to, label]) => (
            <li key={to} className="beacon-alerts-nav__item">
              <Link to={to} aria-current={pathname === to ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** One audience tier's copy of an alert, as its readers will see it. */
export function TierCopyView({ copy, headingLevel = 3, idPrefix }: { copy: TierCopy; headingLevel?: 2 | 3; idPrefix: string }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section className="beacon-alerts-copy" aria-labelledby={`${idPrefix}-title`} data-testid={`copy-${copy.tier}`}>
      <H id={`${idPrefix}-title`} className="beacon-alerts-copy__title">
        {copy.title}
      </H>
      {copy.sections.map((s) => (
        <div key={s.key}>
          <Sub className="nhsuk-heading-xs nhsuk-u-margin-bottom-1">{s.heading}</Sub>
          <p className="beacon-alerts-text">{s.text}</p>
        </div>
      ))}
      {copy.figures.length > 0 ? (
        <div className="beacon-table-scroll" role="region" aria-labelledby={`${idPrefix}-figures`} tabIndex={0}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={`${idPrefix}-figures`}>
              Figures
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">
                  Figure
                </th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">
                  Count
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {copy.figures.map((f, i) => (
                <tr className="nhsuk-table__row" key={i}>
                  <th scope="row" className="nhsuk-table__cell">
                    {f.label}
                  </th>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{f.display}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {copy.actions.length > 0 ? (
        <>
          <Sub className="nhsuk-heading-xs nhsuk-u-margin-bottom-1">Actions by agency</Sub>
          {copy.actions.map((a) => (
            <div key={a.agency}>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                <strong>{a.agency}</strong>
              </p>
              <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
                {a.actions.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            </div>
          ))}
        </>
      ) : null}
      {copy.notes.map((n, i) => (
        <p key={i} className="nhsuk-body-s nhsuk-u-secondary-text-colour">
          {n}
        </p>
      ))}
    </section>
  );
}

/** Who received which version of what, when, and what failed. */
export function DeliveryTable({ deliveries, caption, showItem = false }: { deliveries: readonly Delivery[]; caption: string; showItem?: boolean }) {
  const id = `deliveries-${caption.replace(/\W+/g, '-').toLowerCase()}`;
  if (deliveries.length === 0) return <p className="nhsuk-body">Nothing has been sent yet.</p>;
  return (
    <div className="beacon-table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="nhsuk-table" data-testid="delivery-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={id}>
          {caption}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            {showItem ? (
              <th scope="col" className="nhsuk-table__header">
                What
              </th>
            ) : null}
            <th scope="col" className="nhsuk-table__header">
              Recipient
            </th>
            <th scope="col" className="nhsuk-table__header">
              Copy
            </th>
            <th scope="col" className="nhsuk-table__header">
              Status
            </th>
            <th scope="col" className="nhsuk-table__header">
              When
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {deliveries.map((d) => (
            <tr className="nhsuk-table__row" key={d.id}>
              {showItem ? (
                <td className="nhsuk-table__cell">
                  {d.itemType === 'alert' ? (
                    <>
                      <Link to={`/alerts/${d.itemId}`}>Alert {d.itemId}</Link>, version {d.version}
                    </>
                  ) : d.itemType === 'pin_report' ? (
                    <>
                      <Link to={`/alerts/pin-reports/${d.itemId}`}>PIN report {d.itemId}</Link>, version {d.version}
                    </>
                  ) : (
                    <Link to="/early-warning">Early-warning notification {d.itemId}</Link>
                  )}
                </td>
              ) : null}
              <td className="nhsuk-table__cell beacon-alerts-wrap">
                {d.name ? `${d.name} ` : ''}
                <span className="nhsuk-u-secondary-text-colour">{d.email}</span>
                {d.listName ? <span className="nhsuk-body-s nhsuk-u-secondary-text-colour"> ({d.listName})</span> : null}
              </td>
              <td className="nhsuk-table__cell">
                {TIER_LABELS[d.tier]}
                {showItem ? null : `, version ${d.version}`}
              </td>
              <td className="nhsuk-table__cell">
                <DeliveryTag status={d.status} />
                {d.lastError ? <span className="nhsuk-body-s beacon-alerts-wrap"> {d.lastError}</span> : null}
                {d.attempts > 1 || d.status !== 'sent' ? <span className="nhsuk-body-s"> ({d.attempts} attempt{d.attempts === 1 ? '' : 's'})</span> : null}
              </td>
              <td className="nhsuk-table__cell">
                {d.status === 'sent' ? `Sent ${timeLabel(d.sentAt)}` : d.nextAttemptAt && d.status !== 'failed' ? `Next try ${timeLabel(d.nextAttemptAt)}` : timeLabel(d.createdAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PageHeading({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <h1>
      <span className="nhsuk-caption-l">{caption}</span>
      {children}
    </h1>
  );
}

