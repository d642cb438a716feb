import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { signInDemo, startTestApp, type TestApp } from '../../../testing/app';
import { AccessContext } from '../../access/context';
import { personAccess } from '../../access/person-access';
import type { Principal } from '../../access/roles';

type Session = { cookie: string; csrf: string };

describe.each(TEST_DB_KINDS)('administration, audit and break-the-glass on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, Session>();
  async function as(user: string, password?: string): Promise<Session> {
    const known = sessions.get(user);
    if (known) return known;
    const s = await signInDemo(t.app, user, password);
    expect(s.statusCode, user).toBe(200);
    sessions.set(user, s);
    return s;
  }
  const call = async (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const s = await as(user);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload === undefined ? {} : { payload: payload as object }) });
  };

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    await tdb.db.query(`INSERT INTO services (service_id, name, organisation, local_authority) VALUES ('SVC-T2', 'Other service', 'Test org', 'E06000009')`);
    await tdb.db.query(
      `INSERT INTO people (person_id, service_id, date_of_birth, sex, nhs_number, postcode) VALUES
       ('IN-1', 'SVC-T1', '1980-01-02', 'M', '9434765919', 'LS1 4AP'),
       ('OUT-1', 'SVC-T2', '1975-06-07', 'F', '9434765870', 'M1 1AE')`,
    );
  });
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  describe('users', () => {
    it('lets the administrator create a user with a one-time password, shown once and stored hashed', async () => {
      const res = await call('admin', 'POST', '/api/admin/users', { username: 'new.kw', displayName: 'New Keyworker', role: 'keyworker', scopeType: 'service', scopeId: 'SVC-T1' });
      expect(res.statusCode).toBe(201);
      const body = res.json() as { user: { id: number; role: string; masked_fields: string[] }; password: string };
      expect(body.user).toMatchObject({ role: 'keyworker', masked_fields: [] });
      expect(body.password).toHaveLength(20);
      const stored = await tdb.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = 'new.kw'`);
      expect(stored[0]?.password_hash).toMatch(/^\$argon2id\$/);
      const signIn = await signInDemo(t.app, 'new.kw', body.password);
      expect(signIn.statusCode).toBe(200);
    });

    it('validates users: duplicate, bad role, scope that does not exist, markup in a name', async () => {
      expect((await call('admin', 'POST', '/api/admin/users', { username: 'NEW.KW', displayName: 'x', role: 'keyworker', scopeType: 'service', scopeId: 'SVC-T1' })).statusCode).toBe(409);
      expect((await call('admin', 'POST', '/api/admin/users', { username: 'zz', displayName: 'x', role: 'superuser', scopeType: 'organisation' })).statusCode).toBe(400);
      expect((await call('admin', 'POST', '/api/admin/users', { username: 'zz', displayName: 'x', role: 'keyworker', scopeType: 'service', scopeId: 'NOPE' })).statusCode).toBe(400);
      expect((await call('admin', 'POST', '/api/admin/users', { username: "zz'; DROP TABLE users;--", displayName: 'x', role: 'keyworker', scopeType: 'organisation' })).statusCode).toBe(400);
      expect((await call('admin', 'POST', '/api/admin/users', { username: 'zz', displayName: '<script>alert(1)</script>', role: 'keyworker', scopeType: 'organisation' })).statusCode).toBe(400);
      expect((await tdb.db.query(`SELECT 1 FROM users WHERE username = 'zz'`)).length).toBe(0);
    });

    it('changes role and scope, disables (ending sessions at once), resets a password', async () => {
      const list = (await call('admin', 'GET', '/api/admin/users')).json() as { users: { id: number; username: string }[] };
      const id = list.users.find((u) => u.username === 'new.kw')?.id;
      const kw = await signInDemo(t.app, 'new.kw', (await call('admin', 'POST', `/api/admin/users/${id}/reset-password`)).json<{ password: string }>().password);
      expect(kw.statusCode).toBe(200);
      const moved = await call('admin', 'PATCH', `/api/admin/users/${id}`, { role: 'prescriber', scopeType: 'service', scopeId: 'SVC-T2' });
      expect(moved.json()).toMatchObject({ user: { role: 'prescriber', scope_id: 'SVC-T2', masked_fields: ['postcode', 'criminal_justice'] } });
      // A change of role ends the user's sessions.
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: kw.cookie } })).statusCode).toBe(401);
      const reset = (await call('admin', 'POST', `/api/admin/users/${id}/reset-password`)).json<{ password: string }>();
      const again = await signInDemo(t.app, 'new.kw', reset.password);
      expect(again.statusCode).toBe(200);
      expect((await call('admin', 'PATCH', `/api/admin/users/${id}`, { active: false })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: again.cookie } })).statusCode).toBe(401);
      expect((await signInDemo(t.app, 'new.kw', reset.password)).statusCode).toBe(401);
      expect((await call('admin', 'PATCH', '/api/admin/users/999999', { active: false })).statusCode).toBe(404);
      expect((await call('admin', 'PATCH', `/api/admin/users/${id}`, {})).statusCode).toBe(400);
    });

    it('does not let the administrator lock themselves out or remove the last administrator', async () => {
      const me = (await call('admin', 'GET', '/api/auth/me')).json<{ user: { id: number } }>().user.id;
      expect((await call('admin', 'PATCH', `/api/admin/users/${me}`, { active: false })).statusCode).toBe(400);
      expect((await call('admin', 'PATCH', `/api/admin/users/${me}`, { role: 'keyworker' })).statusCode).toBe(400);
    });

    it('refuses role escalation through the API to every other role', async () => {
      const me = (await call('keyworker', 'GET', '/api/auth/me')).json<{ user: { id: number } }>().user.id;
      for (const user of ['keyworker', 'manager', 'data', 'caldicott', 'pin', 'police']) {
        const res = await call(user, 'PATCH', `/api/admin/users/${me}`, { role: 'administrator', scopeType: 'organisation', scopeId: null });
        expect(res.statusCode, user).toBe(403);
        const create = await call(user, 'POST', '/api/admin/users', { username: `evil-${user}`, displayName: 'x', role: 'administrator', scopeType: 'organisation' });
        expect(create.statusCode, user).toBe(403);
      }
      expect((await tdb.db.query<{ role: string }>(`SELECT role FROM users WHERE username = 'keyworker'`))[0]?.role).toBe('keyworker');
      // Unknown fields in the body are ignored, never applied.
      const sneaky = await call('admin', 'PATCH', `/api/admin/users/${me}`, { displayName: 'Kim Keyworker', password_hash: 'x', demo: false });
      expect(sneaky.statusCode).toBe(200);
      expect((await tdb.db.query<{ demo: boolean }>(`SELECT demo FROM users WHERE username = 'keyworker'`))[0]?.demo).toBe(true);
    });

    it('lets the Caldicott guardian list users but not change them', async () => {
      expect((await call('caldicott', 'GET', '/api/admin/users')).statusCode).toBe(200);
      expect((await call('caldicott', 'POST', '/api/admin/users/1/reset-password')).statusCode).toBe(403);
    });
  });

  describe('break-the-glass', () => {
    it('opens a record in scope directly and hides people outside it from roles that cannot break the glass', async () => {
      const keyworker = (await call('keyworker', 'GET', '/api/break-glass/IN-1')).json();
      expect(keyworker).toMatchObject({ access: 'scope', breakGlassAvailable: false });
      expect((await call('keyworker', 'GET', '/api/break-glass/NOBODY')).statusCode).toBe(404);
      expect((await call('pin', 'GET', '/api/break-glass/OUT-1')).statusCode).toBe(403);
      expect((await call('data', 'GET', '/api/break-glass/OUT-1')).statusCode).toBe(403);
    });

    it('offers emergency access to a care-team role out of scope; the grant needs a reason, is audited and flagged', async () => {
      const before = (await call('keyworker', 'GET', '/api/break-glass/OUT-1')).json();
      expect(before).toMatchObject({ access: 'none', breakGlassAvailable: true });
      expect((await call('keyworker', 'POST', '/api/break-glass/OUT-1', { reason: 'short' })).statusCode).toBe(400);
      expect((await call('keyworker', 'POST', '/api/break-glass/IN-1', { reason: 'Found unresponsive in reception' })).statusCode).toBe(409);
      const res = await call('keyworker', 'POST', '/api/break-glass/OUT-1', { reason: 'Found unresponsive in our reception; paramedics need the prescription' });
      expect(res.statusCode).toBe(201);
      const grant = res.json<{ id: number; review_status: string; expires_at: string; granted_at: string }>();
      expect(grant.review_status).toBe('pending');
      expect(Date.parse(grant.expires_at) - Date.parse(grant.granted_at)).toBe(60 * 60 * 1000);
      expect((await call('keyworker', 'GET', '/api/break-glass/OUT-1')).json()).toMatchObject({ access: 'break_glass', expiresAt: grant.expires_at });
      const audit = await tdb.db.query<{ reason: string; detail: { flagged?: boolean } }>(
        `SELECT reason, detail FROM audit_log WHERE action = 'break_glass.request' AND resource_id = 'OUT-1' AND outcome = 'allowed' AND detail->>'step' = 'open'`,
      );
      expect(audit[0]?.reason).toMatch(/unresponsive/);
      expect(audit[0]?.detail.flagged).toBe(true);
    });

    it('lets personAccess open the record through the grant, audited as break_glass.use, and not once it has expired', async () => {
      const user = (await tdb.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'keyworker'`))[0]?.id ?? null;
      const principal: Principal = { userId: user, username: 'keyworker', displayName: 'Kim', role: 'keyworker', scope: { type: 'service', id: 'SVC-T1' }, via: 'session' };
      const ctx = new AccessContext(tdb.db, principal, { ip: null, requestId: 'test' });
      const uses = async () => (await tdb.db.query(`SELECT 1 FROM audit_log WHERE action = 'break_glass.use' AND resource_id = 'OUT-1'`)).length;
      const before = await uses();
      expect(await personAccess(ctx, tdb.db, 'OUT-1')).toEqual({ allowed: true, via: 'break_glass', serviceId: 'SVC-T2' });
      expect(await uses()).toBe(before + 1);
      await tdb.db.query(`UPDATE break_glass_grants SET expires_at = now() - interval '1 second' WHERE person_id = 'OUT-1'`);
      expect(await personAccess(ctx, tdb.db, 'OUT-1')).toEqual({ allowed: false, exists: true, breakGlassAvailable: true });
      const other: Principal = { ...principal, role: 'pin_member' };
      expect(await personAccess(new AccessContext(tdb.db, other, { ip: null, requestId: 't' }), tdb.db, 'OUT-1')).toEqual({ allowed: false, exists: false, breakGlassAvailable: false });
    });

    it('puts the access in the Caldicott guardian\'s queue, who records the outcome once', async () => {
      expect((await call('admin', 'GET', '/api/admin/break-glass')).statusCode).toBe(403);
      expect((await call('keyworker', 'GET', '/api/admin/break-glass')).statusCode).toBe(403);
      const queue = (await call('caldicott', 'GET', '/api/admin/break-glass')).json<{ grants: { id: number; person_id: string; username: string }[]; pending: number }>();
      expect(queue.pending).toBe(1);
      const g = queue.grants[0];
      expect(g).toMatchObject({ person_id: 'OUT-1', username: 'keyworker' });
      expect((await call('keyworker', 'POST', `/api/admin/break-glass/${g?.id}/review`, { outcome: 'appropriate' })).statusCode).toBe(403);
      expect((await call('caldicott', 'POST', `/api/admin/break-glass/${g?.id}/review`, { outcome: 'inappropriate' })).statusCode).toBe(400);
      const done = await call('caldicott', 'POST', `/api/admin/break-glass/${g?.id}/review`, { outcome: 'appropriate', note: 'Checked with the service: genuine emergency.' });
      expect(done.json()).toMatchObject({ review_status: 'appropriate', reviewed_by: 'caldicott' });
      expect((await call('caldicott', 'POST', `/api/admin/break-glass/${g?.id}/review`, { outcome: 'inappropriate', note: 'again' })).statusCode).toBe(409);
      expect((await call('caldicott', 'POST', '/api/admin/break-glass/999999/review', { outcome: 'appropriate' })).statusCode).toBe(404);
      expect((await call('caldicott', 'GET', '/api/admin/break-glass')).json()).toMatchObject({ pending: 0 });
      expect((await call('caldicott', 'GET', '/api/admin/break-glass?status=reviewed')).json<{ grants: unknown[] }>().grants).toHaveLength(1);
    });
  });

  describe('audit', () => {
    it('finds who saw what, by user, resource, action and date; exports CSV', async () => {
      const byPerson = (await call('caldicott', 'GET', '/api/admin/audit?resourceType=person&resourceId=OUT-1')).json<{ total: number; rows: { username: string; action: string; outcome: string }[] }>();
      expect(byPerson.total).toBeGreaterThanOrEqual(3);
      expect(new Set(byPerson.rows.filter((r) => r.outcome !== 'denied').map((r) => r.username))).toEqual(new Set(['keyworker']));
      // Refusals name the person asked for too: the PIN member and data manager who tried,
      // and the keyworker once the emergency grant had expired.
      expect(new Set(byPerson.rows.filter((r) => r.outcome === 'denied').map((r) => `${r.username} ${r.action}`))).toEqual(
        new Set(['data break_glass.request', 'pin break_glass.request', 'keyworker person.access']),
      );
      const byUser = (await call('caldicott', 'GET', '/api/admin/audit?user=KEYWORKER&action=break_glass.use')).json<{ total: number; rows: { reason: string }[] }>();
      expect(byUser.total).toBe(2);
      expect(byUser.rows[0]?.reason).toMatch(/unresponsive/);
      const today = new Date().toISOString().slice(0, 10);
      const dated = (await call('admin', 'GET', `/api/admin/audit?from=${today}&to=${today}&outcome=denied`)).json<{ total: number; rows: { outcome: string }[] }>();
      expect(dated.total).toBeGreaterThan(0);
      expect(dated.rows.every((r) => r.outcome === 'denied')).toBe(true);
      expect((await call('admin', 'GET', '/api/admin/audit?from=2020-01-01&to=2020-01-31')).json()).toMatchObject({ total: 0 });
      expect((await call('admin', 'GET', '/api/admin/audit?from=yesterday')).statusCode).toBe(400);
      expect((await call('keyworker', 'GET', '/api/admin/audit')).statusCode).toBe(403);

      const csv = await call('caldicott', 'GET', '/api/admin/audit.csv?resourceId=OUT-1');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const parsed = Papa.parse<Record<string, string>>(csv.body, { header: true, skipEmptyLines: true });
      expect(parsed.meta.fields).toEqual(['seq', 'at', 'username', 'role', 'action', 'resource_type', 'resource_id', 'reason', 'ip', 'outcome', 'detail']);
      expect(parsed.data.length).toBe(byPerson.total);
      // Searching and exporting the audit log is itself audited.
      expect((await tdb.db.query(`SELECT 1 FROM audit_log WHERE action = 'admin.audit.export' AND username = 'caldicott'`)).length).toBe(1);
    });

    it('neutralises spreadsheet formulas in the CSV export', async () => {
      await call('keyworker', 'POST', '/api/break-glass/OUT-1', { reason: '=HYPERLINK("http://evil.example","click")' });
      const csv = await call('caldicott', 'GET', '/api/admin/audit.csv?action=break_glass.request&resourceId=OUT-1');
      expect(csv.body).not.toMatch(/,=HYPERLINK|^=HYPERLINK|"=HYPERLINK/m);
      expect(csv.body).toMatch(/'=HYPERLINK/);
    });

    it('has no update or delete path: the database refuses both', async () => {
      await expect(tdb.db.query(`UPDATE audit_log SET username = 'someone-else' WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(tdb.db.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(tdb.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    });

    it('verifies the hash chain, and finds an edited or deleted record when the triggers were bypassed', async () => {
      const ok = (await call('caldicott', 'GET', '/api/admin/audit/verify')).json<{ ok: boolean; rows: number; problems: unknown[] }>();
      expect(ok).toMatchObject({ ok: true, problems: [] });
      expect(ok.rows).toBeGreaterThan(10);
      // Someone with database superuser rights switches the guard off and edits a record.
      await tdb.db.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
      await tdb.db.query(`UPDATE audit_log SET resource_id = 'SOMEONE-ELSE' WHERE seq = 5`);
      await tdb.db.query(`DELETE FROM audit_log WHERE seq = 8`);
      await tdb.db.exec(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
      const broken = (await call('caldicott', 'GET', '/api/admin/audit/verify')).json<{ ok: boolean; problems: { seq: number; problem: string }[] }>();
      expect(broken.ok).toBe(false);
      expect(broken.problems).toEqual([
        { seq: 5, problem: 'content does not match its hash (edited)' },
        { seq: 9, problem: 'records before this one are missing (deleted)' },
      ]);
    });
  });

  describe('IDOR across services', () => {
    it('does not let a keyworker reach another service\'s person through any id-taking route', async () => {
      // The risk profile of a person in another service answers as if there were no such person...
      const other = await call('manager', 'GET', '/api/risk/person/OUT-1?date=2024-06-30');
      expect(other.statusCode).toBe(404);
      expect(other.body).not.toMatch(/1975|9434765870|M1 1AE|SVC-T2/);
      // ...unless the caller holds a live emergency grant (the keyworker's, above): then it opens, audited.
      await tdb.db.query(`UPDATE break_glass_grants SET expires_at = now() + interval '5 minutes' WHERE id = (SELECT max(id) FROM break_glass_grants)`);
      const granted = await call('keyworker', 'GET', '/api/risk/person/OUT-1?date=2024-06-30');
      expect(granted.statusCode).toBe(200);
      expect(granted.json()).toMatchObject({ person: { person_id: 'OUT-1', service_id: 'SVC-T2' } });
      const report = await call('manager', 'GET', '/api/risk/report?date=2024-06-30&service=SVC-T2');
      expect(report.body).not.toMatch(/OUT-1/);
    });
  });

  describe('partner organisations and API tokens', () => {
    type Org = { id: string; name: string; registered: boolean; users: number; active_tokens: number; revoked_tokens: number };
    type Token = { id: string; partner: string; label: string; token_hint: string; last_used_at: string | null; revoked_at: string | null; revoked_by: string | null };
    const list = async (user = 'admin') => (await call(user, 'GET', '/api/admin/partners')).json() as { organisations: Org[]; tokens: Token[] };

    it('registers partner organisations (administrator only); lists those in use but unregistered too', async () => {
      const made = await call('admin', 'POST', '/api/admin/partners', { id: 'west-midlands-police', name: 'West Midlands Police' });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ id: 'west-midlands-police', name: 'West Midlands Police', registered: true, active_tokens: 0 });
      expect((await call('admin', 'POST', '/api/admin/partners', { id: 'west-midlands-police', name: 'Again' })).statusCode).toBe(409);
      expect((await call('admin', 'POST', '/api/admin/partners', { id: 'West Midlands', name: 'x' })).statusCode).toBe(400);
      expect((await call('admin', 'POST', '/api/admin/partners', { id: 'hostel', name: '<b>x</b>' })).statusCode).toBe(400);
      expect((await call('caldicott', 'POST', '/api/admin/partners', { id: 'hostel', name: 'Hostel' })).statusCode).toBe(403);
      expect((await call('ldis', 'GET', '/api/admin/partners')).statusCode).toBe(403);
      const orgs = (await list('caldicott')).organisations;
      expect(orgs.find((o) => o.id === 'west-midlands-police')).toMatchObject({ registered: true });
      // The demo partner submitter's organisation was never registered, but is in use.
      expect(orgs.find((o) => o.id === 'police')).toMatchObject({ registered: false, name: 'police', users: 1 });
    });

    it('creates a token shown once (stored hashed), records when it is used, revokes it; the LDIS view sees the same tokens', async () => {
      expect((await call('admin', 'POST', '/api/admin/partners/nobody-known/tokens', { label: 'CAD' })).statusCode).toBe(404);
      const created = await call('admin', 'POST', '/api/admin/partners/west-midlands-police/tokens', { label: 'CAD system' });
      expect(created.statusCode).toBe(201);
      const { token, record } = created.json() as { token: string; record: Token };
      expect(token).toMatch(/^bcn_ldis_/);
      expect(record).toMatchObject({ partner: 'west-midlands-police', label: 'CAD system', last_used_at: null, revoked_at: null });
      const stored = await tdb.db.query<{ token_hash: string }>('SELECT token_hash FROM ldis_partner_tokens WHERE id = $1', [Number(record.id)]);
      expect(stored[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify((await list()).tokens)).not.toContain(token);

      // Used by the partner's system: the last-used time is recorded and shown.
      const used = await t.app.inject({ method: 'GET', url: '/api/ldis/reports', headers: { authorization: `Bearer ${token}` } });
      expect(used.statusCode).toBe(200);
      const after = await list();
      const shown = after.tokens.find((x) => x.id === record.id);
      expect(shown?.last_used_at).not.toBeNull();
      expect(Date.now() - new Date(shown?.last_used_at ?? 0).getTime()).toBeLessThan(60_000);
      expect(after.organisations.find((o) => o.id === 'west-midlands-police')).toMatchObject({ active_tokens: 1, revoked_tokens: 0 });
      // The LDIS coordinator's page reads the same tokens.
      expect(((await call('ldis', 'GET', '/api/ldis/tokens')).json() as { tokens: Token[] }).tokens.map((x) => x.id)).toContain(record.id);

      expect((await call('caldicott', 'POST', `/api/admin/partner-tokens/${record.id}/revoke`, {})).statusCode).toBe(403);
      const revoked = await call('admin', 'POST', `/api/admin/partner-tokens/${record.id}/revoke`, {});
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ revoked_by: 'admin' });
      expect((await call('admin', 'POST', `/api/admin/partner-tokens/${record.id}/revoke`, {})).statusCode).toBe(409);
      expect((await t.app.inject({ method: 'GET', url: '/api/ldis/reports', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
      expect((await list()).organisations.find((o) => o.id === 'west-midlands-police')).toMatchObject({ active_tokens: 0, revoked_tokens: 1 });
      const audited = await tdb.db.query<{ detail: { change?: string } }>(`SELECT detail FROM audit_log WHERE action = 'admin.partners.write' AND username = 'admin' AND outcome = 'allowed' ORDER BY seq`);
      expect(audited.map((a) => a.detail.change)).toEqual(['create', 'token_create', 'token_revoke']);
    });
  });
});
