import { Button } from 'nhsuk-react-components';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { formatMeasure, MEASURES, type MeasureValue } from '../../../domain/assurance/measures';
import { RAG_DEFINITIONS, type RagRating } from '../../../domain/assurance/rag';
import type { User } from '../../api/types';
import { Link, useLocation } from '../../router/router';

export function can(user: User, action: string): boolean {
  return user.permissions?.includes(action) ?? false;
}

/** A rating as a tag with its word (colour is a second cue only). */
export function RagTag({ rating }: { rating: RagRating | null }) {
  if (!rating) return <strong className="nhsuk-tag nhsuk-tag--grey">Not rated</strong>;
  const d = RAG_DEFINITIONS[rating];
  return <strong className={`nhsuk-tag nhsuk-tag--${d.tag}`}>{d.label}</strong>;
}

export function MeasureList({ measures, live }: { measures: readonly MeasureValue[]; live: boolean }) {
  if (measures.length === 0) return null;
  return (
    <ul className="nhsuk-list beacon-assurance-measures">
      {measures.map((m) => (
        <li key={m.key}>
          <span className="nhsuk-u-font-weight-bold">{MEASURES[m.key].label}:</span> {formatMeasure(m)}{' '}
          <span className="nhsuk-body-s">
            ({live ? 'live' : 'at completion'}, {m.asOf}; also in {MEASURES[m.key].shownIn})
          </span>
        </li>
      ))}
    </ul>
  );
}

export function AssuranceNav({ user }: { user: User }) {
  const { pathname } = useLocation();
  const items = [
    { to: '/assurance', text: 'Self-audits' },
    { to: '/assurance/plan', text: 'Preparedness plan' },
    { to: '/assurance/needs', text: 'Needs assessment' },
    { to: '/assurance/partners', text: 'Partner directory' },
  ];
  void user;
  return (
    <nav className="beacon-mat-subnav" aria-label="Assurance pages">
      <ul>
        {items.map((i) => (
          <li key={i.to}>
            <Link to={i.to} aria-current={pathname === i.to ? 'page' : undefined}>
              {i.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A wide table that scrolls on its own on a phone rather than widening the page. */
export function Scroll({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="beacon-assurance-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A field's error from an API problem; the server names request-body fields with or without a leading "body.". */
export function fieldError(error: unknown, field: string): string | undefined {
  const e = error as { problem?: { errors?: Array<{ field?: string; message: string }> } } | null;
  const name = (f: string | undefined) => f?.replace(/^body\./, '');
  return e?.problem?.errors?.find((x) => name(x.field) === field || name(x.field)?.startsWith(`${field}.`))?.message;
}

/** Field name → input id for ProblemSummary, also under the "body." names the server's request validation uses. */
export function fieldIds(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).flatMap(([k, v]) => [[k, v], [`body.${k}`, v]]));
}


/**
 * What was just saved, read out by screen readers; nothing when there is no message.
 * `focusWhen` takes focus to the message each time it changes (after a row is deleted its
 * buttons are gone, so focus would otherwise drop back to the top of the page).
 */
export function SavedStatus({ message, focusWhen = 0 }: { message: string | null | undefined; focusWhen?: number }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (focusWhen > 0) ref.current?.focus();
  }, [focusWhen]);
  if (!message) return null;
  return (
    <p role="status" className="nhsuk-u-font-weight-bold beacon-assurance-status" tabIndex={-1} ref={ref}>
      {message}
    </p>
  );
}

/** A table row's "Change" and "Delete" (or "Remove") links; `what` names the row for screen readers. `onDelete` gets the link, to give focus back to it if the user cancels. */
export function RowActions({ what, onChange, onDelete, deleting, deleteWord = 'Delete' }: { what: string; onChange: () => void; onDelete: (opener: HTMLButtonElement) => void; deleting: boolean; deleteWord?: string }) {
  return (
    <div className="beacon-assurance-actions">
      <button type="button" className="beacon-assurance-link" onClick={onChange}>
        Change<span className="nhsuk-u-visually-hidden"> {what}</span>
      </button>
      <button type="button" className="beacon-assurance-link" disabled={deleting} onClick={(e) => onDelete(e.currentTarget)}>
        {deleteWord}
        <span className="nhsuk-u-visually-hidden"> {what}</span>
      </button>
    </div>
  );
}

/**
 * The row a "Delete" link has asked about, until the user confirms or cancels. `cancel`
 * gives focus back to the link that asked; `deleted` closes the question after the delete
 * and counts deletions, for SavedStatus's `focusWhen`.
 */
export function useConfirmDelete<T>() {
  const [asking, setAsking] = useState<{ row: T; opener: HTMLElement | null } | null>(null);
  const [deletions, setDeletions] = useState(0);
  return {
    row: asking?.row ?? null,
    ask: (row: T, opener: HTMLElement | null) => setAsking({ row, opener }),
    cancel: () => {
      const opener = asking?.opener;
      setAsking(null);
      if (opener?.isConnected) opener.focus();
    },
    close: () => setAsking(null),
    deleted: () => {
      setAsking(null);
      setDeletions((n) => n + 1);
    },
    deletions,
  };
}

/**
 * The NHS.UK warning callout asking "Are you sure…?" before a delete, with a red button to
 * go ahead and a secondary one to cancel (Escape cancels too). Focus moves to the question
 * when it appears, so keyboard and screen-reader users land on it. Nothing is deleted
 * until the red button is pressed.
 */
export function ConfirmDelete({ question, children, confirmWord = 'Delete', pending, onConfirm, onCancel, headingLevel = 'h3' }: { question: string; children?: ReactNode; confirmWord?: string; pending: boolean; onConfirm: () => void; onCancel: () => void; headingLevel?: 'h2' | 'h3' }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [question]);
  const Heading = headingLevel;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !pending) {
      e.preventDefault();
      onCancel();
    }
  };
  return (
    <div className="nhsuk-card nhsuk-card--warning beacon-assurance-confirm" data-testid="confirm-delete" onKeyDown={onKeyDown}>
      <div className="nhsuk-card__content">
        <Heading className="nhsuk-card__heading" tabIndex={-1} ref={heading}>
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            {question}
          </span>
        </Heading>
        {children}
        <div className="beacon-assurance-actions">
          <Button type="button" warning aria-disabled={pending || undefined} onClick={() => (pending ? undefined : onConfirm())}>
            {pending ? `${confirmWord}…` : confirmWord}
          </Button>
          <Button type="button" secondary onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        </div>
      </div>
    </div>
  );
}
