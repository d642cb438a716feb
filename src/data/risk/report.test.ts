import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset } from '../dataset';
import { generateDemo } from '../demo';
import { EXPECTED_PEOPLE, FIXTURE_DATE, writeFixtureDataset } from '../mat/test-fixtures';
import { personRisk, riskReport, type RiskReport } from './report';

/** By hand from domain.md §2 on 2024-06-30 (flags in the domain's order). */
const EXPECTED: Record<string, { tier: string; flags: string[]; critical: string[] }> = {
  P01: { tier: 'medium', flags: ['treatment_transition', 'no_naloxone'], critical: [] }, // MAT 1
  P02: { tier: 'high', flags: ['lowered_tolerance', 'no_naloxone'], critical: ['lowered_tolerance'] }, // release 14 days ago
  P03: { tier: 'medium', flags: ['on_top'], critical: [] }, // naloxone 365 days ago
  P04: { tier: 'medium', flags: ['on_top', 'no_naloxone'], critical: [] }, // naloxone 366 days ago
  P05: { tier: 'medium', flags: ['lowered_tolerance', 'no_naloxone'], critical: [] }, // release 15 days ago
  P11: { tier: 'low', flags: ['no_naloxone'], critical: [] }, // MAT 4 detox is not a transition by default
  P12: { tier: 'medium', flags: ['treatment_transition', 'no_naloxone'], critical: [] }, // reducing below OG
  P16: { tier: 'high', flags: ['on_top', 'potent_opioid', 'no_naloxone'], critical: ['potent_opioid'] }, // nitazene
};

