/** Errors of the LDIS data functions; the routes turn them into problem responses. */
export type LdisErrorKind = 'invalid' | 'not_found' | 'conflict';

export class LdisError extends Error {
  readonly kind: LdisErrorKind;
  readonly code: string;
  readonly errors: Array<{ field: string; message: string }> | undefined;
  constructor(kind: LdisErrorKind, code: string, message: string, errors?: Array<{ field: string; message: string }>) {
    super(message);
    this.name = 'LdisError';
    this.kind = kind;
    this.code = code;
    this.errors = errors;
  }
}
