import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset } from '../dataset';
import { generateDemo } from '../demo';
import { makeMatConfig, monthEnd, monthsEndingWith } from '../../domain/mat';
import { matReport } from './report';
import { dropHeldRecords, dropStore, lastStoreRefresh, refreshStore, storeTrackerReport } from './store';
import { passWorkers, setPassWorkers } from '../workers';

const DEFAULT_WORKERS = passWorkers();

/** The latest month with records in the demo data (the report month of these tests). */
async function lastMonth(t: TestDb): Promise<string> {
  const rows = await t.db.query<{ d: string }>('SELECT max(date)::text AS d FROM drug_tests');
  return (rows[0]?.d ?? '').slice(0, 7);
}

async function marks(t: TestDb): Promise<number> {
  return (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mat_dirty'))[0]?.n ?? -1;
}

/**
 * Each database on this thread, and PostgreSQL with the full passes in worker threads
 * (forced on this small population; by default they start from 20,000 people).
 */
const MODES = [...TEST_DB_KINDS.map((kind) => [kind, 0] as const), ...(TEST_DB_KINDS.includes('postgres') ? [['postgres', 2] as const] : [])];

describe.each(MODES)('MAT classification store on %s, %i worker threads', (kind, threads) => {
  let t: TestDb;
  let month: string;
  let earlier: string;

  beforeAll(async () => {
    setPassWorkers(threads, 0);
    t = await createTestDb(kind);
    const dir = await mkdtemp(join(tmpdir(), 'beacon-store-'));
    await generateDemo({ people: 600, months: 24, seed: 11, outDir: dir });
    const result = await importDataset(t.db, dir, { today: '2026-11-01' });
    await rm(dir, { recursive: true, force: true });
    expect(result.status).toBe('succeeded');
    month = await lastMonth(t);
    earlier = monthsEndingWith(month, 7)[0] as string;
  }, 120_000);
  afterAll(async () => {
    setPassWorkers(DEFAULT_WORKERS.threads, DEFAULT_WORKERS.minPeople);
    await t.drop();
  });

  const direct = (m: string, n: number, config?: ReturnType<typeof makeMatConfig>) => matReport(t.db, { month: m, trackerMonths: n, people: false, config });

  it('the first import into empty tables marked everyone at once; building the store clears the marks', async () => {
    expect(await t.db.query('SELECT person_id FROM mat_dirty')).toContainEqual({ person_id: '*' });
    const report = await storeTrackerReport(t.db, { month, trackerMonths: 12 });
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'built', threads });
    expect(report).toEqual(await direct(month, 12));
    expect(report.organisation.in_mat).toBeGreaterThan(100);
    expect(await marks(t)).toBe(0);
  });

  it('answers a longer window and an earlier month exactly as matReport, adding only the month ends it lacks', async () => {
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', reclassified: 0 });
    expect(lastStoreRefresh(t.db)?.monthsAdded).toHaveLength(12);
    expect(await storeTrackerReport(t.db, { month: earlier, trackerMonths: 12 })).toEqual(await direct(earlier, 12));
    expect(lastStoreRefresh(t.db)?.mode).toBe('unchanged');
  });

  it('reclassifies only the person whose records changed, and answers as a full recomputation would', async () => {
    const who = (await t.db.query<{ person_id: string; service_id: string }>(
      `SELECT p.person_id, p.service_id FROM people p JOIN prescriptions r ON r.person_id = p.person_id
        WHERE r.end_date IS NULL AND r.medication = 'methadone' ORDER BY p.person_id LIMIT 1`,
    ))[0];
    expect(who).toBeDefined();
    const id = who?.person_id ?? '';
    // A positive opiate test on the report month end, recorded on the person's page.
    await t.db.query(`INSERT INTO drug_tests (test_id, person_id, date, substance, result, sample) VALUES ('STORE-T1', $1, $2::date, 'heroin', 'positive', 'urine')`, [id, `${month}-01`]);
    expect(await marks(t)).toBe(1);
    const after = await storeTrackerReport(t.db, { month, trackerMonths: 24 });
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', reclassified: 1, monthsAdded: [] });
    expect(after).toEqual(await direct(month, 24));
    // The person moves service: both services' figures change on every month end.
    await t.db.query(`UPDATE people SET service_id = (SELECT min(service_id) FROM services WHERE service_id <> $2) WHERE person_id = $1`, [id, who?.service_id ?? '']);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', reclassified: 1 });
    // Records dated after the last month end held cannot change it: nobody is reclassified.
    await t.db.query(`INSERT INTO drug_tests (test_id, person_id, date, substance, result, sample) VALUES ('STORE-T2', $1, '2099-01-01', 'heroin', 'positive', 'urine')`, [id]);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'unchanged', reclassified: 0 });
    // Nor can closing an ongoing prescription after it (the monthly update at a dose change).
    await t.db.query(`UPDATE prescriptions SET end_date = '2099-01-31' WHERE person_id = $1 AND end_date IS NULL`, [id]);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'unchanged', reclassified: 0 });
    await t.db.query(`UPDATE prescriptions SET end_date = NULL WHERE person_id = $1 AND end_date = '2099-01-31'`, [id]);
    // A deleted record, and an updated prescription (its dose), likewise.
    await t.db.query(`DELETE FROM drug_tests WHERE test_id IN ('STORE-T1', 'STORE-T2')`);
    await t.db.query(`UPDATE prescriptions SET dose_mg = dose_mg + 25 WHERE person_id = $1 AND end_date IS NULL`, [id]);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', reclassified: 1 });
    expect(await marks(t)).toBe(0);
  });

  it('marks a change to prescriptions with its own earliest date (rx_from); other records leave it empty', async () => {
    await storeTrackerReport(t.db, { month, trackerMonths: 24 });
    const id = (await t.db.query<{ person_id: string }>(`SELECT person_id FROM prescriptions WHERE end_date IS NULL ORDER BY person_id DESC LIMIT 1`))[0]?.person_id ?? '';
    const mark = async () => (await t.db.query<{ from_date: string; rx_from: string | null }>(`SELECT from_date::text AS from_date, rx_from::text AS rx_from FROM mat_dirty WHERE person_id = $1`, [id]))[0];
    await t.db.query(`INSERT INTO drug_tests (test_id, person_id, date, substance, result) VALUES ('RXF-T', $1, '2098-06-01', 'heroin_6mam', 'positive')`, [id]);
    expect(await mark()).toEqual({ from_date: '2098-06-01', rx_from: null });
    await t.db.query(`UPDATE prescriptions SET end_date = '2099-01-31' WHERE person_id = $1 AND end_date IS NULL`, [id]);
    expect(await mark()).toEqual({ from_date: '2098-06-01', rx_from: '2099-01-31' });
    await t.db.query(`UPDATE prescriptions SET end_date = NULL WHERE person_id = $1 AND end_date = '2099-01-31'`, [id]);
    await t.db.query(`DELETE FROM drug_tests WHERE test_id = 'RXF-T'`);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(await marks(t)).toBe(0);
  });

  it('takes people into and out of MAT as their prescriptions change', async () => {
    const ids = (await t.db.query<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM prescriptions WHERE end_date IS NULL ORDER BY person_id LIMIT 3`,
    )).map((r) => r.person_id);
    await t.db.query(`UPDATE prescriptions SET end_date = start_date WHERE person_id = ANY($1::text[]) AND end_date IS NULL`, [ids]);
    const out = await storeTrackerReport(t.db, { month, trackerMonths: 24 });
    expect(out).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)?.reclassified).toBe(3);
    const never = (await t.db.query<{ person_id: string; service_id: string }>(
      `SELECT person_id, service_id FROM people p WHERE NOT EXISTS (SELECT 1 FROM prescriptions r WHERE r.person_id = p.person_id) ORDER BY person_id LIMIT 1`,
    ))[0];
    expect(never).toBeDefined();
    await t.db.query(
      `INSERT INTO prescriptions (prescription_id, person_id, medication, dose_mg, start_date) VALUES ('STORE-RX1', $1, 'buprenorphine', 16, $2::date - 200)`,
      [never?.person_id ?? '', `${month}-01`],
    );
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
  });

  it.each(['held', 'database'] as const)('adds the next month after the changes a monthly import makes, from the records %s', async (from) => {
    const months = monthsEndingWith(month, 2);
    const before = months[0] as string;
    const beforeEnd = monthEnd(before);
    const monthStart = `${month}-01`;
    dropStore(t.db);
    await storeTrackerReport(t.db, { month: before, trackerMonths: 12 });
    if (from === 'database') dropHeldRecords(t.db);
    const open = (await t.db.query<{ prescription_id: string; person_id: string }>(
      `SELECT prescription_id, person_id FROM prescriptions WHERE end_date IS NULL AND start_date < $1::date - 200 ORDER BY person_id LIMIT 3`,
      [monthStart],
    ));
    expect(open).toHaveLength(3);
    const [a, b, c] = open as [(typeof open)[0], (typeof open)[0], (typeof open)[0]];
    const tag = `MI-${from}`;
    // A: a dose change in the month (segment closed, the next one opened).
    await t.db.query(`UPDATE prescriptions SET end_date = $2::date + 9 WHERE prescription_id = $1`, [a.prescription_id, monthStart]);
    await t.db.query(
      `INSERT INTO prescriptions (prescription_id, person_id, medication, dose_mg, start_date) SELECT $2, person_id, medication, dose_mg + 10, $3::date + 10 FROM prescriptions WHERE prescription_id = $1`,
      [a.prescription_id, `${tag}-RX-A`, monthStart],
    );
    // B: treatment ends in the month; C: on top in the month (a TOP and a test).
    await t.db.query(`UPDATE prescriptions SET end_date = $2::date + 3 WHERE prescription_id = $1`, [b.prescription_id, monthStart]);
    // The tracker of the month held is asked for again before the next month: these changes
    // are all dated after it, so nothing is reclassified, but their marks are cleared.
    await storeTrackerReport(t.db, { month: before, trackerMonths: 12 });
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'unchanged', reclassified: 0 });
    expect(await marks(t)).toBe(0);
    await t.db.query(`INSERT INTO top (top_id, person_id, date, opiate_days) VALUES ($1, $2, $3::date + 5, 12)`, [`${tag}-TOP-C`, c.person_id, monthStart]);
    await t.db.query(`INSERT INTO drug_tests (test_id, person_id, date, substance, result) VALUES ($1, $2, $3::date + 6, 'heroin_6mam', 'positive')`, [`${tag}-T-C`, c.person_id, monthStart]);
    // A prescription that ended in the month runs on again; a test of the month is withdrawn.
    const ended = (await t.db.query<{ prescription_id: string; end_date: string }>(
      `SELECT prescription_id, end_date::text AS end_date FROM prescriptions WHERE end_date > $1::date AND end_date <= $2::date ORDER BY prescription_id LIMIT 1`,
      [beforeEnd, monthEnd(month)],
    ))[0];
    if (ended !== undefined) await t.db.query(`UPDATE prescriptions SET end_date = NULL WHERE prescription_id = $1`, [ended.prescription_id]);
    // A test inside the held window is withdrawn (its person is read again in full).
    const withdrawn = (await t.db.query<{ test_id: string; person_id: string; date: string; substance: string; result: string; sample: string | null }>(
      `SELECT test_id, person_id, date::text AS date, substance, result, sample FROM drug_tests WHERE date > $1::date - 30 AND date <= $1::date AND person_id = $2 ORDER BY test_id LIMIT 1`,
      [beforeEnd, c.person_id],
    ))[0];
    if (withdrawn !== undefined) await t.db.query(`DELETE FROM drug_tests WHERE test_id = $1 AND substance = $2`, [withdrawn.test_id, withdrawn.substance]);
    // Someone new to treatment, whose TOP before the month is in the evidence window.
    const never = (await t.db.query<{ person_id: string }>(
      `SELECT person_id FROM people p WHERE NOT EXISTS (SELECT 1 FROM prescriptions r WHERE r.person_id = p.person_id) ORDER BY person_id DESC LIMIT 1`,
    ))[0]?.person_id ?? '';
    await t.db.query(`INSERT INTO top (top_id, person_id, date, opiate_days) VALUES ($1, $2, $3::date - 40, 20)`, [`${tag}-TOP-N`, never, monthStart]);
    await t.db.query(`INSERT INTO prescriptions (prescription_id, person_id, medication, dose_mg, start_date) VALUES ($1, $2, 'methadone', 30, $3::date - 20)`, [`${tag}-RX-N`, never, monthEnd(month)]);
    try {
      const report = await storeTrackerReport(t.db, { month, trackerMonths: 12 });
      expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', monthsAdded: [month] });
      expect(report).toEqual(await direct(month, 12));
    } finally {
      await t.db.query(`DELETE FROM prescriptions WHERE prescription_id LIKE 'MI-%'`);
      await t.db.query(`DELETE FROM top WHERE top_id LIKE 'MI-%'`);
      await t.db.query(`DELETE FROM drug_tests WHERE test_id LIKE 'MI-%'`);
      await t.db.query(`UPDATE prescriptions SET end_date = NULL WHERE prescription_id = ANY($1::text[])`, [[a.prescription_id, b.prescription_id]]);
      if (ended !== undefined) await t.db.query(`UPDATE prescriptions SET end_date = $2::date WHERE prescription_id = $1`, [ended.prescription_id, ended.end_date]);
      if (withdrawn !== undefined) {
        await t.db.query(`INSERT INTO drug_tests (test_id, person_id, date, substance, result, sample) VALUES ($1, $2, $3::date, $4, $5, $6)`, [
          withdrawn.test_id, withdrawn.person_id, withdrawn.date, withdrawn.substance, withdrawn.result, withdrawn.sample,
        ]);
      }
    }
  });

  it('adds the next month from a window of TOPs and tests, answering exactly as a full recomputation', async () => {
    // Out-of-range TOPs (data-quality findings): one long before the window, one inside it.
    const ids = (await t.db.query<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM prescriptions WHERE end_date IS NULL AND start_date < $1::date - 400 ORDER BY person_id LIMIT 2`,
      [`${month}-01`],
    )).map((r) => r.person_id);
    expect(ids).toHaveLength(2);
    await t.db.query(`INSERT INTO top (top_id, person_id, date, opiate_days) VALUES ('DQ-OLD', $1, $3::date - 300, 35), ('DQ-NEW', $2, $3::date, 40)`, [ids[0] ?? '', ids[1] ?? '', `${month}-02`]);
    // Items classification does not read (the store loads them only for a TOP out of range).
    await t.db.query(
      `INSERT INTO top (top_id, person_id, date, opiate_days, crack_days, psych_health, alcohol_units) VALUES
         ('DQ-ITEMS', $1, $2::date - 200, 3, 29, 21, -2)`,
      [ids[0] ?? '', `${month}-02`],
    );
    dropStore(t.db);
    const months = monthsEndingWith(month, 4);
    const before = months[2] as string;
    await storeTrackerReport(t.db, { month: before, trackerMonths: 12 });
    expect(lastStoreRefresh(t.db)?.mode).toBe('built');
    const report = await storeTrackerReport(t.db, { month, trackerMonths: 12 });
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', reclassified: 0, monthsAdded: [month] });
    const expected = await direct(month, 12);
    expect(report).toEqual(expected);
    // Both findings are counted: the old one held from the full load, the new one from the window.
    expect(expected.data_quality.organisation.by_code).toMatchObject({
      top_days_out_of_range: { issues: 3, people: 2 },
      top_score_out_of_range: { issues: 1, people: 1 },
      top_negative_value: { issues: 1, people: 1 },
    });
  });

  it('starts again for another configuration, and after losing its memory', async () => {
    const config = makeMatConfig({ methadone: { ogMinMg: 80 } });
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 12, config })).toEqual(await direct(month, 12, config));
    expect(lastStoreRefresh(t.db)?.mode).toBe('built');
    dropStore(t.db);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 6 })).toEqual(await direct(month, 6));
    expect(lastStoreRefresh(t.db)?.mode).toBe('built');
  });

  it('keeps a mark made by a writer that commits while the store refreshes', async () => {
    await storeTrackerReport(t.db, { month, trackerMonths: 12 });
    const id = (await t.db.query<{ person_id: string }>(`SELECT person_id FROM prescriptions WHERE end_date IS NULL ORDER BY person_id DESC LIMIT 1`))[0]?.person_id ?? '';
    // The writer's transaction is open (its mark invisible) when the store reads the marks.
    await t.db.transaction(async (tx) => {
      await tx.query(`UPDATE prescriptions SET dose_mg = dose_mg + 5 WHERE person_id = $1 AND end_date IS NULL`, [id]);
      if (kind === 'postgres') {
        await refreshStore(t.db, monthsEndingWith(month, 12));
        expect(lastStoreRefresh(t.db)?.mode).toBe('unchanged');
      }
    });
    expect(await marks(t)).toBe(1);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 12 })).toEqual(await direct(month, 12));
    expect(lastStoreRefresh(t.db)?.reclassified).toBe(1);
  });
});

