/** A polite "loading" line; screen readers hear it once. */
export function Loading({ children = 'Loading…' }: { children?: string }) {
  return (
    <p className="nhsuk-body nhsuk-u-secondary-text-colour" role="status">
      {children}
    </p>
  );
}
