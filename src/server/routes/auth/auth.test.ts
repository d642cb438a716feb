import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { demoTotpCode, signInDemo, startTestApp, type TestApp } from '../../../testing/app';
import { DEMO_PASSWORD } from '../../bootstrap';
import { hashPassword } from '../../auth/passwords';
import { DEMO_TOTP_SECRET, totpCode } from '../../auth/totp';
import { SecretBox } from '../../auth/secret-box';
import { SESSION_TOUCH_SECONDS, sealClearTotpSecrets, TOTP_SECRET_PURPOSE } from '../../../data/accounts';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../../app';

type Json = Record<string, unknown>;

describe.each(TEST_DB_KINDS)('sign-in, second factor and sessions on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const signIn = (payload: Json, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload, headers });
  const cookieOf = (res: { headers: Record<string, unknown> }) => String([res.headers['set-cookie']].flat()[0] ?? '').split(';')[0] ?? '';

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    const hash = await hashPassword('a-long-test-password');
    await tdb.db.query(
      `INSERT INTO users (username, display_name, password_hash, role, scope_type, scope_id) VALUES
       ('newadmin', 'New Admin', $1, 'administrator', 'organisation', NULL),
       ('kw2', 'Second Keyworker', $1, 'keyworker', 'service', 'SVC-T1')`,
      [hash],
    );
  });
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('asks an administrator for the code after the password, and signs in with it', async () => {
    const first = await signIn({ username: 'admin', password: DEMO_PASSWORD });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ next: 'totp' });
    expect(first.headers['set-cookie']).toBeUndefined();
    const wrong = await signIn({ username: 'admin', password: DEMO_PASSWORD, code: '000000' === (await demoTotpCode()) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ title: expect.stringMatching(/security code/) });
    const ok = await signIn({ username: 'admin', password: DEMO_PASSWORD, code: await demoTotpCode() });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ user: { username: 'admin', role: 'administrator' } });
  });

  it('does not ask for a code before the password is right', async () => {
    const res = await signIn({ username: 'caldicott', password: 'wrong-password' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ title: 'The username or password is not right' });
  });

  it('makes a new administrator set up a second factor on first sign-in, then needs it every time', async () => {
    const first = await signIn({ username: 'newadmin', password: 'a-long-test-password' });
    expect(first.statusCode).toBe(200);
    const body = first.json() as { next: string; enrolment: { token: string; secret: string; uri: string } };
    expect(body.next).toBe('totp_enrol');
    expect(body.enrolment.uri).toMatch(/^otpauth:\/\/totp\/Beacon:newadmin\?secret=/);
    expect(first.headers['set-cookie']).toBeUndefined();
    const secret = body.enrolment.secret.replace(/\s/g, '');
    // Nothing is usable until the enrolment is confirmed.
    const stillNeeds = await signIn({ username: 'newadmin', password: 'a-long-test-password' });
    expect((stillNeeds.json() as { next: string }).next).toBe('totp_enrol');

    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', payload: { token: body.enrolment.token, code: '12345x' } });
    expect(bad.statusCode).toBe(400);
    const done = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', payload: { token: body.enrolment.token, code: await totpCode(secret) } });
    expect(done.statusCode).toBe(200);
    const enrolled = done.json() as { recoveryCodes: string[]; csrfToken: string };
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(cookieOf(done)).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    // Recovery codes are stored hashed only.
    const stored = await tdb.db.query<{ code_hash: string }>(`SELECT code_hash FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.username = 'newadmin'`);
    expect(stored).toHaveLength(10);
    expect(stored.map((s) => s.code_hash)).not.toContain(enrolled.recoveryCodes[0]);
    // The enrolment token is spent.
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', payload: { token: body.enrolment.token, code: await totpCode(secret) } });
    expect(again.statusCode).toBe(401);

    // The same code is not accepted twice (replay), a recovery code works once.
    const replay = await signIn({ username: 'newadmin', password: 'a-long-test-password', code: await totpCode(secret) });
    expect(replay.statusCode).toBe(401);
    const recovery = enrolled.recoveryCodes[0] ?? '';
    expect((await signIn({ username: 'newadmin', password: 'a-long-test-password', code: recovery.toUpperCase() })).statusCode).toBe(200);
    expect((await signIn({ username: 'newadmin', password: 'a-long-test-password', code: recovery })).statusCode).toBe(401);
    const next = await signIn({ username: 'newadmin', password: 'a-long-test-password', code: await totpCode(secret, new Date(Date.now() + 30_000)) });
    expect(next.statusCode).toBe(200);
  });

  it('keeps TOTP secrets encrypted (AES-256-GCM): never in clear in users or in the enrolment challenge', async () => {
    // newadmin enrolled in the test above with a secret only the app and this test saw.
    const first = await signIn({ username: 'kw2', password: 'a-long-test-password' });
    expect(first.statusCode).toBe(200);
    const s = await signInDemo(t.app, 'kw2', 'a-long-test-password');
    const setup = await t.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: {} });
    const offered = (setup.json() as { secret: string }).secret.replace(/\s/g, '');
    const challenges = await tdb.db.query<{ data: unknown }>(`SELECT data FROM auth_challenges`);
    expect(challenges.length).toBeGreaterThan(0);
    expect(JSON.stringify(challenges)).not.toContain(offered);

    const rows = await tdb.db.query<{ username: string; totp_secret: string }>(`SELECT username, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY username`);
    expect(rows.map((r) => r.username)).toEqual(expect.arrayContaining(['admin', 'caldicott', 'newadmin']));
    for (const r of rows) {
      expect(r.totp_secret, r.username).toMatch(/^aesgcm:v1:[A-Za-z0-9_-]+$/);
      expect(r.totp_secret, r.username).not.toContain(DEMO_TOTP_SECRET);
      expect(t.app.secrets.open(r.totp_secret, TOTP_SECRET_PURPOSE)).toMatch(/^[A-Z2-7]+=*$/);
    }
    // Each sealing has its own nonce: the two demo accounts' equal secrets look different.
    const demo = rows.filter((r) => r.username === 'admin' || r.username === 'caldicott').map((r) => r.totp_secret);
    expect(new Set(demo).size).toBe(2);
    // The published demo key still signs the demo accounts in.
    expect((await signInDemo(t.app, 'caldicott')).statusCode).toBe(200);
  });

  it('encrypts secrets left in clear by an older version on start, and refuses a key that does not open them', async () => {
    const hash = await hashPassword('a-long-test-password');
    await tdb.db.query(
      `INSERT INTO users (username, display_name, password_hash, role, scope_type, scope_id, totp_secret, totp_enabled_at) VALUES ('legacy', 'Legacy', $1, 'keyworker', 'service', 'SVC-T1', $2, now())`,
      [hash, DEMO_TOTP_SECRET],
    );
    expect(await sealClearTotpSecrets(tdb.db, t.app.secrets)).toBe(1);
    expect(await sealClearTotpSecrets(tdb.db, t.app.secrets)).toBe(0);
    const stored = (await tdb.db.query<{ totp_secret: string }>(`SELECT totp_secret FROM users WHERE username = 'legacy'`))[0]?.totp_secret ?? '';
    expect(stored.startsWith('aesgcm:v1:')).toBe(true);
    expect(stored).not.toContain(DEMO_TOTP_SECRET);
    expect((await signIn({ username: 'legacy', password: 'a-long-test-password', code: await demoTotpCode() })).statusCode).toBe(200);
    await expect(sealClearTotpSecrets(tdb.db, new SecretBox(randomBytes(32)))).rejects.toThrow(/cannot be decrypted/);
  });

  it('lets anyone turn on a second factor from their account; then it is asked for', async () => {
    const s = await signInDemo(t.app, 'kw2', 'a-long-test-password');
    expect(s.statusCode).toBe(200);
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const account = await t.app.inject({ url: '/api/auth/account', headers });
    expect(account.json()).toMatchObject({ totpEnabled: false, totpRequired: false });
    const setup = await t.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers, payload: {} });
    expect(setup.statusCode).toBe(200);
    const { token, secret } = setup.json() as { token: string; secret: string };
    const done = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers, payload: { token, code: await totpCode(secret.replace(/\s/g, '')) } });
    expect(done.statusCode).toBe(200);
    expect((await signIn({ username: 'kw2', password: 'a-long-test-password' })).json()).toEqual({ next: 'totp' });
    // ...and off again, with the password (a keyworker's role does not require it).
    const s2 = { cookie: cookieOf(done), 'x-csrf-token': (done.json() as { csrfToken: string }).csrfToken };
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/totp/disable', headers: s2, payload: { password: 'wrong' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/totp/disable', headers: s2, payload: { password: 'a-long-test-password' } })).statusCode).toBe(204);
    expect((await signIn({ username: 'kw2', password: 'a-long-test-password' })).statusCode).toBe(200);
  });

  it('does not let an administrator turn their second factor off', async () => {
    const s = await signInDemo(t.app, 'caldicott');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/totp/disable', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(403);
  });

  it('counts wrong codes towards the lockout (brute force of the second factor)', async () => {
    await tdb.db.query(`UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = 'caldicott'`);
    for (let i = 0; i < 5; i++) {
      const r = await signIn({ username: 'caldicott', password: DEMO_PASSWORD, code: String(100000 + i) });
      expect(r.statusCode).toBe(401);
    }
    const locked = await signIn({ username: 'caldicott', password: DEMO_PASSWORD, code: await demoTotpCode() });
    expect(locked.statusCode).toBe(429);
    await tdb.db.query(`UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = 'caldicott'`);
  });

  it('ends a session after the idle time and at the absolute expiry', async () => {
    const a = await signInDemo(t.app, 'keyworker');
    const b = await signInDemo(t.app, 'prescriber');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    // Idle: last seen longer ago than BEACON_SESSION_IDLE_MINUTES (30).
    await tdb.db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM users WHERE username = 'keyworker')`);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(401);
    // Absolute: past expires_at even though in use a moment ago.
    await tdb.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE username = 'prescriber')`);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    // The session lasts no longer than BEACON_SESSION_MAX_HOURS (12) from sign-in.
    const c = await signInDemo(t.app, 'manager');
    const rows = await tdb.db.query<{ hours: number }>(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'manager')`,
    );
    expect(rows.map((r) => r.hours)).toEqual([12]);
    expect(c.statusCode).toBe(200);
  });

  it('moves the idle timer on at most every SESSION_TOUCH_SECONDS (no write per request)', async () => {
    const a = await signInDemo(t.app, 'data');
    const who = `(SELECT id FROM users WHERE username = 'data')`;
    const age = async () => (await tdb.db.query<{ s: number }>(`SELECT extract(epoch FROM now() - last_seen_at)::int AS s FROM sessions WHERE user_id = ${who}`))[0]?.s;
    await tdb.db.query(`UPDATE sessions SET last_seen_at = now() - make_interval(secs => $1::int - 10) WHERE user_id = ${who}`, [SESSION_TOUCH_SECONDS]);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    expect(await age()).toBe(SESSION_TOUCH_SECONDS - 10); // recent enough: left alone
    await tdb.db.query(`UPDATE sessions SET last_seen_at = now() - make_interval(secs => $1::int + 10) WHERE user_id = ${who}`, [SESSION_TOUCH_SECONDS]);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    expect(await age()).toBe(0); // older: moved on
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Secure over TLS, and never stores the token itself', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'manager', password: DEMO_PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const token = cookieOf(res).split('=')[1] ?? '';
    const stored = await tdb.db.query('SELECT 1 FROM sessions WHERE id_hash = $1', [token]);
    expect(stored).toHaveLength(0);
  });

  it('gives a new session id at sign-in and ends the old one (session fixation)', async () => {
    const planted = await signInDemo(t.app, 'keyworker');
    // An attacker's session id set in the victim's browser before the victim signs in:
    const res = await signIn({ username: 'manager', password: DEMO_PASSWORD }, { cookie: planted.cookie });
    expect(res.statusCode).toBe(200);
    expect(cookieOf(res)).not.toBe(planted.cookie);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: planted.cookie } })).statusCode).toBe(401);
    // A made-up session id is worth nothing.
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=made-up-value` } })).statusCode).toBe(401);
  });

  it('refuses a change without the CSRF token, or with a forged one, and audits it', async () => {
    const s = await signInDemo(t.app, 'kw2', 'a-long-test-password');
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie: s.cookie }, payload: {} });
    expect(missing.statusCode).toBe(403);
    const forged = await t.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(s.csrf.length) }, payload: {} });
    expect(forged.statusCode).toBe(403);
    const other = await signInDemo(t.app, 'prescriber');
    const someoneElses = await t.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie: s.cookie, 'x-csrf-token': other.csrf }, payload: {} });
    expect(someoneElses.statusCode).toBe(403);
    const audited = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'denied' AND detail->>'why' = 'csrf'`);
    expect(audited[0]?.n).toBeGreaterThanOrEqual(3);
  });

  it('changes a password: the old one stops working, other sessions end', async () => {
    const s = await signInDemo(t.app, 'panel');
    const other = await signInDemo(t.app, 'panel');
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { current: 'wrong', password: 'a-new-long-password' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { current: DEMO_PASSWORD, password: 'short' } })).statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { current: DEMO_PASSWORD, password: 'a-new-long-password' } });
    expect(ok.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: other.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: cookieOf(ok) } })).statusCode).toBe(200);
    expect((await signIn({ username: 'panel', password: DEMO_PASSWORD })).statusCode).toBe(401);
    expect((await signIn({ username: 'panel', password: 'a-new-long-password' })).statusCode).toBe(200);
  });
});
