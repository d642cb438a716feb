import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../data/dataset';
import { FIXTURE_DATE, writeFixtureDataset } from '../../../data/mat/test-fixtures';
import { signInDemo, startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { DEMO_PASSWORD } from '../../bootstrap';

interface Session {
  cookie: string;
  csrf: string;
}

describe.each(TEST_DB_KINDS)('person API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, Session>();

  async function session(user: string): Promise<Session> {
    let s = sessions.get(user);
    if (!s) {
      // signInDemo adds the demo second-factor code for the roles that need one.
      const res = await signInDemo(t.app, user, DEMO_PASSWORD);
      expect(res.statusCode, user).toBe(200);
      s = { cookie: res.cookie, csrf: res.csrf };
      sessions.set(user, s);
    }
    return s;
  }
  const call = async (user: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) => {
    const s = await session(user);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload === undefined ? {} : { payload: payload as object }) });
  };
  const audits = async (action: string, id: string) =>
    (await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND resource_id = $2', [action, id]))[0]?.n ?? 0;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    const dir = await writeFixtureDataset();
    expect((await importDataset(tdb.db, dir, { today: '2024-12-01' })).status).toBe('succeeded');
    await rm(dir, { recursive: true, force: true });
    await tdb.db.query(`UPDATE users SET scope_id = 'S1' WHERE username IN ('keyworker', 'prescriber')`);
    await tdb.db.query(`UPDATE users SET scope_id = 'S2' WHERE username = 'manager'`);
    await tdb.db.query(`UPDATE people SET postcode = 'FY1 1AA', nhs_number = '9434765919' WHERE person_id = 'P02'`);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('serves the record within scope, masks identity by role, audits the read, 404 outside scope', async () => {
    const res = await call('keyworker', 'GET', `/api/people/P02?date=${FIXTURE_DATE}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      via: string;
      person: { postcode: string; nhs_number: string; masked: string[] };
      mat: { stage: string; reasons: string[] };
      profile: { tier: string; rule: { id: string }; rules: unknown[]; flags: { code: string; evidence: { id: string; source: string }[] }[]; actions: { flag: string }[] };
      prescriptions: unknown[];
      markers: { kind: string }[];
    };
    expect(body.via).toBe('scope');
    expect(body.person).toMatchObject({ postcode: 'FY1 1AA', nhs_number: '9434765919', masked: [] });
    expect(body.mat.stage).toBe('MAT3');
    expect(body.profile).toMatchObject({ tier: 'high', rule: { id: 'high-critical' } });
    expect(body.profile.rules).toHaveLength(4);
    expect(body.profile.flags.find((f) => f.code === 'lowered_tolerance')?.evidence[0]).toMatchObject({ id: 'RE02', source: 'import' });
    expect(await audits('person.record', 'P02')).toBe(1);

    const prescriber = (await call('prescriber', 'GET', `/api/people/P02?date=${FIXTURE_DATE}`)).json() as typeof body;
    expect(prescriber.person).toMatchObject({ postcode: 'FY1', masked: ['postcode'] });

    // Outside the manager's service: break-the-glass could open it (issue 8), so 403 says so.
    const outside = await call('manager', 'GET', '/api/people/P02');
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ breakGlassAvailable: true });
    expect((await call('data', 'GET', '/api/people/NOPE')).statusCode).toBe(404);
    expect((await call('manager', 'GET', '/api/people/P16')).statusCode).toBe(200);
    expect((await call('keyworker', 'GET', '/api/people/NOPE')).statusCode).toBe(404);
    expect((await call('keyworker', 'GET', '/api/people/P02?date=2024-02-30')).statusCode).toBe(400);
  });

  it('withholds the offending items of a TOP from roles without a criminal-justice need', async () => {
    await tdb.db.query(
      `INSERT INTO top (top_id, person_id, date, opiate_days, shoplifting_days, selling_days, theft, assault) VALUES ('T-CJ', 'P02', '2024-06-01', 3, 7, 2, true, true)`,
    );
    type Top = Record<string, unknown> & { top_id: string; withheld?: string[] };
    const tops = async (user: string) => ((await call(user, 'GET', `/api/people/P02?date=${FIXTURE_DATE}`)).json() as { tops: Top[] }).tops.find((x) => x.top_id === 'T-CJ');
    expect(await tops('keyworker')).toMatchObject({ opiate_days: 3, shoplifting_days: 7, selling_days: 2, theft: true, assault: true, withheld: [] });
    for (const user of ['prescriber', 'data', 'admin']) {
      const top = await tops(user);
      expect(top, user).toMatchObject({ opiate_days: 3, shoplifting_days: null, selling_days: null, theft: null, assault: null });
      expect(top?.withheld?.sort(), user).toEqual(['assault', 'selling_days', 'shoplifting_days', 'theft']);
    }
    expect(await tops('caldicott')).toMatchObject({ shoplifting_days: 7, theft: true });
  });

  it('audits every refused record against the person asked for (scope, no care relationship, role)', async () => {
    const refusals = async (id: string) =>
      tdb.db.query<{ username: string; action: string; outcome: string; detail: { why?: string; route?: string } }>(
        `SELECT username, action, outcome, detail FROM audit_log WHERE resource_type = 'person' AND resource_id = $1 AND outcome = 'denied' ORDER BY seq`,
        [id],
      );
    // Out of the manager's service: no care relationship (break-the-glass offered).
    expect((await call('manager', 'GET', '/api/people/P03')).statusCode).toBe(403);
    // The risk API for the same person: 404, and a denial rather than an "allowed" read.
    expect((await call('manager', 'GET', '/api/risk/person/P03')).statusCode).toBe(404);
    // A role that may never read person records: refused before the handler, still named.
    expect((await call('pin', 'GET', '/api/people/P03')).statusCode).toBe(403);
    const rows = await refusals('P03');
    expect(rows.map((r) => [r.username, r.action, r.detail.why])).toEqual([
      ['manager', 'person.record', 'no care relationship'],
      ['manager', 'risk.person', 'no care relationship'],
      ['pin', 'person.record', 'role'],
    ]);
    expect(rows[2]?.detail.route).toBe('/api/people/:personId');
    expect((await tdb.db.query(`SELECT 1 FROM audit_log WHERE resource_id = 'P03' AND username = 'manager' AND outcome = 'allowed'`)).length).toBe(0);
  });

  it('records and changes care-plan actions; validates; refuses other roles', async () => {
    const created = await call('keyworker', 'POST', '/api/people/P02/actions', {
      flag: 'lowered_tolerance',
      action_id: 'lowered_tolerance.naloxone',
      text: 'Give naloxone and overdose advice',
      status: 'planned',
      due_date: '2024-06-25',
      owner: 'Kim',
    });
    expect(created.statusCode).toBe(201);
    const action = created.json() as { id: number; created_by: string };
    expect(action.created_by).toBe('keyworker');
    const bad = await call('keyworker', 'POST', '/api/people/P02/actions', { flag: 'housing', text: 'Refer', status: 'declined' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['declined_reason']);
    expect((await call('data', 'POST', '/api/people/P02/actions', { flag: 'housing', text: 'Refer', status: 'planned' })).statusCode).toBe(403);
    expect((await call('manager', 'POST', '/api/people/P02/actions', { flag: 'housing', text: 'Refer', status: 'planned' })).statusCode).toBe(403);

    const open = (await call('keyworker', 'GET', `/api/care-actions/open?date=${FIXTURE_DATE}`)).json() as { actions: { id: number; overdue: boolean }[] };
    expect(open.actions).toEqual([expect.objectContaining({ id: action.id, overdue: true })]);
    // The caseload line: how many are open, the next due date and whether it is overdue (on the caseload date).
    type Line = { person_id: string; open_actions: number; overdue_actions: number; next_action_due: string | null; next_action_overdue: boolean };
    const line = async (date: string) => ((await call('keyworker', 'GET', `/api/caseload?date=${date}`)).json() as { people: Line[] }).people.find((p) => p.person_id === 'P02');
    expect(await line(FIXTURE_DATE)).toMatchObject({ open_actions: 1, overdue_actions: 1, next_action_due: '2024-06-25', next_action_overdue: true });
    expect(await line('2024-06-25')).toMatchObject({ open_actions: 1, overdue_actions: 0, next_action_due: '2024-06-25', next_action_overdue: false });
    expect(((await call('keyworker', 'GET', `/api/caseload?date=${FIXTURE_DATE}`)).json() as { people: Line[] }).people.filter((p) => p.person_id !== 'P02').every((p) => p.open_actions === 0 && p.next_action_due === null)).toBe(true);
    expect(((await call('manager', 'GET', '/api/care-actions/open')).json() as { actions: unknown[] }).actions).toEqual([]);

    const done = await call('prescriber', 'PATCH', `/api/people/P02/actions/${action.id}`, { status: 'done' });
    expect(done.json()).toMatchObject({ status: 'done', updated_by: 'prescriber' });
    expect((await call('prescriber', 'PATCH', `/api/people/P03/actions/${action.id}`, { status: 'done' })).statusCode).toBe(404);
    expect((await call('prescriber', 'PATCH', `/api/people/P02/actions/${action.id}`, {})).statusCode).toBe(400);
    // Created, refused as invalid, refused to the data manager's role and outside the
    // manager's scope (both named against P02), changed (the PATCH naming P03 is audited on P03).
    expect(await audits('person.actions.write', 'P02')).toBe(5);
    const record = (await call('keyworker', 'GET', `/api/people/P02?date=${FIXTURE_DATE}`)).json() as { care_actions: { status: string }[] };
    expect(record.care_actions.map((a) => a.status)).toEqual(['done']);
  });

  it('captures records on the record with the import’s validation', async () => {
    const ok = await call('keyworker', 'POST', '/api/people/P03/risk-events', { date: '2024-06-20', type: 'non_fatal_overdose', detail: 'Told keyworker' });
    expect(ok.statusCode).toBe(201);
    expect((ok.json() as { record_id: string }).record_id).toMatch(/^BCN-RE-/);
    const r = (await call('keyworker', 'GET', `/api/people/P03?date=${FIXTURE_DATE}`)).json() as { profile: { tier: string; critical: string[] } };
    expect(r.profile).toMatchObject({ tier: 'high', critical: ['recent_overdose'] });

    const bad = await call('keyworker', 'POST', '/api/people/P03/drug-tests', { date: '31/02/2024', results: [{ substance: 'spice', result: 'positive' }] });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['date', 'substance']);
    const nx = await call('prescriber', 'POST', '/api/people/P04/naloxone', { date: '30/06/2024', product: 'Nasal' });
    expect(nx.statusCode).toBe(201);
    expect((await call('manager', 'POST', '/api/people/P04/naloxone', { date: '2024-06-30', product: 'nasal' })).statusCode).toBe(403);
    expect((await call('data', 'POST', '/api/people/P04/naloxone', { date: '2024-06-30', product: 'nasal' })).statusCode).toBe(403);
    expect(await audits('person.capture', 'P03')).toBe(2);
  });

  it('serves the caseload, sorted by tier, within scope', async () => {
    const res = await call('keyworker', 'GET', `/api/caseload?date=${FIXTURE_DATE}`);
    expect(res.statusCode).toBe(200);
    const c = res.json() as { people: { person_id: string; service_id: string; tier: string }[]; totals: { people: number } };
    expect(new Set(c.people.map((p) => p.service_id))).toEqual(new Set(['S1']));
    expect(c.people[0]?.tier).toBe('high');
    expect(c.totals.people).toBe(c.people.length);
    const m = (await call('manager', 'GET', `/api/caseload?date=${FIXTURE_DATE}`)).json() as typeof c;
    expect(m.people.map((p) => p.person_id)).toEqual(['P16', 'P17']);
    expect((await call('pin', 'GET', '/api/caseload')).statusCode).toBe(403);
    // An organisation-wide role sees one service at a time: the first, or the one asked for.
    const org = (await call('data', 'GET', `/api/caseload?date=${FIXTURE_DATE}`)).json() as typeof c & { service_id: string; services: { service_id: string }[] };
    expect(org.service_id).toBe('S1');
    expect(org.services.map((s) => s.service_id)).toEqual(['S1', 'S2', 'SVC-T1']);
    expect(new Set(org.people.map((p) => p.service_id))).toEqual(new Set(['S1']));
    const s2 = (await call('data', 'GET', `/api/caseload?date=${FIXTURE_DATE}&service=S2`)).json() as typeof c;
    expect(s2.people.map((p) => p.person_id)).toEqual(['P16', 'P17']);
    expect(((await call('manager', 'GET', `/api/caseload?date=${FIXTURE_DATE}&service=S1`)).json() as typeof c).people).toEqual([]);
  });

  it('downloads the service risk report as CSV and XLSX, scope-filtered, audited', async () => {
    const csv = await call('keyworker', 'GET', `/api/risk/report.csv?date=${FIXTURE_DATE}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`beacon-risk-${FIXTURE_DATE}.csv`);
    expect(csv.body.split('\n')[0]).toMatch(/^person_id,service_id/);
    expect(csv.body).toContain('P02,S1');
    expect(csv.body).not.toContain('P16');
    const xlsx = await call('manager', 'GET', `/api/risk/report.xlsx?date=${FIXTURE_DATE}&service=S2`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await call('pin', 'GET', '/api/risk/report.csv')).statusCode).toBe(403);
    expect((await call('keyworker', 'GET', '/api/risk/report.csv?service=NOPE')).statusCode).toBe(404);
    const audited = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'risk.report' AND detail->>'format' IN ('csv', 'xlsx') AND outcome = 'allowed'`);
    expect(audited[0]?.n).toBe(2);
  });

  it('lists dose advisories for prescribers', async () => {
    const res = await call('manager', 'GET', `/api/advisories?date=${FIXTURE_DATE}`);
    expect((res.json() as { advisories: { person_id: string; code: string }[] }).advisories).toEqual([
      expect.objectContaining({ person_id: 'P16', code: 'methadone_day1_above_max' }),
    ]);
  });

  it('lets an administrator change the risk configuration, audited, in force at once', async () => {
    // Administrators sign in with a second factor; a signed-in session follows the stored role.
    await session('ldis');
    await tdb.db.query(`UPDATE users SET role = 'administrator' WHERE username = 'ldis'`);
    expect((await call('keyworker', 'GET', '/api/risk/config')).statusCode).toBe(200);
    expect((await call('keyworker', 'PUT', '/api/risk/config', { releaseCriticalWindow: { amount: 15, unit: 'days' } })).statusCode).toBe(403);
    // P05 was released from prison 15 days before the date: lowered tolerance, not critical (Medium).
    const everywhere = async () => {
      const record = (await call('keyworker', 'GET', `/api/people/P05?date=${FIXTURE_DATE}`)).json() as { profile: { tier: string; critical: string[] } };
      const caseload = (await call('keyworker', 'GET', `/api/caseload?date=${FIXTURE_DATE}`)).json() as { people: { person_id: string; tier: string; critical: string[] }[] };
      const risk = (await call('keyworker', 'GET', `/api/risk/report?date=${FIXTURE_DATE}`)).json() as { people: { person_id: string; tier: string; critical: string[] }[] };
      const worklists = (await call('keyworker', 'GET', `/api/mat/worklists?month=${FIXTURE_DATE.slice(0, 7)}`)).json() as { worklists: { person_id: string; risk_tier: string }[] };
      const mat = (await call('keyworker', 'GET', `/api/mat/report?month=${FIXTURE_DATE.slice(0, 7)}`)).json() as { people: { person_id: string; risk_tier: string }[] };
      const c = caseload.people.find((p) => p.person_id === 'P05');
      const r = risk.people.find((p) => p.person_id === 'P05');
      const w = worklists.worklists.filter((p) => p.person_id === 'P05');
      expect(w.length).toBeGreaterThan(0);
      return {
        record: [record.profile.tier, record.profile.critical],
        caseload: [c?.tier, c?.critical],
        risk_report: [r?.tier, r?.critical],
        worklists: [...new Set(w.map((x) => x.risk_tier))],
        mat_report: mat.people.find((p) => p.person_id === 'P05')?.risk_tier,
      };
    };
    expect(await everywhere()).toEqual({
      record: ['medium', []],
      caseload: ['medium', []],
      risk_report: ['medium', []],
      worklists: ['medium'],
      mat_report: 'medium',
    });
    const bad = await call('ldis', 'PUT', '/api/risk/config', { releaseCriticalWindow: { amount: 60, unit: 'days' } });
    expect(bad.statusCode).toBe(400);
    expect((await call('ldis', 'PUT', '/api/risk/config', { nonsense: 1 })).statusCode).toBe(400);
    const ok = await call('ldis', 'PUT', '/api/risk/config', { releaseCriticalWindow: { amount: 15, unit: 'days' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ overrides: { releaseCriticalWindow: { amount: 15, unit: 'days' } }, updated_by: 'ldis', problems: [] });
    // A 15-day critical window makes P05's release critical (High) on the record, the
    // caseload, the risk report and the MAT worklists and report, at once.
    expect(await everywhere()).toEqual({
      record: ['high', ['lowered_tolerance']],
      caseload: ['high', ['lowered_tolerance']],
      risk_report: ['high', ['lowered_tolerance']],
      worklists: ['high'],
      mat_report: 'high',
    });
    const p05 = (await call('keyworker', 'GET', `/api/people/P05?date=${FIXTURE_DATE}`)).json() as { profile: { critical: string[] } };
    expect(p05.profile.critical).toEqual(['lowered_tolerance']);
    const report = (await call('keyworker', 'GET', `/api/risk/report?date=${FIXTURE_DATE}`)).json() as { people: { person_id: string; critical: string[] }[] };
    expect(report.people.find((p) => p.person_id === 'P05')?.critical).toEqual(['lowered_tolerance']);
    const audited = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'risk.config.write' AND outcome = 'allowed'`);
    expect(audited[0]?.n).toBe(1);
    expect((await call('ldis', 'PUT', '/api/risk/config', {})).json()).toMatchObject({ overrides: {}, updated_at: null });
    expect((await everywhere()).caseload).toEqual(['medium', []]);
  });
});
