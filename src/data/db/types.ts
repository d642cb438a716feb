/** The one database interface Beacon's data layer uses, on PGlite or a PostgreSQL server. */
export type SqlParam = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<R[]>;
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface Tx extends Queryable {
  /** Bulk-loads CSV text (no header, FORMAT csv) into table(columns). Returns rows copied. */
  copyFrom(table: string, columns: readonly string[], csv: string): Promise<number>;
  /** Reads a query as CSV text (no header). */
  copyTo(query: string): Promise<string>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** A description that is safe to log (no password). */
  readonly description: string;
  /** Runs fn inside one transaction; any thrown error rolls everything back. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { isolation?: 'read committed' | 'repeatable read' | 'serializable'; readOnly?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Column types that both backends return the same way. */
export const TYPE_OIDS = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;
