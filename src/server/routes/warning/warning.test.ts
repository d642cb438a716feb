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

  it('settings: every parameter validated with a message per field; only coordinators and administrators change them', async () => {
    const current = (await get('panel', '/api/warning/settings')).json() as {
      monitoring: { evaluateWeeks: number; recentWeeks: number; indicators: Record<string, Record<string, unknown>> };
      defaults: { farrington: Record<string, unknown>; ears: Record<string, unknown> };
    };
    expect(current.defaults.farrington).toMatchObject({ b: 5, w: 3, alpha: 0.005, reweight: true, weightsThreshold: 2.58, trend: true, pThresholdTrend: 1, noPeriods: 10, pastWeeksNotIncluded: 26, powertrans: '2/3', limit54: [5, 4] });
    expect(current.defaults.ears).toMatchObject({ baseline: 7, minSigma: 1 });
    const withAmbulance = (cfg: Record<string, unknown>) => ({ monitoring: { ...current.monitoring, indicators: { ...current.monitoring.indicators, ambulance_callout: cfg } } });
    const bad = await send('ldis', 'PUT', '/api/warning/settings', withAmbulance({ method: 'farrington', farrington: { alpha: 0.7, w: 20, noPeriods: 40, limit54: [5, 0] }, triggers: [{ id: 'x', threshold: 0, window: {} }] }));
    expect(bad.statusCode).toBe(400);
    const errors = (bad.json() as { errors: { field: string; message: string }[] }).errors;
    const at = (f: string) => errors.find((e) => e.field === `body.monitoring.indicators.ambulance_callout.${f}`)?.message;
    expect(at('farrington.alpha')).toBe('Alpha must be more than 0 and less than 0.5');
    expect(at('farrington.w')).toBe('The window half-width (w) must be between 0 and 10 weeks');
    expect(at('farrington.limit54.1')).toBe('The weeks for the minimum must be between 1 and 52');
    expect(at('triggers.0.threshold')).toBe('The number of events must be 1 or more');
    expect(at('triggers.0.window')).toBe('The window must be longer than 0 (give days or hours)');
    const tooManyLevels = await send('ldis', 'PUT', '/api/warning/settings', withAmbulance({ method: 'farrington', farrington: { w: 3, noPeriods: 47 }, triggers: [] }));
    expect(tooManyLevels.statusCode).toBe(400);
    expect(JSON.stringify(tooManyLevels.json())).toContain('Seasonal levels (noPeriods) must be at most 46 with a window half-width of 3 weeks');
    const unknown = await send('ldis', 'PUT', '/api/warning/settings', { monitoring: { ...current.monitoring, indicators: { heroin: { method: 'auto', triggers: [] } } } });
    expect(unknown.statusCode).toBe(400);
    expect((await send('panel', 'PUT', '/api/warning/settings', withAmbulance({ method: 'ears-c1', triggers: [] }))).statusCode).toBe(403);
    expect((await get('keyworker', '/api/warning/settings')).statusCode).toBe(403);
    const runs = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM warning_runs WHERE trigger = 'settings'`);
    expect(runs[0]!.n).toBe(0); // nothing refused was saved or run
  });

  it('a change is audited with what changed and re-runs detection for the affected series only', async () => {
    const current = (await get('ldis', '/api/warning/settings')).json() as { monitoring: { indicators: Record<string, Record<string, unknown>> } & Record<string, unknown> };
    const before = (await get('ldis', '/api/warning/series/E06000008/ambulance_callout')).json() as { method: string; weeks: { reason: string }[] };
    expect(before.method).toBe('auto');
    // A run as of the latest data first, so that only the change can make work.
    expect((await send('ldis', 'POST', '/api/warning/runs', {})).statusCode).toBe(200);
    const res = await send('ldis', 'PUT', '/api/warning/settings', {
      monitoring: { ...current.monitoring, indicators: { ...current.monitoring.indicators, ambulance_callout: { method: 'ears-c1', ears: { baseline: 4, alpha: 0.01 }, triggers: [{ id: 'callouts-24h', threshold: 1, window: { hours: 24 } }] } } },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { rerun: { run_id: number; series_computed: number; series_total: number; error: string | null }; changed: { key: string; by: string }[] };
    // One indicator in two areas: two series recomputed of sixteen.
    expect(body.rerun).toMatchObject({ series_computed: 2, series_total: 16, error: null });
    expect(body.changed).toContainEqual(expect.objectContaining({ key: 'warning.monitoring', by: 'ldis' }));
    const run = await t.db.query<{ trigger: string; requested_by: string; status: string }>('SELECT trigger, requested_by, status FROM warning_runs WHERE id = $1', [body.rerun.run_id]);
    expect(run[0]).toEqual({ trigger: 'settings', requested_by: 'ldis', status: 'succeeded' });
    const after = (await get('ldis', '/api/warning/series/E06000008/ambulance_callout')).json() as { method: string; weeks: { reason: string }[]; triggers: { id: string; description: string }[] };
    expect(after.method).toBe('ears-c1');
    expect(after.weeks.at(-1)!.reason).toMatch(/not enough history for EARS C1/); // a few weeks of data only
    expect(after.triggers).toEqual([{ id: 'callouts-24h', description: '1 or more ambulance call-out in 24 hours' }]);
    const audit = await t.db.query<{ detail: { parts: string[]; changes: { setting: string; indicators: string[]; before: { indicators: Record<string, { method: string }> }; after: { indicators: Record<string, { method: string }> } }[]; rerun: { run_id: number } } }>(
      `SELECT detail FROM audit_log WHERE action = 'warning.settings.write' AND outcome = 'allowed' ORDER BY id DESC LIMIT 1`,
    );
    const d = audit[0]!.detail;
    expect(d.parts).toEqual(['monitoring']);
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]).toMatchObject({ setting: 'monitoring', indicators: ['ambulance_callout'] });
    expect(d.changes[0]!.before.indicators.ambulance_callout!.method).toBe('auto');
    expect(d.changes[0]!.after.indicators.ambulance_callout!.method).toBe('ears-c1');
    expect(d.rerun.run_id).toBe(body.rerun.run_id);
    // Neighbours only: nothing detection reads changed, so no run.
    const adj = await send('admin', 'PUT', '/api/warning/settings', { adjacency: { E06000009: ['E06000008'] } });
    expect((adj.json() as { rerun: unknown }).rerun).toBeNull();
    // Back to the defaults for the tests that follow.
    expect((await send('ldis', 'PUT', '/api/warning/settings', { monitoring: { ...current.monitoring } })).statusCode).toBe(200);
  });

  it('a coordinator sets their own address for early-warning e-mail, or opts out; the address is not audited', async () => {
    expect((await get('ldis', '/api/warning/email')).json()).toEqual({ email: null, earlyWarning: true });
    const bad = await send('ldis', 'PUT', '/api/warning/email', { email: 'not an address', earlyWarning: true });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string; message: string }[] }).errors[0]).toEqual({ field: 'body.email', message: 'Enter an e-mail address in the right format, like name@example.org' });
    const ok = await send('ldis', 'PUT', '/api/warning/email', { email: ' Lee@Example.ORG ', earlyWarning: false });
    expect(ok.json()).toEqual({ email: 'lee@example.org', earlyWarning: false });
    expect((await get('ldis', '/api/warning/email')).json()).toEqual({ email: 'lee@example.org', earlyWarning: false });
    expect((await get('panel', '/api/warning/email')).statusCode).toBe(403);
    const audit = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'warning.email.write' ORDER BY id DESC LIMIT 1`);
    expect(audit[0]!.detail).toMatchObject({ has_address: true, early_warning: false });
    expect(JSON.stringify(audit[0]!.detail)).not.toContain('lee@');
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
