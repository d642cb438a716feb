import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { DEMO_PASSWORD } from '../../bootstrap';

/** The demo coordinator's area in the test app. */
const AREA = 'E06000008';

interface Session {
  cookie: string;
  csrf: string;
}

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? String(raw[0]) : String(raw);
  return first.split(';')[0] ?? '';
}

function report(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partner_report_id: id,
    source: 'police',
    event_date: '2024-05-10',
    event_type: 'non_fatal_overdose',
    local_authority: AREA,
    age: 41,
    sex: 'F',
    postcode: 'BB1 1AA',
    naloxone_doses: 2,
    synthetic_opioid_suspected: 'Y',
    substances: 'heroin; crack',
    outcome: 'hospital',
    ...extra,
  };
}

describe.each(TEST_DB_KINDS)('LDIS API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, Session>();

  async function as(user: string): Promise<Session> {
    const known = sessions.get(user);
    if (known) return known;
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: user, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const s = { cookie: cookieOf(res), csrf: (res.json() as { csrfToken: string }).csrfToken };
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
    // A second partner organisation: the ambulance service.
    await tdb.db.query(
      `INSERT INTO users (username, display_name, password_hash, role, scope_type, scope_id, demo)
       SELECT 'ambulance', 'Ambulance submitter', password_hash, role, scope_type, 'ambulance-service', demo FROM users WHERE username = 'police'`,
    );
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('rejects an invalid report with field-level problem+json and saves nothing', async () => {
    const res = await send('police', 'POST', '/api/ldis/reports', report('P-BAD', { event_date: '10/05/2024', event_type: 'overdose', age: 300, hmo: 'perhaps', colour: 'red' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = res.json() as { status: number; errors: { field: string; message: string }[] };
    expect(body.status).toBe(400);
    const fields = body.errors.map((e) => e.field);
    for (const f of ['body.event_date', 'body.event_type', 'body.age', 'body.hmo']) expect(fields).toContain(f);
    expect(body.errors.some((e) => /colour/.test(e.message) || e.field.includes('colour'))).toBe(true);
    expect(await rows('incidents')).toBe(0);
    expect(await rows('ldis_submissions')).toBe(0);
  });

  it('refuses writes without the CSRF token and submissions from roles that may not submit', async () => {
    const s = await as('police');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/ldis/reports', headers: { cookie: s.cookie }, payload: report('P-CSRF') });
    expect(noCsrf.statusCode).toBe(403);
    expect((await send('keyworker', 'POST', '/api/ldis/reports', report('K-1'))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/ldis/reports', payload: report('ANON') })).statusCode).toBe(401);
    expect(await rows('incidents')).toBe(0);
  });

  it('creates one report for the same partner report id sent twice (201, then 200)', async () => {
    const first = await send('police', 'POST', '/api/ldis/reports', report('P-1'));
    expect(first.statusCode).toBe(201);
    const a = first.json() as { report_id: string; created: boolean; partner: string };
    expect(a).toMatchObject({ created: true, partner: 'police' });
    expect(first.headers.location).toBe(`/api/ldis/reports/${a.report_id}`);
    const again = await send('police', 'POST', '/api/ldis/reports', report('P-1'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ report_id: a.report_id, created: false });
    expect(await rows(`ldis_submissions WHERE partner = 'police' AND partner_report_id = 'P-1'`)).toBe(1);
    // A coordinator's reports go into the coordinator's own namespace.
    const coord = await send('ldis', 'POST', '/api/ldis/reports', report('P-1', { on_behalf_of: 'police' }));
    expect(coord.statusCode).toBe(201);
    expect(coord.json()).toMatchObject({ partner: `ldis:${AREA}:police`, created: true });
    const conflict = await send('police', 'POST', '/api/ldis/reports', report('P-1', { age: 42 }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('keeps 50 concurrent submissions (each sent twice at once): exactly 50 rows, none lost or duplicated', async () => {
    const before = await rows('incidents');
    const ids = Array.from({ length: 50 }, (_, i) => `LOAD-${i}`);
    await as('ambulance');
    const all = await Promise.all([...ids, ...ids].map((id) => send('ambulance', 'POST', '/api/ldis/reports', report(id, { source: 'ambulance', event_type: 'ambulance_callout' }))));
    expect(all.filter((r) => r.statusCode === 201)).toHaveLength(50);
    expect(all.filter((r) => r.statusCode === 200)).toHaveLength(50);
    expect(await rows('incidents') - before).toBe(50);
    expect(await rows(`ldis_submissions WHERE partner = 'ambulance-service' AND partner_report_id LIKE 'LOAD-%'`)).toBe(50);
    const byId = new Map<string, Set<string>>();
    for (const r of all) {
      const b = r.json() as { partner_report_id: string; report_id: string };
      (byId.get(b.partner_report_id) ?? byId.set(b.partner_report_id, new Set()).get(b.partner_report_id))?.add(b.report_id);
    }
    expect([...byId.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('shows the level and candidate duplicates of two reports of the same overdose in the inbox, and records an audited assessment', async () => {
    const police = (await send('police', 'POST', '/api/ldis/reports', report('OD-7'))).json() as { report_id: string };
    const amb = (
      await send('ambulance', 'POST', '/api/ldis/reports', report('AMB-OD-7', { source: 'ambulance', event_type: 'ambulance_callout', age: 40, naloxone_doses: 3, substances: 'heroin' }))
    ).json() as { report_id: string };
    const drill = (await send('ambulance', 'POST', '/api/ldis/reports', report('DRILL-7', { exercise: 'Y' }))).json() as { report_id: string };

    expect((await get('police', '/api/ldis/inbox')).statusCode).toBe(403);
    const res = await get('ldis', '/api/ldis/inbox');
    expect(res.statusCode).toBe(200);
    type Item = { report: { report_id: string }; exercise: boolean; classification: { level: string | null }; candidates: { report_id: string; band: string }[]; sla: { overdue: boolean } };
    const inbox = res.json() as { items: Item[]; counts: { real: { reports: number }; exercise: { reports: number } } };
    const p = inbox.items.find((i) => i.report.report_id === police.report_id);
    expect(p?.classification.level).toBe('probable');
    expect(p?.candidates.map((c) => c.report_id)).toContain(amb.report_id);
    expect(p?.candidates.map((c) => c.report_id)).not.toContain(drill.report_id);
    expect(inbox.items.find((i) => i.report.report_id === drill.report_id)?.exercise).toBe(true);
    expect(inbox.counts.exercise.reports).toBe(1);
    expect(inbox.counts.real.reports).toBe(inbox.items.length - 1);

    const bad = await send('ldis', 'POST', `/api/ldis/reports/${police.report_id}/assessment`, { answers: { local_relevance: 'here' }, decision: 'formal_alert' });
    expect(bad.statusCode).toBe(400);
    const badFields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(badFields).toEqual(expect.arrayContaining(['body.answers.local_relevance', 'body.answers.plausibility']));
    const noRationale = await send('ldis', 'POST', `/api/ldis/reports/${police.report_id}/assessment`, { decision: 'formal_alert' });
    expect(noRationale.statusCode).toBe(400);
    expect((noRationale.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['body.rationale']);
    // Deciding before grading is refused by the workflow (409), and nothing is written.
    const early = await send('ldis', 'POST', `/api/ldis/reports/${police.report_id}/assessment`, { decision: 'formal_alert', rationale: 'urgent' });
    expect(early.statusCode).toBe(409);

    const ok = await send('ldis', 'POST', `/api/ldis/reports/${police.report_id}/assessment`, {
      answers: { local_relevance: 'occurred_here', geographic_extent: 'one_area', likelihood_of_spread: 'medium', plausibility: 'plausible', source_type: 'professional_direct' },
      decision: 'share_for_information',
      rationale: 'Two services saw the same overdose; share with the PIN.',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'decided', decision: 'share_for_information', grading: { plausibility: 'plausible' } });
    const audit = await tdb.db.query<{ username: string; outcome: string }>(
      `SELECT username, outcome FROM audit_log WHERE action = 'ldis.assess' AND resource_id = $1 ORDER BY seq`,
      [police.report_id],
    );
    // The refused early decision is audited as failed, the assessment as allowed.
    expect(audit).toEqual([
      { username: 'ldis', outcome: 'failed' },
      { username: 'ldis', outcome: 'allowed' },
    ]);
    const detail = (await get('ldis', `/api/ldis/reports/${police.report_id}`)).json() as { history: { action: string; actor: string }[]; status: string };
    expect(detail.status).toBe('decided');
    expect(detail.history.map((h) => [h.action, h.actor])).toEqual([['assess', 'ldis'], ['decide', 'ldis']]);

    // Merge, then undo.
    const merged = await send('ldis', 'POST', '/api/ldis/links', { report_ids: [police.report_id, amb.report_id], reason: 'same overdose' });
    expect(merged.statusCode).toBe(201);
    const m = merged.json() as { op: { id: string }; cases: { reportIds: string[] }[] };
    expect(m.cases).toHaveLength(1);
    expect(m.cases[0]?.reportIds.sort()).toEqual([police.report_id, amb.report_id].sort());
    const joined = (await get('ldis', `/api/ldis/reports/${amb.report_id}`)).json() as { case: { reportIds: string[] }; candidates: { report_id: string }[] };
    expect(joined.case.reportIds).toHaveLength(2);
    expect(joined.candidates.map((c) => c.report_id)).not.toContain(police.report_id);
    expect((await send('police', 'DELETE', `/api/ldis/links/${m.op.id}`)).statusCode).toBe(403);
    const undo = await send('ldis', 'DELETE', `/api/ldis/links/${m.op.id}?reason=different%20people`);
    expect(undo.statusCode).toBe(200);
    expect((undo.json() as { cases: unknown[] }).cases).toHaveLength(2);
    expect((await send('ldis', 'DELETE', `/api/ldis/links/${m.op.id}`)).statusCode).toBe(409);
    expect((await send('ldis', 'DELETE', '/api/ldis/links/999999')).statusCode).toBe(404);
    expect((await send('ldis', 'POST', '/api/ldis/links', { report_ids: [police.report_id, drill.report_id] })).statusCode).toBe(400);

    // A partner submitter reads only their own organisation's reports.
    expect((await get('police', `/api/ldis/reports/${amb.report_id}`)).statusCode).toBe(404);
    const own = await get('police', `/api/ldis/reports/${police.report_id}`);
    expect(own.statusCode).toBe(200);
    const ownBody = own.json() as { candidates: unknown[]; history: unknown[]; case_reports: { report_id: string }[] };
    expect(ownBody.candidates).toEqual([]);
    expect(ownBody.history).toEqual([]);
    expect(ownBody.case_reports.map((r) => r.report_id)).toEqual([police.report_id]);
    expect((await get('ambulance', `/api/ldis/reports/${police.report_id}`)).statusCode).toBe(404);

    // Later findings: a revision, kept in the report's history.
    const rev = await send('ldis', 'POST', `/api/ldis/reports/${amb.report_id}/revisions`, { reason: 'toxicology', fields: { tox_tested_nitazene: 'Y', tox_nitazene_present: 'Y' } });
    expect(rev.statusCode).toBe(200);
    expect(rev.json()).toMatchObject({ revision: { revision: 1 } });
    const after = (await get('ldis', `/api/ldis/reports/${amb.report_id}`)).json() as { classification: { level: string }; revisions: unknown[] };
    expect(after.classification.level).toBe('confirmed');
    expect(after.revisions).toHaveLength(1);
  });
});