/**
 * Hand-built people on the edges of the window addMonths reads when it adds the next month
 * (held: 2024-05; added: 2024-06, D = 2024-06-30, window from D − 99 = 2024-03-23).
 */
const WINDOW_FILES: Record<string, string> = {
  'services.csv': 'service_id,name,organisation,local_authority\nS1,North,Org,E06000009\n',
  'people.csv': ['person_id,service_id,date_of_birth,sex,injecting_status,housing', ...['R1', 'E1', 'I1', 'N1', 'Q1'].map((p) => `${p},S1,1980-01-01,M,N,settled`)].join('\n') + '\n',
  'prescriptions.csv': [
    'prescription_id,person_id,medication,dose_mg,start_date,end_date,reduction_plan,planned_end_date',
    // A 3-month reduction plan (detox) from 2023-01-01 whose last segment runs on from 4 days
    // after the first ended before the window: MAT 4 only if the plan's start is known.
    'RX-R1A,R1,methadone,60,2023-01-01,2024-03-10,Y,2023-03-31',
    'RX-R1B,R1,methadone,55,2024-03-15,,Y,',
    // On top 71 days before D (inside the 91-day evidence window, before the last month).
    'RX-E1,E1,methadone,70,2023-01-01,,,',
    // Restarted 5 days after a segment that ended inside the window: continuous, not induction.
    'RX-I1A,I1,methadone,40,2023-01-01,2024-05-30,,',
    'RX-I1B,I1,methadone,40,2024-06-05,,,',
    // New to treatment in the added month: induction.
    'RX-N1,N1,buprenorphine,8,2024-06-20,,,',
    // Dose down from 80 to 60 mg 20 days before D: reducing, against a dose in the window.
    'RX-Q1A,Q1,methadone,80,2022-06-01,2024-06-09,,',
    'RX-Q1B,Q1,methadone,60,2024-06-10,,,',
  ].join('\n') + '\n',
  'top.csv': ['top_id,person_id,date,opiate_days', 'T-E1,E1,2024-04-20,10', 'T-Q1,Q1,2023-02-01,0'].join('\n') + '\n',
};

