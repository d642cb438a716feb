import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import {
  LdisError,
  applyReportActions,
  getReport,
  listInbox,
  mergeReports,
  recordAssessment,
  reviseReport,
  splitReports,
  submitReport,
  undoLinkageOp,
  type ReportSubmission,
} from '.';

const BIRMINGHAM = 'E08000025';
const ALL = {};
const ANSWERS = {
  local_relevance: 'occurred_here',
  geographic_extent: 'one_area',
  likelihood_of_spread: 'high',
  plausibility: 'consistent',
  source_type: 'professional_direct',
} as const;

/** One overdose as the ambulance service reports it. */
function ambulance(id: string, extra: Partial<ReportSubmission> = {}): ReportSubmission {
  return {
    partner_report_id: id,
    source: 'ambulance',
    event_date: '2024-03-01',
    event_type: 'ambulance_callout',
    local_authority: BIRMINGHAM,
    age: 34,
    sex: 'M',
    postcode: 'B12 9QT',
    naloxone_doses: 3,
    synthetic_opioid_suspected: 'Y',
    substances: 'heroin',
    outcome: 'hospital',
    ...extra,
  };
}

async function count(t: TestDb, sql: string, params: (string | number)[] = []): Promise<number> {
  const r = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return r[0]?.n ?? -1;
}

