/** A database error carried across the worker boundary or from node-postgres. */
export class DbError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  constructor(message: string, code?: string, detail?: string, constraint?: string) {
    super(message);
    this.name = 'DbError';
    this.code = code;
    this.detail = detail;
    this.constraint = constraint;
  }
}
