import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../testing/db';
import { countQueries, eventually, withControlledListener } from '../testing/change-feed';
import { signInDemo, startTestApp, type TestApp } from '../testing/app';
import { changeFeed } from '../data/changes';
import { createSession, findUserByUsername, resolveSessionUser, updateUser } from '../data/accounts';

/**
 * Sessions resolved from this process's memory (src/data/session-cache.ts): no round trip
 * per request, and yet a session ended or a user changed — in this process or in another —
 * stops being honoured.
 */

describe.each(TEST_DB_KINDS)('sessions kept in memory on %s', (kind) => {
  let tdb: TestDb;
  let t: TestApp;
  const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } });

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    await eventually(async () => changeFeed(tdb.db).live);
  });
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('answers a known session without a round trip', async () => {
    const s = await signInDemo(t.app, 'manager');
    expect((await me(s.cookie)).statusCode).toBe(200);
    const lookups = countQueries(tdb.db, /\bsessions\b/);
    try {
      for (let i = 0; i < 5; i++) expect((await me(s.cookie)).statusCode).toBe(200);
      expect(lookups.n).toBe(0);
    } finally {
      lookups.stop();
    }
  });

  it('ends a session at sign-out, for the very next request', async () => {
    const s = await signInDemo(t.app, 'manager');
    expect((await me(s.cookie)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(204);
    expect((await me(s.cookie)).statusCode).toBe(401);
  });

  it('stops a disabled user at once, however the change was written in this process', async () => {
    const a = await signInDemo(t.app, 'keyworker');
    expect((await me(a.cookie)).statusCode).toBe(200);
    // Straight SQL, leaving the session row in place: the user's row alone says no.
    await tdb.db.query(`UPDATE users SET active = false WHERE username = 'keyworker'`);
    expect((await me(a.cookie)).statusCode).toBe(401);
    await tdb.db.query(`UPDATE users SET active = true WHERE username = 'keyworker'`);
    expect((await me(a.cookie)).statusCode).toBe(200);
    // Through the accounts layer in a transaction (as the administration API does).
    const user = await findUserByUsername(tdb.db, 'keyworker');
    await tdb.db.transaction((tx) => updateUser(tx, user?.id ?? 0, { active: false }));
    expect((await me(a.cookie)).statusCode).toBe(401);
    await tdb.db.transaction((tx) => updateUser(tx, user?.id ?? 0, { active: true }));
  });

  it('takes a new role at once', async () => {
    const s = await signInDemo(t.app, 'data');
    expect(((await me(s.cookie)).json() as { user: { role: string } }).user.role).toBe('data_manager');
    await tdb.db.query(`UPDATE users SET role = 'pin_member' WHERE username = 'data'`);
    expect(((await me(s.cookie)).json() as { user: { role: string } }).user.role).toBe('pin_member');
    await tdb.db.query(`UPDATE users SET role = 'data_manager' WHERE username = 'data'`);
  });

  it('does not keep sessions while the listener is down, and keeps them again once it listens', async () => {
    // The same database behind a Db whose listening connection the test controls.
    const { db, control } = withControlledListener(tdb.db);
    const user = await findUserByUsername(tdb.db, 'manager');
    const { token } = await createSession(tdb.db, user?.id ?? 0, 12);
    const resolve = () => resolveSessionUser(db, token, 30);
    changeFeed(db);
    control().state(true);
    const lookups = countQueries(db, /\bsessions\b/);
    try {
      expect((await resolve())?.user.username).toBe('manager');
      expect((await resolve())?.user.username).toBe('manager');
      expect(lookups.n).toBe(1);
      control().state(false);
      expect((await resolve())?.user.username).toBe('manager');
      expect((await resolve())?.user.username).toBe('manager');
      expect(lookups.n).toBe(3);
      control().state(true);
      await resolve();
      await resolve();
      expect(lookups.n).toBe(4);
      // A notification naming the user drops the session; '*' drops everyone's.
      control().notify('beacon_sessions', String(user?.id));
      await resolve();
      control().notify('beacon_sessions', '*');
      await resolve();
      control().notify('beacon_sessions', String((user?.id ?? 0) + 1000));
      await resolve();
      expect(lookups.n).toBe(6);
    } finally {
      lookups.stop();
    }
  });
});

describe.runIf(TEST_DB_KINDS.includes('postgres'))('sessions changed by another connection on postgres', () => {
  let tdb: TestDb;
  let t: TestApp;
  let other: pg.Client;
  const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } });

  beforeAll(async () => {
    tdb = await createTestDb('postgres');
    t = await startTestApp({ db: tdb.db, webRoot: null });
    other = new pg.Client({ connectionString: tdb.url });
    await other.connect();
    await eventually(async () => changeFeed(tdb.db).live);
  });
  afterAll(async () => {
    await other.end();
    await t.close();
    await tdb.drop();
  });

  // Another process's change is heard by notification, a moment after its COMMIT: these
  // wait for it (at most 5 s; on one machine it takes milliseconds).
  it('stops honouring a session deleted by another connection', async () => {
    const s = await signInDemo(t.app, 'manager');
    expect((await me(s.cookie)).statusCode).toBe(200);
    expect((await me(s.cookie)).statusCode).toBe(200);
    await other.query(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'manager')`);
    await eventually(async () => (await me(s.cookie)).statusCode === 401);
  });

  it('stops a user disabled by another connection, sessions left in place', async () => {
    const s = await signInDemo(t.app, 'prescriber');
    expect((await me(s.cookie)).statusCode).toBe(200);
    await other.query(`UPDATE users SET active = false WHERE username = 'prescriber'`);
    await eventually(async () => (await me(s.cookie)).statusCode === 401);
    await other.query(`UPDATE users SET active = true WHERE username = 'prescriber'`);
    await eventually(async () => (await me(s.cookie)).statusCode === 200);
  });

  it('honours an idle timeout set by another connection', async () => {
    const s = await signInDemo(t.app, 'keyworker');
    expect((await me(s.cookie)).statusCode).toBe(200);
    await other.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM users WHERE username = 'keyworker')`);
    await eventually(async () => (await me(s.cookie)).statusCode === 401);
  });

  it('ends a session deleted while its listening connection was lost, for the very next request', async () => {
    const s = await signInDemo(t.app, 'data');
    expect((await me(s.cookie)).statusCode).toBe(200);
    const resets: boolean[] = [];
    const feed = changeFeed(tdb.db);
    feed.subscribe('beacon_sessions', { notify: () => undefined, reset: () => resets.push(feed.live) });
    await other.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'beacon-listen' AND datname = current_database()`);
    await eventually(async () => resets.includes(false));
    // Not announced to this process (or announced to nobody): the session is looked up.
    await other.query(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'data')`);
    expect((await me(s.cookie)).statusCode).toBe(401);
    await eventually(async () => feed.live);
    const again = await signInDemo(t.app, 'data');
    expect((await me(again.cookie)).statusCode).toBe(200);
  });
});
