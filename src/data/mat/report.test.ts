import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset } from '../dataset';
import { matReport, type MatReport } from './report';
import { EXPECTED_COHORTS, EXPECTED_PEOPLE, EXPECTED_SERVICE_PEOPLE, FIXTURE_DATE, FIXTURE_MONTH, writeFixtureDataset } from './test-fixtures';

describe.each(TEST_DB_KINDS)('matReport on %s', (kind) => {
  let t: TestDb;
  let report: MatReport;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const dir = await writeFixtureDataset();
    const result = await importDataset(t.db, dir, { today: '2024-12-01' });
    await rm(dir, { recursive: true, force: true });
    expect(result.status).toBe('succeeded');
    report = await matReport(t.db, { month: FIXTURE_MONTH });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('names the month and its last day', () => {
    expect(report.month).toBe(FIXTURE_MONTH);
    expect(report.date).toBe(FIXTURE_DATE);
  });

  it('classifies every person in MAT on the month end exactly', () => {
    const got = Object.fromEntries(report.people.map((p) => [p.person_id, [p.stage, p.cohort, p.og_band, p.regime]]));
    expect(got).toEqual(EXPECTED_PEOPLE);
    for (const p of report.people) {
      expect(EXPECTED_SERVICE_PEOPLE[p.service_id]).toContain(p.person_id);
      expect(p.reasons.length).toBeGreaterThan(0);
      for (const r of p.reasons) expect(typeof r).toBe('string');
    }
    expect(report.people.map((p) => p.person_id)).toEqual(Object.keys(EXPECTED_PEOPLE).sort());
  });

  it('counts the cohorts per service and for the organisation', () => {
    const s1 = report.services.find((s) => s.service_id === 'S1');
    const s2 = report.services.find((s) => s.service_id === 'S2');
    expect(s1?.cohorts).toEqual(EXPECTED_COHORTS.S1);
    expect(s1?.in_mat).toBe(17);
    expect(s2?.cohorts).toEqual(EXPECTED_COHORTS.S2);
    expect(s2?.in_mat).toBe(2);
    expect(report.organisation.cohorts).toEqual(EXPECTED_COHORTS.organisation);
    expect(report.organisation.in_mat).toBe(19);
    expect(report.organisation.stages).toEqual({ mat1: 2, mat2: 7, mat3: 8, mat4: 1, uncategorised: 1 });
  });

  it('gives the mean doses of each cohort', () => {
    const s1 = report.services.find((s) => s.service_id === 'S1');
    // Red: methadone 59 and 30; amber in S1: 60, 70, 80, 70.
    expect(s1?.mean_doses.red).toEqual({ methadone_mg: 44.5, buprenorphine_mg: null });
    expect(s1?.mean_doses.amber).toEqual({ methadone_mg: 70, buprenorphine_mg: null });
    // Grey: methadone 40 and 50, buprenorphine SL 11 (the monthly injection is left out of the mean).
    expect(s1?.mean_doses.grey).toEqual({ methadone_mg: 45, buprenorphine_mg: 11 });
    // Amber everywhere: 60, 70, 80, 70 (S1) and 65 (S2).
    expect(report.organisation.mean_doses.amber.methadone_mg).toBe(69);
    expect(report.organisation.pct.red).toBeCloseTo((2 / 19) * 100, 10);
  });

  it('has the tracker series ending with the month', () => {
    expect(report.tracker.months).toHaveLength(12);
    expect(report.tracker.months.at(-1)).toBe(FIXTURE_MONTH);
    expect(report.tracker.organisation.at(-1)?.cohorts).toEqual(EXPECTED_COHORTS.organisation);
    // 2024-01-31: 18 prescriptions started on 2024-01-01 (30 days: past induction), no evidence yet.
    const jan = report.tracker.organisation.find((m) => m.month === '2024-01');
    expect(jan?.in_mat).toBe(18);
    expect(jan?.cohorts.uncategorised).toBe(18);
    expect(report.tracker.organisation.find((m) => m.month === '2023-12')?.in_mat).toBe(0);
  });

  it('has service data with ranks', () => {
    const s1 = report.service_data.services.find((s) => s.service_id === 'S1');
    expect(s1?.mat2.count).toBe(6);
    expect(s1?.mat2.by_band.below?.count).toBe(2);
    expect(s1?.mat3.by_band_regime.below?.reducing?.count).toBe(1);
    expect(s1?.ranks.red).toEqual({ value: (2 / 17) * 100, rank: 2, of: 2 });
    expect(report.service_data.organisation.in_mat).toBe(19);
  });

  it('builds the worklists with every uncategorised person', () => {
    const unc = report.worklists.filter((w) => w.priority === 'uncategorised').map((w) => w.person_id);
    expect(unc).toEqual(['P10']);
    const p2 = report.worklists.filter((w) => w.priority === 2).map((w) => w.person_id);
    const p1 = report.worklists.filter((w) => w.priority === 1).map((w) => w.person_id);
    // MAT 2 below OG: P04 and P14 (static), unless high risk puts them in P1.
    expect([...p1, ...p2].sort()).toEqual(expect.arrayContaining(['P04', 'P14']));
    for (const w of report.worklists) expect(w.reason.length).toBeGreaterThan(0);
  });

  it('restricts people to the service asked for and to the caller scope, not the aggregates', async () => {
    const one = await matReport(t.db, { month: FIXTURE_MONTH, serviceId: 'S2' });
    expect(one.services.map((s) => s.service_id)).toEqual(['S2']);
    expect(one.people.map((p) => p.person_id)).toEqual(['P16', 'P17']);
    expect(one.organisation.cohorts).toEqual(EXPECTED_COHORTS.organisation);
    const scoped = await matReport(t.db, { month: FIXTURE_MONTH, serviceIds: ['S2'] });
    expect(scoped.people.map((p) => p.person_id)).toEqual(['P16', 'P17']);
    expect(scoped.worklists.every((w) => w.service_id === 'S2')).toBe(true);
    const none = await matReport(t.db, { month: FIXTURE_MONTH, serviceId: 'S1', serviceIds: ['S2'] });
    expect(none.people).toEqual([]);
    expect(none.worklists).toEqual([]);
    expect(none.services[0]?.cohorts).toEqual(EXPECTED_COHORTS.S1);
  });

  it('rejects a bad month and an unknown service', async () => {
    await expect(matReport(t.db, { month: '2024-13' })).rejects.toThrow(/YYYY-MM/);
    await expect(matReport(t.db, { month: FIXTURE_MONTH, serviceId: 'NOPE' })).rejects.toThrow(/No service/);
  });
});
