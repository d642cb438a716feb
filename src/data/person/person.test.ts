import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { defaultRiskConfig, days, resolveRiskConfig } from '../../domain/risk';
import { importDataset } from '../dataset';
import { FIXTURE_DATE, writeFixtureDataset } from '../mat/test-fixtures';
import { riskReport } from '../risk/report';
import { loadRiskConfig, loadRiskConfigState, resetRiskConfig, saveRiskConfig } from '../risk/config-store';
import { CareActionInvalid, createCareAction, listCareActions, openCareActions, updateCareAction } from './actions';
import { CaptureInvalid, captureRecord } from './capture';
import { loadAdvisories, loadCaseload } from './caseload';
import { loadPersonRecord } from './record';

const who = { username: 'kw1', userId: null };
const opts = { date: FIXTURE_DATE, riskConfig: defaultRiskConfig };

describe.each(TEST_DB_KINDS)('person record on %s', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const dir = await writeFixtureDataset();
    expect((await importDataset(t.db, dir, { today: '2024-12-01' })).status).toBe('succeeded');
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await t.drop();
  });

  const count = async (sql: string) => (await t.db.query<{ n: number }>(sql))[0]?.n;

  it('assembles identity, MAT, profile with evidence and source, chart markers and reviews', async () => {
    const r = await loadPersonRecord(t.db, 'P02', opts);
    expect(r?.person).toMatchObject({ person_id: 'P02', service_id: 'S1', service_name: 'North service', date_of_birth: '1980-01-01' });
    expect(r?.mat.stage).toBe('MAT3');
    expect(r?.mat.reasons.length).toBeGreaterThan(0);
    expect(r?.profile.tier).toBe('high');
    expect(r?.profile.rule.id).toBe('high-critical');
    const lt = r?.profile.flags.find((f) => f.code === 'lowered_tolerance');
    expect(lt?.critical).toBe(true);
    expect(lt?.evidence[0]).toMatchObject({ kind: 'risk_event', id: 'RE02', date: '2024-06-16', source: 'import' });
    expect(r?.profile.actions.find((a) => a.flag === 'lowered_tolerance')?.actions.length).toBeGreaterThan(0);
    expect(r?.tierRules.map((x) => x.id)).toEqual(['high-critical', 'high-count', 'medium-count', 'low-none']);
    // The release 14 days ago was already in the 28-day window a week ago: nothing new.
    expect(r?.newFlags).toEqual([]);
    expect(r?.prescriptions.map((p) => p.prescription_id)).toEqual(['RX02']);
    expect(r?.markers.map((m) => `${m.kind}:${m.id}`)).toEqual(['top:T02', 'risk_event:RE02']);
    expect(r?.reviews).toMatchObject({ topOverdue: false, testOverdue: false, topDueDate: '2024-12-15' });
    expect(await loadPersonRecord(t.db, 'NOPE', opts)).toBeNull();
  });

  it('captures a risk event through the import validation; the profile changes at once and reports see it', async () => {
    const before = await loadPersonRecord(t.db, 'P03', opts);
    expect(before?.profile.tier).toBe('medium');
    const { recordId } = await captureRecord(t.db, 'P03', { kind: 'risk_event', date: '2024-06-20', type: 'non_fatal_overdose', detail: 'Told keyworker' }, who, FIXTURE_DATE);
    expect(recordId).toMatch(/^BCN-RE-/);
    const after = await loadPersonRecord(t.db, 'P03', opts);
    expect(after?.profile.tier).toBe('high');
    const od = after?.profile.flags.find((f) => f.code === 'recent_overdose');
    expect(od).toMatchObject({ critical: true });
    expect(od?.evidence[0]).toMatchObject({ id: recordId, source: 'beacon', captured_by: 'kw1' });
    expect(after?.riskEvents.find((e) => e.event_id === recordId)?.source).toBe('beacon');
    const report = await riskReport(t.db, { date: FIXTURE_DATE });
    expect(report.people.find((p) => p.person_id === 'P03')?.critical).toContain('recent_overdose');
    expect(await count(`SELECT count(*)::int AS n FROM captured_records WHERE record_id = '${recordId}'`)).toBe(1);
  });

  it('refuses invalid captures with the import’s messages and stores nothing', async () => {
    const rows = async () => (await count('SELECT count(*)::int AS n FROM risk_events')) ?? 0;
    const n = await rows();
    const err = await captureRecord(t.db, 'P03', { kind: 'risk_event', date: '2024-02-30', type: 'overdose' }, who, FIXTURE_DATE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureInvalid);
    expect((err as CaptureInvalid).problems.map((p) => p.field).sort()).toEqual(['date', 'type']);
    expect((err as CaptureInvalid).problems.find((p) => p.field === 'type')?.message).toMatch(/not a code for type/);
    const future = await captureRecord(t.db, 'P03', { kind: 'risk_event', date: '2024-07-01', type: 'self_harm' }, who, FIXTURE_DATE).catch((e: unknown) => e);
    expect((future as CaptureInvalid).problems).toEqual([{ field: 'date', message: expect.stringMatching(/in the future/) }]);
    const dup = await captureRecord(
      t.db,
      'P03',
      { kind: 'drug_test', date: '2024-06-21', results: [{ substance: 'fentanyl', result: 'positive' }, { substance: 'fentanyl', result: 'negative' }] },
      who,
      FIXTURE_DATE,
    ).catch((e: unknown) => e);
    expect((dup as CaptureInvalid).problems[0]?.message).toMatch(/already used/);
    const none = await captureRecord(t.db, 'P03', { kind: 'drug_test', date: '2024-06-21', results: [] }, who, FIXTURE_DATE).catch((e: unknown) => e);
    expect((none as CaptureInvalid).problems[0]?.field).toBe('results');
    expect(await rows()).toBe(n);
  });

  it('captures naloxone and a drug test', async () => {
    expect((await loadPersonRecord(t.db, 'P04', opts))?.profile.flags.map((f) => f.code)).toContain('no_naloxone');
    await captureRecord(t.db, 'P04', { kind: 'naloxone', date: '2024-06-30', product: 'nasal' }, who, FIXTURE_DATE);
    const test = await captureRecord(
      t.db,
      'P04',
      { kind: 'drug_test', date: '2024-06-29', sample: 'urine', results: [{ substance: 'Nitazene', result: 'positive' }, { substance: 'methadone', result: 'positive' }] },
      who,
      FIXTURE_DATE,
    );
    const r = await loadPersonRecord(t.db, 'P04', opts);
    const codes = r?.profile.flags.map((f) => f.code);
    expect(codes).not.toContain('no_naloxone');
    expect(codes).toContain('potent_opioid');
    expect(r?.naloxone.at(-1)).toMatchObject({ recipient: 'service_user', source: 'beacon' });
    expect(r?.drugTests.find((g) => g.test_id === test.recordId)?.results).toEqual([
      { substance: 'methadone', result: 'positive' },
      { substance: 'nitazene', result: 'positive' },
    ]);
  });

  it('records care-plan actions against flags, validates them and lists the open ones', async () => {
    const a = await createCareAction(t.db, 'P02', { flag: 'lowered_tolerance', actionId: 'lowered_tolerance.naloxone', text: 'Naloxone on release', status: 'planned', dueDate: '2024-06-25', owner: 'keyworker' }, 'kw1');
    await createCareAction(t.db, 'P02', { flag: 'no_naloxone', text: 'Our own action', status: 'planned' }, 'kw1');
    await expect(createCareAction(t.db, 'P02', { flag: 'housing', text: 'x', status: 'declined' }, 'kw1')).rejects.toBeInstanceOf(CareActionInvalid);
    expect((await openCareActions(t.db, { serviceIds: ['S1'], asOf: FIXTURE_DATE })).map((x) => [x.person_id, x.overdue])).toEqual([
      ['P02', true],
      ['P02', false],
    ]);
    expect(await openCareActions(t.db, { serviceIds: ['S2'], asOf: FIXTURE_DATE })).toEqual([]);
    await expect(updateCareAction(t.db, 'P02', a.id, { status: 'declined' }, 'kw2')).rejects.toBeInstanceOf(CareActionInvalid);
    const d = await updateCareAction(t.db, 'P02', a.id, { status: 'declined', declinedReason: 'Has a kit from the prison' }, 'kw2');
    expect(d).toMatchObject({ status: 'declined', declined_reason: 'Has a kit from the prison', updated_by: 'kw2', created_by: 'kw1' });
    expect(await updateCareAction(t.db, 'P03', a.id, { status: 'done' }, 'kw2')).toBeNull();
    expect((await listCareActions(t.db, 'P02')).map((x) => x.status)).toEqual(['planned', 'declined']);
  });

  it('builds the caseload sorted by tier with what is due', async () => {
    const c = await loadCaseload(t.db, { date: FIXTURE_DATE, serviceIds: ['S2'], riskConfig: defaultRiskConfig });
    expect(c.people.map((p) => [p.person_id, p.tier])).toEqual([
      ['P16', 'high'],
      ['P17', 'low'],
    ]);
    expect(c.people[0]).toMatchObject({ critical: ['potent_opioid'], no_naloxone: true, new_flags: ['on_top', 'potent_opioid'] });
    expect(c.people[1]?.reviews).toMatchObject({ topOverdue: false, testOverdue: false });
    const all = await loadCaseload(t.db, { date: FIXTURE_DATE, serviceIds: null, riskConfig: defaultRiskConfig });
    expect(all.totals.people).toBe(19);
    const tiers = all.people.map((p) => p.tier);
    expect(tiers).toEqual([...tiers].sort((a, b) => ['high', 'medium', 'low'].indexOf(a) - ['high', 'medium', 'low'].indexOf(b)));
    expect(all.people.find((p) => p.person_id === 'P02')?.open_actions).toBe(1);
    expect(all.people.find((p) => p.person_id === 'P10')?.reviews.testOverdue).toBe(true);
  });

  it('lists dose advisories for prescribers', async () => {
    await t.db.query(`INSERT INTO prescriptions (prescription_id, person_id, medication, dose_mg, start_date) VALUES ('RXA1', 'P06', 'buprenorphine', 34, '2024-06-20')`);
    const list = await loadAdvisories(t.db, { date: FIXTURE_DATE, sinceDays: 90, serviceIds: ['S1'], riskConfig: defaultRiskConfig });
    expect(list.find((a) => a.person_id === 'P06')).toMatchObject({ code: 'buprenorphine_above_max', prescription_id: 'RXA1', current: true });
    // RX16 started at 65 mg methadone on day 1 and is still in force.
    const s2 = await loadAdvisories(t.db, { date: FIXTURE_DATE, sinceDays: 90, serviceIds: ['S2'], riskConfig: defaultRiskConfig });
    expect(s2.map((a) => [a.person_id, a.code, a.current])).toEqual([['P16', 'methadone_day1_above_max', true]]);
  });

  it('stores the risk configuration, refuses an invalid one, and every consumer follows it', async () => {
    expect(await saveRiskConfig(t.db, { releaseCriticalWindow: days(40) }, 'admin')).toEqual([expect.stringMatching(/releaseCriticalWindow/)]);
    expect((await loadRiskConfigState(t.db)).updatedAt).toBeNull();
    expect(await saveRiskConfig(t.db, { releaseCriticalWindow: days(15) }, 'admin')).toEqual([]);
    const config = await loadRiskConfig(t.db);
    expect(config.releaseCriticalWindow).toEqual(days(15));
    expect(await loadRiskConfig(t.db)).toBe(config);
    const r = await loadPersonRecord(t.db, 'P05', { date: FIXTURE_DATE, riskConfig: config });
    expect(r?.profile.critical).toEqual(['lowered_tolerance']);
    await resetRiskConfig(t.db);
    expect(await loadRiskConfig(t.db)).toEqual(resolveRiskConfig({}));
  });
});
