import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAudit, getPlan, getTrialRun, needsReport } from '../../../data/assurance';
import { signInDemo, startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';

/**
 * The assurance API over a real server and database: needs-assessment figures entered,
 * changed, deleted and imported from CSV; the partner directory; plan versions; trial runs
 * from start to close; actions done and reopened. Responses are checked against the data
 * layer itself, so a response schema that dropped a field would fail here.
 */
describe.each(TEST_DB_KINDS)('assurance API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, { cookie: string; csrf: string }>();

  async function as(user: string) {
    const known = sessions.get(user);
    if (known) return known;
    const res = await signInDemo(t.app, user);
    expect(res.statusCode, user).toBe(200);
    const s = { cookie: res.cookie, csrf: res.csrf };
    sessions.set(user, s);
    return s;
  }
  async function call(user: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    const s = await as(user);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  }

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    // Two people known to treatment in E06000008 within the 12 months to 2024-06-30.
    await tdb.db.query(
      `INSERT INTO people (person_id, service_id, sex, date_of_birth) VALUES ('P-A1', 'SVC-T1', 'M', '1980-01-01'), ('P-A2', 'SVC-T1', 'F', '1985-01-01')`,
    );
    await tdb.db.query(`INSERT INTO episodes (episode_id, person_id, start_date) VALUES ('E-A1', 'P-A1', '2024-01-10'), ('E-A2', 'P-A2', '2023-12-01')`);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('enters, changes and deletes a prevalence estimate; penetration follows', async () => {
    const bad = await call('ldis', 'POST', '/api/assurance/needs/prevalence', { area: '', substance: 'opiates_crack', estimate: -1, year: '', source: '' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort()).toEqual(['body.area', 'body.estimate', 'body.source', 'body.year']);

    const made = await call('ldis', 'POST', '/api/assurance/needs/prevalence', { area: 'E06000008', substance: 'opiates_crack', estimate: 40, year: '2023/24', source: 'Test estimate' });
    expect(made.statusCode).toBe(201);
    const id = (made.json() as { id: number }).id;
    let r = await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(JSON.parse(JSON.stringify(await needsReport(tdb.db, '2024-06-30'))));
    expect(r.json().penetration).toMatchObject({ known: 2, estimate: 40, pct: 5 });

    expect((await call('ldis', 'PUT', `/api/assurance/needs/prevalence/${id}`, { area: 'E06000008', substance: 'opiates_crack', estimate: 20, year: '2023/24', source: 'Test estimate' })).statusCode).toBe(204);
    r = await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30');
    expect(r.json().penetration).toMatchObject({ known: 2, estimate: 20, pct: 10 });
    expect((await call('manager', 'PUT', `/api/assurance/needs/prevalence/${id}`, { area: 'E06000008', substance: 'opiates_crack', estimate: 20, year: '2023/24', source: 'x' })).statusCode).toBe(403);

    expect((await call('ldis', 'DELETE', `/api/assurance/needs/prevalence/${id}`)).statusCode).toBe(204);
    expect((await call('ldis', 'DELETE', `/api/assurance/needs/prevalence/${id}`)).statusCode).toBe(404);
    r = await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30');
    expect(r.json().penetration).toBeNull();
    expect(r.json().prevalence).toEqual([]);
  });

  it('imports prevalence and comparators from CSV, all or nothing, with every problem located', async () => {
    const good = 'area,substance,estimate,rate_per_1000,year,source\nE06000008,opiates_crack,50,8.1,2023/24,Imported estimate\nE06000008,injectors,12,,2023/24,Imported estimate\n';
    let r = await call('ldis', 'POST', '/api/assurance/needs/import', { file_name: 'prev.csv', csv: good });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({ file: 'prev.csv', kind: 'prevalence', rows: 2, created: 2, unchanged: 0 });
    r = await call('ldis', 'POST', '/api/assurance/needs/import', { file_name: 'prev.csv', csv: good });
    expect(r.json()).toMatchObject({ created: 0, unchanged: 2 });
    const report = (await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30')).json();
    expect(report.penetration).toMatchObject({ known: 2, estimate: 50, pct: 4 });

    const bad = 'area,substance,estimate,year,source\nE06000008,heroin,50,2023/24,x\nE06000008,crack,lots,2023/24,x\n';
    r = await call('ldis', 'POST', '/api/assurance/needs/import', { file_name: 'bad.csv', csv: bad });
    expect(r.statusCode).toBe(400);
    const problems = (r.json() as { problems: Array<{ file: string; line: number; column: string; value: string; expected: string }> }).problems;
    expect(problems.map((p) => [p.file, p.line, p.column, p.value])).toEqual([
      ['bad.csv', 2, 'substance', 'heroin'],
      ['bad.csv', 3, 'estimate', 'lots'],
    ]);
    expect(problems[0]!.expected).toMatch(/opiates_crack/);
    // Nothing from the bad file was saved.
    expect((await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30')).json().prevalence).toHaveLength(2);

    r = await call('ldis', 'POST', '/api/assurance/needs/import', { file_name: 'comp.csv', csv: 'measure,level,value,period,source\nsuccessful_exits,national,41.5%,2023/24,NDTMS\n' });
    expect(r.json()).toMatchObject({ kind: 'comparators', created: 1 });
    const needs = (await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30')).json();
    const exits = needs.figures.find((f: { key: string }) => f.key === 'successful_exits');
    expect(exits.national).toMatchObject({ value: 41.5, source: 'NDTMS' });
    const cid = needs.comparators_entered[0].id as number;
    expect((await call('ldis', 'PUT', `/api/assurance/needs/comparators/${cid}`, { measure: 'successful_exits', level: 'national', value: 40, period: '2023/24', source: 'NDTMS' })).statusCode).toBe(204);
    expect((await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30')).json().figures.find((f: { key: string }) => f.key === 'successful_exits').national.value).toBe(40);
    expect((await call('ldis', 'DELETE', `/api/assurance/needs/comparators/${cid}`)).statusCode).toBe(204);
    expect((await call('ldis', 'GET', '/api/assurance/needs?date=2024-06-30')).json().comparators_entered).toEqual([]);
  });

  it('keeps the partner directory, versions the plan, and will not remove a partner the plan names', async () => {
    const p = await call('ldis', 'POST', '/api/assurance/partners', { organisation: 'Test Police', contact_name: 'Pat', contact_role: 'Inspector', email: 'pat@example.org', phone: '0100' });
    expect(p.statusCode).toBe(201);
    const partner = p.json() as { id: number };
    expect((await call('ldis', 'PUT', `/api/assurance/partners/${partner.id}`, { organisation: 'Test Police', email: 'not-an-email' })).statusCode).toBe(400);
    expect((await call('ldis', 'POST', '/api/assurance/plan', {})).statusCode).toBe(201);
    const v1 = (await call('ldis', 'GET', '/api/assurance/plan')).json();
    expect(v1).toEqual(JSON.parse(JSON.stringify(await getPlan(tdb.db))));
    const content = { ...v1.content, chair: { ...v1.content.chair, name: 'Chris Chair' }, invitees: [partner.id], circulation: [partner.id] };
    const saved = await call('ldis', 'PUT', '/api/assurance/plan', { base_version: 1, note: 'Chair and invitees', content });
    expect(saved.json()).toEqual({ version: 2 });
    expect((await call('ldis', 'PUT', '/api/assurance/plan', { base_version: 1, note: 'stale', content })).statusCode).toBe(409);
    const v2 = (await call('ldis', 'GET', '/api/assurance/plan')).json();
    expect(v2.versions[0].changes.map((c: { path: string }) => c.path)).toEqual(expect.arrayContaining(['chair.name', 'invitees', 'circulation']));
    expect((await call('ldis', 'DELETE', `/api/assurance/partners/${partner.id}`)).statusCode).toBe(409);
    const other = (await call('ldis', 'POST', '/api/assurance/partners', { organisation: 'Spare' })).json() as { id: number };
    expect((await call('ldis', 'DELETE', `/api/assurance/partners/${other.id}`)).statusCode).toBe(204);
    expect(((await call('ldis', 'GET', '/api/assurance/partners')).json() as Array<{ id: number }>).map((x) => x.id)).toEqual([partner.id]);
  });

  it('runs a trial from start to close, with its drill reports in the LDIS', async () => {
    const started = await call('ldis', 'POST', '/api/assurance/plan/trial-runs', { scenario: 'Nitazene cluster drill', local_authority: 'E06000008', reports: 2 });
    expect(started.statusCode).toBe(201);
    const run = started.json() as { id: number; report_ids: string[] };
    expect(run.report_ids).toHaveLength(2);
    let d = await call('ldis', 'GET', `/api/assurance/plan/trial-runs/${run.id}`);
    expect(d.statusCode).toBe(200);
    expect(d.json()).toEqual(JSON.parse(JSON.stringify(await getTrialRun(tdb.db, run.id))));
    expect(d.json().summary).toMatchObject({ started: 2, received: 2, assessed: 0, max_minutes_to_assessment: null });
    const exercise = await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE report_id = ANY($1::text[]) AND exercise', [run.report_ids]);
    expect(exercise[0]!.n).toBe(2);

    expect((await call('ldis', 'POST', `/api/assurance/plan/trial-runs/${run.id}/close`)).statusCode).toBe(400);
    expect((await call('ldis', 'PUT', `/api/assurance/plan/trial-runs/${run.id}`, { whatHappened: '', improvements: '' })).statusCode).toBe(400);
    expect((await call('ldis', 'PUT', `/api/assurance/plan/trial-runs/${run.id}`, { whatHappened: 'Inbox checked in 2 h', improvements: 'Name a deputy' })).statusCode).toBe(204);
    expect((await call('manager', 'POST', `/api/assurance/plan/trial-runs/${run.id}/close`)).statusCode).toBe(403);
    expect((await call('ldis', 'POST', `/api/assurance/plan/trial-runs/${run.id}/close`)).statusCode).toBe(204);
    d = await call('ldis', 'GET', `/api/assurance/plan/trial-runs/${run.id}`);
    expect(d.json()).toMatchObject({ what_happened: 'Inbox checked in 2 h', improvements: 'Name a deputy', closed_by: 'ldis' });
    expect((await call('ldis', 'PUT', `/api/assurance/plan/trial-runs/${run.id}`, { whatHappened: 'again', improvements: 'again' })).statusCode).toBe(409);
    expect((await call('ldis', 'GET', '/api/assurance/plan/trial-runs/999999')).statusCode).toBe(404);
  });

  it('marks an action done and reopens it; the audit validates against its schema', async () => {
    const a = await call('manager', 'POST', '/api/assurance/audits', { template_id: 'provider-recommendations', title: 'API audit', month: '2024-06' });
    expect(a.statusCode).toBe(201);
    const auditId = (a.json() as { id: number }).id;
    const audit = (await call('manager', 'GET', `/api/assurance/audits/${auditId}`)).json();
    const key = audit.sections[0].items[0].key as string;
    const act = await call('manager', 'POST', `/api/assurance/audits/${auditId}/items/${key}/actions`, { text: 'Write the strategy', owner: 'DAT lead', due: '2024-09-30' });
    const actionId = (act.json() as { id: number }).id;
    const status = async () => ((await call('manager', 'GET', `/api/assurance/audits/${auditId}`)).json().sections[0].items[0].actions as Array<{ id: number; status: string }>).find((x) => x.id === actionId)?.status;
    expect(await status()).toBe('open');
    expect((await call('manager', 'PATCH', `/api/assurance/audits/${auditId}/actions/${actionId}`, { status: 'done' })).statusCode).toBe(204);
    expect(await status()).toBe('done');
    expect((await call('manager', 'PATCH', `/api/assurance/audits/${auditId}/actions/${actionId}`, { status: 'open' })).statusCode).toBe(204);
    expect(await status()).toBe('open');
    const res = await call('manager', 'GET', `/api/assurance/audits/${auditId}`);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(await getAudit(tdb.db, auditId))));
  });

  it('declares a success response schema for every assurance route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    const missing: string[] = [];
    let n = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/assurance')) continue;
      for (const [method, op] of Object.entries(ops)) {
        n++;
        if (!Object.keys(op.responses ?? {}).some((c) => /^20[014]$/.test(c))) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(n).toBeGreaterThan(25);
    expect(missing).toEqual([]);
  });
});
