/** Reading the stored early-warning results for the pages (small tables, fast). */
import { describeTrigger, type MonitoredEpisode, type MonitoredWeek } from '../../domain/detection/monitor';
import { stepGuide } from '../../domain/ldis/appendix3';
import type { StepProposal } from '../../domain/ldis/steps';
import type { Step } from '../../domain/ldis/types';
import type { Queryable } from '../db';
import { INDICATOR_IDS, INDICATORS, isIndicator, loadWarningSettings, type IndicatorId } from './config';
import { areaNamer } from './run';
import { listAreaSteps, stepHistory, type StepHistoryRecord } from './steps';

export interface IndicatorSummary {
  indicator: IndicatorId;
  label: string;
  method: string;
  latest_period: string | null;
  latest_count: number | null;
  latest_expected: number | null;
  latest_upper: number | null;
  latest_alarm: boolean;
  recent_alarms: number;
  triggers_firing: number;
}

export interface AreaSummary {
  area: string;
  name: string;
  step: Step;
  since: string | null;
  pending: StepProposal | null;
  pending_since: string | null;
  recent_alarms: number;
  triggers_firing: number;
  indicators: IndicatorSummary[];
}

export interface RunRecord {
  id: number;
  started_at: string;
  finished_at: string | null;
  trigger: string;
  requested_by: string;
  as_of: string;
  status: string;
  series_total: number;
  series_computed: number;
  alarms_new: number;
  duration_ms: number | null;
  error: string | null;
}

export interface Overview {
  as_of: string | null;
  last_run: RunRecord | null;
  recent_weeks: number;
  areas: AreaSummary[];
}

const RUN_COLUMNS = `id::int AS id, started_at, finished_at, trigger, requested_by, as_of::text AS as_of, status, series_total, series_computed, alarms_new, duration_ms, error`;

export async function listRuns(db: Queryable, limit = 20): Promise<RunRecord[]> {
  return db.query<RunRecord>(`SELECT ${RUN_COLUMNS} FROM warning_runs ORDER BY id DESC LIMIT $1`, [Math.max(1, Math.min(limit, 200))]);
}

