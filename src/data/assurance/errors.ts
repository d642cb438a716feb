/** Problems the assurance data layer reports; routes turn them into problem+json. */
export type AssuranceErrorKind = 'invalid' | 'not_found' | 'conflict';

export class AssuranceError extends Error {
  override name = 'AssuranceError';
  readonly kind: AssuranceErrorKind;
  readonly errors: Array<{ field: string; message: string }> | undefined;
  constructor(kind: AssuranceErrorKind, message: string, errors?: Array<{ field: string; message: string }>) {
    super(message);
    this.kind = kind;
    this.errors = errors;
  }
}
