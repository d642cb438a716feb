import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { signInDemo, startTestApp, type TestApp } from '../../../testing/app';

type Session = { cookie: string; csrf: string };

/**
 * The dataset download (issue 8 §3): each role gets the fields it does not need masked in
 * every exported file, and the audit record says which were masked.
 */
describe.each(TEST_DB_KINDS)('dataset export masking on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, Session>();
  const get = async (user: string, url: string) => {
    let s = sessions.get(user);
    if (!s) {
      const signed = await signInDemo(t.app, user);
      expect(signed.statusCode, user).toBe(200);
      s = signed;
      sessions.set(user, s);
    }
    return t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  };
  const csv = (body: string) => Papa.parse<Record<string, string>>(body, { header: true, skipEmptyLines: true }).data;
  const lastExportAudit = async (username: string) =>
    (
      await tdb.db.query<{ outcome: string; resource_id: string | null; detail: { masked?: string[] } }>(
        `SELECT outcome, resource_id, detail FROM audit_log WHERE action = 'data.export' AND username = $1 ORDER BY seq DESC LIMIT 1`,
        [username],
      )
    )[0];

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
    await tdb.db.query(
      `INSERT INTO people (person_id, service_id, date_of_birth, sex, nhs_number, postcode) VALUES ('P-1', 'SVC-T1', '1980-01-02', 'M', '9434765919', 'LS1 4AP')`,
    );
    await tdb.db.query(
      `INSERT INTO top (top_id, person_id, date, opiate_days, shoplifting_days, selling_days, theft, assault) VALUES ('T-1', 'P-1', '2025-01-10', 12, 9, 4, true, false)`,
    );
    await tdb.db.query(
      `INSERT INTO incidents (report_id, received_at, source, event_date, event_type, local_authority, postcode) VALUES ('R-1', '2025-01-11T10:00:00Z', 'police', '2025-01-10', 'death', 'E06000008', 'LS2 7UE')`,
    );
  });
  afterAll(async () => {
    await t.close();
    await tdb.drop();
  });

  it('gives the administrator dates of birth as the year, NHS numbers and postcodes masked, no offending items', async () => {
    const people = await get('admin', '/api/data/export/people.csv');
    expect(people.statusCode).toBe(200);
    expect(people.body).not.toContain('9434765919');
    expect(people.body).not.toContain('1980-01-02');
    expect(people.body).not.toContain('4AP');
    expect(csv(people.body)[0]).toMatchObject({ person_id: 'P-1', date_of_birth: '1980', nhs_number: '*** *** *919', postcode: 'LS1', sex: 'M' });
    expect((await lastExportAudit('admin'))?.detail.masked?.sort()).toEqual(['people.date_of_birth', 'people.nhs_number', 'people.postcode']);

    const top = csv((await get('admin', '/api/data/export/top.csv')).body)[0];
    expect(top).toMatchObject({ top_id: 'T-1', opiate_days: '12', shoplifting_days: '', selling_days: '', theft: '', assault: '' });
    expect((await lastExportAudit('admin'))?.detail.masked?.sort()).toEqual(['top.assault', 'top.selling_days', 'top.shoplifting_days', 'top.theft']);

    const incidents = csv((await get('admin', '/api/data/export/incidents.csv')).body)[0];
    expect(incidents).toMatchObject({ report_id: 'R-1', postcode: 'LS2' });
  });

  it('gives the data manager identifiers (to link and check records) but not the offending items of the TOP', async () => {
    const people = csv((await get('data', '/api/data/export/people.csv')).body)[0];
    expect(people).toMatchObject({ date_of_birth: '1980-01-02', nhs_number: '9434765919', postcode: 'LS1 4AP' });
    expect((await lastExportAudit('data'))?.detail.masked).toEqual([]);
    const top = csv((await get('data', '/api/data/export/top.csv')).body)[0];
    expect(top).toMatchObject({ opiate_days: '12', shoplifting_days: '', selling_days: '', theft: '', assault: '' });
    expect((await lastExportAudit('data'))?.detail.masked).toHaveLength(4);
  });

  it('masks the workbook the same way, per sheet, and audits it', async () => {
    const res = await get('admin', '/api/data/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheetRow = (name: string) => {
      const sheet = wb.getWorksheet(name);
      const header = (sheet?.getRow(1).values as unknown[]).slice(1).map(String);
      const values = (sheet?.getRow(2).values as unknown[]).slice(1);
      return Object.fromEntries(header.map((h, i) => [h, values[i] ?? null]));
    };
    expect(sheetRow('people')).toMatchObject({ date_of_birth: '1980', nhs_number: '*** *** *919', postcode: 'LS1' });
    expect(sheetRow('top')).toMatchObject({ opiate_days: 12, shoplifting_days: null, theft: null });
    const audit = await lastExportAudit('admin');
    expect(audit).toMatchObject({ outcome: 'allowed', resource_id: 'xlsx' });
    expect(audit?.detail.masked).toEqual(expect.arrayContaining(['people.date_of_birth', 'incidents.postcode', 'top.theft']));

    const dm = await get('data', '/api/data/export.xlsx');
    const dmWb = new ExcelJS.Workbook();
    await dmWb.xlsx.load(dm.rawPayload as unknown as ExcelJS.Buffer);
    expect(dmWb.getWorksheet('people')?.getRow(2).values).toContain('9434765919');
  });

  it('refuses the Caldicott guardian and the care team the whole dataset (not data stewards), audited', async () => {
    for (const user of ['caldicott', 'keyworker', 'pin']) {
      expect((await get(user, '/api/data/export/people.csv')).statusCode, user).toBe(403);
      expect(await lastExportAudit(user), user).toMatchObject({ outcome: 'denied' });
    }
  });
});
