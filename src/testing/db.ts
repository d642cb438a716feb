import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../data/db';
import { openPglite } from '../data/db/pglite';
import { migrate } from '../data/migrate';

/** The PostgreSQL server the suite also runs against (CI starts it on 127.0.0.1:5432). */
export const TEST_PG_ADMIN_URL = process.env.BEACON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDbKind = 'pglite' | 'postgres';

/** Both backends unless BEACON_TEST_DB narrows it (pglite|postgres). */
export const TEST_DB_KINDS: TestDbKind[] = ((): TestDbKind[] => {
  const only = process.env.BEACON_TEST_DB;
  if (only === 'pglite' || only === 'postgres') return [only];
  return ['pglite', 'postgres'];
})();

export interface TestDb {
  db: Db;
  /** The database URL for postgres, undefined for PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A new empty database (migrated unless migrated=false) on the given backend. */
export async function createTestDb(kind: TestDbKind, options: { migrated?: boolean } = {}): Promise<TestDb> {
  if (kind === 'pglite') {
    const template = options.migrated !== false ? process.env.BEACON_TEST_PGLITE_TEMPLATE : undefined;
    const db = template ? await openPglite(null, template) : await openDb({ dataDir: null });
    if (options.migrated !== false) await migrate(db);
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `beacon_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString(), dataDir: null, poolSize: 4 });
  if (options.migrated !== false) await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
