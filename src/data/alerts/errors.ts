/** Errors of the alerts data functions; the routes turn them into problem responses. */
export type AlertsErrorKind = 'invalid' | 'not_found' | 'conflict';

export class AlertsError extends Error {
  readonly kind: AlertsErrorKind;
  readonly errors: Array<{ field: string; message: string }> | undefined;
  constructor(kind: AlertsErrorKind, message: string, errors?: Array<{ field: string; message: string }>) {
    super(message);
    this.name = 'AlertsError';
    this.kind = kind;
    this.errors = errors;
  }
}

/**
 * Which areas' alerts and reports a caller may see: undefined = every area (organisation
 * scope); otherwise the listed ONS codes only.
 */
export interface AreaScope {
  localAuthorities?: readonly string[];
}

export function inScope(scope: AreaScope, area: string | null): boolean {
  if (!scope.localAuthorities) return true;
  return area !== null && scope.localAuthorities.includes(area);
}