describe.each(TEST_DB_KINDS)('riskReport on %s', (kind) => {
  let t: TestDb;
  let report: RiskReport;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const dir = await writeFixtureDataset();
    expect((await importDataset(t.db, dir, { today: '2024-12-01' })).status).toBe('succeeded');
    await rm(dir, { recursive: true, force: true });
    report = await riskReport(t.db, { date: FIXTURE_DATE });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('reads only the window the rules look at, and answers as from the whole history', async () => {
    expect(await riskReport(t.db, { date: FIXTURE_DATE, fullHistory: true })).toEqual(report);
  });

  it('profiles everyone in MAT on the date, and nobody else', () => {
    expect(report.date).toBe(FIXTURE_DATE);
    expect(report.people.map((p) => p.person_id)).toEqual(Object.keys(EXPECTED_PEOPLE).sort());
  });

  it('raises the flags at each boundary', () => {
    for (const [id, want] of Object.entries(EXPECTED)) {
      const p = report.people.find((x) => x.person_id === id);
      expect({ id, tier: p?.tier, flags: p?.flags, critical: p?.critical }).toEqual({ id, ...want });
      expect(p?.reasons[0]).toMatch(/rule/);
    }
  });

  it('counts tiers, flags and naloxone coverage per service and organisation', () => {
    const org = report.organisation;
    expect(org.people).toBe(19);
    expect(org.flags.on_top).toBe(7);
    expect(org.critical.potent_opioid).toBe(1);
    expect(org.critical.lowered_tolerance).toBe(1);
    expect(org.flags.lowered_tolerance).toBe(2);
    expect(org.naloxone_coverage.all).toEqual({ people: 19, with_naloxone: 1, pct: 100 / 19 });
    expect(org.naloxone_coverage.mat2).toEqual({ people: 7, with_naloxone: 1, pct: 100 / 7 });
    expect(org.naloxone_coverage.high.with_naloxone).toBe(0);
    expect(org.tiers.high + org.tiers.medium + org.tiers.low).toBe(19);
    const s2 = report.services.find((s) => s.service_id === 'S2');
    expect(s2?.people).toBe(2);
    expect(s2?.tiers.high).toBe(1);
  });

  it('limits people to the service and scope', async () => {
    const scoped = await riskReport(t.db, { date: FIXTURE_DATE, serviceIds: ['S2'] });
    expect(scoped.people.map((p) => p.person_id)).toEqual(['P16', 'P17']);
    expect(scoped.organisation.people).toBe(19);
    const one = await riskReport(t.db, { date: FIXTURE_DATE, serviceId: 'S1', serviceIds: ['S2'] });
    expect(one.people).toEqual([]);
    expect(one.services.map((s) => s.service_id)).toEqual(['S1']);
  });

  it('gives one person profile, scope-checked', async () => {
    const p = await personRisk(t.db, 'P02', { date: FIXTURE_DATE });
    expect(p?.profile.tier).toBe('high');
    expect(p?.mat.stage).toBe('MAT3');
    expect(await personRisk(t.db, 'P02', { date: FIXTURE_DATE, serviceIds: ['S2'] })).toBeNull();
    expect(await personRisk(t.db, 'NOPE', { date: FIXTURE_DATE })).toBeNull();
    await expect(riskReport(t.db, { date: '2024-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe.each(TEST_DB_KINDS)('riskReport from the window on demo data, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    const dir = await mkdtemp(join(tmpdir(), 'beacon-risk-window-'));
    await generateDemo({ people: 500, months: 30, seed: 5, outDir: dir });
    expect((await importDataset(t.db, dir, { today: '2026-11-01' })).status).toBe('succeeded');
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('gives the same report as the whole history on several dates', async () => {
    const last = (await t.db.query<{ d: string }>('SELECT max(date)::text AS d FROM drug_tests'))[0]?.d ?? '';
    // People on the windows' edges: W1's latest TOPs (two on one day, one with an acute
    // housing problem) are two years old, and housing reads the latest TOP of any age; W2's
    // 3-month reduction plan began two years ago and its last segment runs on from 4 days
    // after the first ended, so it is a detox (MAT 4) only if the plan's start is read; W3's
    // nitazene-positive test is 200 days old, outside the evidence window but inside the
    // potent-opioid one, beside a negative nitazene test and a positive cannabis one as old.
    const svc = (await t.db.query<{ s: string }>('SELECT min(service_id) AS s FROM services'))[0]?.s ?? '';
    await t.db.query(`INSERT INTO people (person_id, service_id, date_of_birth, sex) VALUES ('W1', $1, '1980-01-01', 'M'), ('W2', $1, '1980-01-01', 'F'), ('W3', $1, '1980-01-01', 'F')`, [svc]);
    await t.db.query(
      `INSERT INTO prescriptions (prescription_id, person_id, medication, dose_mg, start_date, end_date, reduction_plan, planned_end_date) VALUES
         ('W1-RX', 'W1', 'methadone', 60, $1::date - 900, NULL, NULL, NULL),
         ('W2-RX1', 'W2', 'methadone', 60, $1::date - 800, $1::date - 500, true, $1::date - 710),
         ('W2-RX2', 'W2', 'methadone', 50, $1::date - 496, NULL, true, NULL),
         ('W3-RX', 'W3', 'buprenorphine', 12, $1::date - 400, NULL, NULL, NULL)`,
      [last],
    );
    await t.db.query(
      `INSERT INTO top (top_id, person_id, date, opiate_days, acute_housing) VALUES
         ('W1-TOP', 'W1', $1::date - 730, 0, true), ('W1-TOP2', 'W1', $1::date - 730, 0, false), ('W1-TOP0', 'W1', $1::date - 800, 3, false),
         ('W2-TOP', 'W2', $1::date - 30, 0, false)`,
      [last],
    );
    await t.db.query(
      `INSERT INTO drug_tests (test_id, person_id, date, substance, result, sample) VALUES
         ('W3-T1', 'W3', $1::date - 200, 'nitazene', 'positive', 'urine'), ('W3-T2', 'W3', $1::date - 200, 'cannabis', 'positive', 'urine'),
         ('W3-T3', 'W3', $1::date - 210, 'nitazene', 'negative', 'urine')`,
      [last],
    );
    const edge = await riskReport(t.db, { date: last, fullHistory: true });
    expect(edge.people.find((p) => p.person_id === 'W1')?.flags).toContain('housing');
    expect(edge.people.find((p) => p.person_id === 'W2')?.mat_stage).toBe('MAT4');
    expect(edge.people.find((p) => p.person_id === 'W3')?.flags).toContain('potent_opioid');
    const dates = [last, `${last.slice(0, 7)}-01`, '2025-12-31', '2025-06-15'];
    let profiles = 0;
    for (const date of dates) {
      const windowed = await riskReport(t.db, { date });
      expect(windowed).toEqual(await riskReport(t.db, { date, fullHistory: true }));
      profiles += windowed.people.length;
    }
    expect(profiles).toBeGreaterThan(400);
  });
});
