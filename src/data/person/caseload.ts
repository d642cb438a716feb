/**
 * The caseload (issue 4 §4) and the prescribers' dose-advisory list (§5).
 *
 * Caseload population: the people of the caller's services who, on the date, are in MAT,
 * or have a treatment episode open, or one that ended within the risk configuration's
 * `episodeEndedWindow` (still at risk from the transition, domain §2). Dataset v1 has no
 * keyworker column, so a keyworker's caseload is their service(s).
 *
 * For each person: the risk profile on the date and a week earlier (flags new since last
 * week), what is due (src/domain/risk/care-plan.ts reviewsDue), naloxone and open
 * care-plan actions. Sorted by compareCaseload.
 */
import type { Db, SqlParam } from '../db';
import { classifyPerson, defaultMatConfig, doseAdvisories, type DoseAdvisory, type MatConfig, type MatStage } from '../../domain/mat';
import {
  addDays,
  compareCaseload,
  newFlagsSince,
  reviewsDue,
  riskContext,
  riskProfileInContext,
  windowStart,
  fromDay,
  toDay,
  type FlagCode,
  type ReviewsDue,
  type RiskConfig,
  type Tier,
} from '../../domain/risk';
import { streamHistories } from '../history';
import { riskInputOf } from '../risk/input';
import { openActionSummaries } from './actions';
import { depressantCoUseOn } from './record';

export interface CaseloadEntry {
  person_id: string;
  service_id: string;
  tier: Tier;
  rule_id: string;
  flags: FlagCode[];
  critical: FlagCode[];
  counted: FlagCode[];
  /** Flags raised now and not 7 days earlier. */
  new_flags: FlagCode[];
  mat_stage: MatStage | null;
  in_mat: boolean;
  reviews: ReviewsDue;
  no_naloxone: boolean;
  last_naloxone: string | null;
  open_actions: number;
  overdue_actions: number;
  /** The earliest due date of the open actions (null when none has one). */
  next_action_due: string | null;
  /** That date is before the caseload date. */
  next_action_overdue: boolean;
}

export interface Caseload {
  date: string;
  service_id: string | null;
  people: CaseloadEntry[];
  totals: { people: number; high: number; medium: number; low: number; new_flags: number; top_overdue: number; test_overdue: number; no_naloxone: number; overdue_actions: number };
}

export interface CaseloadOptions {
  date: string;
  /** The caller's services (null = every service). */
  serviceIds: readonly string[] | null;
  /** Narrow to one service. */
  serviceId?: string | null;
  riskConfig: RiskConfig;
  matConfig?: MatConfig;
}

/** Person ids of the caseload (see the module comment). */
async function caseloadIds(db: Db, opts: CaseloadOptions): Promise<string[]> {
  const params: SqlParam[] = [opts.date, fromDay(windowStart(toDay(opts.date), opts.riskConfig.episodeEndedWindow))];
  const where: string[] = [];
  if (opts.serviceIds !== null) {
    params.push([...opts.serviceIds]);
    where.push(`p.service_id = ANY($${params.length}::text[])`);
  }
  if (opts.serviceId) {
    params.push(opts.serviceId);
    where.push(`p.service_id = $${params.length}`);
  }
  const rows = await db.query<{ person_id: string }>(
    `SELECT p.person_id FROM people p
      WHERE ${where.length ? `${where.join(' AND ')} AND ` : ''}(
        EXISTS (SELECT 1 FROM prescriptions rx WHERE rx.person_id = p.person_id AND rx.start_date <= $1::date AND (rx.end_date IS NULL OR rx.end_date >= $1::date))
        OR EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = p.person_id AND e.start_date <= $1::date AND (e.end_date IS NULL OR e.end_date >= $2::date)))
      ORDER BY p.person_id`,
    params,
  );
  return rows.map((r) => r.person_id);
}

