import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './types';

export type { Db, Tx, Queryable, SqlParam, DbKind, ListenHandlers, WriteWatcher } from './types';
export { DbError } from './errors';
export { quoteIdent } from './sql';

export interface DbOptions {
  /** postgres://… — when set, Beacon uses that server; otherwise embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; null for an in-memory database (tests). */
  dataDir: string | null;
  poolSize?: number;
}

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize);
  return openPglite(options.dataDir);
}
