import pg from 'pg';
import { from as copyFromStream, to as copyToStream } from 'pg-copy-streams';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DbError } from './errors';
import { sharedParsers } from './parsers';
import type { Db, SqlParam, Tx } from './types';
import { beginStatement, quoteIdent } from './sql';

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

function clientQueryable(client: pg.ClientBase): Tx {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      try {
        const res = await client.query({ text: sql, values: params as unknown[], types });
        return res.rows as R[];
      } catch (err) {
        throw wrap(err);
      }
    },
    async exec(sql: string) {
      try {
        await client.query(sql);
      } catch (err) {
        throw wrap(err);
      }
    },
    async copyFrom(table, columns, csv) {
      if (csv.length === 0) return 0;
      const stream = client.query(
        copyFromStream(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv)`),
      );
      try {
        await pipeline(Readable.from([csv]), stream);
      } catch (err) {
        throw wrap(err);
      }
      return Number(stream.rowCount ?? 0);
    },
    async copyTo(query) {
      const chunks: Buffer[] = [];
      const stream = client.query(copyToStream(`COPY (${query}) TO STDOUT WITH (FORMAT csv)`));
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

/** A pool of connections to a PostgreSQL server. */
/** The connection string of each open PostgreSQL Db (never logged), for worker threads that open their own. */
const urls = new WeakMap<Db, string>();

/** The connection string a PostgreSQL Db was opened with; null for PGlite. Never log it. */
export function connectionUrlOf(db: Db): string | null {
  return urls.get(db) ?? null;
}

export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  // Dates are handed back as the server writes them ('YYYY-MM-DD' needs DateStyle ISO,
  // whatever the server's default), so every session sets it.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'beacon', options: '-c DateStyle=ISO,YMD' });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  // Fail fast with a readable message when the server is unreachable.
  const probe = await pool.connect().catch((err: unknown) => {
    throw new DbError(`cannot connect to ${safeUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
  });
  probe.release();

  const db: Db = {
    kind: 'postgres',
    description: `PostgreSQL at ${safeUrl(url)}`,
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      try {
        const res = await pool.query({ text: sql, values: params as unknown[], types });
        return res.rows as R[];
      } catch (err) {
        throw wrap(err);
      }
    },
    async exec(sql: string) {
      try {
        await pool.query(sql);
      } catch (err) {
        throw wrap(err);
      }
    },
    async transaction(fn, options) {
      const client = await pool.connect();
      try {
        await client.query(beginStatement(options));
        const result = await fn(clientQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
  urls.set(db, url);
  return db;
}
