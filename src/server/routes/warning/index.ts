import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  alertCaseload,
  applyStepAction,
  areaDetail,
  areaNamer,
  CountsError,
  DEFAULT_MONITORING,
  getEmailPreference,
  importCounts,
  INDICATORS,
  INDICATOR_IDS,
  lastSucceededRun,
  listNotifications,
  listRuns,
  loadWarningSettings,
  markNotificationsRead,
  runDetection,
  saveWarningSettings,
  seriesDetail,
  setEmailPreference,
  StepError,
  warningOverview,
  WarningSettingsError,
  type WarningSettings,
  type WarningSettingsPatch,
} from '../../../data/warning';
import type { Principal } from '../../access/roles';
import { errorResponses, HttpProblem, problemSchema } from '../../problem';
import {
  areaParams,
  areaResponse,
  caseloadResponse,
  countsBody,
  countsResponse,
  decideBody,
  notificationsQuery,
  notificationsResponse,
  overviewResponse,
  readBody,
  runBody,
  runResponse,
  runsResponse,
  seriesParams,
  seriesResponse,
  emailPreferenceBody,
  emailPreferenceResponse,
  settingsBody,
  settingsPutResponse,
  settingsResponse,
} from './schemas';
import { EARS_DEFAULTS } from '../../../domain/detection/ears';
import { NOUFAILY_DEFAULTS } from '../../../domain/detection/farrington';
import { MONITOR_EARS_DEFAULTS } from '../../../domain/detection/monitor';
import { DEFAULT_STEP_RULES } from '../../../domain/ldis/steps';
import type { Queryable } from '../../../data/db';

const withConflict = { ...errorResponses, 409: problemSchema } as const;

/** The areas whose step (and notifications) a principal deals with; null = every area. */
export function areasInScope(p: Principal | null): string[] | null {
  if (!p) return [];
  if (p.scope.type === 'organisation') return null;
  if (p.scope.type === 'local_authority') return p.scope.id ? [p.scope.id] : [];
  return [];
}

function inScope(p: Principal | null, area: string): boolean {
  const areas = areasInScope(p);
  return areas === null || areas.includes(area);
}

function settingsProblem(err: unknown): never {
  if (err instanceof WarningSettingsError) throw new HttpProblem(409, err.message);
  throw err;
}

/** What the settings page shows: the settings, the documented defaults, who changed what. */
async function settingsView(db: Queryable, s: WarningSettings) {
  const changed = await db.query<{ key: string; at: string; by: string | null }>(
    `SELECT key, to_json(updated_at)#>>'{}' AS at, updated_by AS by FROM settings WHERE key LIKE 'warning.%' ORDER BY key`,
  );
  const areaRows = await db.query<{ area: string }>('SELECT area FROM warning_steps UNION SELECT area FROM warning_series ORDER BY area');
  const name = areaNamer(s);
  return {
    monitoring: s.monitoring as unknown as Record<string, unknown>,
    stepRules: s.stepRules as unknown as Record<string, unknown>[],
    adjacency: s.adjacency,
    schedule: s.schedule,
    areaNames: s.areaNames,
    indicators: INDICATOR_IDS.map((id) => ({ id, label: INDICATORS[id].label, source: INDICATORS[id].source })),
    defaults: {
      farrington: { ...NOUFAILY_DEFAULTS, glmControl: undefined, yearLag: undefined } as unknown as Record<string, unknown>,
      ears: { ...EARS_DEFAULTS, ...MONITOR_EARS_DEFAULTS } as unknown as Record<string, unknown>,
      monitoring: DEFAULT_MONITORING as unknown as Record<string, unknown>,
      stepRules: DEFAULT_STEP_RULES as unknown as Record<string, unknown>[],
    },
    changed,
    areas: areaRows.map((r) => ({ area: r.area, name: name(r.area) })),
  };
}

interface SettingsChange {
  setting: keyof WarningSettingsPatch;
  /** for monitoring: the indicators whose settings changed */
  indicators?: string[];
  before: unknown;
  after: unknown;
}

