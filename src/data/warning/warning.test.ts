import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIsoDate, parseIsoDate } from '../../domain/detection/dates';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { mergeReports } from '../ldis';
import { setSetting } from '../settings';
import {
  applyStepAction,
  buildCounts,
  dueReason,
  importCounts,
  listNotifications,
  runDetection,
  selectAtRisk,
  seriesDetail,
  StepError,
  warningOverview,
  weeklySeries,
  WarningSettingsError,
  type RunSummary,
} from '.';

/**
 * A small LDIS history in two areas: ambulance call-outs at 2 a week for 30 weeks in
 * Blackpool (E06000009), then a week of 12 with synthetic opioids suspected, a forensic
 * nitazene finding and a toxicology-confirmed A&E attendance; a death reported twice and
 * linked; a drill; naloxone supplies; Blackburn (E06000008) quiet. Runs on both backends.
 */
const AREA = 'E06000009';
const QUIET = 'E06000008';
const FIRST = parseIsoDate('2025-01-06'); // Monday
const WEEKS = 30;
const AS_OF = formatIsoDate(FIRST + 7 * WEEKS + 2); // the Wednesday of week 31
const SPIKE_WEEK = formatIsoDate(FIRST + 7 * WEEKS);

let seq = 0;
function incident(area: string, day: number, type: string, extra: Record<string, string | number | boolean | null> = {}): { sql: string; params: (string | number | boolean | null)[] } {
  seq++;
  const cols: Record<string, string | number | boolean | null> = {
    report_id: `R${String(seq).padStart(5, '0')}`,
    received_at: `${formatIsoDate(day)}T12:00:00Z`,
    source: 'ambulance',
    event_date: formatIsoDate(day),
    event_type: type,
    local_authority: area,
    ...extra,
  };
  const names = Object.keys(cols);
  return { sql: `INSERT INTO incidents (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, params: Object.values(cols) };
}

describe.each(TEST_DB_KINDS)('early warning on %s', (kind) => {
  let t: TestDb;
  let first: RunSummary;

  beforeAll(async () => {
    t = await createTestDb(kind);
    const db = t.db;
    await db.query(`INSERT INTO services (service_id, name, local_authority) VALUES ('S1', 'One', $1), ('S2', 'Two', $2)`, [AREA, QUIET]);
    const rows: ReturnType<typeof incident>[] = [];
    for (let w = 0; w < WEEKS; w++) {
      rows.push(incident(AREA, FIRST + 7 * w + 1, 'ambulance_callout'));
      rows.push(incident(AREA, FIRST + 7 * w + 4, 'ambulance_callout'));
      if (w % 3 === 0) rows.push(incident(QUIET, FIRST + 7 * w + 2, 'ambulance_callout'));
    }
    const spike = FIRST + 7 * WEEKS;
    for (let i = 0; i < 12; i++) rows.push(incident(AREA, spike + (i < 4 ? 0 : 1), 'ambulance_callout', { synthetic_opioid_suspected: true, naloxone_doses: 3 }));
    rows.push(incident(AREA, spike + 1, 'seizure_test', { source: 'police', forensic_nitazene: true, substances: 'heroin_6mam; nitazene' }));
    rows.push(incident(AREA, spike + 1, 'ae_attendance', { source: 'emergency_department', synthetic_opioid_suspected: true, tox_tested_nitazene: true, tox_nitazene_present: true }));
    // One death reported by the police and by the coroner (linked below), and a drill.
    rows.push(incident(AREA, spike, 'death', { source: 'police', age: 40, sex: 'M' }));
    rows.push(incident(AREA, spike, 'death', { source: 'coroner', age: 40, sex: 'M' }));
    rows.push(incident(AREA, spike + 1, 'death', { source: 'other', exercise: true }));
    for (const r of rows) await db.query(r.sql, r.params);
    await mergeReports(db, { reportIds: [rows.at(-3)!.params[0] as string, rows.at(-2)!.params[0] as string], scope: {}, actor: 'tester' });
    await db.query(`INSERT INTO naloxone (supply_id, date, product, local_authority) VALUES ('N1', $1, 'nasal', $2), ('N2', $1, 'nasal', $2)`, [formatIsoDate(spike), AREA]);
    await setSetting(db, 'warning.adjacency', { [AREA]: [QUIET] }, 'tester');
    first = await runDetection(db, { trigger: 'demand', by: 'tester', today: AS_OF });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('builds weekly counts per area and indicator from the reports: drills left out, linked reports once', async () => {
    const built = await buildCounts(t.db, AS_OF, 400);
    expect(built.firstWeek).toBe('2025-01-06');
    expect(built.lastWeek).toBe(SPIKE_WEEK);
    expect(built.areas).toEqual([QUIET, AREA]);
    const amb = weeklySeries(built, AREA, 'ambulance_callout');
    expect(amb).toHaveLength(WEEKS + 1);
    expect(amb.slice(0, WEEKS).every((p) => p.count === 2)).toBe(true);
    expect(amb.at(-1)).toEqual({ period_start: SPIKE_WEEK, count: 12 });
    expect(weeklySeries(built, AREA, 'death').at(-1)!.count).toBe(1);
    expect(weeklySeries(built, AREA, 'nitazene_positive').at(-1)!.count).toBe(2);
    expect(weeklySeries(built, AREA, 'naloxone_supply').at(-1)!.count).toBe(2);
    expect(weeklySeries(built, QUIET, 'ambulance_callout').filter((p) => p.count > 0)).toHaveLength(10);
  });

  it('finds the exceedance and explains it in words', async () => {
    expect(first.seriesTotal).toBe(16);
    expect(first.seriesComputed).toBe(16);
    expect(first.asOf).toBe(formatIsoDate(FIRST + 7 * WEEKS + 1)); // the latest data, not today
    const d = await seriesDetail(t.db, AREA, 'ambulance_callout');
    const last = d!.weeks.at(-1)!;
    expect(last.period_start).toBe(SPIKE_WEEK);
    expect(last.method).toBe('ears-c2');
    expect(last.alarm).toBe(true);
    expect(last.expected).toBe(2);
    expect(last.reason).toMatch(/^12 ambulance call-outs against an expected 2; threshold 5\.1 — alarm \(EARS C2\); count trigger "3 or more ambulance call-outs in 24 hours" fired on/);
    expect(d!.weeks.slice(0, -1).some((w) => w.alarm)).toBe(false);
    expect(await seriesDetail(t.db, AREA, 'nonsense')).toBeNull();
  });

  it('proposes Step 3 (confirmed presence with a rise) and notifies; the step itself waits for the coordinator', async () => {
    const o = await warningOverview(t.db);
    const a = o.areas.find((x) => x.area === AREA)!;
    expect(a.step).toBe(1);
    expect(a.pending?.step).toBe(3);
    expect(a.pending?.reasons.map((r) => r.ruleId)).toContain('step3-confirmed-and-rise');
    expect(o.areas.find((x) => x.area === QUIET)!.pending).toBeNull();
    const notes = await listNotifications(t.db, [AREA]);
    expect(notes.some((n) => n.kind === 'step_proposed' && /Step 3 proposed/.test(n.title))).toBe(true);
    expect(notes.some((n) => n.kind === 'new_alarm' && /exceedance in ambulance call-outs/.test(n.title))).toBe(true);
  });

  it('a second run with nothing new recomputes nothing and raises nothing again', async () => {
    const r = await runDetection(t.db, { trigger: 'schedule', by: 'tester', today: AS_OF });
    expect(r.seriesComputed).toBe(0);
    expect(r.alarmsNew).toBe(0);
    const proposals = (await listNotifications(t.db, [AREA])).filter((n) => n.kind === 'step_proposed');
    expect(proposals).toHaveLength(1);
  });

  it('imported weekly counts replace the report counts for their weeks; bad rows write nothing', async () => {
    await expect(importCounts(t.db, [{ area: AREA, indicator: 'ambulance_callout', period_start: '2025-01-07', count: 1 }], { source: 'x', by: 'tester' })).rejects.toThrow(/nothing was written/);
    await importCounts(t.db, [{ area: AREA, indicator: 'ambulance_callout', period_start: '2025-01-06', count: 9 }], { source: 'NWAS weekly', by: 'tester' });
    const r = await runDetection(t.db, { trigger: 'data_change', by: 'tester', today: AS_OF });
    expect(r.seriesComputed).toBe(1);
    const built = await buildCounts(t.db, AS_OF, 400);
    expect(weeklySeries(built, AREA, 'ambulance_callout')[0]!.count).toBe(9);
  });

  it('the coordinator confirms; neighbours are told; an override needs a reason; history is kept', async () => {
    const name = (c: string) => c;
    await expect(
      t.db.transaction((tx) => applyStepAction(tx, AREA, { type: 'override', at: new Date().toISOString(), by: 'lee', step: 2, reason: ' ' }, {}, name)),
    ).rejects.toBeInstanceOf(StepError);
    const { state } = await t.db.transaction((tx) => applyStepAction(tx, AREA, { type: 'confirm', at: new Date().toISOString(), by: 'lee' }, { [AREA]: [QUIET] }, name));
    expect(state.current).toBe(3);
    const neighbour = await listNotifications(t.db, [QUIET]);
    expect(neighbour.map((n) => n.title)).toContain(`Neighbouring area ${AREA} moved from Step 1 to Step 3`);
    await expect(
      t.db.transaction((tx) => applyStepAction(tx, AREA, { type: 'confirm', at: new Date().toISOString(), by: 'lee' }, {}, name)),
    ).rejects.toThrow(/no proposal/);
    await t.db.transaction((tx) => applyStepAction(tx, AREA, { type: 'override', at: new Date().toISOString(), by: 'lee', step: 2, reason: 'Cluster contained' }, {}, name));
    const hist = await t.db.query<{ kind: string; step: number; reason: string | null }>('SELECT kind, step, reason FROM warning_step_history WHERE area = $1 ORDER BY id', [AREA]);
    expect(hist.map((h) => `${h.kind}:${h.step}`)).toEqual(['initial:1', 'proposed:3', 'confirmed:3', 'overridden:2']);
    expect(hist.at(-1)!.reason).toBe('Cluster contained');
  });

  it('a stored setting that is not valid stops the run with a clear message', async () => {
    await setSetting(t.db, 'warning.monitoring', { evaluateWeeks: 0 }, 'tester');
    await expect(runDetection(t.db, { trigger: 'demand', by: 'tester', today: AS_OF })).rejects.toBeInstanceOf(WarningSettingsError);
    const failed = await t.db.query<{ status: string; error: string }>(`SELECT status, error FROM warning_runs ORDER BY id DESC LIMIT 1`);
    expect(failed[0]!.status).toBe('failed');
    expect(failed[0]!.error).toMatch(/warning\.monitoring/);
    await t.db.query(`DELETE FROM settings WHERE key = 'warning.monitoring'`);
  });
});

describe('dueReason (the scheduler’s decision)', () => {
  const s = { enabled: true, checkSeconds: 60, intervalMinutes: 60 };
  const now = Date.parse('2026-01-01T12:00:00Z');
  const cases: Array<[string, Parameters<typeof dueReason>, ReturnType<typeof dueReason>]> = [
    ['never run', [s, null, 'f', now], 'data_change'],
    ['new data', [s, { fingerprint: 'old', started_at: '2026-01-01T11:59:00Z' }, 'f', now], 'data_change'],
    ['nothing new, recent', [s, { fingerprint: 'f', started_at: '2026-01-01T11:30:00Z' }, 'f', now], null],
    ['nothing new, an hour ago', [s, { fingerprint: 'f', started_at: '2026-01-01T11:00:00Z' }, 'f', now], 'schedule'],
    ['disabled', [{ ...s, enabled: false }, null, 'f', now], null],
  ];
  for (const [name, args, want] of cases) it(name, () => expect(dueReason(...args)).toBe(want));
});

describe('selectAtRisk (who is listed when an area is on alert)', () => {
  it('keeps High tier and anyone with an alert flag, most at risk first', () => {
    const got = selectAtRisk([
      { person_id: 'P1', tier: 'low', flags: [] },
      { person_id: 'P2', tier: 'medium', flags: ['on_top', 'no_naloxone'] },
      { person_id: 'P3', tier: 'high', flags: ['recent_overdose'] },
      { person_id: 'P4', tier: 'low', flags: ['injecting', 'potent_opioid', 'lowered_tolerance'] },
      { person_id: 'P5', tier: 'medium', flags: ['housing'] },
    ]);
    expect(got.map((p) => [p.person_id, p.alert_flags])).toEqual([
      ['P3', []],
      ['P2', ['no_naloxone']],
      ['P4', ['lowered_tolerance', 'injecting', 'potent_opioid']],
    ]);
  });
});
