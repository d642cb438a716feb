import { Button } from 'nhsuk-react-components';
import { useId, useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { Link, navigate, useLocation, useSearchParams } from '../../router/router';
import { isMonth, lastCompleteMonth, monthLabel, monthsBack } from './labels';

/** The actions the signed-in user's role allows (from /api/auth/me). */
export function can(user: User, action: string): boolean {
  return user.permissions?.includes(action) ?? false;
}

/** Service value in the URL that means "the whole organisation". */
export const WHOLE_ORGANISATION = 'all';

export interface MatParams {
  /** From the URL; null: the latest month with data. */
  month: string | null;
  /** The service asked for; null: the whole organisation. */
  service: string | null;
  months: 12 | 24;
}

/**
 * The MAT pages' filters live in the URL so a view can be bookmarked and shared. With no
 * `service` a user scoped to one service sees that service; `service=all` is everyone.
 */
export function useMatParams(user: User): MatParams {
  const params = useSearchParams();
  const month = params.get('month');
  const service = params.get('service');
  const defaultService = user.scope.type === 'service' && user.scope.id ? user.scope.id : null;
  return {
    month: isMonth(month) ? month : null,
    service: service === WHOLE_ORGANISATION ? null : service || defaultService,
    months: params.get('months') === '24' ? 24 : 12,
  };
}

/** `/mat?month=…&service=…` with only the parameters that are set. */
export function matHref(path: string, params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Links between the MAT pages the user's role may use. */
export function MatNav({ user }: { user: User }) {
  const { pathname, search } = useLocation();
  const keep = new URLSearchParams(search);
  const carry = { month: keep.get('month'), service: keep.get('service') };
  const items = [
    { to: '/mat', text: 'Tracker and service data', show: can(user, 'mat.tracker') },
    { to: '/mat/worklists', text: 'Priority worklists', show: can(user, 'mat.worklists') },
    { to: '/mat/supervised', text: 'Supervised consumption', show: can(user, 'mat.supervised') },
  ].filter((i) => i.show);
  if (items.length < 2) return null;
  return (
    <nav className="beacon-mat-subnav" aria-label="MAT pages">
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={matHref(item.to, carry)} aria-current={pathname === item.to ? 'page' : undefined}>
              {item.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface MatFiltersProps {
  params: MatParams;
  /** The month on screen (the API's answer), for the picker's selection. */
  shownMonth: string | null;
  /** Services to choose from (ids). */
  services: readonly string[];
  /** Offer 12 or 24 months (tracker only). */
  withMonths?: boolean;
  path: string;
}

/** Month end, service (or whole organisation) and, on the tracker, 12 or 24 months. */
export function MatFilters({ params, shownMonth, services, withMonths = false, path }: MatFiltersProps) {
  const id = useId();
  const latest = lastCompleteMonth();
  const monthOptions = monthsBack(latest, 36);
  const selectedMonth = params.month ?? shownMonth ?? latest;
  if (!monthOptions.includes(selectedMonth)) monthOptions.unshift(selectedMonth);
  const serviceOptions = params.service && !services.includes(params.service) ? [params.service, ...services] : services;
  const [month, setMonth] = useState(selectedMonth);
  const [service, setService] = useState(params.service ?? WHOLE_ORGANISATION);
  const [months, setMonths] = useState<12 | 24>(params.months);
  const [syncedFrom, setSyncedFrom] = useState(`${selectedMonth}|${params.service}|${params.months}`);
  const current = `${selectedMonth}|${params.service}|${params.months}`;
  if (current !== syncedFrom) {
    // The URL changed (back button, a link): show what is on screen.
    setSyncedFrom(current);
    setMonth(selectedMonth);
    setService(params.service ?? WHOLE_ORGANISATION);
    setMonths(params.months);
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(matHref(path, { month, service, months: withMonths && months === 24 ? 24 : null }));
  };

  return (
    <form className="beacon-mat-filters" onSubmit={submit} noValidate aria-label="Choose the figures">
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={`${id}-month`}>
          Month end
        </label>
        <select className="nhsuk-select" id={`${id}-month`} name="month" value={month} onChange={(e) => setMonth(e.target.value)}>
          {monthOptions.map((m) => (
            <option key={m} value={m}>
              {monthLabel(m)}
            </option>
          ))}
        </select>
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={`${id}-service`}>
          Service
        </label>
        <select className="nhsuk-select" id={`${id}-service`} name="service" value={service} onChange={(e) => setService(e.target.value)}>
          <option value={WHOLE_ORGANISATION}>Whole organisation</option>
          {serviceOptions.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {withMonths ? (
        <div className="nhsuk-form-group">
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Chart period</legend>
            <div className="nhsuk-radios nhsuk-radios--inline nhsuk-radios--small">
              {([12, 24] as const).map((n) => (
                <div className="nhsuk-radios__item" key={n}>
                  <input
                    className="nhsuk-radios__input"
                    id={`${id}-months-${n}`}
                    name="months"
                    type="radio"
                    value={n}
                    checked={months === n}
                    onChange={() => setMonths(n)}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-months-${n}`}>
                    {n} months
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
      ) : null}
      <Button type="submit" secondary>
        Show figures
      </Button>
    </form>
  );
}
