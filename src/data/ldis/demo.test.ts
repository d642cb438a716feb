import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { seedDemoLdis } from './demo';
import { listInbox } from './reports';

const AREA = 'E06000008';
const NOW = '2026-11-22T12:00:00.000Z';

describe.each(TEST_DB_KINDS)('LDIS demo seeding on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
    // One imported report from long ago: it is closed by the seeding.
    await t.db.query(
      `INSERT INTO incidents (report_id, received_at, source, event_date, event_type, local_authority) VALUES ('OLD-1', '2026-09-01T10:00:00Z', 'police', '2026-08-31', 'death', $1)`,
      [AREA],
    );
    // An earlier drill submitted the ordinary way (it has a state row): handled too.
    await t.db.query(
      `INSERT INTO incidents (report_id, received_at, source, event_date, event_type, local_authority, exercise) VALUES ('DRILL-1', '2026-09-30T11:00:00Z', 'police', '2026-09-30', 'death', $1, true)`,
      [AREA],
    );
    await t.db.query(`INSERT INTO ldis_report_state (report_id, updated_at) VALUES ('DRILL-1', '2026-09-30T11:00:00Z')`);
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('closes the history and files fresh reports with live timers, duplicates and a drill', async () => {
    const r = await seedDemoLdis(t.db, { localAuthority: AREA, now: NOW });
    expect(r).toEqual({ closed: 2, fresh: 7 });
    const inbox = await listInbox(t.db, { scope: { localAuthorities: [AREA] }, now: NOW });
    expect(inbox.items.map((i) => i.report.report_id)).not.toContain('OLD-1');
    expect(inbox.items.map((i) => i.report.report_id)).not.toContain('DRILL-1');
    expect(inbox.counts.real.reports).toBe(6);
    expect(inbox.counts.exercise.reports).toBe(1);
    expect(inbox.items.filter((i) => i.status === 'assessed')).toHaveLength(1);
    expect(inbox.counts.real.overdue).toBeGreaterThanOrEqual(1);
    const ambulance = inbox.items.find((i) => i.partner_report_id === 'WMAS-2611-0412');
    expect(ambulance?.candidates.filter((c) => c.band !== 'unlikely').map((c) => c.source).sort()).toEqual(['emergency_department', 'police']);
    // Seeding twice never files a report twice.
    const again = await seedDemoLdis(t.db, { localAuthority: AREA, now: NOW });
    expect(again).toEqual({ closed: 0, fresh: 0 });
  });
});