export async function lastSucceededRun(db: Queryable): Promise<(RunRecord & { fingerprint: string | null }) | null> {
  const rows = await db.query<RunRecord & { fingerprint: string | null }>(
    `SELECT ${RUN_COLUMNS}, fingerprint FROM warning_runs WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** Every area: its step, the pending proposal, and each indicator's latest week. */
export async function warningOverview(db: Queryable): Promise<Overview> {
  const settings = await loadWarningSettings(db);
  const name = areaNamer(settings);
  const rows = await db.query<IndicatorSummary & { area: string; as_of: string }>(
    `SELECT area, indicator, method, as_of::text AS as_of, latest_period::text AS latest_period, latest_count, latest_expected, latest_upper,
            latest_alarm, recent_alarms, triggers_firing
       FROM warning_series ORDER BY area, indicator`,
  );
  const steps = new Map((await listAreaSteps(db)).map((s) => [s.area, s]));
  const byArea = new Map<string, IndicatorSummary[]>();
  let asOf: string | null = null;
  for (const r of rows) {
    if (!isIndicator(r.indicator)) continue;
    if (asOf === null || r.as_of > asOf) asOf = r.as_of;
    const list = byArea.get(r.area) ?? [];
    list.push({
      indicator: r.indicator,
      label: INDICATORS[r.indicator].label,
      method: r.method,
      latest_period: r.latest_period,
      latest_count: r.latest_count,
      latest_expected: r.latest_expected,
      latest_upper: r.latest_upper,
      latest_alarm: r.latest_alarm,
      recent_alarms: r.recent_alarms,
      triggers_firing: r.triggers_firing,
    });
    byArea.set(r.area, list);
  }
  const areas: AreaSummary[] = [...new Set([...byArea.keys(), ...steps.keys()])].sort().map((area) => {
    const inds = (byArea.get(area) ?? []).sort((a, b) => INDICATOR_IDS.indexOf(a.indicator) - INDICATOR_IDS.indexOf(b.indicator));
    const st = steps.get(area);
    return {
      area,
      name: name(area),
      step: st?.current ?? 1,
      since: st?.since ?? null,
      pending: st?.pending ?? null,
      pending_since: st?.pendingSince ?? null,
      recent_alarms: inds.reduce((a, i) => a + i.recent_alarms, 0),
      triggers_firing: inds.reduce((a, i) => a + i.triggers_firing, 0),
      indicators: inds,
    };
  });
  const runs = await listRuns(db, 1);
  return { as_of: asOf, last_run: runs[0] ?? null, recent_weeks: settings.monitoring.recentWeeks, areas };
}

export interface SeriesDetail {
  area: string;
  name: string;
  indicator: IndicatorId;
  label: string;
  source: string;
  method: string;
  method_note: string;
  as_of: string;
  updated_at: string;
  weeks: MonitoredWeek[];
  episodes: MonitoredEpisode[];
  triggers: Array<{ id: string; description: string }>;
}

export async function seriesDetail(db: Queryable, area: string, indicator: string): Promise<SeriesDetail | null> {
  if (!isIndicator(indicator)) return null;
  const rows = await db.query<{ method: string; method_note: string; as_of: string; updated_at: string; weeks: MonitoredWeek[]; episodes: MonitoredEpisode[] }>(
    `SELECT method, method_note, as_of::text AS as_of, updated_at, weeks, episodes FROM warning_series WHERE area = $1 AND indicator = $2`,
    [area, indicator],
  );
  const r = rows[0];
  if (!r) return null;
  const settings = await loadWarningSettings(db);
  const info = INDICATORS[indicator];
  const triggers = (settings.monitoring.indicators[indicator]?.triggers ?? []).map((t) => ({ id: t.id, description: t.description ?? describeTrigger(t, info.noun) }));
  return {
    area,
    name: areaNamer(settings)(area),
    indicator,
    label: info.label,
    source: info.source,
    method: r.method,
    method_note: r.method_note,
    as_of: r.as_of,
    updated_at: r.updated_at,
    weeks: r.weeks,
    episodes: r.episodes,
    triggers,
  };
}

export interface AreaDetail {
  area: string;
  name: string;
  step: Step;
  since: string | null;
  pending: StepProposal | null;
  pending_since: string | null;
  last_proposal: StepProposal | null;
  history: StepHistoryRecord[];
  neighbours: Array<{ area: string; name: string; step: Step }>;
  guide: ReturnType<typeof stepGuide>;
  pending_guide: ReturnType<typeof stepGuide> | null;
  indicators: IndicatorSummary[];
}

export async function areaDetail(db: Queryable, area: string): Promise<AreaDetail | null> {
  const overview = await warningOverview(db);
  const summary = overview.areas.find((a) => a.area === area);
  if (!summary) return null;
  const settings = await loadWarningSettings(db);
  const name = areaNamer(settings);
  const steps = new Map((await listAreaSteps(db)).map((s) => [s.area, s]));
  const nb = new Set<string>(settings.adjacency[area] ?? []);
  for (const [other, list] of Object.entries(settings.adjacency)) if (list.includes(area)) nb.add(other);
  nb.delete(area);
  return {
    area,
    name: summary.name,
    step: summary.step,
    since: summary.since,
    pending: summary.pending,
    pending_since: summary.pending_since,
    last_proposal: steps.get(area)?.lastProposal ?? null,
    history: await stepHistory(db, area),
    neighbours: [...nb].sort().map((n) => ({ area: n, name: name(n), step: steps.get(n)?.current ?? 1 })),
    guide: stepGuide(summary.step),
    pending_guide: summary.pending ? stepGuide(summary.pending.step) : null,
    indicators: summary.indicators,
  };
}
