import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../data/dataset';
import { EXPECTED_COHORTS, EXPECTED_PEOPLE, FIXTURE_DATE, FIXTURE_MONTH, writeFixtureDataset } from '../../../data/mat/test-fixtures';
import { startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { DEMO_PASSWORD } from '../../bootstrap';

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? String(raw[0]) : String(raw);
  return first.split(';')[0] ?? '';
}

describe.each(TEST_DB_KINDS)('MAT and risk API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const cookies = new Map<string, string>();
  const get = async (user: string, url: string) => {
    let cookie = cookies.get(user);
    if (cookie === undefined) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: user, password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      cookie = cookieOf(res);
      cookies.set(user, cookie);
    }
    return t.app.inject({ url, headers: { cookie } });
  };

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
