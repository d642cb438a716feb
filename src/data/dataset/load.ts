/**
 * Writing validated rows inside the import's single transaction.
 *
 * - A table that already has rows: COPY into a temporary staging table (`LIKE` the real
 *   one, dropped at the end of the transaction), then one `INSERT … SELECT … ON CONFLICT
 *   (key) DO UPDATE` so that re-imported keys update their row (only when something
 *   changed) and new keys are inserted. A large staging table is merged with the same
 *   effect by two set-based statements (UPDATE … FROM, then INSERT … WHERE NOT EXISTS),
 *   which PostgreSQL runs as hash joins instead of one conflict check per row.
 * - A table that is empty: nothing can conflict, so rows are COPYed straight into it (the
 *   same transaction still makes the whole import all-or-nothing). For a large load its
 *   secondary indexes, foreign keys and (when no other table refers to it) primary key are
 *   dropped first and rebuilt at the end, in the same transaction, as pg_restore does:
 *   building an index once is several times faster than inserting millions of entries one
 *   by one. Rebuilding re-checks uniqueness and every reference, as a last line of defence.
 *
 * Statements are pipelined on the transaction's one connection, which runs them in the
 * order they are issued: while the database ingests one COPY batch, merges a table or
 * rebuilds its indexes, the caller already validates the next rows. Only COPY waits (for
 * the batch before it), which bounds memory to about two batches.
 */
import { quoteIdent, type Tx } from '../db';
import type { FileSpec, TableName } from './spec';

/** Tuning knobs (tests lower them to exercise every path with small data). */
export const LOAD_TUNING = {
  /** Characters of CSV sent in one COPY statement. */
  batchChars: 4 << 20,
  /** File size from which an empty table is loaded without its secondary indexes and foreign keys. */
  bulkMinBytes: 64 << 10,
  /** Staged rows from which a merge runs as set-based UPDATE + INSERT instead of row-by-row ON CONFLICT. */
  setMergeMinRows: 20_000,
};

export interface LoadCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export type LoadMode = 'copy' | 'upsert';

/** Constraints and indexes dropped for a bulk load, to rebuild afterwards. */
export interface Deferred {
  /** The primary key (only for a table no foreign key points to), or null. */
  primaryKey: { name: string; def: string } | null;
  indexes: { name: string; def: string }[];
  foreignKeys: { name: string; def: string }[];
  /**
   * The table's MAT change-mark trigger on insert (migration 0015), switched off for the
   * bulk load: marking person by person for every COPY batch of millions of rows made the
   * first load slower and erratic. Everyone is marked once instead (the '*' mark).
   */
  markTriggers: string[];
}

/** What an import knows about a table before writing to it. */
export interface TableState {
  empty: boolean;
  deferred: Deferred | null;
}

export interface SerialTx extends Tx {
  /**
   * Stops the queue: statements not yet started are dropped (they reject) and the promise
   * resolves once the one running has finished. Call it before the transaction ends, so
   * that nothing queued can run after ROLLBACK, outside the transaction.
   */
  close(): Promise<void>;
}

/**
 * The transaction with its statements queued: each starts when the one before has finished
 * (a connection runs one statement at a time), while the caller goes on without waiting.
 */
export function serialTx(tx: Tx): SerialTx {
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const run = <T>(fn: () => Promise<T>): Promise<T> => {
    const start = () => (closed ? Promise.reject(new Error('the import was stopped')) : fn());
    const p = tail.then(start, start);
    tail = p.catch(() => undefined);
    return p;
  };
  return {
    query: (sql, params) => run(() => tx.query(sql, params)),
    exec: (sql) => run(() => tx.exec(sql)),
    copyFrom: (table, columns, csv) => run(() => tx.copyFrom(table, columns, csv)),
    copyTo: (query) => run(() => tx.copyTo(query)),
    async close() {
      closed = true;
      await tail;
    },
  };
}

/** Marks a statement's promise as handled: a failure surfaces where the result is awaited. */
function issue<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Before anything is written: finds which tables are empty and, for large files going into
 * an empty table, drops its secondary indexes and foreign keys (rebuilt by `finish`).
 */
export async function prepareTables(tx: Tx, files: readonly { spec: FileSpec; bytes: number }[]): Promise<Map<TableName, TableState>> {
  const states = new Map<TableName, TableState>();
  if (files.length === 0) return states;
  const rows = await tx.query<{ t: string; has: boolean }>(
    files.map((f) => `SELECT '${f.spec.table}' AS t, EXISTS (SELECT 1 FROM ${quoteIdent(f.spec.table)}) AS has`).join(' UNION ALL '),
  );
  for (const f of files) {
    const empty = !rows.find((r) => r.t === f.spec.table)?.has;
    const deferred = empty && f.bytes >= LOAD_TUNING.bulkMinBytes ? await deferIndexes(tx, f.spec.table) : null;
    states.set(f.spec.table, { empty, deferred });
  }
  return states;
}

