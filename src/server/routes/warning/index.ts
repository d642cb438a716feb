import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  alertCaseload,
  applyStepAction,
  areaDetail,
  areaNamer,
  CountsError,
  importCounts,
  INDICATORS,
  INDICATOR_IDS,
  listNotifications,
  listRuns,
  loadWarningSettings,
  markNotificationsRead,
  runDetection,
  saveWarningSettings,
  seriesDetail,
  StepError,
  warningOverview,
  WarningSettingsError,
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
  settingsBody,
  settingsResponse,
} from './schemas';

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
      schema: { summary: 'Early-warning settings (methods, triggers, step rules, adjacency, schedule)', tags: ['warning'], response: { 200: settingsResponse, ...withConflict } },
    },
    async (req) => {
      const s = await req.ctx.run('warning.settings.read', { type: 'warning_settings' }, (db) => loadWarningSettings(db).catch(settingsProblem));
      return {
        monitoring: s.monitoring as unknown as Record<string, unknown>,
        stepRules: s.stepRules as unknown as Record<string, unknown>[],
        adjacency: s.adjacency,
        schedule: s.schedule,
        areaNames: s.areaNames,
        indicators: INDICATOR_IDS.map((id) => ({ id, label: INDICATORS[id].label, source: INDICATORS[id].source })),
      };
    },
  );

  app.put(
    '/api/warning/settings',
    {
      config: { policy: 'warning.settings.write' },
      schema: { summary: 'Change early-warning settings (the parts given; each validated)', tags: ['warning'], body: settingsBody, response: { 200: settingsResponse, ...withConflict } },
    },
    async (req) => {
      const p = req.ctx.principal;
      const s = await req.ctx.run(
        'warning.settings.write',
        { type: 'warning_settings' },
        async (db) => {
          await saveWarningSettings(db, req.body, p?.username ?? 'unknown');
          return loadWarningSettings(db).catch(settingsProblem);
        },
        { parts: Object.keys(req.body) },
      );
      return {
        monitoring: s.monitoring as unknown as Record<string, unknown>,
        stepRules: s.stepRules as unknown as Record<string, unknown>[],
        adjacency: s.adjacency,
        schedule: s.schedule,
        areaNames: s.areaNames,
        indicators: INDICATOR_IDS.map((id) => ({ id, label: INDICATORS[id].label, source: INDICATORS[id].source })),
      };
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