/** The parts of the settings a change altered, before and after (for the audit record). */
function settingsChanges(before: WarningSettings | null, after: WarningSettings, body: WarningSettingsPatch): SettingsChange[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: SettingsChange[] = [];
  for (const k of Object.keys(body) as (keyof WarningSettingsPatch)[]) {
    if (body[k] === undefined) continue;
    if (k === 'monitoring') {
      const b = before?.monitoring;
      const a = after.monitoring;
      const indicators = INDICATOR_IDS.filter((id) => !same(b?.indicators[id], a.indicators[id]));
      const top = !b || b.evaluateWeeks !== a.evaluateWeeks || b.recentWeeks !== a.recentWeeks;
      if (indicators.length === 0 && !top) continue;
      const pick = (m: typeof a | undefined) =>
        m ? { evaluateWeeks: m.evaluateWeeks, recentWeeks: m.recentWeeks, indicators: Object.fromEntries(indicators.map((id) => [id, m.indicators[id]])) } : null;
      out.push({ setting: k, indicators, before: pick(b), after: pick(a) });
    } else if (!same(before?.[k], after[k])) {
      out.push({ setting: k, before: before?.[k] ?? null, after: after[k] });
    }
  }
  return out;
}

/** The early-warning API (see src/server/access/policies/warning.ts for who may do what). */
export async function warningRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/warning/overview',
    {
      config: { policy: 'warning.read' },
      schema: { summary: 'Every area: its step, any proposal waiting, and each indicator’s latest week with alarms', tags: ['warning'], response: { 200: overviewResponse, ...withConflict } },
    },
    async (req) => {
      const o = await req.ctx.run('warning.read', { type: 'warning_overview' }, (db) => warningOverview(db).catch(settingsProblem));
      return { ...o, decidable: areasInScope(req.ctx.principal) };
    },
  );

  app.get(
    '/api/warning/areas/:area',
    {
      config: { policy: 'warning.read' },
      schema: {
        summary: 'One area: its step with history, the proposal and its evidence, neighbours, activities by agency and reporting rhythm',
        tags: ['warning'],
        params: areaParams,
        response: { 200: areaResponse, ...withConflict },
      },
    },
    async (req) => {
      const d = await req.ctx.run('warning.read', { type: 'warning_area', id: req.params.area }, (db) => areaDetail(db, req.params.area).catch(settingsProblem));
      if (!d) throw new HttpProblem(404, `No early-warning results for area ${req.params.area}`);
      const p = req.ctx.principal;
      const canDecide = p !== null && (p.role === 'ldis_coordinator' || p.role === 'administrator') && inScope(p, d.area);
      return { ...d, can_decide: canDecide };
    },
  );

  app.get(
    '/api/warning/series/:area/:indicator',
    {
      config: { policy: 'warning.read' },
      schema: {
        summary: 'One weekly series: counts, expected values, thresholds, alarms and count-trigger episodes, each week with its reason in words',
        tags: ['warning'],
        params: seriesParams,
        response: { 200: seriesResponse, ...withConflict },
      },
    },
    async (req) => {
      const { area, indicator } = req.params;
      if (!(INDICATOR_IDS as readonly string[]).includes(indicator)) {
        throw new HttpProblem(404, `No indicator ${indicator}; one of ${INDICATOR_IDS.join(', ')}`);
      }
      const d = await req.ctx.run('warning.read', { type: 'warning_series', id: `${area}/${indicator}` }, (db) => seriesDetail(db, area, indicator).catch(settingsProblem));
      if (!d) throw new HttpProblem(404, `No series for area ${area} and ${INDICATORS[indicator as keyof typeof INDICATORS].label.toLowerCase()}`);
      return d;
    },
  );

  app.post(
    '/api/warning/areas/:area/step',
    {
      config: { policy: 'warning.decide' },
      schema: {
        summary: 'Confirm the proposed step, or set the step with a reason; neighbouring areas are notified of a change',
        tags: ['warning'],
        params: areaParams,
        body: decideBody,
        response: { 200: areaResponse, ...withConflict },
      },
    },
    async (req) => {
      const { area } = req.params;
      const p = req.ctx.principal;
      if (!p) throw new HttpProblem(401, 'Sign in to continue.');
      const body = req.body;
      const d = await req.ctx.run(
        'warning.decide',
        { type: 'warning_step', id: area },
        async (db) => {
          const known = await db.query<{ area: string }>('SELECT area FROM warning_steps WHERE area = $1', [area]);
          if (known.length === 0) throw new HttpProblem(404, `No early-warning results for area ${area}`);
          if (!inScope(p, area)) throw new HttpProblem(403, `Your scope does not include area ${area}`);
          const settings = await loadWarningSettings(db).catch(settingsProblem);
          const at = new Date().toISOString();
          const by = p.displayName ? `${p.displayName} (${p.username})` : p.username;
          await db
            .transaction((tx) =>
              applyStepAction(
                tx,
                area,
                body.action === 'confirm'
                  ? { type: 'confirm', at, by, ...(body.note ? { note: body.note } : {}) }
                  : { type: 'override', at, by, step: body.step, reason: body.reason },
                settings.adjacency,
                areaNamer(settings),
              ),
            )
            .catch((err: unknown) => {
              if (err instanceof StepError) throw new HttpProblem(err.code === 'no_proposal' || err.code === 'time_order' ? 409 : 400, err.message);
              throw err;
            });
          return areaDetail(db, area);
        },
        { action: body.action },
      );
      if (!d) throw new HttpProblem(404, `No early-warning results for area ${area}`);
      return { ...d, can_decide: true };
    },
  );

  app.get(
    '/api/warning/notifications',
    {
      config: { policy: 'warning.notifications' },
      schema: { summary: 'Early-warning notifications for the areas in the caller’s scope', tags: ['warning'], querystring: notificationsQuery, response: { 200: notificationsResponse, ...errorResponses } },
    },
    async (req) => {
      const areas = areasInScope(req.ctx.principal);
      return req.ctx.run('warning.notifications', { type: 'warning_notifications' }, async (db) => {
        const notifications = await listNotifications(db, areas, { unreadOnly: req.query.unread === '1' });
        const unread = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM warning_notifications WHERE read_at IS NULL AND ($1::text[] IS NULL OR area = ANY($1::text[]))',
          [areas],
        );
        return { notifications, unread: unread[0]?.n ?? 0 };
      });
    },
  );

  app.post(
    '/api/warning/notifications/read',
    {
      config: { policy: 'warning.notifications' },
      schema: { summary: 'Mark notifications read', tags: ['warning'], body: readBody, response: { 200: countsResponse, ...errorResponses } },
    },
    async (req) => {
      const p = req.ctx.principal;
      const written = await req.ctx.run('warning.notifications', { type: 'warning_notifications' }, (db) =>
        markNotificationsRead(db, req.body.ids, areasInScope(p), p?.username ?? 'unknown'),
      );
      return { written };
    },
  );

  app.get(
    '/api/warning/runs',
    { config: { policy: 'warning.read' }, schema: { summary: 'The latest detection runs', tags: ['warning'], response: { 200: runsResponse, ...errorResponses } } },
    async (req) => ({ runs: await req.ctx.run('warning.read', { type: 'warning_runs' }, (db) => listRuns(db, 20)) }),
  );

  app.post(
    '/api/warning/runs',
    {
      config: { policy: 'warning.run' },
      schema: { summary: 'Run detection now over every area and indicator', tags: ['warning'], body: runBody, response: { 200: runResponse, ...withConflict } },
    },
    async (req) => {
      const p = req.ctx.principal;
      const r = await req.ctx.run(
        'warning.run',
        { type: 'warning_run' },
        (db) =>
          runDetection(db, { trigger: 'demand', by: p?.username ?? 'unknown', ...(req.body.as_of ? { asOf: req.body.as_of } : {}), force: req.body.force === true }).catch(
            (err: unknown) => {
              if (err instanceof WarningSettingsError) throw new HttpProblem(409, err.message);
              if (err instanceof Error && err.name === 'DetectionInputError') throw new HttpProblem(400, err.message);
              throw err;
            },
          ),
        { as_of: req.body.as_of ?? null },
      );
      return { run_id: r.runId, as_of: r.asOf, series_total: r.seriesTotal, series_computed: r.seriesComputed, alarms_new: r.alarmsNew, duration_ms: r.durationMs };
    },
  );

  app.get(
    '/api/warning/settings',
    {
      config: { policy: 'warning.settings.read' },
      schema: {
        summary: 'Early-warning settings (methods and parameters, count triggers, step rules, adjacency, schedule) with the documented defaults',
        tags: ['warning'],
        response: { 200: settingsResponse, ...withConflict },
      },
    },
    async (req) =>
      req.ctx.run('warning.settings.read', { type: 'warning_settings' }, async (db) => settingsView(db, await loadWarningSettings(db).catch(settingsProblem))),
  );

  app.put(
    '/api/warning/settings',
    {
      config: { policy: 'warning.settings.write' },
      schema: {
        summary: 'Change early-warning settings (the parts given; each validated). Audited with what changed; detection re-runs at once for the series the change affects',
        tags: ['warning'],
        body: settingsBody,
        response: { 200: settingsPutResponse, ...withConflict },
      },
    },
    async (req) => {
      const p = req.ctx.principal;
      const by = p?.username ?? 'unknown';
      // Filled in by the work below, and written to the audit record after it (the
      // access layer audits once the work has succeeded).
      const detail: Record<string, unknown> = { parts: Object.keys(req.body) };
      return req.ctx.run(
        'warning.settings.write',
        { type: 'warning_settings' },
        async (db) => {
          const before = await loadWarningSettings(db).catch(() => null);
          await saveWarningSettings(db, req.body, by);
          const after = await loadWarningSettings(db).catch(settingsProblem);
          const changes = settingsChanges(before, after, req.body);
          detail.changes = changes;
          let rerun: { run_id: number | null; series_computed: number; series_total: number; alarms_new: number; error: string | null } | null = null;
          if (changes.some((c) => c.setting === 'monitoring' || c.setting === 'stepRules')) {
            try {
              // As of the same date as the stored results, so that only the series whose
              // settings changed are recomputed (the scheduler moves the date on as usual).
              const last = await lastSucceededRun(db);
              const r = await runDetection(db, { trigger: 'settings', by, ...(last ? { asOf: String(last.as_of).slice(0, 10) } : {}) });
              rerun = { run_id: r.runId, series_computed: r.seriesComputed, series_total: r.seriesTotal, alarms_new: r.alarmsNew, error: null };
            } catch (err) {
              // The settings are saved; the scheduler tries again. Say why in words.
              rerun = { run_id: null, series_computed: 0, series_total: 0, alarms_new: 0, error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'the run failed' };
            }
            detail.rerun = { run_id: rerun.run_id, series_computed: rerun.series_computed, failed: rerun.error !== null };
          }
          return { ...(await settingsView(db, after)), rerun };
        },
        detail,
      );
    },
  );

  app.get(
    '/api/warning/email',
    {
      config: { policy: 'warning.email.read' },
      schema: { summary: 'Your own e-mail address for early-warning e-mail (new alarms, proposed steps, neighbours’ step changes)', tags: ['warning'], response: { 200: emailPreferenceResponse, ...errorResponses } },
    },
    async (req) => {
      const userId = req.ctx.principal?.userId ?? null;
      return req.ctx.run('warning.email.read', { type: 'user', id: String(userId) }, (db) => {
        if (userId === null) throw new HttpProblem(400, 'Only a signed-in person has an e-mail address here');
        return getEmailPreference(db, userId);
      });
    },
  );

  app.put(
    '/api/warning/email',
    {
      config: { policy: 'warning.email.write' },
      schema: {
        summary: 'Set your own e-mail address for early-warning e-mail, or opt out (an empty address removes it)',
        tags: ['warning'],
        body: emailPreferenceBody,
        response: { 200: emailPreferenceResponse, ...errorResponses },
      },
    },
    async (req) => {
      const userId = req.ctx.principal?.userId ?? null;
      // The address itself is not written to the audit record (personal data).
      return req.ctx.run(
        'warning.email.write',
        { type: 'user', id: String(userId) },
        (db) => {
          if (userId === null) throw new HttpProblem(400, 'Only a signed-in person has an e-mail address here');
          return setEmailPreference(db, userId, req.body);
        },
        {
        has_address: req.body.email !== '',
        early_warning: req.body.earlyWarning,
      });
    },
  );

  app.get(
    '/api/warning/caseload',
    {
      config: { policy: 'warning.caseload' },
      schema: {
        summary: 'People in the caller’s caseload in areas at Step 2 or 3 who are most at risk (High tier, no naloxone, recent release, injecting, potent opioid), with the alert context',
        tags: ['warning'],
        response: { 200: caseloadResponse, ...withConflict },
      },
    },
    async (req) =>
      req.ctx.run('warning.caseload', { type: 'warning_caseload' }, async (db) => alertCaseload(db, await req.ctx.visibleServiceIds()).catch(settingsProblem)),
  );

  app.post(
    '/api/warning/counts',
    {
      config: { policy: 'warning.counts.import' },
      schema: {
        summary: 'Import weekly counts (area, indicator, period_start Monday, count); they replace report-built counts for those weeks. All or nothing',
        tags: ['warning'],
        body: countsBody,
        response: { 200: countsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const p = req.ctx.principal;
      return req.ctx.run(
        'warning.counts.import',
        { type: 'warning_counts' },
        (db) =>
          importCounts(db, req.body.rows, { source: req.body.source, by: p?.username ?? 'unknown' }).catch((err: unknown) => {
            if (err instanceof CountsError) throw new HttpProblem(400, err.message, err.errors);
            throw err;
          }),
        { rows: req.body.rows.length, source: req.body.source },
      );
    },
  );
}