async function deferIndexes(tx: Tx, table: TableName): Promise<Deferred> {
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS def
       FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
      WHERE x.indrelid = $1::regclass AND NOT x.indisunique AND NOT x.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
      ORDER BY c.relname`,
    [table],
  );
  const foreignKeys = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`,
    [table],
  );
  // The primary key too, when nothing refers to this table: building its index once, sorted,
  // costs a fraction of maintaining it row by row. Adding it back checks the keys are unique.
  const [primaryKey] = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype = 'p'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = $1::regclass)`,
    [table],
  );
  const markTriggers = (
    await tx.query<{ name: string }>(`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2`, [table, `${table}_mat_ins`])
  ).map((r) => r.name);
  for (const fk of foreignKeys) await tx.exec(`ALTER TABLE ${quoteIdent(table)} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  for (const ix of indexes) await tx.exec(`DROP INDEX ${quoteIdent(ix.name)}`);
  if (primaryKey) await tx.exec(`ALTER TABLE ${quoteIdent(table)} DROP CONSTRAINT ${quoteIdent(primaryKey.name)}`);
  for (const tg of markTriggers) {
    await tx.exec(`ALTER TABLE ${quoteIdent(table)} DISABLE TRIGGER ${quoteIdent(tg)}`);
    await tx.exec(`SELECT mat_dirty_upsert(ARRAY[ROW('*', '-infinity'::date, '0', '-infinity'::date)::mat_dirty])`);
  }
  return { primaryKey: primaryKey ?? null, indexes, foreignKeys, markTriggers };
}

/**
 * Issues the rebuild of deferred indexes and foreign keys. Re-adding a foreign key checks
 * every row in one pass; the import has already checked each reference, so this cannot fail
 * unless someone deleted a parent meanwhile.
 */
export function restoreIndexes(tx: Tx, table: TableName, deferred: Deferred): Promise<void> {
  const steps: Promise<void>[] = [];
  const pk = deferred.primaryKey;
  if (pk) steps.push(issue(tx.exec(`ALTER TABLE ${quoteIdent(table)} ADD CONSTRAINT ${quoteIdent(pk.name)} ${pk.def}`)));
  for (const ix of deferred.indexes) steps.push(issue(tx.exec(ix.def)));
  for (const fk of deferred.foreignKeys) {
    steps.push(issue(tx.exec(`ALTER TABLE ${quoteIdent(table)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.def}`)));
  }
  for (const tg of deferred.markTriggers) steps.push(issue(tx.exec(`ALTER TABLE ${quoteIdent(table)} ENABLE TRIGGER ${quoteIdent(tg)}`)));
  return issue(Promise.all(steps).then(() => undefined));
}

export class TableLoader {
  private parts: string[] = [];
  private chars = 0;
  private added = 0;
  private copied = 0;
  private pending: Promise<number> | null = null;
  private readonly target: string;
  private readonly staging: Promise<void> | null = null;
  readonly mode: LoadMode;

  constructor(
    private readonly tx: Tx,
    private readonly spec: FileSpec,
    private readonly columns: readonly string[],
    private readonly state: TableState,
  ) {
    this.mode = state.empty ? 'copy' : 'upsert';
    this.target = this.mode === 'copy' ? spec.table : `beacon_stage_${spec.table}`;
    if (this.mode === 'upsert') {
      this.staging = issue(
        tx.exec(`CREATE TEMP TABLE ${quoteIdent(this.target)} (LIKE ${quoteIdent(spec.table)} INCLUDING DEFAULTS) ON COMMIT DROP`),
      );
    }
  }

  /** Adds one COPY line (without its newline). */
  add(line: string): void {
    this.parts.push(line);
    this.chars += line.length + 1;
    this.added++;
  }

