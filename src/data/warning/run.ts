/**
 * A detection run: builds every area × indicator series from the database, evaluates
 * each with its configured method and count triggers (skipping series whose data and
 * settings are unchanged since the stored result), stores the results, records alarms
 * raised for the first time, proposes a step per area from the triggers, and notifies
 * the coordinators. Reading and computing happen outside the write transaction (PGlite
 * has one connection); the writes are one transaction under an advisory lock.
 */
import { createHash } from 'node:crypto';
import { farringtonHistoryWeeks } from '../../domain/detection/series';
import { monitorSeries, type MonitoredEpisode, type MonitoredWeek } from '../../domain/detection/monitor';
import { NOUFAILY_DEFAULTS } from '../../domain/detection/farrington';
import { compareLevels } from '../../domain/ldis/caseDefinition';
import { proposeStep, type CaseMatch, type CountTriggerFired, type DrugCheckMethod, type DrugCheckResult, type ExceedanceAlarm, type StepCondition, type StepProposal, type StepRule } from '../../domain/ldis/steps';
import type { Db, Queryable } from '../db';
import { LOCAL_AUTHORITIES } from '../demo/geography';
import { caseDefinitions, classify, loadLinkage, recordOf } from '../ldis';
import { INCIDENT_SELECT, type IncidentRow } from '../ldis/rows';
import { INDICATOR_IDS, INDICATORS, loadWarningSettings, type IndicatorId, type WarningSettings } from './config';
import { notify } from './notifications';
import { buildCounts, dailyEvents, latestDataDate, mondayOf, weeklySeries } from './series';
import { applyStepAction } from './steps';
import { formatIsoDate, parseIsoDate } from '../../domain/detection/dates';

const RUN_LOCK = 4242006;

export type RunTrigger = 'schedule' | 'data_change' | 'demand' | 'demo' | 'settings';

export interface RunOptions {
  trigger: RunTrigger;
  by: string;
  /** the date evaluated (default: the latest date with data, not after today) */
  asOf?: string;
  /** today's date (default: the UTC date now) */
  today?: string;
  /** recompute every series even when unchanged */
  force?: boolean;
}

export interface RunSummary {
  runId: number;
  asOf: string;
  seriesTotal: number;
  seriesComputed: number;
  alarmsNew: number;
  proposals: Array<{ area: string; step: number; current: number; pending: boolean }>;
  durationMs: number;
  timings: { readMs: number; computeMs: number; writeMs: number };
}

/** Display names of areas: settings first, then the real ONS names Beacon knows. */
export function areaNamer(settings: Pick<WarningSettings, 'areaNames'>): (code: string) => string {
  const known = new Map(LOCAL_AUTHORITIES.map((la) => [la.code, la.name]));
  return (code) => settings.areaNames[code] ?? known.get(code) ?? code;
}

/** A fingerprint of everything a run reads: a changed fingerprint means new data. */
export async function dataFingerprint(db: Queryable): Promise<string> {
  const rows = await db.query<{ f: string }>(
    `SELECT concat_ws('|',
       (SELECT count(*) FROM incidents), (SELECT max(received_at) FROM incidents),
       (SELECT count(*) FROM naloxone), (SELECT max(date) FROM naloxone),
       (SELECT count(*) FROM warning_counts), (SELECT max(imported_at) FROM warning_counts),
       (SELECT max(id) FROM ldis_linkage_ops), (SELECT count(*) FROM ldis_report_revisions),
       (SELECT max(finished_at) FROM imports WHERE status IN ('succeeded', 'partial')),
       (SELECT max(updated_at) FROM settings WHERE key LIKE 'warning.%' OR key LIKE 'ldis.%')) AS f`,
  );
  return rows[0]?.f ?? '';
}

