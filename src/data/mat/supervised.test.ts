import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset } from '../dataset';
import { makeMatConfig } from '../../domain/mat';
import { matReport } from './report';
import { recordScReview, ScReviewInvalid, supervisedReport, validateScReview, type ScReviewInput } from './supervised';
import { FIXTURE_DATE, FIXTURE_MONTH, writeFixtureDataset } from './test-fixtures';

const ALL_NO = { diverted: false, vulnerable: false, regular_on_top: false, other_risk: false };
const base: ScReviewInput = { person_id: 'P1', date: '2024-06-10', answers: ALL_NO, decision: 'supervised', rationale: 'Stable', next_review_date: '2024-09-10' };

describe('validateScReview', () => {
  const today = '2024-07-01';
  it.each<[string, Partial<ScReviewInput>, string | null]>([
    ['a complete review', {}, null],
    ['a review dated today', { date: today }, null],
    ['a review dated tomorrow', { date: '2024-07-02' }, 'date'],
    ['an impossible date', { date: '2024-02-30' }, 'date'],
    ['an unanswered item left out', { answers: { diverted: false, vulnerable: false, regular_on_top: false } }, 'answers.other_risk'],
    ['"not answered" given explicitly', { answers: { ...ALL_NO, other_risk: null } }, null],
    ['an item not in the questionnaire', { answers: { ...ALL_NO, injecting: true } }, 'answers.injecting'],
    ['no rationale', { rationale: '   ' }, 'rationale'],
    ['a rationale of 2,001 characters', { rationale: 'x'.repeat(2001) }, 'rationale'],
    ['the next review on the review date', { next_review_date: '2024-06-10' }, 'next_review_date'],
    ['the next review the day after', { next_review_date: '2024-06-11' }, null],
    ['no next review date', { next_review_date: null }, null],
    ['an unknown decision', { decision: 'weekly' as ScReviewInput['decision'] }, 'decision'],
  ])('%s', (_name, change, field) => {
    const problems = validateScReview({ ...base, ...change }, today);
    if (field === null) expect(problems).toEqual([]);
    else expect(problems.map((p) => p.field)).toContain(field);
  });

  it('follows a configured questionnaire', () => {
    const config = makeMatConfig({
      supervisedConsumption: {
        questionnaire: { version: 'local-2', items: [{ id: 'diverted', label: 'Diverted', drivesDecision: true }, { id: 'children', label: 'Children at home', drivesDecision: true }] },
      },
    });
    expect(validateScReview({ ...base, answers: { diverted: false, children: true } }, '2024-07-01', config)).toEqual([]);
    expect(validateScReview(base, '2024-07-01', config).map((p) => p.field)).toEqual(['answers.vulnerable', 'answers.regular_on_top', 'answers.other_risk', 'answers.children']);
  });
});

