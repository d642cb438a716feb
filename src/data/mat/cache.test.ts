import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset } from '../dataset';
import { makeMatConfig } from '../../domain/mat';
import { cachedTracker, datasetVersion, forgetTrackerMemory, narrowToService, warmTrackerCache } from './cache';
import { matReport } from './report';
import { FIXTURE_MONTH, writeFixtureDataset } from './test-fixtures';

describe.each(TEST_DB_KINDS)('MAT tracker cache on %s', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const dir = await writeFixtureDataset();
    const result = await importDataset(t.db, dir, { today: '2024-12-01' });
    await rm(dir, { recursive: true, force: true });
    expect(result.status).toBe('succeeded');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('answers exactly what matReport answers, computed once and then from memory', async () => {
    const direct = await matReport(t.db, { month: FIXTURE_MONTH, trackerMonths: 12, people: false });
    const first = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12 });
    expect(first.source).toBe('computed');
    expect(first.report).toEqual(direct);
    const second = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12 });
    expect(second.source).toBe('memory');
    expect(second.report).toEqual(direct);
    const stored = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mat_tracker_cache');
    expect(stored[0]?.n).toBe(1);
  });

  it('narrows to one service exactly as matReport with serviceId does', async () => {
    const { report } = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12 });
    for (const serviceId of ['S1', 'S2']) {
      const direct = await matReport(t.db, { month: FIXTURE_MONTH, trackerMonths: 12, people: false, serviceId });
      expect(narrowToService(report, serviceId)).toEqual(direct);
    }
    expect(() => narrowToService(report, 'NOPE')).toThrow(/No service NOPE/);
  });

  it('never serves a tracker computed before the data changed', async () => {
    const before = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12 });
    const v0 = await datasetVersion(t.db);
    // A prescription ends: the person is no longer in MAT on the month end.
    const person = (await t.db.query<{ person_id: string }>(
      `SELECT person_id FROM prescriptions WHERE end_date IS NULL AND person_id IN (SELECT person_id FROM people WHERE service_id = 'S2') ORDER BY person_id LIMIT 1`,
    ))[0]?.person_id ?? '';
    expect(person).not.toBe('');
    await t.db.query(`UPDATE prescriptions SET end_date = start_date WHERE person_id = $1 AND end_date IS NULL`, [person]);
    expect(await datasetVersion(t.db)).toBeGreaterThan(v0);
    const after = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12 });
    expect(after.source).toBe('computed');
    expect(after.report.organisation.in_mat).toBe(before.report.organisation.in_mat - 1);
    expect(after.report).toEqual(await matReport(t.db, { month: FIXTURE_MONTH, trackerMonths: 12, people: false }));
  });

  it('reads a stored tracker after a restart (a new process has an empty memory)', async () => {
    await warmTrackerCache(t.db, FIXTURE_MONTH);
    // As a second Beacon process (or this one after a restart) would see it: nothing in memory.
    forgetTrackerMemory(t.db);
    const again = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 24 });
    expect(again.source).toBe('database');
    expect(again.report.tracker.months).toHaveLength(24);
  });

  it('keys the cache by configuration: a different threshold is computed on its own', async () => {
    const config = makeMatConfig({ methadone: { ogMinMg: 80 } });
    const other = await cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12, config });
    expect(other.source).toBe('computed');
    expect(other.report).toEqual(await matReport(t.db, { month: FIXTURE_MONTH, trackerMonths: 12, people: false, config }));
  });

  it('computes once for many concurrent requests', async () => {
    await t.db.query(`UPDATE services SET name = name WHERE service_id = 'S1'`);
    const answers = await Promise.all(Array.from({ length: 8 }, () => cachedTracker(t.db, { month: FIXTURE_MONTH, trackerMonths: 12 })));
    expect(new Set(answers.map((a) => a.computedAt)).size).toBe(1);
    expect(answers.filter((a) => a.source === 'computed')).toHaveLength(8); // all share the one computation
  });
});
