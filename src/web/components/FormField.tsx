import type { ReactNode } from 'react';

/** `aria-describedby` for a field with an optional hint and error (ids `${id}-hint`, `${id}-error`). */
export function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

interface FormFieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** 's' or 'm' for a bold label (nhsuk-label--s/--m); plain by default. */
  labelSize?: 's' | 'm';
  children: ReactNode;
}

/**
 * The NHS.UK form group around one control: label, hint, error message, and the error
 * state. The control itself (input, select, textarea) is the child; give it
 * `aria-describedby={describedBy(id, hint, error)}`.
 */
export function FormField({ id, label, hint, error, labelSize, children }: FormFieldProps) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className={`nhsuk-label${labelSize ? ` nhsuk-label--${labelSize}` : ''}`} htmlFor={id}>
        {label}
      </label>
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
      {children}
    </div>
  );
}

interface TextAreaProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  rows?: number;
  maxLength?: number;
  labelSize?: 's' | 'm';
}

/** A labelled NHS.UK textarea. */
export function TextArea({ id, label, hint, value, onChange, error, rows = 4, maxLength, labelSize = 's' }: TextAreaProps) {
  return (
    <FormField id={id} label={label} hint={hint} error={error} labelSize={labelSize}>
      <textarea
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        id={id}
        name={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </FormField>
  );
}
