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

/** What a LISTEN connection reports (see Db.listen). */
export interface ListenHandlers {
  /** A notification on one of the channels (payload '' when none was given). */
  notify(channel: string, payload: string): void;
  /**
   * true once LISTEN is in place (again), false when the listening connection is lost: any
   * notification sent while it was down is lost, so what was learnt from earlier ones must
   * be forgotten.
   */
  state(listening: boolean): void;
}

/**
 * Told of this process's own writes (Db.watchWrites). `touches` is asked about every
 * statement run through the Db (its SQL text; `COPY table …` for a bulk load), and
 * `changed` is called once that statement (outside a transaction) or the transaction that
 * ran it has finished, whether it committed or not — never before the COMMIT has returned.
 */
export interface WriteWatcher {
  touches(sql: string): boolean;
  changed(): void;
}

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** A description that is safe to log (no password). */
  readonly description: string;
  /** Runs fn inside one transaction; any thrown error rolls everything back. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { isolation?: 'read committed' | 'repeatable read' | 'serializable'; readOnly?: boolean }): Promise<T>;
  /**
   * LISTENs on the channels on a connection of its own (not one of the pool's), reconnecting
   * after an error; the returned function stops it. Closing the Db stops it too.
   */
  listen(channels: readonly string[], handlers: ListenHandlers): () => void;
  /** Registers a watcher of this Db's own writes; the returned function removes it. */
  watchWrites(watcher: WriteWatcher): () => void;
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