describe.each(TEST_DB_KINDS)('LDIS data on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('rejects an invalid report with field-level errors and saves nothing', async () => {
    const bad = { ...ambulance('BAD-1'), event_date: '2024-02-30', local_authority: 'Brum', age: -4, hmo: 'maybe' } as unknown as ReportSubmission;
    const err = await submitReport(t.db, { partner: 'ambulance-wm', submittedBy: 'u', submission: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LdisError);
    const fields = ((err as LdisError).errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(['age', 'event_date', 'hmo', 'local_authority']);
    expect(await count(t, 'incidents')).toBe(0);
    expect(await count(t, 'ldis_submissions')).toBe(0);
  });

  it('accepts unknown for every optional item', async () => {
    const r = await submitReport(t.db, {
      partner: 'police',
      submittedBy: 'u',
      submission: { partner_report_id: 'MIN-1', source: 'police', event_date: '2024-03-01', event_type: 'intelligence', local_authority: 'E06000008', hmo: 'unknown', sex: null, postcode: '' },
    });
    expect(r.created).toBe(true);
    const d = await getReport(t.db, r.reportId, { scope: ALL });
    expect(d?.report).toMatchObject({ hmo: 'unknown', sex: null, postcode: null, substances: [] });
  });

  it('shows a report imported from a file (no submission, no state yet) as received', async () => {
    await t.db.query(
      `INSERT INTO incidents (report_id, received_at, source, event_date, event_type, local_authority, synthetic_opioid_suspected)
       VALUES ('CSV-1', '2024-01-05T10:00:00Z', 'coroner', '2024-01-03', 'death', 'E08000026', true)`,
    );
    const inbox = await listInbox(t.db, { scope: { localAuthorities: ['E08000026'] }, now: '2024-01-05T11:00:00.000Z' });
    expect(inbox.items.map((i) => [i.report.report_id, i.status, i.partner, i.classification.level])).toEqual([['CSV-1', 'received', null, 'suspected']]);
    const d = await getReport(t.db, 'CSV-1', { scope: ALL, now: '2024-01-05T11:00:00.000Z' });
    expect(d?.sla.assess.state).toBe('pending');
  });

  it('is idempotent on the partner report id, also under concurrent retries', async () => {
    const first = await submitReport(t.db, { partner: 'ambulance-wm', submittedBy: 'u', submission: ambulance('AMB-1') });
    const again = await submitReport(t.db, { partner: 'ambulance-wm', submittedBy: 'u', submission: ambulance('AMB-1') });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, reportId: first.reportId, receivedAt: first.receivedAt });
    // The same id from another partner is another report.
    const other = await submitReport(t.db, { partner: 'police', submittedBy: 'u', submission: ambulance('AMB-1', { source: 'police', event_type: 'non_fatal_overdose' }) });
    expect(other.created).toBe(true);
    // Reusing an id for different content is a conflict.
    await expect(submitReport(t.db, { partner: 'ambulance-wm', submittedBy: 'u', submission: ambulance('AMB-1', { age: 50 }) })).rejects.toMatchObject({ kind: 'conflict' });

    const racers = await Promise.all(Array.from({ length: 12 }, () => submitReport(t.db, { partner: 'ed-qe', submittedBy: 'u', submission: ambulance('RACE-1') })));
    expect(new Set(racers.map((r) => r.reportId)).size).toBe(1);
    expect(racers.filter((r) => r.created)).toHaveLength(1);
    expect(await count(t, `ldis_submissions WHERE partner = 'ed-qe'`)).toBe(1);
    expect(await count(t, `incidents i JOIN ldis_submissions s USING (report_id) WHERE s.partner_report_id = 'RACE-1'`)).toBe(1);
  });

  it('shows level, candidate duplicates and SLA timers in the inbox; drills are flagged and counted apart', async () => {
    const amb = await submitReport(t.db, { partner: 'wmas', submittedBy: 'u', submission: ambulance('CALL-77'), now: '2024-03-01T22:00:00.000Z' });
    const ae = await submitReport(t.db, {
      partner: 'qe-hospital',
      submittedBy: 'u',
      submission: ambulance('ED-9', { source: 'emergency_department', event_type: 'ae_attendance', age: 35, naloxone_doses: null, substances: ['heroin', 'nitazene'] }),
      now: '2024-03-02T03:00:00.000Z',
    });
    const drill = await submitReport(t.db, { partner: 'wmas', submittedBy: 'u', submission: ambulance('DRILL-1', { exercise: 'Y' }), now: '2024-03-02T04:00:00.000Z' });

    const inbox = await listInbox(t.db, { scope: { localAuthorities: [BIRMINGHAM] }, now: '2024-03-02T23:30:00.000Z' });
    const a = inbox.items.find((i) => i.report.report_id === amb.reportId);
    const b = inbox.items.find((i) => i.report.report_id === ae.reportId);
    const x = inbox.items.find((i) => i.report.report_id === drill.reportId);
    expect(a?.classification.level).toBe('probable');
    expect(b?.classification.level).toBe('probable');
    expect(a?.candidates.map((c) => c.report_id)).toContain(ae.reportId);
    expect(b?.candidates.find((c) => c.report_id === amb.reportId)?.band).toBe('likely');
    // The drill never links with real reports.
    expect(a?.candidates.map((c) => c.report_id)).not.toContain(drill.reportId);
    expect(x?.exercise).toBe(true);
    // Received 22:00 on 1 March: assessment was due 22:00 on 2 March.
    expect(a?.sla.assess).toMatchObject({ state: 'overdue', dueAt: '2024-03-02T22:00:00.000Z' });
    expect(a?.sla.overdue).toBe(true);
    expect(b?.sla.assess.state).toBe('due_soon');
    expect(inbox.counts.exercise.reports).toBe(1);
    expect(inbox.counts.real.reports).toBe(inbox.items.filter((i) => !i.exercise).length);
    expect(inbox.items.every((i) => i.report.local_authority === BIRMINGHAM)).toBe(true);

    // Merge: one case, the candidate goes away; undo: two cases again, the candidate is back.
    const merged = await mergeReports(t.db, { reportIds: [amb.reportId, ae.reportId], scope: ALL, actor: 'lee', reason: 'same overdose' });
    expect(merged.cases).toEqual([{ caseId: amb.reportId, reportIds: [amb.reportId, ae.reportId] }]);
    const after = await listInbox(t.db, { scope: ALL, now: '2024-03-02T23:30:00.000Z' });
    const a2 = after.items.find((i) => i.report.report_id === amb.reportId);
    expect(a2?.case.reportIds).toEqual([amb.reportId, ae.reportId]);
    expect(a2?.candidates.map((c) => c.report_id)).not.toContain(ae.reportId);
    expect(after.counts.real.cases).toBe(after.counts.real.reports - 1);

    const undone = await undoLinkageOp(t.db, { opId: merged.op.id, scope: ALL, actor: 'lee', reason: 'different people' });
    expect(undone.op).toMatchObject({ type: 'undo', target: merged.op.id });
    expect(undone.cases.map((c) => c.reportIds)).toEqual([[amb.reportId], [ae.reportId]]);
    await expect(undoLinkageOp(t.db, { opId: merged.op.id, scope: ALL, actor: 'lee' })).rejects.toMatchObject({ kind: 'conflict' });
    // Undo of the undo brings the merge back.
    const redo = await undoLinkageOp(t.db, { opId: undone.op.id, scope: ALL, actor: 'lee' });
    expect(redo.cases.map((c) => c.reportIds)).toEqual([[amb.reportId, ae.reportId]]);
    const split = await splitReports(t.db, { reportIds: [ae.reportId], scope: ALL, actor: 'lee' });
    expect(split.cases.map((c) => c.reportIds)).toEqual([[ae.reportId]]);
    expect(await count(t, 'ldis_linkage_ops')).toBe(4);
    await expect(mergeReports(t.db, { reportIds: [amb.reportId, drill.reportId], scope: ALL, actor: 'lee' })).rejects.toMatchObject({ code: 'exercise_mix' });
    await expect(mergeReports(t.db, { reportIds: [amb.reportId, 'NOPE'], scope: ALL, actor: 'lee' })).rejects.toMatchObject({ kind: 'not_found' });

    // Assessment and decision through applyWorkflow.
    await expect(applyReportActions(t.db, amb.reportId, { scope: ALL, actions: [{ type: 'decide', at: '2024-03-03T00:00:00.000Z', by: 'lee', decision: 'formal_alert', rationale: 'x' }] })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'invalid_transition',
    });
    const out = await recordAssessment(t.db, amb.reportId, {
      scope: ALL,
      actor: 'lee',
      answers: ANSWERS,
      decision: { decision: 'share_for_information', rationale: 'two partners, one event' },
      now: '2024-03-03T00:00:00.000Z',
    });
    expect(out.state).toMatchObject({ status: 'decided', decision: 'share_for_information', assessedAt: '2024-03-03T00:00:00.000Z' });
    expect(out.sla.assess.state).toBe('missed');
    expect(out.sla.decide.state).toBe('met');
    expect(await count(t, 'ldis_assessments WHERE report_id = $1', [amb.reportId])).toBe(1);
    expect(await count(t, 'ldis_workflow_events WHERE report_id = $1', [amb.reportId])).toBe(2);
    const stillOpen = await listInbox(t.db, { scope: ALL, statuses: ['received'], now: '2024-03-03T00:00:00.000Z' });
    expect(stillOpen.items.map((i) => i.report.report_id)).not.toContain(amb.reportId);

    // Toxicology arrives: a revision, and the level becomes confirmed.
    const rev = await reviseReport(t.db, ae.reportId, { scope: ALL, actor: 'lee', reason: 'toxicology report', change: { fields: { tox_tested_nitazene: 'Y', tox_nitazene_present: 'Y' } } });
    expect(rev).toMatchObject({ revision: 1, changes: { tox_nitazene_present: { from: null, to: true } } });
    expect(await reviseReport(t.db, ae.reportId, { scope: ALL, actor: 'lee', reason: 'same again', change: { fields: { tox_nitazene_present: 'Y' } } })).toBeNull();
    const detail = await getReport(t.db, ae.reportId, { scope: ALL, now: '2024-03-03T00:00:00.000Z' });
    expect(detail?.classification.level).toBe('confirmed');
    expect(detail?.revisions.map((r) => r.revision)).toEqual([1]);
    expect(detail?.linkage_ops.length).toBeGreaterThan(0);

    // A partner sees only what their organisation submitted.
    expect(await getReport(t.db, ae.reportId, { scope: { partner: 'wmas' } })).toBeNull();
    const own = await getReport(t.db, amb.reportId, { scope: { partner: 'wmas' } });
    expect(own?.case_reports.map((r) => r.report_id)).toEqual([amb.reportId]);
    expect(own?.candidates).toEqual([]);
  });
});