describe.each(MODES)('MAT classification store: the next month from a window, on %s, %i worker threads', (kind, threads) => {
  let t: TestDb;
  beforeAll(async () => {
    setPassWorkers(threads, 0);
    t = await createTestDb(kind);
    const dir = await mkdtemp(join(tmpdir(), 'beacon-store-window-'));
    for (const [name, text] of Object.entries(WINDOW_FILES)) await writeFile(join(dir, name), text);
    const result = await importDataset(t.db, dir, { today: '2024-07-01' });
    await rm(dir, { recursive: true, force: true });
    expect(result.status).toBe('succeeded');
  });
  afterAll(async () => {
    setPassWorkers(DEFAULT_WORKERS.threads, DEFAULT_WORKERS.minPeople);
    await t.drop();
  });

  it.each(['held', 'database'] as const)('classifies the edge cases exactly as a full recomputation, from the records %s', async (from) => {
    dropStore(t.db);
    await storeTrackerReport(t.db, { month: '2024-05', trackerMonths: 3 });
    if (from === 'database') dropHeldRecords(t.db);
    const report = await storeTrackerReport(t.db, { month: '2024-06', trackerMonths: 3 });
    // From the records held, no pass over everyone runs (N1, new, is read on its own).
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', monthsAdded: ['2024-06'], threads: from === 'database' ? threads : 0 });
    const expected = await matReport(t.db, { month: '2024-06', trackerMonths: 3 });
    expect(report).toEqual({ ...expected, people: [], worklists: [] });
    // By hand: R1 detox (MAT 4), E1 on top at 70 mg (amber), I1 continuous and nothing in the
    // window (uncategorised), N1 induction (MAT 1), Q1 reducing with no evidence (uncategorised).
    const stages = Object.fromEntries(expected.people.map((p) => [p.person_id, [p.stage, p.cohort, p.regime]]));
    expect(stages).toEqual({
      R1: ['MAT4', null, 'detox'],
      E1: ['MAT2', 'amber', 'static'],
      I1: ['uncategorised', null, 'static'],
      N1: ['MAT1', null, null],
      Q1: ['uncategorised', null, 'reducing'],
    });
    expect(report.organisation.cohorts).toMatchObject({ mat1: 1, amber: 1, mat4: 1, uncategorised: 2 });
  });
});
