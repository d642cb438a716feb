import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { describedBy, FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { METHOD_NAMES } from './labels';
import { fieldErrors, useEmailPreference, useSaveEmailPreference, useWarningSettings } from './settingsApi';
import { can, WarningNav } from './shared';

interface Trigger {
  id: string;
  threshold: number;
  window: { days?: number; hours?: number };
  description?: string;
}

function triggerText(t: Trigger): string {
  if (t.description) return t.description;
  const d = t.window.days ?? 0;
  const h = t.window.hours ?? 0;
  const span = d > 0 && h === 0 ? `${d} day${d === 1 ? '' : 's'}` : `${d * 24 + h} hours`;
  return `${t.threshold} or more in ${span}`;
}

function params(p: Record<string, unknown> | undefined): string {
  if (!p || Object.keys(p).length === 0) return '';
  return ` (${Object.entries(p)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ')})`;
}

/** The early-warning settings in words (changed through PUT /api/warning/settings). */
export function SettingsPage({ user }: { user: User }) {
  usePageTitle('Early-warning settings');
  const allowed = can(user, 'warning.settings.read');
  const q = useWarningSettings(allowed);
  const canWrite = can(user, 'warning.settings.write');
  const d = q.data;
  const areaName = (code: string): string => d?.areaNames[code] ?? d?.areas.find((a) => a.area === code)?.name ?? code;
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Early warning</span>
        How detection is set up
      </h1>
      <WarningNav current="/early-warning/settings" />
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the early-warning settings.</p>
        </InsetText>
      ) : q.isPending ? (
        <Loading>Loading the settings…</Loading>
      ) : q.error || !d ? (
        <SectionProblem error={q.error} what="the early-warning settings" />
      ) : (
        <>
          <p>
            Each indicator is evaluated weekly in every area over the latest {d.monitoring.evaluateWeeks} weeks; alarms and triggers in the
            latest {d.monitoring.recentWeeks} weeks count as recent.{' '}
            {d.schedule.enabled
              ? `Detection runs when new data arrive (checked every ${d.schedule.checkSeconds} seconds) and at least every ${d.schedule.intervalMinutes} minutes.`
              : 'Scheduled detection is switched off; it runs only on demand.'}
          </p>
          <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="Indicators and methods">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Indicators, methods and count triggers</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Indicator</th>
                  <th scope="col" className="nhsuk-table__header">Method</th>
                  <th scope="col" className="nhsuk-table__header">Count triggers</th>
                  {canWrite ? (
                    <th scope="col" className="nhsuk-table__header">
                      <span className="nhsuk-u-visually-hidden">Change</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {d.indicators.map((i) => {
                  const cfg = d.monitoring.indicators[i.id];
                  return (
                    <tr key={i.id} className="nhsuk-table__row">
                      <th scope="row" className="nhsuk-table__cell">
                        {i.label}
                        <span className="nhsuk-body-s nhsuk-u-secondary-text-colour beacon-warning-block">{i.source}</span>
                      </th>
                      <td className="nhsuk-table__cell">
                        {cfg ? `${METHOD_NAMES[cfg.method] ?? cfg.method}${params(cfg.farrington)}${params(cfg.ears)}` : '–'}
                      </td>
                      <td className="nhsuk-table__cell">{cfg && cfg.triggers.length > 0 ? cfg.triggers.map(triggerText).join('; ') : 'None'}</td>
                      {canWrite ? (
                        <td className="nhsuk-table__cell">
                          <Link to={`/early-warning/settings/indicators/${i.id}`}>
                            Change<span className="nhsuk-u-visually-hidden"> {i.label.toLowerCase()}</span>
                          </Link>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <h2>Step rules</h2>
          <p>The highest step whose rule is met is proposed; the coordinator confirms it or sets another step with a reason.</p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {d.stepRules.map((r) => (
              <li key={r.id}>
                Step {r.step}: {r.text}
              </li>
            ))}
          </ul>
          <h2>Neighbouring areas</h2>
          {Object.keys(d.adjacency).length === 0 ? (
            <p>None configured.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--bullet">
              {Object.entries(d.adjacency).map(([a, list]) => (
                <li key={a}>
                  {areaName(a)}: {list.map(areaName).join(', ')}
                </li>
              ))}
            </ul>
          )}
          {canWrite ? (
            <p>
              <Link to="/early-warning/settings/steps">Change the step rules and neighbouring areas</Link>
            </p>
          ) : (
            <p className="nhsuk-body-s">LDIS coordinators and administrators change these settings.</p>
          )}
          {d.changed.length > 0 ? (
            <p className="nhsuk-body-s">
              Last changed:{' '}
              {d.changed.map((c) => `${c.key.replace('warning.', '')} by ${c.by ?? 'unknown'} on ${new Date(c.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}`).join('; ')}. Every change is in the audit log.
            </p>
          ) : (
            <p className="nhsuk-body-s">These are the documented defaults (docs/detection.md).</p>
          )}
          {can(user, 'warning.email.write') ? <EmailSection /> : null}
        </>
      )}
    </>
  );
}

/** The coordinator's own address for early-warning e-mail, and the choice to receive it. */
function EmailSection() {
  const q = useEmailPreference();
  const save = useSaveEmailPreference();
  const [email, setEmail] = useState<string | null>(null);
  const [wanted, setWanted] = useState<boolean | null>(null);
  if (q.isPending) return <Loading>Loading your e-mail settings…</Loading>;
  if (q.error || !q.data) return <SectionProblem error={q.error} what="your e-mail settings" />;
  const value = email ?? q.data.email ?? '';
  const on = wanted ?? q.data.earlyWarning;
  const error = fieldErrors(save.error, 'body.').email;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ email: value, earlyWarning: on }, { onSuccess: () => (setEmail(null), setWanted(null)) });
  };
  return (
    <>
      <h2 id="warning-email">Early-warning e-mail</h2>
      <p>New alarms, proposed steps and neighbouring areas’ step changes in your area reach you here in Beacon, and by e-mail when you give an address. The e-mails hold no personal data: the area, the indicator, the counts and a link.</p>
      {save.error ? <ProblemSummary error={save.error} fieldIds={{ 'body.email': 'warning-email-address' }} /> : null}
      {save.isSuccess ? (
        <p role="status" className="nhsuk-body">
          Saved. {save.data.email ? (save.data.earlyWarning ? `Early-warning e-mail goes to ${save.data.email}.` : 'You will not receive early-warning e-mail.') : 'No address: you will not receive early-warning e-mail.'}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate aria-label="Early-warning e-mail">
        <FormField id="warning-email-address" label="Your e-mail address" hint="Leave empty for no e-mail." error={error}>
          <input
            className={`nhsuk-input nhsuk-u-width-two-thirds${error ? ' nhsuk-input--error' : ''}`}
            id="warning-email-address"
            name="email"
            type="email"
            autoComplete="email"
            spellCheck={false}
            value={value}
            aria-describedby={describedBy('warning-email-address', true, error)}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
        </FormField>
        <div className="nhsuk-form-group">
          <div className="nhsuk-checkboxes">
            <div className="nhsuk-checkboxes__item">
              <input className="nhsuk-checkboxes__input" id="warning-email-on" type="checkbox" checked={on} onChange={(e) => setWanted(e.currentTarget.checked)} />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="warning-email-on">
                Send me early-warning e-mail
              </label>
            </div>
          </div>
        </div>
        <Button type="submit" secondary disabled={save.isPending}>
          Save my e-mail settings
        </Button>
      </form>
    </>
  );
}