export async function loadCaseload(db: Db, opts: CaseloadOptions): Promise<Caseload> {
  const matConfig = opts.matConfig ?? defaultMatConfig;
  const ids = await caseloadIds(db, opts);
  const ctx = riskContext(opts.date, opts.riskConfig);
  const weekAgo = addDays(opts.date, -7);
  const prevCtx = riskContext(weekAgo, opts.riskConfig);
  const actionCounts = await openActionSummaries(db, ids, opts.date);
  const people: CaseloadEntry[] = [];
  if (ids.length > 0) {
    for await (const batch of streamHistories(db, { personIds: ids, asOf: opts.date, batchSize: 2000 })) {
      for (const h of batch) {
        const mat = classifyPerson(h.mat, opts.date, matConfig);
        const profile = riskProfileInContext(riskInputOf(h, mat), ctx);
        const before = riskProfileInContext(riskInputOf(h, classifyPerson(h.mat, weekAgo, matConfig)), prevCtx);
        const tops = h.mat.tops;
        const tests = h.mat.drug_tests;
        const latestTop = tops.length ? (tops[tops.length - 1]?.date ?? null) : null;
        const latestTest = tests.reduce<string | null>((m, t) => (m === null || t.date > m ? t.date : m), null);
        const lastNaloxone = h.naloxone.reduce<string | null>((m, n) => (m === null || n.date > m ? n.date : m), null);
        const counts = actionCounts.get(h.person.person_id);
        people.push({
          person_id: h.person.person_id,
          service_id: h.person.service_id,
          tier: profile.tier,
          rule_id: profile.rule.id,
          flags: profile.flags.map((f) => f.code),
          critical: profile.critical,
          counted: profile.counted,
          new_flags: newFlagsSince(profile, before),
          mat_stage: mat.stage,
          in_mat: mat.inMat,
          reviews: reviewsDue(
            { inMat: mat.inMat, latestTopDate: latestTop, latestTestDate: latestTest },
            opts.date,
            { topReviewIntervalMonths: matConfig.topReviewIntervalMonths, evidenceWindowDays: matConfig.evidenceWindowDays },
          ),
          no_naloxone: profile.flags.some((f) => f.code === 'no_naloxone'),
          last_naloxone: lastNaloxone,
          open_actions: counts?.open ?? 0,
          overdue_actions: counts?.overdue ?? 0,
          next_action_due: counts?.nextDue ?? null,
          next_action_overdue: counts?.nextOverdue ?? false,
        });
      }
    }
  }
  people.sort((a, b) => compareCaseload({ ...a, newFlags: a.new_flags }, { ...b, newFlags: b.new_flags }));
  const totals = { people: people.length, high: 0, medium: 0, low: 0, new_flags: 0, top_overdue: 0, test_overdue: 0, no_naloxone: 0, overdue_actions: 0 };
  for (const p of people) {
    totals[p.tier]++;
    if (p.new_flags.length) totals.new_flags++;
    if (p.reviews.topOverdue) totals.top_overdue++;
    if (p.reviews.testOverdue) totals.test_overdue++;
    if (p.no_naloxone) totals.no_naloxone++;
    if (p.overdue_actions) totals.overdue_actions++;
  }
  return { date: opts.date, service_id: opts.serviceId ?? null, people, totals };
}

export interface AdvisoryEntry extends DoseAdvisory {
  person_id: string;
  service_id: string;
  medication: string | null;
  /** The advisory's prescription segment still covers the date. */
  current: boolean;
}

/**
 * Dose safety advisories (domain §1.1) for the prescribers of the caller's services:
 * advisories dated within `sinceDays` before the date, or on a segment still in force,
 * for people in MAT at some point in that period. Latest first.
 */
export async function loadAdvisories(
  db: Db,
  opts: { date: string; sinceDays: number; serviceIds: readonly string[] | null; serviceId?: string | null; riskConfig: RiskConfig; matConfig?: MatConfig },
): Promise<AdvisoryEntry[]> {
  const matConfig = opts.matConfig ?? defaultMatConfig;
  const from = addDays(opts.date, -opts.sinceDays);
  const serviceIds = opts.serviceId ? (opts.serviceIds === null || opts.serviceIds.includes(opts.serviceId) ? [opts.serviceId] : []) : opts.serviceIds;
  const out: AdvisoryEntry[] = [];
  for await (const batch of streamHistories(db, { serviceIds, asOf: opts.date, inMatBetween: { from, to: opts.date }, tables: ['prescriptions', 'top', 'drug_tests'], batchSize: 2000 })) {
    for (const h of batch) {
      const segs = h.mat.prescriptions;
      const byId = new Map(segs.map((s) => [s.prescription_id, s]));
      for (const a of doseAdvisories(segs, matConfig, { depressantCoUse: depressantCoUseOn(h, opts.riskConfig) })) {
        const seg = byId.get(a.prescription_id);
        const current = seg !== undefined && seg.start_date <= opts.date && (seg.end_date === null || seg.end_date >= opts.date);
        if (a.date < from && !current) continue;
        if (a.date > opts.date) continue;
        out.push({ ...a, person_id: h.person.person_id, service_id: h.person.service_id, medication: seg?.medication ?? null, current });
      }
    }
  }
  return out.sort((a, b) => (a.date > b.date ? -1 : a.date < b.date ? 1 : a.person_id < b.person_id ? -1 : 1));
}