  /** Sends the buffered rows when there are enough of them (after the batch before has been taken in). */
  async maybeFlush(): Promise<void> {
    if (this.chars < LOAD_TUNING.batchChars) return;
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      this.copied += await p;
    }
    this.pending = this.sendBatch();
  }

  private sendBatch(): Promise<number> {
    const csv = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.chars = 0;
    return issue(this.tx.copyFrom(this.target, this.columns, csv));
  }

  /** Stops loading (the import will be rolled back): drops buffered rows, waits for the batch in flight. */
  async discard(): Promise<void> {
    this.parts = [];
    this.chars = 0;
    const p = this.pending;
    this.pending = null;
    if (p) await p.catch(() => undefined);
  }

  /**
   * Issues everything that is left, in order (the last batch, the merge, the index rebuild)
   * and returns without waiting; the promise gives the counts once the database is done.
   */
  finish(onPhase?: (phase: 'merging' | 'indexing') => void): Promise<LoadCounts> {
    const copies: Promise<number>[] = [];
    if (this.staging) copies.push(issue(this.staging.then(() => 0)));
    if (this.pending) copies.push(this.pending);
    if (this.parts.length > 0) copies.push(this.sendBatch());
    this.pending = null;
    let merged: Promise<{ inserted: number; updated: number }> | null = null;
    if (this.mode === 'upsert' && this.added > 0) {
      onPhase?.('merging');
      merged = this.added >= LOAD_TUNING.setMergeMinRows ? this.setMerge() : this.upsert();
    }
    let rebuilt: Promise<void> | null = null;
    if (this.state.deferred) {
      onPhase?.('indexing');
      rebuilt = restoreIndexes(this.tx, this.spec.table, this.state.deferred);
      this.state.deferred = null;
    }
    return issue(
      (async () => {
        let copied = this.copied;
        for (const c of copies) copied += await c;
        this.copied = copied;
        let counts: LoadCounts = { inserted: copied, updated: 0, unchanged: 0 };
        if (merged) {
          const m = await merged;
          counts = { inserted: m.inserted, updated: m.updated, unchanged: copied - m.inserted - m.updated };
        } else if (this.mode === 'upsert') {
          counts = { inserted: 0, updated: 0, unchanged: 0 };
        }
        if (rebuilt) await rebuilt;
        return counts;
      })(),
    );
  }

  /** The non-key columns, and the key match between the table (t) and the staging table (s). */
  private names(): { table: string; stage: string; cols: string[]; rest: string[]; key: string[] } {
    return {
      table: quoteIdent(this.spec.table),
      stage: quoteIdent(this.target),
      cols: this.columns.map(quoteIdent),
      rest: this.columns.filter((c) => !this.spec.key.includes(c)).map(quoteIdent),
      key: this.spec.key.map(quoteIdent),
    };
  }

  private upsert(): Promise<{ inserted: number; updated: number }> {
    const { table, stage, cols, rest, key } = this.names();
    const set = rest.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const changed = `(${rest.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `EXCLUDED.${c}`).join(', ')})`;
    const action = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${set} WHERE ${rest.length === 1 ? `t.${rest[0]} IS DISTINCT FROM EXCLUDED.${rest[0]}` : changed}`;
    return issue(
      this.tx
        .query<{ inserted: number; updated: number }>(
          `WITH m AS (
             INSERT INTO ${table} AS t (${cols.join(', ')})
             SELECT ${cols.join(', ')} FROM ${stage}
             ON CONFLICT (${key.join(', ')}) ${action}
             RETURNING (xmax = 0) AS inserted
           )
           SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM m`,
        )
        .then(([r]) => ({ inserted: r?.inserted ?? 0, updated: r?.updated ?? 0 })),
    );
  }

  /**
   * A large merge as two set-based statements (hash joins) instead of one conflict check
   * per row: update the stored rows that changed, then insert the new keys. Same result as
   * the ON CONFLICT statement inside this transaction; the import lock keeps other imports
   * out, and a concurrent writer adding one of these keys makes the import fail cleanly.
   */
  private setMerge(): Promise<{ inserted: number; updated: number }> {
    const { table, stage, cols, rest } = this.names();
    const on = this.spec.key.map((k) => `t.${quoteIdent(k)} = s.${quoteIdent(k)}`).join(' AND ');
    const analyzed = issue(this.tx.exec(`ANALYZE ${stage}`));
    const update =
      rest.length === 0
        ? Promise.resolve([{ n: 0 }])
        : issue(
            this.tx.query<{ n: number }>(
              `WITH u AS (
                 UPDATE ${table} AS t SET ${rest.map((c) => `${c} = s.${c}`).join(', ')}
                   FROM ${stage} AS s
                  WHERE ${on} AND (${rest.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `s.${c}`).join(', ')})
                 RETURNING 1
               ) SELECT count(*)::int AS n FROM u`,
            ),
          );
    const insert = issue(
      this.tx.query<{ n: number }>(
        `WITH i AS (
           INSERT INTO ${table} (${cols.join(', ')})
           SELECT ${cols.map((c) => `s.${c}`).join(', ')} FROM ${stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM ${table} AS t WHERE ${on})
           RETURNING 1
         ) SELECT count(*)::int AS n FROM i`,
      ),
    );
    return issue(
      (async () => {
        await analyzed;
        const [u] = await update;
        const [i] = await insert;
        return { inserted: i?.n ?? 0, updated: u?.n ?? 0 };
      })(),
    );
  }
}
