import { ErrorSummary } from 'nhsuk-react-components';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export interface ErrorItem {
  /** `#field-id` to link to the field that is wrong; omit for errors about no field. */
  href?: string;
  text: string;
}

interface ErrorSummaryBoxProps {
  title: string;
  description?: ReactNode;
  items?: readonly ErrorItem[];
}

/** The NHS.UK error summary: title, optional description, and a list of errors. */
export function ErrorSummaryBox({ title, description, items = [] }: ErrorSummaryBoxProps) {
  return (
    <ErrorSummary>
      <ErrorSummary.Title>{title}</ErrorSummary.Title>
      {description ? <div className="nhsuk-error-summary__description">{description}</div> : null}
      {items.length ? (
        <ErrorSummary.List>
          {items.map((item, index) =>
            item.href ? (
              <ErrorSummary.ListItem key={index} href={item.href}>
                {item.text}
              </ErrorSummary.ListItem>
            ) : (
              <li key={index}>{item.text}</li>
            ),
          )}
        </ErrorSummary.List>
      ) : null}
    </ErrorSummary>
  );
}

/**
 * Show an error from the API (an RFC 9457 problem) or anything else that went wrong, in
 * an error summary. `fieldIds` maps a problem's field names to input ids so each error
 * links to its field.
 */
export function ProblemSummary({ error, fieldIds = {} }: { error: unknown; fieldIds?: Record<string, string> }) {
  if (error instanceof ApiError) {
    const { problem } = error;
    const items: ErrorItem[] = (problem.errors ?? []).map((fieldError) => {
      const field =
        fieldError.field ?? (Array.isArray(fieldError.path) ? fieldError.path.join('.') : (fieldError.path ?? undefined));
      const id = field ? fieldIds[field] : undefined;
      return id ? { href: `#${id}`, text: fieldError.message } : { text: fieldError.message };
    });
    return (
      <ErrorSummaryBox
        title={problem.title}
        description={problem.detail ? <p>{problem.detail}</p> : undefined}
        items={items}
      />
    );
  }
  const message = error instanceof Error && error.message ? error.message : 'Try again. If it keeps happening, tell your administrator.';
  return <ErrorSummaryBox title="Something went wrong" description={<p>{message}</p>} />;
}

/**
 * A failed section of a page (one query among several). "Not allowed" is not an error
 * the user can fix, so it is said plainly in inset text; anything else gets the error
 * summary. (Several error summaries on one page would each take focus.)
 */
export function SectionProblem({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>Your role does not give you access to {what}.</p>
      </div>
    );
  }
  return <ProblemSummary error={error} />;
}
