import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { DbError } from './errors';
import { Mutex } from './mutex';
import type { Db, SqlParam, Tx } from './types';
import { beginStatement, quoteIdent } from './sql';

interface Reply {
  id: number;
  ok: boolean;
  rows?: unknown[];
  count?: number;
  text?: string;
  data?: Uint8Array;
  error?: { message: string; code?: string; detail?: string; constraint?: string };
}

type Request =
  | { type: 'query'; sql: string; params: readonly SqlParam[] }
  | { type: 'exec'; sql: string }
  | { type: 'copyFrom'; sql: string; data: string }
  | { type: 'copyTo'; sql: string }
  | { type: 'dump' }
  | { type: 'close' };

export interface PgliteDb extends Db {
  /** The whole data directory as an uncompressed tarball (used for test templates). */
  dumpDataDir(): Promise<Uint8Array>;
}

/**
 * PGlite in a worker thread; data kept in `dataDir` (or in memory when it is null).
 * `templateFile` starts a new database from a tarball made by dumpDataDir().
 */
export async function openPglite(dataDir: string | null, templateFile?: string): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir, templateFile },
    // The worker is plain JS: no TypeScript loader is needed, whatever runs us.
    execArgv: [],
  });
  const pending = new Map<number, (r: Reply) => void>();
  let nextId = 1;
  let dead: Error | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, (r) => (r.ok ? resolve() : reject(new DbError(r.error?.message ?? 'PGlite failed to start'))));
  });
  worker.on('message', (r: Reply) => {
    const cb = pending.get(r.id);
    if (cb) {
      pending.delete(r.id);
      cb(r);
    }
  });
  worker.on('error', (err) => {
    dead = err;
    for (const cb of pending.values()) cb({ id: -1, ok: false, error: { message: `PGlite worker failed: ${err.message}` } });
    pending.clear();
  });
  worker.on('exit', () => {
    dead ??= new Error('PGlite worker exited');
    for (const cb of pending.values()) cb({ id: -1, ok: false, error: { message: 'PGlite worker exited' } });
    pending.clear();
  });
  await ready;

  function send(req: Request): Promise<Reply> {
    if (dead) return Promise.reject(new DbError(`database is closed (${dead.message})`));
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      pending.set(id, (r) => {
        if (r.ok) resolve(r);
        else reject(new DbError(r.error?.message ?? 'database error', r.error?.code, r.error?.detail, r.error?.constraint));
      });
      worker.postMessage({ id, ...req });
    });
  }

  const raw = {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      const r = await send({ type: 'query', sql, params });
      return (r.rows ?? []) as R[];
    },
    async exec(sql: string): Promise<void> {
      await send({ type: 'exec', sql });
    },
  };

  const tx: Tx = {
    query: raw.query,
    exec: raw.exec,
    async copyFrom(table, columns, csv) {
      if (csv.length === 0) return 0;
      const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;
      const r = await send({ type: 'copyFrom', sql, data: csv });
      return r.count ?? 0;
    },
    async copyTo(query) {
      const r = await send({ type: 'copyTo', sql: `COPY (${query}) TO '/dev/blob' WITH (FORMAT csv)` });
      return r.text ?? '';
    },
  };

  // One connection: every statement outside a transaction also waits its turn, so it
  // never lands inside somebody else's transaction.
  const mutex = new Mutex();
  let closed = false;

  return {
    kind: 'pglite',
    description: dataDir ? `PGlite (embedded) in ${dataDir}` : 'PGlite (embedded, in memory)',
    query: (sql, params) => mutex.run(() => raw.query(sql, params)),
    exec: (sql) => mutex.run(() => raw.exec(sql)),
    async transaction(fn, options) {
      return mutex.run(async () => {
        await raw.exec(beginStatement(options));
        try {
          const result = await fn(tx);
          await raw.exec('COMMIT');
          return result;
        } catch (err) {
          await raw.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
    },
    async dumpDataDir() {
      return mutex.run(async () => (await send({ type: 'dump' })).data ?? new Uint8Array());
    },
    async close() {
      if (closed) return;
      closed = true;
      await mutex.run(async () => {
        await send({ type: 'close' }).catch(() => undefined);
        await worker.terminate();
      });
    },
  };
}
