import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInDemo, startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';

/**
 * The early-warning API over a small LDIS history: reading, the coordinator's decision
 * within their own area only, validation of every write, and imported counts. (Every
 * route × role is covered by src/server/authorisation-matrix.test.ts.)
 */
describe.each(TEST_DB_KINDS)('early-warning API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const as = async (user: string) => {
    let s = sessions.get(user);
    if (!s) {
      const res = await signInDemo(t.app, user);
      expect(res.statusCode).toBe(200);
      s = { cookie: res.cookie, csrf: res.csrf };
      sessions.set(user, s);
    }
    return s;
  };
  const get = async (user: string, url: string) => t.app.inject({ url, headers: { cookie: (await as(user)).cookie } });
  const send = async (user: string, method: 'POST' | 'PUT', url: string, payload: unknown) => {
    const s = await as(user);
    return t.app.inject({ method, url, payload: payload as Record<string, unknown>, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  };

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    // The demo accounts work in E06000008; a nitazene-positive forensic result in E06000009.
    await t.db.query(
      `INSERT INTO incidents (report_id, received_at, source, event_date, event_type, local_authority, forensic_nitazene, substances)
       VALUES ('W1', '2026-03-04T10:00:00Z', 'police', '2026-03-03', 'seizure_test', 'E06000009', true, 'nitazene'),
              ('W2', '2026-03-04T11:00:00Z', 'ambulance', '2026-03-02', 'ambulance_callout', 'E06000008', null, null)`,
    );
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('runs on demand and shows every area with its step and proposal', async () => {
    expect((await send('keyworker', 'POST', '/api/warning/runs', {})).statusCode).toBe(403);
    const run = await send('ldis', 'POST', '/api/warning/runs', { as_of: '2026-03-05' });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ as_of: '2026-03-05', series_total: 16, series_computed: 16 });
    expect((await send('ldis', 'POST', '/api/warning/runs', { as_of: '5 March' })).statusCode).toBe(400);
    const o = await get('ldis', '/api/warning/overview');
    expect(o.statusCode).toBe(200);
    const body = o.json() as { areas: { area: string; step: number; pending: { step: number } | null }[]; decidable: string[] | null };
    expect(body.areas.map((a) => a.area)).toEqual(['E06000008', 'E06000009']);
    expect(body.areas[1]!.pending?.step).toBe(2);
    expect(body.decidable).toEqual(['E06000008']);
    expect((await get('keyworker', '/api/warning/overview')).statusCode).toBe(403);
  });

  it('serves a series and an area, 404 for unknown ones', async () => {
    const s = await get('panel', '/api/warning/series/E06000008/ambulance_callout');
    expect(s.statusCode).toBe(200);
    const weeks = (s.json() as { weeks: { period_start: string; count: number }[] }).weeks;
    expect(weeks.at(-1)).toMatchObject({ period_start: '2026-03-02', count: 1 });
    expect((await get('panel', '/api/warning/series/E06000008/bogus')).statusCode).toBe(404);
    expect((await get('panel', '/api/warning/series/E09999999/death')).statusCode).toBe(404);
    const a = await get('ldis', '/api/warning/areas/E06000009');
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ step: 1, can_decide: false, guide: { rhythm: { step: 1, pinReportEveryDays: 30 } } });
    expect((await get('ldis', '/api/warning/areas/E09999999')).statusCode).toBe(404);
  });

  it('a coordinator decides only in their own area; an override needs a reason', async () => {
    const other = await send('ldis', 'POST', '/api/warning/areas/E06000009/step', { action: 'confirm' });
    expect(other.statusCode).toBe(403);
    const noReason = await send('ldis', 'POST', '/api/warning/areas/E06000008/step', { action: 'override', step: 2, reason: '   ' });
    expect(noReason.statusCode).toBe(400);
    const nothing = await send('ldis', 'POST', '/api/warning/areas/E06000008/step', { action: 'confirm' });
    expect(nothing.statusCode).toBe(409);
    const ok = await send('ldis', 'POST', '/api/warning/areas/E06000008/step', { action: 'override', step: 2, reason: 'Intelligence from the neighbouring area' });
    expect(ok.statusCode).toBe(200);
    const decided = ok.json() as { step: number; history: Record<string, unknown>[] };
    expect(decided.step).toBe(2);
    expect(decided.history[0]).toMatchObject({ kind: 'overridden', step: 2, previousStep: 1, reason: 'Intelligence from the neighbouring area' });
    const admin = await send('admin', 'POST', '/api/warning/areas/E06000009/step', { action: 'confirm', note: 'panel call' });
    expect(admin.statusCode).toBe(200);
    expect((admin.json() as { step: number }).step).toBe(2);
    const audit = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'warning.decide' AND outcome = 'allowed'`);
    expect(audit[0]!.n).toBe(2);
  });

  it('treatment staff see their caseload in areas at Step 2 or 3 (audited); coordinators do not', async () => {
    expect((await get('ldis', '/api/warning/caseload')).statusCode).toBe(403);
    const c = await get('keyworker', '/api/warning/caseload');
    expect(c.statusCode).toBe(200);
    const body = c.json() as { areas: { area: string; step: number }[]; people: unknown[] };
    expect(body.areas.map((a) => [a.area, a.step])).toEqual([
      ['E06000008', 2],
      ['E06000009', 2],
    ]);
    expect(body.people).toEqual([]); // nobody in MAT in this fixture
    const audit = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'warning.caseload' AND outcome = 'allowed'`);
    expect(audit[0]!.n).toBe(1);
  });

  it('notifications are those of the caller’s area, and can be marked read', async () => {
    const n = await get('ldis', '/api/warning/notifications');
    expect(n.statusCode).toBe(200);
    const list = (n.json() as { notifications: { id: number; area: string; kind: string }[]; unread: number }).notifications;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((x) => x.area === 'E06000008')).toBe(true);
    expect(list.some((x) => x.kind === 'step_changed')).toBe(true);
    expect((await send('ldis', 'POST', '/api/warning/notifications/read', { ids: [] })).statusCode).toBe(400);
    const r = await send('ldis', 'POST', '/api/warning/notifications/read', { ids: list.map((x) => x.id) });
    expect(r.json()).toEqual({ written: list.length });
    expect(((await get('ldis', '/api/warning/notifications')).json() as { unread: number }).unread).toBe(0);
  });

  it('settings are validated; imported counts are all or nothing', async () => {
    const bad = await send('ldis', 'PUT', '/api/warning/settings', { schedule: { enabled: true, checkSeconds: 1, intervalMinutes: 60 } });
    expect(bad.statusCode).toBe(400);
    const good = await send('ldis', 'PUT', '/api/warning/settings', { adjacency: { E06000008: ['E06000009'] } });
    expect(good.statusCode).toBe(200);
    expect((good.json() as { adjacency: Record<string, string[]> }).adjacency).toEqual({ E06000008: ['E06000009'] });
    const counts = await send('data', 'POST', '/api/warning/counts', {
      source: 'NWAS',
      rows: [
        { area: 'E06000008', indicator: 'ambulance_callout', period_start: '2026-02-23', count: 4 },
        { area: 'E06000008', indicator: 'ambulance_callout', period_start: '2026-02-24', count: 4 },
      ],
    });
    expect(counts.statusCode).toBe(400);
    expect((counts.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('rows[1].period_start');
    const ok = await send('data', 'POST', '/api/warning/counts', { source: 'NWAS', rows: [{ area: 'E06000008', indicator: 'ambulance_callout', period_start: '2026-02-23', count: 4 }] });
    expect(ok.json()).toEqual({ written: 1 });
  });
});