describe.each(TEST_DB_KINDS)('supervised consumption on %s', (kind) => {
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

  it('lists everyone in MAT with their SC position, and the rates beside the organisation', async () => {
    const r = await supervisedReport(t.db, { month: FIXTURE_MONTH });
    const mat = await matReport(t.db, { month: FIXTURE_MONTH, trackerMonths: 1 });
    expect(r.date).toBe(FIXTURE_DATE);
    expect(r.people.map((p) => p.person_id)).toEqual(mat.people.map((p) => p.person_id));
    expect(r.rates.organisation.inMat).toBe(mat.organisation.in_mat);
    expect(r.rates.reference_rate).toBe(0.52);
    expect(r.on_top_threshold).toEqual({ days: 20, of: 28 });
    const s1 = r.rates.services.S1;
    const s2 = r.rates.services.S2;
    expect((s1?.inMat ?? 0) + (s2?.inMat ?? 0)).toBe(r.rates.organisation.inMat);
    for (const p of r.people) {
      if (p.latest_review === null) expect(p.lists).toContain('no_review');
      if (p.lists.includes('regular_on_top')) expect(p.on_top_days).toBeGreaterThan(20);
      if (p.lists.includes('relax')) expect(p.assessment.riskItems).toEqual([]);
    }
  });

  it('lists people only for the services asked for and in scope; rates stay organisation-wide', async () => {
    const r = await supervisedReport(t.db, { month: FIXTURE_MONTH, serviceIds: ['S2'] });
    expect(r.people.every((p) => p.service_id === 'S2')).toBe(true);
    expect(r.rates.services.S1).toBeDefined();
    await expect(supervisedReport(t.db, { month: FIXTURE_MONTH, serviceId: 'NOPE' })).rejects.toThrow(/No service NOPE/);
    await expect(supervisedReport(t.db, { month: '2024-13' })).rejects.toThrow(/month/);
  });

  it('records a review: no risk item on supervision makes the person a candidate to relax', async () => {
    const candidates = (await supervisedReport(t.db, { month: FIXTURE_MONTH })).people.filter((p) => p.latest_review === null && !p.lists.includes('regular_on_top'));
    const chosen = candidates[0];
    if (!chosen) throw new Error('nobody without a review in the fixture');
    // Put them on supervised consumption.
    await t.db.query('UPDATE prescriptions SET supervised = true WHERE person_id = $1', [chosen.person_id]);
    const before = await supervisedReport(t.db, { month: FIXTURE_MONTH });
    const person = before.people.find((p) => p.person_id === chosen.person_id);
    expect(person?.supervised).toBe(true);
    expect(person?.lists).toContain('no_review');
    expect(before.rates.organisation.supervised).toBeGreaterThan(0);
    if (!person) return;
    const { review_id, recommendations } = await recordScReview(
      t.db,
      { person_id: person.person_id, date: '2024-06-15', answers: ALL_NO, decision: 'supervised', rationale: 'No risk items; discussed relaxing', next_review_date: '2024-09-15' },
      'prescriber',
      '2024-12-01',
    );
    expect(review_id).toMatch(/^BCN-SC-20240615-[0-9a-f]{8}$/);
    expect(recommendations).toContain('relax_to_daily_pickup');
    const after = await supervisedReport(t.db, { month: FIXTURE_MONTH });
    const now = after.people.find((p) => p.person_id === person.person_id);
    expect(now?.latest_review?.review_id).toBe(review_id);
    expect(now?.lists).toContain('relax');
    expect(now?.lists).not.toContain('no_review');
    const entry = await t.db.query<{ recorded_by: string; questionnaire_version: string; answers: Record<string, boolean> }>(
      'SELECT recorded_by, questionnaire_version, answers FROM sc_review_entries WHERE review_id = $1',
      [review_id],
    );
    expect(entry[0]).toEqual({ recorded_by: 'prescriber', questionnaire_version: 'asci-core-1', answers: ALL_NO });
  });

  it('a risk item recorded on the review keeps supervision and asks for a plan', async () => {
    const r = await supervisedReport(t.db, { month: FIXTURE_MONTH });
    const person = r.people.find((p) => p.supervised === true);
    if (!person) throw new Error('no supervised person in the fixture');
    await recordScReview(
      t.db,
      { person_id: person.person_id, date: '2024-06-20', answers: { ...ALL_NO, vulnerable: true }, decision: 'supervised', rationale: 'Exploitation concerns', next_review_date: null },
      'prescriber',
      '2024-12-01',
    );
    const now = (await supervisedReport(t.db, { month: FIXTURE_MONTH })).people.find((p) => p.person_id === person.person_id);
    expect(now?.assessment.riskItems).toEqual(['vulnerable']);
    expect(now?.lists).not.toContain('relax');
    expect(now?.assessment.recommendations.map((x) => x.code)).toContain('daily_pickup_with_risk_plan');
  });

  it('rejects a bad review and writes nothing', async () => {
    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sc_reviews'))[0]?.n;
    const n = await count();
    await expect(recordScReview(t.db, { ...base, rationale: '' }, 'prescriber', '2024-12-01')).rejects.toBeInstanceOf(ScReviewInvalid);
    await expect(recordScReview(t.db, { ...base, person_id: 'NOBODY' }, 'prescriber', '2024-12-01')).rejects.toThrow(/No person NOBODY/);
    expect(await count()).toBe(n);
  });
});
