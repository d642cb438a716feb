import { gunzipSync } from 'node:zlib';
import { rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../data/dataset';
import { EXPECTED_COHORTS, EXPECTED_PEOPLE, FIXTURE_DATE, FIXTURE_MONTH, writeFixtureDataset } from '../../../data/mat/test-fixtures';
import { signInDemo, startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
describe.each(TEST_DB_KINDS)('MAT and risk API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const cookies = new Map<string, string>();
  const csrfs = new Map<string, string>();
  const signedIn = async (user: string): Promise<string> => {
    let cookie = cookies.get(user);
    if (cookie === undefined) {
      const res = await signInDemo(t.app, user);
      expect(res.statusCode).toBe(200);
      cookie = res.cookie;
      cookies.set(user, cookie);
      csrfs.set(user, res.csrf);
    }
    return cookie;
  };
  const get = async (user: string, url: string) => t.app.inject({ url, headers: { cookie: await signedIn(user) } });
  const send = async (user: string, method: 'POST' | 'PUT', url: string, payload: object) =>
    t.app.inject({ method, url, headers: { cookie: await signedIn(user), 'x-csrf-token': csrfs.get(user) ?? '' }, payload });

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    const dir = await writeFixtureDataset();
    expect((await importDataset(tdb.db, dir, { today: '2024-12-01' })).status).toBe('succeeded');
    await rm(dir, { recursive: true, force: true });
    // The service manager works in S2; the keyworker stays in SVC-T1 (another service).
    await tdb.db.query(`UPDATE users SET scope_id = 'S2' WHERE username = 'manager'`);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('serves the tracker (aggregate) to staff, 24 months', async () => {
    const res = await get('keyworker', `/api/mat/tracker?month=${FIXTURE_MONTH}&months=24`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { months: string[]; organisation: { month: string; cohorts: Record<string, number> }[]; services: Record<string, unknown[]> };
    expect(body.months).toHaveLength(24);
    expect(body.organisation.at(-1)?.cohorts).toEqual(EXPECTED_COHORTS.organisation);
    expect(Object.keys(body.services).sort()).toEqual(['S1', 'S2', 'SVC-T1']);
    expect(body).not.toHaveProperty('people');
    const one = await get('keyworker', `/api/mat/tracker?month=${FIXTURE_MONTH}&service=S1`);
    expect(Object.keys((one.json() as { services: object }).services)).toEqual(['S1']);
  });

  it('answers a repeated tracker request with 304 until the data change', async () => {
    const url = `/api/mat/tracker?month=${FIXTURE_MONTH}&months=12&service=S2`;
    const first = await get('keyworker', url);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"mat-tracker-/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const cookie = cookies.get('keyworker') ?? '';
    const again = await t.app.inject({ url, headers: { cookie, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // A change to the data makes a new answer with a new tag.
    await tdb.db.query(`UPDATE people SET housing = housing WHERE service_id = 'S2'`);
    const changed = await t.app.inject({ url, headers: { cookie, 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json()).toEqual(first.json());
  });

  it('sends the tracker gzip-compressed to clients that accept it, the same JSON', async () => {
    const url = `/api/mat/tracker?month=${FIXTURE_MONTH}&months=24`;
    const cookie = cookies.get('keyworker') ?? '';
    const plain = await t.app.inject({ url, headers: { cookie } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await t.app.inject({ url, headers: { cookie, 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(zipped.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
    // gzip refused by q=0: plain bytes.
    const refused = await t.app.inject({ url, headers: { cookie, 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json()).toEqual(plain.json());
  });

  it('downloads the worklists (CSV, XLSX) and the workbook, for the caller\'s scope only, audited', async () => {
    const csv = await get('manager', `/api/mat/worklists.csv?month=${FIXTURE_MONTH}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="beacon-mat-worklists-${FIXTURE_MONTH}.csv"`);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('priority,position,person_id,service_id,kind,reason,action,stage,cohort,og_band,regime,medication,dose_mg,risk_tier,open_actions,overdue_actions,next_action_due,next_action_overdue');
    expect(lines.length).toBeGreaterThan(1);
    // The service manager works in S2: nobody from S1 is on their lists.
    for (const line of lines.slice(1)) expect(line.split(',')[3]).toBe('S2');

    const xlsx = await get('manager', `/api/mat/worklists.xlsx?month=${FIXTURE_MONTH}&service=S2`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['All worklists', 'Priority 1', 'Priority 2', 'Priority 3', 'Priority 4', 'Priority 5', 'Uncategorised']);
    expect(wb.getWorksheet('All worklists')?.rowCount).toBe(lines.length);

    const book = await get('manager', `/api/mat/workbook.xlsx?month=${FIXTURE_MONTH}`);
    expect(book.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(book.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Service Tracker', 'Service Data', 'MAT Breakdown', 'Priorities', 'Data Quality']);
    const breakdown = workbook.getWorksheet('MAT Breakdown');
    const services = new Set<string>();
    breakdown?.eachRow((row, n) => {
      if (n > 1) services.add(String(row.getCell(2).value));
    });
    expect([...services]).toEqual(['S2']);

    expect((await get('police', `/api/mat/worklists.csv?month=${FIXTURE_MONTH}`)).statusCode).toBe(403);
    const audited = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'mat.worklists' AND username = 'manager' AND outcome = 'allowed'`);
    expect(audited[0]?.n).toBeGreaterThanOrEqual(2);
  });

  it('shows each person\'s open care-plan actions on the worklists and in their downloads', async () => {
    type Entry = { person_id: string; open_actions: number; overdue_actions: number; next_action_due: string | null; next_action_overdue: boolean };
    const worklists = async () => (await get('manager', `/api/mat/worklists?month=${FIXTURE_MONTH}`)).json() as { worklists: Entry[]; actions_as_of: string };
    const before = await worklists();
    expect(before.actions_as_of).toBe(new Date().toISOString().slice(0, 10));
    expect(before.worklists.filter((w) => w.person_id === 'P16').length).toBeGreaterThan(0);
    for (const w of before.worklists) expect(w).toMatchObject({ open_actions: 0, overdue_actions: 0, next_action_due: null, next_action_overdue: false });

    // P16 (S2): one action overdue, one due in the future, one without a date, one done (closed).
    const actions = [
      { flag: 'potent_opioid', text: 'Give naloxone', status: 'planned', due_date: '2024-06-25' },
      { flag: 'on_top', text: 'Review the dose', status: 'planned', due_date: '2099-01-31' },
      { flag: 'on_top', text: 'Talk about supervised consumption', status: 'planned' },
      { flag: 'on_top', text: 'Drug test', status: 'done', due_date: '2024-01-01' },
    ];
    for (const a of actions) expect((await send('manager', 'POST', '/api/people/P16/actions', a)).statusCode).toBe(201);
    const after = await worklists();
    const p16 = after.worklists.filter((w) => w.person_id === 'P16');
    expect(p16.length).toBe(before.worklists.filter((w) => w.person_id === 'P16').length);
    for (const w of p16) expect(w).toMatchObject({ open_actions: 3, overdue_actions: 1, next_action_due: '2024-06-25', next_action_overdue: true });
    for (const w of after.worklists.filter((x) => x.person_id !== 'P16')) expect(w.open_actions).toBe(0);
    const report = (await get('manager', `/api/mat/report?month=${FIXTURE_MONTH}`)).json() as { worklists: Entry[] };
    expect(report.worklists.find((w) => w.person_id === 'P16')).toMatchObject({ open_actions: 3, next_action_due: '2024-06-25' });

    // The CSV and the workbook carry the same columns; the overdue date is highlighted in the workbook.
    const csv = Papa.parse<string[]>((await get('manager', `/api/mat/worklists.csv?month=${FIXTURE_MONTH}`)).body.trim()).data;
    const header = csv[0] ?? [];
    expect(header.slice(-4)).toEqual(['open_actions', 'overdue_actions', 'next_action_due', 'next_action_overdue']);
    const rows = csv.slice(1);
    expect(rows.filter((r) => r[2] === 'P16').map((r) => r.slice(-4))).toEqual(p16.map(() => ['3', '1', '2024-06-25', 'true']));
    expect(rows.filter((r) => r[2] !== 'P16').every((r) => r.slice(-4).join() === '0,0,,false')).toBe(true);

    const xlsx = await get('manager', `/api/mat/worklists.xlsx?month=${FIXTURE_MONTH}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const all = wb.getWorksheet('All worklists');
    const col = header.indexOf('next_action_due') + 1;
    expect(all?.getRow(1).getCell(col).value).toBe('next_action_due');
    let seen = 0;
    all?.eachRow((row, n) => {
      if (n === 1) return;
      const cell = row.getCell(col);
      if (row.getCell(3).value === 'P16') {
        seen++;
        expect(cell.value).toBe('2024-06-25');
        expect(cell.font?.bold).toBe(true);
      } else {
        expect(cell.font?.bold ?? false).toBe(false);
      }
    });
    expect(seen).toBe(p16.length);
    const book = await get('manager', `/api/mat/workbook.xlsx?month=${FIXTURE_MONTH}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(book.rawPayload as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('Priorities')?.getRow(1).getCell(col).value).toBe('next_action_due');

    // Someone else's actions are not shown to a keyworker of another service (who sees no S2 entry at all).
    const other = (await get('keyworker', `/api/mat/worklists?month=${FIXTURE_MONTH}`)).json() as { worklists: Entry[] };
    expect(other.worklists.some((w) => w.person_id === 'P16')).toBe(false);
    await tdb.db.query(`DELETE FROM care_actions WHERE person_id = 'P16'`);
  });

  it('follows the stored risk configuration on the worklists and the report at once', async () => {
    type Entry = { person_id: string; priority: number | string; risk_tier: string | null };
    const p16 = async () => {
      const wl = (await get('manager', `/api/mat/worklists?month=${FIXTURE_MONTH}`)).json() as { worklists: Entry[] };
      const report = (await get('manager', `/api/mat/report?month=${FIXTURE_MONTH}`)).json() as { people: { person_id: string; risk_tier: string | null }[] };
      const csv = Papa.parse<string[]>((await get('manager', `/api/mat/worklists.csv?month=${FIXTURE_MONTH}`)).body.trim()).data.slice(1);
      return {
        lists: wl.worklists.filter((w) => w.person_id === 'P16' && w.priority !== 4).map((w) => [w.priority, w.risk_tier]),
        tier: report.people.find((p) => p.person_id === 'P16')?.risk_tier,
        csv: csv.filter((r) => r[2] === 'P16' && r[0] !== '4').map((r) => [r[0], r[13]]),
      };
    };
    // P16: on top, nitazene-positive (critical) → High → priority 1.
    expect(await p16()).toEqual({ lists: [[1, 'high']], tier: 'high', csv: [['1', 'high']] });
    // The administrator says a potent-opioid test is no longer critical: two counted flags → Medium → priority 3 (at/above OG).
    const put = await send('admin', 'PUT', '/api/risk/config', { potentOpioidCritical: false });
    expect(put.statusCode, put.body).toBe(200);
    try {
      expect(await p16()).toEqual({ lists: [[3, 'medium']], tier: 'medium', csv: [['3', 'medium']] });
    } finally {
      expect((await send('admin', 'PUT', '/api/risk/config', {})).statusCode).toBe(200);
    }
    expect((await p16()).tier).toBe('high');
  });

  it('supervised consumption: lists of the caller\'s scope, recording a review, refusing outside it', async () => {
    const res = await get('manager', `/api/mat/supervised?month=${FIXTURE_MONTH}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { people: { person_id: string; service_id: string; latest_review: { review_id: string } | null }[]; rates: { organisation: { inMat: number } } };
    expect(body.people.length).toBeGreaterThan(0);
    expect(body.people.every((p) => p.service_id === 'S2')).toBe(true);
    expect(body.rates.organisation.inMat).toBeGreaterThan(body.people.length);
    const q = await get('manager', '/api/mat/sc-questionnaire');
    expect((q.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(['diverted', 'vulnerable', 'regular_on_top', 'other_risk']);

    const cookie = cookies.get('manager') ?? '';
    const csrf = (await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).json() as { csrfToken?: string };
    const post = (payload: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/mat/sc-reviews', headers: { cookie, 'x-csrf-token': csrf.csrfToken ?? '' }, payload: payload as Record<string, unknown> });
    const person = body.people[0]?.person_id ?? '';
    const review = { person_id: person, date: '2024-06-20', answers: { diverted: false, vulnerable: false, regular_on_top: false, other_risk: null }, decision: 'supervised', rationale: 'Reviewed in clinic', next_review_date: '2024-09-20' };
    const ok = await post(review);
    expect(ok.statusCode, ok.body).toBe(201);
    const after = (await get('manager', `/api/mat/supervised?month=${FIXTURE_MONTH}`)).json() as typeof body;
    expect(after.people.find((p) => p.person_id === person)?.latest_review?.review_id).toBe((ok.json() as { review_id: string }).review_id);

    const bad = await post({ ...review, rationale: '', next_review_date: '2024-06-01' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['next_review_date', 'rationale']);
    // Someone from another service: as if they did not exist.
    const s1 = (await tdb.db.query<{ person_id: string }>(`SELECT person_id FROM people WHERE service_id = 'S1' LIMIT 1`))[0]?.person_id ?? '';
    expect((await post({ ...review, person_id: s1 })).statusCode).toBe(404);
    expect((await get('police', `/api/mat/supervised?month=${FIXTURE_MONTH}`)).statusCode).toBe(403);
  });

  it('refuses the tracker to a partner submitter and checks the query', async () => {
    expect((await get('police', `/api/mat/tracker?month=${FIXTURE_MONTH}`)).statusCode).toBe(403);
    expect((await get('admin', '/api/mat/tracker?month=2024-13')).statusCode).toBe(400);
    expect((await get('admin', `/api/mat/tracker?month=${FIXTURE_MONTH}&service=NOPE`)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/mat/tracker?month=${FIXTURE_MONTH}` })).statusCode).toBe(401);
  });

  it('gives the administrator everyone in MAT', async () => {
    const res = await get('admin', `/api/mat/report?month=${FIXTURE_MONTH}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { people: { person_id: string; stage: string; cohort: string | null; og_band: string; regime: string | null }[] };
    expect(Object.fromEntries(body.people.map((p) => [p.person_id, [p.stage, p.cohort, p.og_band, p.regime]]))).toEqual(EXPECTED_PEOPLE);
  });

  it('gives a keyworker of another service no people, only aggregates', async () => {
    const res = await get('keyworker', `/api/mat/report?month=${FIXTURE_MONTH}&service=S1`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { people: unknown[]; worklists: unknown[]; services: { cohorts: Record<string, number> }[] };
    expect(body.people).toEqual([]);
    expect(body.worklists).toEqual([]);
    expect(body.services[0]?.cohorts).toEqual(EXPECTED_COHORTS.S1);
    const risk = await get('keyworker', `/api/risk/report?date=${FIXTURE_DATE}`);
    expect((risk.json() as { people: unknown[] }).people).toEqual([]);
    expect((await get('keyworker', `/api/risk/person/P02?date=${FIXTURE_DATE}`)).statusCode).toBe(404);
  });

  it('limits a service manager to their own service', async () => {
    const body = (await get('manager', `/api/mat/report?month=${FIXTURE_MONTH}`)).json() as { people: { person_id: string }[] };
    expect(body.people.map((p) => p.person_id)).toEqual(['P16', 'P17']);
    const wl = (await get('manager', `/api/mat/worklists?month=${FIXTURE_MONTH}`)).json() as { worklists: { service_id: string }[] };
    expect(wl.worklists.every((w) => w.service_id === 'S2')).toBe(true);
    const risk = (await get('manager', `/api/risk/report?date=${FIXTURE_DATE}`)).json() as { people: { person_id: string; tier: string }[]; organisation: { people: number } };
    expect(risk.people.map((p) => [p.person_id, p.tier])).toEqual([['P16', 'high'], ['P17', 'low']]);
    expect(risk.organisation.people).toBe(19);
    const person = await get('manager', `/api/risk/person/P16?date=${FIXTURE_DATE}`);
    expect(person.statusCode).toBe(200);
    expect(person.json()).toMatchObject({ mat: { stage: 'MAT2', cohort: 'amber' }, profile: { tier: 'high', critical: ['potent_opioid'] } });
    expect((await get('manager', `/api/risk/person/P02?date=${FIXTURE_DATE}`)).statusCode).toBe(404);
  });

  it('refuses identifiable reports to roles without them and audits the reads', async () => {
    expect((await get('pin', `/api/mat/report?month=${FIXTURE_MONTH}`)).statusCode).toBe(403);
    expect((await get('ldis', `/api/risk/report?date=${FIXTURE_DATE}`)).statusCode).toBe(403);
    const audit = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'risk.person' AND outcome = 'allowed'`);
    expect(audit[0]?.n).toBeGreaterThan(0);
  });
});
