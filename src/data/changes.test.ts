import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../testing/db';
import { countQueries, eventually, withControlledListener } from '../testing/change-feed';
import { changeFeed, DATASET_VERSION_CHANNEL, isPlainSelect, SESSIONS_CHANNEL } from './changes';
import { DATASET_TABLES, datasetVersion } from './mat/cache';

describe('isPlainSelect', () => {
  it.each([
    ['SELECT version FROM dataset_version WHERE id', true],
    ['  select 1;  ', true],
    ['SELECT 1; DELETE FROM people', false],
    ['WITH x AS (DELETE FROM people RETURNING 1) SELECT * FROM x', false],
    ['UPDATE people SET housing = housing', false],
    ['COPY "people" (person_id) FROM STDIN', false],
  ])('%s → %s', (sql, plain) => {
    expect(isPlainSelect(sql)).toBe(plain);
  });
});

describe.each(TEST_DB_KINDS)('change feed on %s', (kind) => {
  let t: TestDb;
  const heard: { channel: string; payload: string }[] = [];

  beforeAll(async () => {
    t = await createTestDb(kind);
    await t.db.query(`INSERT INTO services (service_id, name) VALUES ('S1', 'One')`);
    await t.db.query(`INSERT INTO people (person_id, service_id, date_of_birth, sex) VALUES ('P1', 'S1', '1980-01-01', 'M')`);
    const feed = changeFeed(t.db);
    for (const channel of [DATASET_VERSION_CHANNEL, SESSIONS_CHANNEL] as const) feed.subscribe(channel, { notify: (payload) => heard.push({ channel, payload }), reset: () => undefined });
    await eventually(() => feed.live);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('announces each new dataset version, at COMMIT only', async () => {
    heard.length = 0;
    await t.db.query(`UPDATE people SET housing = housing WHERE person_id = 'P1'`);
    const [row] = await t.db.query<{ version: number }>('SELECT version FROM dataset_version WHERE id');
    await eventually(() => heard.some((h) => h.channel === DATASET_VERSION_CHANNEL && h.payload === String(row?.version)));
    heard.length = 0;
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`UPDATE people SET housing = housing WHERE person_id = 'P1'`);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // A marker after it: once it is heard, anything the rolled-back transaction sent would have been too.
    await t.db.query(`SELECT pg_notify('${SESSIONS_CHANNEL}', 'marker')`);
    await eventually(() => heard.some((h) => h.payload === 'marker'));
    expect(heard.filter((h) => h.channel === DATASET_VERSION_CHANNEL)).toEqual([]);
  });

  it('announces session and user changes, but not the idle timer moving on or sign-in bookkeeping', async () => {
    const [u] = await t.db.query<{ id: number }>(`INSERT INTO users (username, display_name, role) VALUES ('feed', 'Feed', 'keyworker') RETURNING id`);
    const id = u?.id ?? 0;
    await t.db.query(`INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ('h1', $1, 'c', now() + interval '1 hour')`, [id]);
    const marker = async (name: string) => {
      await t.db.query(`SELECT pg_notify('${SESSIONS_CHANNEL}', '${name}')`);
      await eventually(() => heard.some((h) => h.payload === name));
    };
    const sessionsHeard = async (write: string, params: (string | number)[] = []): Promise<string[]> => {
      heard.length = 0;
      await t.db.query(write, params);
      await marker('end');
      return heard.filter((h) => h.channel === SESSIONS_CHANNEL && h.payload !== 'end').map((h) => h.payload);
    };
    expect(await sessionsHeard(`UPDATE sessions SET last_seen_at = now() + interval '1 second' WHERE id_hash = 'h1'`)).toEqual([]);
    expect(await sessionsHeard(`UPDATE users SET failed_attempts = failed_attempts + 1, last_sign_in_at = now(), totp_last_step = 5 WHERE id = $1`, [id])).toEqual([]);
    expect(await sessionsHeard(`UPDATE sessions SET last_seen_at = now() - interval '2 hours' WHERE id_hash = 'h1'`)).toEqual([String(id)]);
    expect(await sessionsHeard(`UPDATE sessions SET csrf_token = 'd' WHERE id_hash = 'h1'`)).toEqual([String(id)]);
    expect(await sessionsHeard(`UPDATE users SET role = 'prescriber' WHERE id = $1`, [id])).toEqual([String(id)]);
    expect(await sessionsHeard(`UPDATE users SET active = false WHERE id = $1`, [id])).toEqual([String(id)]);
    expect(await sessionsHeard(`UPDATE users SET totp_secret = 'x', totp_enabled_at = now() WHERE id = $1`, [id])).toEqual([String(id)]);
    expect(await sessionsHeard(`DELETE FROM sessions WHERE id_hash = 'h1'`)).toEqual([String(id)]);
    expect(await sessionsHeard(`DELETE FROM sessions WHERE id_hash = 'none'`)).toEqual([]);
  });

  it('keeps the dataset version in memory: no round trip while nothing changes, one after a write of this process', async () => {
    await datasetVersion(t.db);
    const reads = countQueries(t.db, /FROM dataset_version/);
    try {
      const v0 = await datasetVersion(t.db);
      expect(await datasetVersion(t.db)).toBe(v0);
      expect(reads.n).toBe(0);
      // A write of this process is seen by the very next read, whenever its notification arrives.
      await t.db.query(`UPDATE people SET housing = housing WHERE person_id = 'P1'`);
      const v1 = await datasetVersion(t.db);
      expect(v1).toBe(v0 + 1);
      expect(reads.n).toBe(1);
      // In a transaction: seen once it has committed.
      await t.db.transaction(async (tx) => {
        await tx.query(`UPDATE people SET housing = housing WHERE person_id = 'P1'`);
        await tx.query(`UPDATE people SET housing = housing WHERE person_id = 'P1'`);
      });
      expect(await datasetVersion(t.db)).toBe(v1 + 2);
      // A bulk load too (COPY names its table).
      await t.db.transaction((tx) => tx.copyFrom('people', ['person_id', 'service_id', 'date_of_birth', 'sex'], 'P2,S1,1980-01-01,F\n'));
      expect(await datasetVersion(t.db)).toBe(v1 + 3);
      // Reads and writes elsewhere leave it known.
      const n = reads.n;
      await t.db.query(`SELECT count(*) FROM people`);
      await t.db.query(`INSERT INTO audit_log (action) VALUES ('test.feed')`);
      await datasetVersion(t.db);
      expect(reads.n).toBe(n);
    } finally {
      reads.stop();
    }
  });

  it('names every table whose writes bump the dataset version', async () => {
    const rows = await t.db.query<{ t: string }>(
      `SELECT DISTINCT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE p.proname = 'bump_dataset_version' ORDER BY 1`,
    );
    expect(rows.map((r) => r.t)).toEqual([...DATASET_TABLES].sort());
  });

  it('has no function that writes a watched table behind a statement that does not name it', async () => {
    // What lets a write of this process be recognised by its SQL text (changes.ts): a watched
    // table is written only by statements that name it, or by triggers on watched tables.
    const watched = [...DATASET_TABLES, 'dataset_version', 'users', 'sessions'];
    const re = new RegExp(`\\b(?:${watched.join('|')})\\b`, 'i');
    const fns = await t.db.query<{ name: string; src: string; trigger: boolean; on: string[] | null }>(
      `SELECT p.proname AS name, p.prosrc AS src, p.prorettype = 'trigger'::regtype AS trigger,
              (SELECT array_agg(DISTINCT c.relname::text) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgfoid = p.oid) AS on
         FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace`,
    );
    expect(fns.length).toBeGreaterThan(5);
    const offending = fns.filter((f) => re.test(f.src) && !(f.trigger && (f.on ?? []).every((tbl) => watched.includes(tbl))));
    expect(offending.map((f) => f.name)).toEqual([]);
    const views = await t.db.query(`SELECT 1 FROM pg_views WHERE schemaname = 'public' UNION ALL SELECT 1 FROM pg_rules WHERE schemaname = 'public'`);
    expect(views).toEqual([]);
  });

  it('falls back to reading the version while the listener is down, and back to memory once it listens again', async () => {
    // The same database behind a Db whose listening connection the test controls, and which
    // is not told of writes through t.db (for it, they are another process's).
    const { db, control } = withControlledListener(t.db);
    const feed = changeFeed(db);
    control().state(true);
    expect(feed.live).toBe(true);
    const reads = countQueries(db, /FROM dataset_version/);
    try {
      const v0 = await datasetVersion(db);
      await datasetVersion(db);
      expect(reads.n).toBe(1);
      control().state(false);
      expect(feed.live).toBe(false);
      // Written behind this Db's back (as another process would): with nobody listening,
      // each read asks the database, so it is seen at once.
      await t.db.query(`UPDATE dataset_version SET version = version + 1 WHERE id`);
      expect(await datasetVersion(db)).toBe(v0 + 1);
      await t.db.query(`UPDATE dataset_version SET version = version + 1 WHERE id`);
      expect(await datasetVersion(db)).toBe(v0 + 2);
      expect(reads.n).toBe(3);
      // Listening again: read once (what happened meanwhile was not heard), then memory,
      // then notifications.
      control().state(true);
      expect(await datasetVersion(db)).toBe(v0 + 2);
      expect(await datasetVersion(db)).toBe(v0 + 2);
      expect(reads.n).toBe(4);
      control().notify(DATASET_VERSION_CHANNEL, String(v0 + 7));
      expect(await datasetVersion(db)).toBe(v0 + 7);
      control().notify(DATASET_VERSION_CHANNEL, '');
      expect(await datasetVersion(db)).toBe(v0 + 2);
      expect(reads.n).toBe(5);
    } finally {
      reads.stop();
    }
  });
});

describe.runIf(TEST_DB_KINDS.includes('postgres'))('change feed across connections on postgres', () => {
  let t: TestDb;
  let other: pg.Client;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    other = new pg.Client({ connectionString: t.url });
    await other.connect();
    await eventually(() => changeFeed(t.db).live);
  });
  afterAll(async () => {
    await other.end();
    await t.drop();
  });

  it('sees a dataset change made by another connection once its notification arrives, without a round trip before', async () => {
    const v0 = await datasetVersion(t.db);
    await other.query(`INSERT INTO services (service_id, name) VALUES ('X1', 'Elsewhere')`);
    const [row] = (await other.query<{ version: string }>('SELECT version FROM dataset_version WHERE id')).rows;
    const v1 = Number(row?.version);
    expect(v1).toBeGreaterThan(v0);
    const reads = countQueries(t.db, /FROM dataset_version/);
    try {
      await eventually(async () => (await datasetVersion(t.db)) === v1);
      expect(reads.n).toBe(0);
    } finally {
      reads.stop();
    }
  });

  it('loses its listening connection, reads the version meanwhile, and listens again', async () => {
    const feed = changeFeed(t.db);
    const resets: boolean[] = [];
    feed.subscribe(DATASET_VERSION_CHANNEL, { notify: () => undefined, reset: () => resets.push(feed.live) });
    await datasetVersion(t.db);
    const ended = await other.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'beacon-listen' AND datname = current_database()`);
    expect(ended.rows).toEqual([{ ok: true }]);
    await eventually(() => resets.includes(false));
    // Changed while nobody listened: never announced to this process, seen all the same.
    await other.query(`UPDATE dataset_version SET version = version + 1 WHERE id`);
    const [row] = (await other.query<{ version: string }>('SELECT version FROM dataset_version WHERE id')).rows;
    expect(await datasetVersion(t.db)).toBe(Number(row?.version));
    // Back: the reconnection listens again and notifications flow.
    await eventually(() => feed.live);
    expect(resets.at(-1)).toBe(true);
    await other.query(`UPDATE dataset_version SET version = version + 1 WHERE id`);
    await eventually(async () => (await datasetVersion(t.db)) === Number(row?.version) + 1);
  });
});
