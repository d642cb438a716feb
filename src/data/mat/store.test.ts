import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset } from '../dataset';
import { generateDemo } from '../demo';
import { makeMatConfig, monthsEndingWith } from '../../domain/mat';
import { matReport } from './report';
import { dropStore, lastStoreRefresh, refreshStore, storeTrackerReport } from './store';

/** The latest month with records in the demo data (the report month of these tests). */
async function lastMonth(t: TestDb): Promise<string> {
  const rows = await t.db.query<{ d: string }>('SELECT max(date)::text AS d FROM drug_tests');
  return (rows[0]?.d ?? '').slice(0, 7);
}

async function marks(t: TestDb): Promise<number> {
  return (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mat_dirty'))[0]?.n ?? -1;
}

describe.each(TEST_DB_KINDS)('MAT classification store on %s', (kind) => {
  let t: TestDb;
  let month: string;
  let earlier: string;

  beforeAll(async () => {
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
    await t.drop();
  });

  const direct = (m: string, n: number, config?: ReturnType<typeof makeMatConfig>) => matReport(t.db, { month: m, trackerMonths: n, people: false, config });

  it('the import marked everyone with records; building the store clears the marks', async () => {
    expect(await marks(t)).toBeGreaterThan(100);
    const report = await storeTrackerReport(t.db, { month, trackerMonths: 12 });
    expect(lastStoreRefresh(t.db)?.mode).toBe('built');
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
    // A deleted record, and an updated prescription (its dose), likewise.
    await t.db.query(`DELETE FROM drug_tests WHERE test_id IN ('STORE-T1', 'STORE-T2')`);
    await t.db.query(`UPDATE prescriptions SET dose_mg = dose_mg + 25 WHERE person_id = $1 AND end_date IS NULL`, [id]);
    expect(await storeTrackerReport(t.db, { month, trackerMonths: 24 })).toEqual(await direct(month, 24));
    expect(lastStoreRefresh(t.db)).toMatchObject({ mode: 'incremental', reclassified: 1 });
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
