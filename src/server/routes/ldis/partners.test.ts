import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { DEMO_PASSWORD } from '../../bootstrap';

/** The demo coordinator's area in the test app. */
const AREA = 'E06000008';

function report(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partner_report_id: id,
    source: 'ambulance',
    event_date: '2024-05-10',
    event_type: 'ambulance_callout',
    local_authority: AREA,
    age: 29,
    sex: 'M',
    naloxone_doses: 3,
    synthetic_opioid_suspected: 'Y',
    substances: 'heroin; nitazene',
    outcome: 'hospital',
    ...extra,
  };
}

const HEADER = 'report_id,received_at,source,event_date,event_type,local_authority,age,sex,hmo,substances,exercise';

describe.each(TEST_DB_KINDS)('LDIS partner tokens, CSV import, case list and gaps on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, { cookie: string; csrf: string }>();

  async function as(user: string) {
    const known = sessions.get(user);
    if (known) return known;
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: user, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const raw = res.headers['set-cookie'];
    const cookie = (Array.isArray(raw) ? String(raw[0]) : String(raw)).split(';')[0] ?? '';
    const s = { cookie, csrf: (res.json() as { csrfToken: string }).csrfToken };
    sessions.set(user, s);
    return s;
  }
  async function send(user: string, method: 'POST' | 'DELETE', url: string, payload?: unknown) {
    const s = await as(user);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  }
  async function get(user: string, url: string) {
    const s = await as(user);
    return t.app.inject({ url, headers: { cookie: s.cookie } });
  }
  async function rows(sql: string, params: string[] = []): Promise<number> {
    const r = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return r[0]?.n ?? -1;
  }

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  let token = '';
  let tokenId = '';

  it('creates a token for a partner organisation, shown once and stored only as a hash', async () => {
    expect((await send('police', 'POST', '/api/ldis/tokens', { partner: 'wm-ambulance', label: 'CAD system' })).statusCode).toBe(403);
    const bad = await send('ldis', 'POST', '/api/ldis/tokens', { partner: 'West Midlands!', label: '' });
    expect(bad.statusCode).toBe(400);
    const res = await send('ldis', 'POST', '/api/ldis/tokens', { partner: 'wm-ambulance', label: 'CAD system' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { token: string; record: { id: string; token_hint: string; revoked_at: string | null } };
    token = body.token;
    tokenId = body.record.id;
    expect(token).toMatch(/^bcn_ldis_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(body.record.token_hint.replace('…', ''))).toBe(true);
    const stored = await tdb.db.query<{ token_hash: string }>('SELECT token_hash FROM ldis_partner_tokens WHERE id = $1', [Number(tokenId)]);
    expect(stored[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    const list = await get('ldis', '/api/ldis/tokens');
    expect(list.body).not.toContain(token);
    expect((list.json() as { tokens: unknown[] }).tokens).toHaveLength(1);
  });

  it('a bearer token acts as a partner submitter of its organisation, without CSRF, idempotent on the report id', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const first = await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: auth, payload: report('CAD-1') });
    expect(first.statusCode).toBe(201);
    const again = await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: auth, payload: report('CAD-1') });
    expect(again.statusCode).toBe(200);
    expect((again.json() as { report_id: string }).report_id).toBe((first.json() as { report_id: string }).report_id);
    expect(await rows(`ldis_submissions WHERE partner = 'wm-ambulance'`)).toBe(1);
    const invalid = await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: auth, payload: report('CAD-2', { event_type: 'picnic' }) });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect((invalid.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain('body.event_type');
    // The token sees its organisation's reports only, and cannot use the coordinator's routes.
    const mine = await t.app.inject({ url: '/api/ldis/reports', headers: auth });
    expect((mine.json() as { reports: Array<{ partner: string }> }).reports.map((r) => r.partner)).toEqual(['wm-ambulance']);
    expect((await t.app.inject({ url: '/api/ldis/inbox', headers: auth })).statusCode).toBe(403);
    // An unknown token is nobody.
    expect((await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: { authorization: 'Bearer bcn_ldis_nope' }, payload: report('X') })).statusCode).toBe(401);
    // A cookie session still needs its CSRF token.
    const s = await as('police');
    expect((await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: { cookie: s.cookie }, payload: report('P-1') })).statusCode).toBe(403);
    const audit = await tdb.db.query<{ username: string }>(`SELECT username FROM audit_log WHERE action = 'ldis.submit' AND outcome = 'allowed' ORDER BY id DESC LIMIT 1`);
    expect(audit[0]?.username).toBe(`token:wm-ambulance#${tokenId}`);
  });

  it('a revoked token stops working at once', async () => {
    const r = await send('ldis', 'DELETE', `/api/ldis/tokens/${tokenId}`);
    expect(r.statusCode).toBe(200);
    expect((await send('ldis', 'DELETE', `/api/ldis/tokens/${tokenId}`)).statusCode).toBe(409);
    expect((await send('ldis', 'DELETE', '/api/ldis/tokens/999999')).statusCode).toBe(404);
    const after = await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: { authorization: `Bearer ${token}` }, payload: report('CAD-3') });
    expect(after.statusCode).toBe(401);
  });

  it('imports a partner CSV all or nothing, listing file, line, column, value and expected', async () => {
    const bad = [
      HEADER,
      `H-1,2024-05-11T09:00:00Z,hostel,2024-05-10,naloxone_administration,${AREA},35,F,Y,heroin,`,
      `H-2,2024-05-11T09:00:00Z,hostel,2024-13-40,naloxone_administration,${AREA},abc,Q,Y,,`,
      `"H-3",2024-05-11T09:00:00Z,hostel,2024-05-10,"multi`,
      `line",${AREA},,,,,`,
    ].join('\n');
    const r = await send('police', 'POST', '/api/ldis/import', { file_name: 'hostel.csv', csv: bad });
    expect(r.statusCode).toBe(400);
    const problems = (r.json() as { problems: Array<{ file: string; line: number; column: string; value: string; expected: string }> }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'hostel.csv', line: 3, column: 'event_date', value: '2024-13-40' }),
        expect.objectContaining({ line: 3, column: 'age', value: 'abc', expected: expect.stringContaining('whole number') }),
        expect.objectContaining({ line: 3, column: 'sex', value: 'Q' }),
        expect.objectContaining({ line: 4, column: 'event_type', value: 'multi\nline' }),
      ]),
    );
    expect(await rows(`ldis_submissions WHERE partner = 'police'`)).toBe(0);

    const good = [HEADER, `H-1,2024-05-11T09:00:00Z,hostel,2024-05-10,naloxone_administration,${AREA},35,F,Y,heroin,`, `H-2,2024-05-12T09:00:00Z,hostel,2024-05-11,non_fatal_overdose,${AREA},,,,,Y`].join('\r\n');
    const ok = await send('police', 'POST', '/api/ldis/import', { file_name: 'hostel.csv', csv: good });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ rows: 2, created: 2, replayed: 0, partner: 'police' });
    const again = await send('police', 'POST', '/api/ldis/import', { file_name: 'hostel.csv', csv: good });
    expect(again.json()).toMatchObject({ rows: 2, created: 0, replayed: 2 });
    expect(await rows(`ldis_submissions WHERE partner = 'police'`)).toBe(2);
    // Reusing an id for other content rolls the whole file back.
    const clash = [HEADER, `H-9,2024-05-11T09:00:00Z,hostel,2024-05-10,naloxone_administration,${AREA},,,,,`, `H-1,2024-05-11T09:00:00Z,hostel,2024-05-10,death,${AREA},35,F,Y,heroin,`].join('\n');
    const c = await send('police', 'POST', '/api/ldis/import', { file_name: 'clash.csv', csv: clash });
    expect(c.statusCode).toBe(400);
    expect((c.json() as { problems: Array<{ line: number; column: string }> }).problems[0]).toMatchObject({ line: 3, column: 'report_id' });
    expect(await rows(`ldis_submissions WHERE partner = 'police'`)).toBe(2);
    // Coordinators name the partner the file comes from.
    expect((await send('ldis', 'POST', '/api/ldis/import', { file_name: 'x.csv', csv: good })).statusCode).toBe(400);
  });

  it('lists cases in the Op Mabble columns, linked reports as one case, drills apart, and exports XLSX', async () => {
    const amb = await send('police', 'POST', '/api/ldis/reports', report('L-1', { source: 'police', event_type: 'non_fatal_overdose', postcode: 'B12 9QT' }));
    const ed = await send('ldis', 'POST', '/api/ldis/reports', report('L-2', { source: 'emergency_department', event_type: 'ae_attendance', tox_tested_nitazene: 'Y', tox_nitazene_present: 'Y' }));
    await send('ldis', 'POST', '/api/ldis/reports', report('L-3', { exercise: 'Y' }));
    const ids = [(amb.json() as { report_id: string }).report_id, (ed.json() as { report_id: string }).report_id];
    expect((await send('ldis', 'POST', '/api/ldis/links', { report_ids: ids })).statusCode).toBe(201);
    const list = await get('ldis', '/api/ldis/cases?from=2024-05-01&to=2024-05-31');
    expect(list.statusCode).toBe(200);
    const body = list.json() as { cases: Array<{ case_id: string; event_date: string; level: string; report_ids: string[]; exercise: boolean; fields: Record<string, unknown> }>; by_area_week: Array<{ week: string; cases: number }> };
    const linked = body.cases.find((c) => c.report_ids.includes(ids[0] as string));
    expect(linked?.report_ids.sort()).toEqual([...ids].sort());
    expect(linked?.level).toBe('confirmed');
    expect(linked?.fields.tox_nitazene_present).toBe('Yes');
    expect(body.cases.some((c) => c.exercise)).toBe(false);
    expect(body.by_area_week.find((w) => w.week === '2024-05-06')?.cases).toBe(body.cases.filter((c) => c.event_date >= '2024-05-06' && c.event_date <= '2024-05-12').length);
    const withDrills = (await get('ldis', '/api/ldis/cases?from=2024-05-01&to=2024-05-31&exercise=include')).json() as { cases: Array<{ exercise: boolean }> };
    expect(withDrills.cases.some((c) => c.exercise)).toBe(true);
    const xlsx = await get('ldis', '/api/ldis/cases.xlsx?from=2024-05-01&to=2024-05-31');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await get('ldis', '/api/ldis/cases?from=2024-06-01&to=2024-05-01')).statusCode).toBe(400);
    expect((await get('police', '/api/ldis/cases')).statusCode).toBe(403);
    // Full postcodes only for the roles that need them (issue 8): the panel gets the district.
    expect(linked?.fields.postcode).toBe('B12 9QT');
    const panel = (await get('panel', '/api/ldis/cases?from=2024-05-01&to=2024-05-31')).json() as typeof body;
    expect(panel.cases.find((c) => c.report_ids.includes(ids[0] as string))?.fields.postcode).toBe('B12');
    const panelXlsx = await get('panel', '/api/ldis/cases.xlsx?from=2024-05-01&to=2024-05-31');
    expect(panelXlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(panelXlsx.rawPayload as unknown as ExcelJS.Buffer);
    const cells: string[] = [];
    wb.getWorksheet('Case list')?.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells).toContain('B12');
    expect(cells.join('|')).not.toContain('9QT');
    // The same rule on the inbox and a report's page (the report and its candidate duplicates).
    const reportId = ids[0] as string;
    expect((await get('ldis', `/api/ldis/reports/${reportId}`)).body).toContain('"postcode":"B12 9QT"');
    const cut = await get('panel', `/api/ldis/reports/${reportId}`);
    expect(cut.statusCode).toBe(200);
    expect(cut.body).toContain('"postcode":"B12"');
    expect(cut.body).not.toContain('9QT');
    const inbox = await get('panel', '/api/ldis/inbox?status=received,assessed,decided');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).not.toContain('9QT');
    expect((await get('ldis', '/api/ldis/inbox?status=received,assessed,decided')).body).toContain('B12 9QT');
  });

  it('shows data-flow gaps per partner, source and Appendix 2 item', async () => {
    const r = await get('ldis', '/api/ldis/gaps?days=28');
    expect(r.statusCode).toBe(200);
    const g = r.json() as { partners: Array<{ partner: string; status: string; tokens: number }>; items: Array<{ id: string; status: string }> };
    // Both reported today (received time); the revoked token's organisation still shows.
    expect(g.partners.find((p) => p.partner === 'police')).toMatchObject({ status: 'reporting', in_period: 2 });
    expect(g.partners.find((p) => p.partner === 'wm-ambulance')).toMatchObject({ tokens: 0, status: 'reporting', in_period: 1 });
    expect(g.items.find((i) => i.id === 'coroner-toxicology')?.status).toBe('never');
    expect(g.items.find((i) => i.id === 'ost-optimal-dose')?.status).toBe('not_applicable');
  });
});