function maxWindow(c: StepCondition): number {
  if (c.kind === 'all' || c.kind === 'any') return Math.max(0, ...c.of.map(maxWindow));
  return c.withinDays;
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

interface Computed {
  area: string;
  indicator: IndicatorId;
  method: string;
  methodNote: string;
  historyWeeks: number;
  hash: string;
  weeks: MonitoredWeek[];
  episodes: MonitoredEpisode[];
}

/** Nitazene evidence in a report, as the drug-check result the step rules read. */
function drugCheckOf(r: ReturnType<typeof recordOf>): DrugCheckResult | null {
  const named = r.substances?.some((s) => /nitazene/i.test(s)) ?? false;
  const forensic = r.forensic_nitazene === 'Y';
  const tox = r.tox_nitazene_present === 'Y' || r.tox_n_desethyl_isotonitazene === 'Y';
  const isCheck = r.event_type === 'drug_check_result' || r.event_type === 'seizure_test';
  if (!forensic && !tox && !(isCheck && named)) {
    if (!isCheck) return null;
    return { id: r.report_id, date: r.event_date, method: r.source === 'drug_checking' ? 'drug_checking_service' : 'test_strip', nitazenePositive: false };
  }
  let method: DrugCheckMethod;
  if (tox) method = 'toxicology';
  else if (forensic) method = 'police_forensic';
  else if (r.source === 'drug_checking') method = /laborator/i.test(r.notes ?? '') ? 'laboratory' : 'drug_checking_service';
  else method = 'test_strip';
  const result: DrugCheckResult = { id: r.report_id, date: r.event_date, method, nitazenePositive: true };
  const substance = r.substances?.find((s) => /nitazene/i.test(s));
  if (substance) result.substance = substance;
  return result;
}

/** Case-definition matches and drug checks of each area in the look-back window. */
async function ldisEvidence(db: Queryable, asOf: string, days: number): Promise<Map<string, { cases: CaseMatch[]; checks: DrugCheckResult[] }>> {
  const from = formatIsoDate(parseIsoDate(asOf) - Math.max(0, days - 1));
  const rows = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_SELECT} FROM incidents i
      WHERE NOT i.exercise AND i.event_date BETWEEN $1::date AND $2::date AND i.received_at < ($2::date + 1)
      ORDER BY i.received_at, i.report_id`,
    [from, asOf],
  );
  const defs = await caseDefinitions(db);
  const linkage = await loadLinkage(db);
  const out = new Map<string, { cases: CaseMatch[]; checks: DrugCheckResult[] }>();
  const bestOfCase = new Map<string, CaseMatch & { area: string }>();
  for (const row of rows) {
    const r = recordOf(row);
    let entry = out.get(r.local_authority);
    if (!entry) out.set(r.local_authority, (entry = { cases: [], checks: [] }));
    const check = drugCheckOf(r);
    if (check) entry.checks.push(check);
    const c = classify(r, defs);
    if (c.meets && c.level) {
      const caseId = linkage.state.caseOf.get(r.report_id) ?? r.report_id;
      const prev = bestOfCase.get(caseId);
      if (!prev || compareLevels(c.level, prev.level) > 0) bestOfCase.set(caseId, { area: r.local_authority, reportId: caseId, level: c.level, eventDate: prev?.eventDate ?? r.event_date });
    }
  }
  for (const m of bestOfCase.values()) {
    let entry = out.get(m.area);
    if (!entry) out.set(m.area, (entry = { cases: [], checks: [] }));
    entry.cases.push({ reportId: m.reportId, level: m.level, eventDate: m.eventDate });
  }
  return out;
}

/**
 * Runs detection over every area and indicator and stores the results. Throws on bad
 * settings (WarningSettingsError); the run is recorded as failed.
 */
export async function runDetection(db: Db, opts: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const asOf = opts.asOf ?? (await latestDataDate(db, today)) ?? today;
  const fingerprint = await dataFingerprint(db);
  const runRow = await db.query<{ id: number }>(
    `INSERT INTO warning_runs (trigger, requested_by, as_of, status, fingerprint) VALUES ($1, $2, $3, 'running', $4) RETURNING id::int AS id`,
    [opts.trigger, opts.by, asOf, fingerprint],
  );
  const runId = runRow[0]!.id;
  try {
    const settings = await loadWarningSettings(db);
    const mon = settings.monitoring;
    const bMax = Math.max(2, ...INDICATOR_IDS.map((id) => mon.indicators[id]?.farrington?.b ?? NOUFAILY_DEFAULTS.b));
    const historyWeeks = farringtonHistoryWeeks(bMax) + mon.evaluateWeeks + 4;
    const built = await buildCounts(db, asOf, historyWeeks);
    const stored = new Map(
      (await db.query<{ area: string; indicator: string; input_hash: string }>('SELECT area, indicator, input_hash FROM warning_series')).map((r) => [
        `${r.area}\u0000${r.indicator}`,
        r.input_hash,
      ]),
    );
    const ruleWindow = Math.max(28, ...settings.stepRules.map((r: StepRule) => maxWindow(r.when)));
    const evidence = await ldisEvidence(db, asOf, ruleWindow);
    const t1 = performance.now();

    const computed: Computed[] = [];
    for (const area of built.areas) {
      for (const indicator of INDICATOR_IDS) {
        const cfg = mon.indicators[indicator]!;
        const series = weeklySeries(built, area, indicator);
        const events = dailyEvents(built, area, indicator);
        // The as-of date enters through the weeks: a new report elsewhere recomputes nothing here.
        const hash = hashOf([built.firstWeek, built.lastWeek, mon.evaluateWeeks, cfg, series.map((p) => p.count), events]);
        if (!opts.force && stored.get(`${area}\u0000${indicator}`) === hash) continue;
        const res = monitorSeries(series, events, { ...cfg, evaluateWeeks: mon.evaluateWeeks }, INDICATORS[indicator].noun);
        computed.push({ area, indicator, method: cfg.method, methodNote: res.methodNote, historyWeeks: series.length, hash, weeks: res.weeks, episodes: res.episodes });
      }
    }
    const t2 = performance.now();

    const recentFrom = formatIsoDate(mondayOf(parseIsoDate(asOf)) - 7 * (mon.recentWeeks - 1));
    const name = areaNamer(settings);
    const now = new Date().toISOString();
    let alarmsNew = 0;
    const proposals: RunSummary['proposals'] = [];
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [RUN_LOCK]);
      for (let i = 0; i < computed.length; i += 200) {
        const chunk = computed.slice(i, i + 200).map((c) => {
          const last = c.weeks.at(-1);
          const recent = c.weeks.filter((w) => w.period_start >= recentFrom);
          return {
            area: c.area,
            indicator: c.indicator,
            method: c.method,
            method_note: c.methodNote,
            history_weeks: c.historyWeeks,
            input_hash: c.hash,
            latest_period: last?.period_start ?? null,
            latest_count: last?.count ?? null,
            latest_expected: last?.expected ?? null,
            latest_upper: last?.upper_bound ?? null,
            latest_alarm: last?.alarm ?? false,
            recent_alarms: recent.filter((w) => w.alarm).length,
            triggers_firing: c.episodes.filter((e) => e.week >= recentFrom).length,
            weeks: c.weeks,
            episodes: c.episodes,
          };
        });
        await tx.query(
          `INSERT INTO warning_series (area, indicator, run_id, as_of, method, method_note, history_weeks, input_hash, latest_period, latest_count,
                                       latest_expected, latest_upper, latest_alarm, recent_alarms, triggers_firing, weeks, episodes, updated_at)
           SELECT x.area, x.indicator, $2, $3::date, x.method, x.method_note, x.history_weeks, x.input_hash, x.latest_period, x.latest_count,
                  x.latest_expected, x.latest_upper, x.latest_alarm, x.recent_alarms, x.triggers_firing, x.weeks, x.episodes, now()
             FROM jsonb_to_recordset($1::jsonb) AS x(area text, indicator text, method text, method_note text, history_weeks int, input_hash text,
                  latest_period date, latest_count int, latest_expected float8, latest_upper float8, latest_alarm boolean, recent_alarms int,
                  triggers_firing int, weeks jsonb, episodes jsonb)
           ON CONFLICT (area, indicator) DO UPDATE SET run_id = EXCLUDED.run_id, as_of = EXCLUDED.as_of, method = EXCLUDED.method,
                  method_note = EXCLUDED.method_note, history_weeks = EXCLUDED.history_weeks, input_hash = EXCLUDED.input_hash,
                  latest_period = EXCLUDED.latest_period, latest_count = EXCLUDED.latest_count, latest_expected = EXCLUDED.latest_expected,
                  latest_upper = EXCLUDED.latest_upper, latest_alarm = EXCLUDED.latest_alarm, recent_alarms = EXCLUDED.recent_alarms,
                  triggers_firing = EXCLUDED.triggers_firing, weeks = EXCLUDED.weeks, episodes = EXCLUDED.episodes, updated_at = now()`,
          [JSON.stringify(chunk), runId, asOf],
        );
      }

      // Unchanged series are current as of this run too.
      await tx.query('UPDATE warning_series SET as_of = $1::date WHERE as_of <> $1::date', [asOf]);

      // Alarms raised for the first time (recent weeks only), with a notification each.
      for (const c of computed) {
        const info = INDICATORS[c.indicator];
        const raised: Array<{ kind: 'exceedance' | 'count_trigger'; week: string; key: string; count: number | null; expected: number | null; upper: number | null; reason: string }> = [];
        for (const w of c.weeks) {
          if (w.alarm && w.period_start >= recentFrom) {
            raised.push({ kind: 'exceedance', week: w.period_start, key: w.period_start, count: w.count, expected: w.expected, upper: w.upper_bound, reason: w.reason });
          }
        }
        for (const e of c.episodes) {
          if (e.week >= recentFrom) {
            raised.push({ kind: 'count_trigger', week: e.week, key: `${e.triggerId}@${e.firedAt}`, count: e.peakCount, expected: null, upper: null, reason: `Count trigger "${e.description}" fired on ${e.firedAt.slice(0, 10)} (${e.peakCount} in the window)` });
          }
        }
        for (const a of raised) {
          const ins = await tx.query<{ id: number }>(
            `INSERT INTO warning_alarms (area, indicator, kind, period_start, key, count, expected, upper_bound, reason, run_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT ON CONSTRAINT warning_alarms_key DO NOTHING RETURNING id`,
            [c.area, c.indicator, a.kind, a.week, a.key, a.count, a.expected, a.upper, a.reason, runId],
          );
          if (ins.length > 0) {
            alarmsNew++;
            await notify(tx, {
              area: c.area,
              kind: 'new_alarm',
              aboutArea: c.area,
              title: `${name(c.area)}: ${a.kind === 'exceedance' ? 'exceedance' : 'count trigger'} in ${info.label.toLowerCase()}, week of ${a.week}`,
              body: a.reason,
            });
          }
        }
      }

      // Step proposals from the stored results (every series, computed now or before).
      const lookFrom = formatIsoDate(parseIsoDate(asOf) - ruleWindow);
      const alarmRows = await tx.query<{ area: string; indicator: string; week: MonitoredWeek }>(
        `SELECT s.area, s.indicator, w AS week FROM warning_series s, jsonb_array_elements(s.weeks) w
          WHERE (w->>'alarm')::boolean AND (w->>'period_start') >= $1`,
        [lookFrom],
      );
      const episodeRows = await tx.query<{ area: string; indicator: string; ep: MonitoredEpisode }>(
        `SELECT s.area, s.indicator, e AS ep FROM warning_series s, jsonb_array_elements(s.episodes) e WHERE (e->>'week') >= $1`,
        [formatIsoDate(mondayOf(parseIsoDate(lookFrom)))],
      );
      const exceedances = new Map<string, ExceedanceAlarm[]>();
      for (const r of alarmRows) {
        const list = exceedances.get(r.area) ?? [];
        list.push({ indicator: r.indicator, periodStart: r.week.period_start, count: r.week.count, expected: r.week.expected ?? 0, upperBound: r.week.upper_bound ?? 0 });
        exceedances.set(r.area, list);
      }
      const fired = new Map<string, CountTriggerFired[]>();
      for (const r of episodeRows) {
        const list = fired.get(r.area) ?? [];
        list.push({ id: r.ep.triggerId, indicator: r.indicator, firedOn: r.ep.firedAt.slice(0, 10), description: `${r.ep.description} (${r.ep.peakCount} in the window)` });
        fired.set(r.area, list);
      }
      for (const area of built.areas) {
        const ev = evidence.get(area) ?? { cases: [], checks: [] };
        const proposal: StepProposal = proposeStep(
          { area, asOf, countTriggers: fired.get(area) ?? [], exceedances: exceedances.get(area) ?? [], caseMatches: ev.cases, drugChecks: ev.checks },
          settings.stepRules,
        );
        const { state } = await applyStepAction(tx, area, { type: 'propose', at: now, proposal }, settings.adjacency, name);
        proposals.push({ area, step: proposal.step, current: state.current, pending: state.pending !== null });
      }
    });
    const t3 = performance.now();
    const durationMs = Math.round(t3 - t0);
    await db.query(
      `UPDATE warning_runs SET status = 'succeeded', finished_at = now(), series_total = $2, series_computed = $3, alarms_new = $4, duration_ms = $5 WHERE id = $1`,
      [runId, built.areas.length * INDICATOR_IDS.length, computed.length, alarmsNew, durationMs],
    );
    return {
      runId,
      asOf,
      seriesTotal: built.areas.length * INDICATOR_IDS.length,
      seriesComputed: computed.length,
      alarmsNew,
      proposals,
      durationMs,
      timings: { readMs: Math.round(t1 - t0), computeMs: Math.round(t2 - t1), writeMs: Math.round(t3 - t2) },
    };
  } catch (err) {
    await db.query(`UPDATE warning_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [runId, err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : 'error']);
    throw err;
  }
}

