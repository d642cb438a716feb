import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { DbError } from './errors';
import { Mutex } from './mutex';
import type { Db, ListenHandlers, SqlParam, Tx } from './types';
import { beginStatement, quoteIdent } from './sql';
import { WriteWatchers } from './watch';

interface Reply {
  id: number;
  /** A notification (LISTEN) rather than a reply: then id is -1. */
  notify?: { channel: string; payload: string };
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
  | { type: 'listen'; channels: readonly string[] }
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
  // Listeners by channel. On PGlite nobody else can write the database (one process holds
  // it), so the one connection's own notifications are all there are; LISTEN stays in place
  // for as long as the worker lives.
  const listening = new Map<string, Set<ListenHandlers>>();
  worker.on('message', (r: Reply) => {
    if (r.notify) {
      for (const h of listening.get(r.notify.channel) ?? []) h.notify(r.notify.channel, r.notify.payload);
      return;
    }
    const cb = pending.get(r.id);
    if (cb) {
      pending.delete(r.id);
      cb(r);
    }
  });
  const lostAll = (): void => {
    const all = new Set([...listening.values()].flatMap((s) => [...s]));
    listening.clear();
    for (const h of all) h.state(false);
  };
  worker.on('error', (err) => {
    dead = err;
    lostAll();
    for (const cb of pending.values()) cb({ id: -1, ok: false, error: { message: `PGlite worker failed: ${err.message}` } });
    pending.clear();
  });
  worker.on('exit', () => {
    dead ??= new Error('PGlite worker exited');
    lostAll();
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

  const txOf = (note: (sql: string) => void): Tx => ({
    query(sql, params) {
      note(sql);
      return raw.query(sql, params);
    },
    exec(sql) {
      note(sql);
      return raw.exec(sql);
    },
    async copyFrom(table, columns, csv) {
      if (csv.length === 0) return 0;
      const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;
      note(sql);
      const r = await send({ type: 'copyFrom', sql, data: csv });
      return r.count ?? 0;
    },
    async copyTo(query) {
      const sql = `COPY (${query}) TO '/dev/blob' WITH (FORMAT csv)`;
      note(sql);
      const r = await send({ type: 'copyTo', sql });
      return r.text ?? '';
    },
  });
  const watchers = new WriteWatchers();

  // One connection: every statement outside a transaction also waits its turn, so it
  // never lands inside somebody else's transaction.
  const mutex = new Mutex();
  let closed = false;

  return {
    kind: 'pglite',
    description: dataDir ? `PGlite (embedded) in ${dataDir}` : 'PGlite (embedded, in memory)',
    query: (sql, params) => mutex.run(() => watchers.around(sql, () => raw.query(sql, params))),
    exec: (sql) => mutex.run(() => watchers.around(sql, () => raw.exec(sql))),
    async transaction(fn, options) {
      return mutex.run(async () => {
        // A read-only transaction cannot write: nothing for the write watchers.
        const watch = options?.readOnly ? null : watchers.transaction();
        await raw.exec(beginStatement(options));
        try {
          const result = await fn(txOf(watch ? watch.note : () => undefined));
          await raw.exec('COMMIT');
          return result;
        } catch (err) {
          await raw.exec('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          watch?.finished();
        }
      });
    },
    listen(channels, handlers) {
      let stopped = false;
      // LISTEN waits its turn like any statement (never inside somebody's transaction).
      mutex
        .run(() => send({ type: 'listen', channels }))
        .then(
          () => {
            if (stopped) return;
            for (const c of channels) {
              let set = listening.get(c);
              if (!set) listening.set(c, (set = new Set()));
              set.add(handlers);
            }
            handlers.state(true);
          },
          () => {
            if (!stopped) handlers.state(false);
          },
        );
      return () => {
        stopped = true;
        for (const c of channels) listening.get(c)?.delete(handlers);
      };
    },
    watchWrites: (watcher) => watchers.add(watcher),
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
