import { Tag, type TagProps } from 'nhsuk-react-components';
import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { Link } from '../../router/router';
import type { Sla, SlaTimer } from './api';
import { LEVEL_LABELS, minutesText, STATUS_LABELS } from './labels';
import { describedBy, FormField } from '../../components/FormField';

export function can(user: User, action: string): boolean {
  return user.permissions?.includes(action) ?? false;
}

export function isPartner(user: User): boolean {
  return user.role === 'partner_submitter';
}

const LEVEL_TAG: Record<string, TagProps['modifier']> = { confirmed: 'red', probable: 'orange', suspected: 'yellow' };

export function LevelTag({ level }: { level: string | null }) {
  if (!level) return <Tag modifier="grey">Not a case</Tag>;
  return <Tag modifier={LEVEL_TAG[level] ?? 'grey'}>{LEVEL_LABELS[level] ?? level}</Tag>;
}

export function StatusTag({ status }: { status: string }) {
  const modifier: TagProps['modifier'] = status === 'received' ? 'blue' : status === 'closed' ? 'grey' : status === 'decided' || status === 'issued' ? 'green' : 'aqua-green';
  return <Tag modifier={modifier}>{STATUS_LABELS[status] ?? status}</Tag>;
}

export function ExerciseTag() {
  return <Tag modifier="purple">Exercise</Tag>;
}

/** One SLA timer in words, with an "Overdue" tag when it is. */
export function SlaText({ what, timer }: { what: string; timer: SlaTimer }) {
  if (timer.state === 'met') return <span>{what}: done in time</span>;
  if (timer.state === 'missed') return <span>{what}: done late</span>;
  if (timer.state === 'not_applicable') return null;
  if (timer.state === 'overdue')
    return (
      <span>
        <Tag modifier="red">Overdue</Tag> {what} {minutesText(timer.minutesRemaining)}
      </span>
    );
  return (
    <span>
      {timer.state === 'due_soon' ? <Tag modifier="orange">Due soon</Tag> : null} {what}: {minutesText(timer.minutesRemaining)}
    </span>
  );
}

export function SlaCell({ sla }: { sla: Sla }) {
  const parts = [<SlaText key="a" what="Assess" timer={sla.assess} />, <SlaText key="d" what="Decide" timer={sla.decide} />].filter(
    (_, i) => (i === 0 ? sla.assess.state : sla.decide.state) !== 'not_applicable',
  );
  return (
    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
      {parts.map((p, i) => (
        <li key={i} className="nhsuk-body-s nhsuk-u-margin-bottom-1">
          {p}
        </li>
      ))}
    </ul>
  );
}

/** Secondary navigation of the LDIS pages for staff. */
export function LdisNav({ user, current }: { user: User; current: string }) {
  const items: Array<{ to: string; text: string; show: boolean }> = [
    { to: '/ldis', text: 'Inbox', show: can(user, 'ldis.inbox') },
    { to: '/ldis/report', text: 'New report', show: can(user, 'ldis.submit') },
    { to: '/ldis/my-reports', text: isPartner(user) ? 'Your reports' : 'Submitted reports', show: can(user, 'ldis.list') },
    { to: '/ldis/cases', text: 'Case list', show: can(user, 'ldis.caselist') },
    { to: '/ldis/gaps', text: 'Data-flow gaps', show: can(user, 'ldis.gaps') },
    { to: '/ldis/import', text: 'Import a file', show: can(user, 'ldis.import') },
    { to: '/ldis/partners', text: 'Partner API tokens', show: can(user, 'ldis.tokens') },
  ];
  return (
    <nav aria-label="Local drug information system" className="nhsuk-u-margin-bottom-4">
      <ul className="beacon-inline-list">
        {items
          .filter((i) => i.show)
          .map((i) => (
            <li key={i.to}>{i.to === current ? <strong aria-current="page">{i.text}</strong> : <Link to={i.to}>{i.text}</Link>}</li>
          ))}
      </ul>
    </nav>
  );
}

/** A table in a horizontal scroll box (phones), reachable and named for keyboard users. */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="beacon-table-scroll beacon-ldis-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export interface FieldError {
  id: string;
  text: string;
}

/** Radios of the NHS.UK design system. */
export function RadioGroup(props: {
  id: string;
  name: string;
  legend: string;
  hint?: string;
  options: ReadonlyArray<{ value: string; label: string; hint?: string }>;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  inline?: boolean;
  small?: boolean;
  legendSize?: 's' | 'm';
}) {
  const { id, name, legend, hint, options, value, onChange, error, inline, small, legendSize = 's' } = props;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy} id={id}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {error}
          </span>
        ) : null}
        <div className={`nhsuk-radios${inline ? ' nhsuk-radios--inline' : ''}${small ? ' nhsuk-radios--small' : ''}`}>
          {options.map((o, i) => {
            const optionId = i === 0 ? `${id}-input` : `${id}-${i}`;
            return (
              <div className="nhsuk-radios__item" key={o.value}>
                <input
                  className="nhsuk-radios__input"
                  id={optionId}
                  name={name}
                  type="radio"
                  value={o.value}
                  checked={value === o.value}
                  onChange={() => onChange(o.value)}
                  aria-describedby={o.hint ? `${optionId}-hint` : undefined}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={optionId}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div className="nhsuk-hint nhsuk-radios__hint" id={`${optionId}-hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function TextField(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  type?: 'text' | 'date' | 'number';
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  inputMode?: 'numeric' | 'text';
  autoComplete?: string;
  labelSize?: 's' | 'm';
}) {
  const { id, label, hint, value, onChange, error, type = 'text', width, inputMode, autoComplete = 'off', labelSize = 's' } = props;
  return (
    <FormField id={id} label={label} hint={hint} error={error} labelSize={labelSize}>
      <input
        className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type={type}
        value={value}
        inputMode={inputMode}
        autoComplete={autoComplete}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </FormField>
  );
}

export function SelectField(props: { id: string; label: string; hint?: string; value: string; onChange: (v: string) => void; options: ReadonlyArray<{ value: string; label: string }>; error?: string | undefined }) {
  const { id, label, hint, value, onChange, options, error } = props;
  return (
    <FormField id={id} label={label} hint={hint} error={error} labelSize="s">
      <select className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`} id={id} name={id} value={value} aria-describedby={describedBy(id, Boolean(hint), error)} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FormField>
  );
}
