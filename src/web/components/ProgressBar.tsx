import { useId } from 'react';

interface ProgressBarProps {
  label: string;
  /** 0–100, or null when the total is not known yet (an indeterminate bar). */
  value: number | null;
  /** Detail under the bar, e.g. "1.2 MB of 3.4 MB". Not announced on every change. */
  detail?: string;
  /** Announced to screen readers when it changes (keep it coarse: a phase, not a byte count). */
  announcement?: string;
}

/** A labelled native <progress> bar; the CSP forbids inline styles, and this needs none. */
export function ProgressBar({ label, value, detail, announcement }: ProgressBarProps) {
  const id = useId();
  const rounded = value === null ? null : Math.round(value);
  return (
    <div className="beacon-progress">
      <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>
        {label}
      </label>
      {rounded === null ? (
        <progress id={id} className="beacon-progress__bar" />
      ) : (
        <progress id={id} className="beacon-progress__bar" max={100} value={rounded}>
          {rounded}%
        </progress>
      )}
      <p className="nhsuk-body-s beacon-progress__text">
        {rounded === null ? null : <strong>{rounded}%</strong>}
        {rounded !== null && detail ? ' – ' : null}
        {detail}
      </p>
      <p className="nhsuk-u-visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
