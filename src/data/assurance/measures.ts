/**
 * The current value of each assurance measure, from the database. Figures that Beacon
 * computes elsewhere are read from there — the MAT report (src/data/mat/report.ts) for
 * the tracker's Uncategorised and Red, the risk report (src/data/risk/report.ts) for
 * naloxone coverage — so the audit shows the same number as those pages (one definition).
 * The rest use the pure definitions of src/domain/assurance/measures.ts.
 */
import { classifyPerson, defaultMatConfig } from '../../domain/mat';
import { DEFAULT_WORKFLOW_CONFIG } from '../../domain/ldis/workflow';
import {
  fromFigure,
  ldisAssessedWithin,
  monthOf,
  partnersSharing,
  topCompletion,
  trialRunsInYear,
  type MeasureKey,
  type MeasureValue,
} from '../../domain/assurance/measures';
import type { Db } from '../db';
import { penetrationFigure } from './needs';
import { streamHistories } from '../history';
import { matReport } from '../mat/report';
import { riskReport } from '../risk/report';

export interface MeasureOptions {
  /** The instant "now" for SLA timers (default: the clock). */
  now?: string;
}

/** People in MAT on a date, with the dates of their TOPs (same stream and classification as the reports). */
async function inMatTopDates(db: Db, date: string): Promise<{ topDates: string[] }[]> {
  const out: { topDates: string[] }[] = [];
  for await (const batch of streamHistories(db, { asOf: date, inMatBetween: { from: date, to: date }, tables: ['prescriptions', 'top', 'drug_tests'] })) {
    for (const h of batch) {
      const c = classifyPerson(h.mat, date, defaultMatConfig);
      if (!c.inMat) continue;
      out.push({ topDates: h.mat.tops.map((t) => t.date) });
    }
  }
  return out;
}

/** Values of the measures asked for, on a month end. */
export async function computeMeasures(db: Db, keys: readonly MeasureKey[], asOf: string, opts: MeasureOptions = {}): Promise<MeasureValue[]> {
  const want = new Set(keys);
  const now = opts.now ?? new Date().toISOString();
  const out = new Map<MeasureKey, MeasureValue>();
  if (want.has('mat_uncategorised') || want.has('mat_red')) {
    const r = await matReport(db, { month: asOf.slice(0, 7), trackerMonths: 1, people: false });
    const o = r.organisation;
    out.set('mat_uncategorised', fromFigure('mat_uncategorised', r.date, { numerator: o.stages.uncategorised, denominator: o.in_mat, pct: o.pct.uncategorised }));
    out.set('mat_red', fromFigure('mat_red', r.date, { numerator: o.cohorts.red, denominator: o.in_mat, pct: o.pct.red }));
  }
  if (want.has('naloxone_high_risk') || want.has('naloxone_in_mat')) {
    const r = await riskReport(db, { date: asOf });
    const c = r.organisation.naloxone_coverage;
    out.set('naloxone_high_risk', fromFigure('naloxone_high_risk', asOf, { numerator: c.high.with_naloxone, denominator: c.high.people, pct: c.high.pct }, 'Nobody in MAT at High risk'));
    out.set('naloxone_in_mat', fromFigure('naloxone_in_mat', asOf, { numerator: c.all.with_naloxone, denominator: c.all.people, pct: c.all.pct }, 'Nobody in MAT'));
  }
  if (want.has('top_completion')) out.set('top_completion', topCompletion(await inMatTopDates(db, asOf), asOf, defaultMatConfig.topReviewIntervalMonths));
  const month = monthOf(asOf);
  if (want.has('ldis_assessed_24h')) {
    const rows = await db.query<{ received_at: string; assessed_at: string | null; exercise: boolean }>(
      `SELECT i.received_at, st.assessed_at, i.exercise FROM incidents i LEFT JOIN ldis_report_state st ON st.report_id = i.report_id
        WHERE i.received_at >= $1::date AND i.received_at < $2::date + 1`,
      [month.from, month.to],
    );
    out.set(
      'ldis_assessed_24h',
      ldisAssessedWithin(rows.map((r) => ({ receivedAt: r.received_at, assessedAt: r.assessed_at, exercise: r.exercise })), month, now, DEFAULT_WORKFLOW_CONFIG.assessWithinHours),
    );
  }
  if (want.has('partners_sharing')) {
    const rows = await db.query<{ partner: string; received_at: string; exercise: boolean }>(
      `SELECT COALESCE(s.partner, i.source) AS partner, i.received_at, i.exercise FROM incidents i LEFT JOIN ldis_submissions s ON s.report_id = i.report_id
        WHERE i.received_at >= $1::date AND i.received_at < $2::date + 1`,
      [month.from, month.to],
    );
    const pin = await db.query<{ p: string }>(`SELECT COALESCE(NULLIF(ldis_partner, ''), organisation) AS p FROM partner_directory WHERE pin_member AND active`);
    const v = partnersSharing(rows.map((r) => ({ partner: r.partner, receivedAt: r.received_at, exercise: r.exercise })), month, pin.map((r) => r.p));
    out.set('partners_sharing', { key: v.key, value: v.value, numerator: v.numerator, denominator: v.denominator, asOf: v.asOf, note: v.note });
  }
  if (want.has('trial_runs_12m')) {
    const rows = await db.query<{ started_at: string }>('SELECT started_at FROM assurance_trial_runs');
    out.set('trial_runs_12m', trialRunsInYear(rows.map((r) => r.started_at), asOf));
  }
  if (want.has('penetration')) {
    const p = await penetrationFigure(db, asOf);
    out.set('penetration', p === null
      ? { key: 'penetration', value: null, numerator: null, denominator: null, asOf, note: 'No prevalence estimate of opiate and/or crack users entered (needs assessment)' }
      : { key: 'penetration', value: p.pct, numerator: p.known, denominator: p.estimate, asOf, note: p.note });
  }
  return keys.map((k) => out.get(k)).filter((v): v is MeasureValue => v !== undefined);
}
