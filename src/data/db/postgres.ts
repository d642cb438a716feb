import pg from 'pg';
import { from as copyFromStream, to as copyToStream } from 'pg-copy-streams';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DbError } from './errors';
import { sharedParsers } from './parsers';
import type { Db, ListenHandlers, SqlParam, Tx } from './types';
import { beginStatement, quoteIdent } from './sql';
import { WriteWatchers } from './watch';

const types = {
  getTypeParser(oid: number, format?: string) {
    const parser = sharedParsers[oid];
    if (parser && format !== 'binary') return parser;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function wrap(err: unknown): Error {
  if (err instanceof Error) {
    const e = err as Error & { code?: string; detail?: string; constraint?: string };
    return new DbError(e.message, e.code, e.detail, e.constraint);
  }
  return new DbError(String(err));
}

/** Describes a connection string without its password. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

function clientQueryable(client: pg.ClientBase, note: (sql: string) => void): Tx {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      note(sql);
      try {
        const res = await client.query({ text: sql, values: params as unknown[], types });
        return res.rows as R[];
      } catch (err) {
        throw wrap(err);
      }
    },
    async exec(sql: string) {
      note(sql);
      try {
        await client.query(sql);
      } catch (err) {
        throw wrap(err);
      }
    },
    async copyFrom(table, columns, csv) {
      if (csv.length === 0) return 0;
      const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
      note(sql);
      const stream = client.query(copyFromStream(sql));
      try {
        await pipeline(Readable.from([csv]), stream);
      } catch (err) {
        throw wrap(err);
      }
      return Number(stream.rowCount ?? 0);
    },
    async copyTo(query) {
      const chunks: Buffer[] = [];
      const sql = `COPY (${query}) TO STDOUT WITH (FORMAT csv)`;
      note(sql);
      const stream = client.query(copyToStream(sql));
      try {
        await pipeline(
          stream,
          new Writable({
            write(chunk: Buffer, _enc, cb) {
              chunks.push(chunk);
              cb();
            },
          }),
        );
      } catch (err) {
        throw wrap(err);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** The connection string of each open PostgreSQL Db (never logged), for worker threads that open their own. */
const urls = new WeakMap<Db, string>();

/** The connection string a PostgreSQL Db was opened with; null for PGlite. Never log it. */
export function connectionUrlOf(db: Db): string | null {
  return urls.get(db) ?? null;
}

/** How often the listening connection is checked, and how long an answer may take. */
const LISTEN_PING_MS = 5_000;
const LISTEN_RETRY_MAX_MS = 10_000;

/**
 * LISTEN on a connection of its own, kept open: reconnects (after 0.1 s, doubling up to
 * 10 s) when it fails or ends, and checks it every 5 s with `SELECT 1` (a connection that
 * does not answer within 5 s is given up and replaced), so that a silently broken one is
 * noticed. handlers.state says when notifications are being received and when they may
 * have been missed.
 */
function listenOn(url: string, channels: readonly string[], handlers: ListenHandlers): () => void {
  let stopped = false;
  let live: pg.Client | null = null;
  let retryMs = 100;
  let retry: NodeJS.Timeout | null = null;
  let ping: NodeJS.Timeout | null = null;

  const giveUp = (client: pg.Client): void => {
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (live === client) {
      live = null;
      if (ping) clearInterval(ping);
      ping = null;
      handlers.state(false);
    }
    if (!stopped && retry === null) {
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, retryMs);
      retry.unref();
      retryMs = Math.min(retryMs * 2, LISTEN_RETRY_MAX_MS);
    }
  };

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url, application_name: 'beacon-listen', options: '-c DateStyle=ISO,YMD', keepAlive: true });
    let failed = false;
    const fail = (): void => {
      if (failed) return;
      failed = true;
      giveUp(client);
    };
    client.on('error', fail);
    client.on('end', fail);
    client.on('notification', (n) => {
      if (live === client) handlers.notify(n.channel, n.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(channels.map((c) => `LISTEN ${quoteIdent(c)}`).join('; '));
    } catch {
      fail();
      return;
    }
    if (failed) return;
    if (stopped) {
      client.end().catch(() => undefined);
      return;
    }
    live = client;
    retryMs = 100;
    handlers.state(true);
    ping = setInterval(() => {
      let answered = false;
      const late = setTimeout(() => {
        if (!answered) fail();
      }, LISTEN_PING_MS);
      late.unref();
      client.query('SELECT 1').then(
        () => {
          answered = true;
          clearTimeout(late);
        },
        () => fail(),
      );
    }, LISTEN_PING_MS);
    ping.unref();
  };

  void connect();
  return () => {
    if (stopped) return;
    stopped = true;
    if (retry) clearTimeout(retry);
    retry = null;
    const client = live;
    if (client) {
      // Stopping is not a loss of notifications: no state(false).
      live = null;
      if (ping) clearInterval(ping);
      ping = null;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
    }
  };
}

/** A pool of connections to a PostgreSQL server. */
export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  // Dates are handed back as the server writes them ('YYYY-MM-DD' needs DateStyle ISO,
  // whatever the server's default), so every session sets it. JIT compilation is off:
  // Beacon's queries are short, and compiling one (tens to hundreds of milliseconds, as
  // PostgreSQL judges a batch query of 5,000 people worth it) cost more than it saved.
  // work_mem is 32 MB (default 4 MB): sorting one batch's records (5,000 people's
  // histories, a few MB) otherwise spills to disk.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'beacon', options: '-c DateStyle=ISO,YMD -c jit=off -c work_mem=32MB' });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  // Fail fast with a readable message when the server is unreachable.
  const probe = await pool.connect().catch((err: unknown) => {
    throw new DbError(`cannot connect to ${safeUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
  });
  probe.release();
  const watchers = new WriteWatchers();
  const listeners = new Set<() => void>();

  const db: Db = {
    kind: 'postgres',
    description: `PostgreSQL at ${safeUrl(url)}`,
    query<R>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      return watchers.around(sql, async () => {
        try {
          const res = await pool.query({ text: sql, values: params as unknown[], types });
          return res.rows as R[];
        } catch (err) {
          throw wrap(err);
        }
      });
    },
    exec(sql: string) {
      return watchers.around(sql, async () => {
        try {
          await pool.query(sql);
        } catch (err) {
          throw wrap(err);
        }
      });
    },
    async transaction(fn, options) {
      const client = await pool.connect();
      // A read-only transaction cannot write: nothing for the write watchers.
      const watch = options?.readOnly ? null : watchers.transaction();
      try {
        await client.query(beginStatement(options));
        const result = await fn(clientQueryable(client, watch ? watch.note : () => undefined));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
        watch?.finished();
      }
    },
    listen(channels, handlers) {
      const stop = listenOn(url, channels, handlers);
      listeners.add(stop);
      return () => {
        listeners.delete(stop);
        stop();
      };
    },
    watchWrites: (watcher) => watchers.add(watcher),
    async close() {
      for (const stop of listeners) stop();
      listeners.clear();
      await pool.end();
    },
  };
  urls.set(db, url);
  return db;
}
