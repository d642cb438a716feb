import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AlertsError,
  actOnAlert,
  alertPdf,
  areaName,
  createAlert,
  createDistributionList,
  deliveryCounts,
  draftSources,
  generatePinReport,
  getAlert,
  getPinReport,
  listAlerts,
  listDeliveries,
  listDistributionLists,
  listPinReports,
  mailerFromEnv,
  markReportIssued,
  pinReportPdf,
  pinReportXlsx,
  processDeliveries,
  queueDeliveries,
  recentStepChanges,
  recordCoronerPermission,
  retryNow,
  reviseAlert,
  setListMembers,
  sharedAlert,
  updateAlert,
  type AreaScope,
  type ItemType,
} from '../../../data/alerts';
import type { Db } from '../../../data/db';
import { publicPinBody, type AlertContent } from '../../../domain/alerts';
import type { AccessContext } from '../../access/context';
import type { Principal } from '../../access/roles';
import { errorResponses, HttpProblem, problemSchema } from '../../problem';
import {
  anyObject,
  contentSchema,
  createBody,
  generateBody,
  idParams,
  listBody,
  membersBody,
  noteBody,
  reportTierQuery,
  requiredNoteBody,
  tierQuery,
  versionParams,
} from './schemas';

const withConflict = { ...errorResponses, 409: problemSchema } as const;
const PANEL_ROLES = new Set(['ldis_coordinator', 'panel_member', 'administrator']);

/** Which areas a caller's alerts and reports come from. */
export function areaScopeOf(p: Principal | null): AreaScope {
  if (!p) return { localAuthorities: [] };
  if (p.scope.type === 'organisation') return {};
  if (p.scope.type === 'local_authority' && p.scope.id) return { localAuthorities: [p.scope.id] };
  return { localAuthorities: [] };
}

function principalOf(ctx: AccessContext): Principal {
  const p = ctx.principal;
  if (!p) throw new HttpProblem(401, 'Sign in to continue.');
  return p;
}

/** Whether the caller may see panel (full) copies; PIN members see shared copies only. */
function isPanel(p: Principal): boolean {
  return PANEL_ROLES.has(p.role);
}

function asProblem(err: unknown): never {
  if (err instanceof AlertsError) {
    throw new HttpProblem(err.kind === 'invalid' ? 400 : err.kind === 'not_found' ? 404 : 409, err.message, err.errors);
  }
  throw err;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Queue the deliveries of an item and send them now (failures wait for their retry). */
async function distribute(db: Db, item: { itemType: ItemType; itemId: number; version: number }, tiers: Array<'panel' | 'partners' | 'public'>, actor: string) {
  const queued = await queueDeliveries(db, { ...item, tiers, actor });
  const { mailer, retry } = mailerFromEnv();
  const sent = await processDeliveries(db, { mailer, retry, now: Date.now(), only: { itemType: item.itemType, itemId: item.itemId } });
  return { queued, ...sent };
}

/** The alerts API (see src/server/access/policies/alerts.ts for who may do what). */
export async function alertsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['alerts'];

  app.get(
    '/api/alerts',
    { config: { policy: 'alerts.list' }, schema: { summary: 'Alerts in your area, newest first (PIN members: issued alerts, redacted titles)', tags, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const p = principalOf(req.ctx);
      const scope = areaScopeOf(p);
      return req.ctx.run('alerts.list', { type: 'alerts' }, async (db) => {
        if (!isPanel(p)) {
          const issued = await listAlerts(db, scope, { issuedOnly: true });
          const alerts = [];
          for (const a of issued) {
            const s = await sharedAlert(db, a.id, scope);
            alerts.push({ id: a.id, kind: a.kind, title: s.copy.title, areaName: a.areaName, version: s.version, issuedAt: s.issuedAt });
          }
          return { tier: 'partners', alerts };
        }
        const alerts = await listAlerts(db, scope);
        const counts = await deliveryCounts(db, 'alert', alerts.map((a) => a.id));
        return { tier: 'panel', alerts: alerts.map((a) => ({ ...a, deliveries: counts.get(a.id) ?? null })) };
      });
    },
  );

  app.get(
    '/api/alerts/sources',
    { config: { policy: 'alerts.draft' }, schema: { summary: 'What an alert can be drafted from: assessed reports, step changes, your areas', tags, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const scope = areaScopeOf(principalOf(req.ctx));
      return req.ctx.run('alerts.draft', { type: 'alert_sources' }, async (db) => {
        const areas = scope.localAuthorities
          ? [...scope.localAuthorities]
          : (await db.query<{ a: string }>('SELECT DISTINCT local_authority AS a FROM services WHERE local_authority IS NOT NULL UNION SELECT DISTINCT local_authority FROM incidents ORDER BY 1')).map((r) => r.a);
        return {
          reports: await draftSources(db, scope),
          stepChanges: await recentStepChanges(db, scope),
          areas: areas.map((code) => ({ code, name: areaName(code) })),
        };
      });
    },
  );

  app.post(
    '/api/alerts',
    { config: { policy: 'alerts.draft' }, schema: { summary: 'Draft an alert (formal alert or information share) from an assessed report, a step change or the blank template', tags, body: createBody, response: { 201: anyObject, ...withConflict } } },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const b = req.body.basis;
      const basis =
        b.type === 'report' ? { type: 'report' as const, reportId: b.report_id } : b.type === 'step_change' ? { type: 'step_change' as const, stepChangeId: b.step_change_id } : { type: 'manual' as const, area: b.area, title: b.title };
      const id = await req.ctx.run('alerts.draft', { type: 'alert', id: b.type === 'report' ? b.report_id : null }, (db) =>
        createAlert(db, { scope: areaScopeOf(p), actor: p.username, kind: req.body.kind, basis, today: today() }).catch(asProblem),
      );
      reply.code(201).header('location', `/api/alerts/${id}`);
      return { id };
    },
  );

  app.get(
    '/api/alerts/deliveries',
    { config: { policy: 'alerts.deliveries' }, schema: { summary: 'Recent deliveries of alerts and PIN reports (who received which version of what and when)', tags, response: { 200: anyObject, ...errorResponses } } },
    async (req) =>
      req.ctx.run('alerts.deliveries', { type: 'deliveries' }, async (db) => {
        const { mailer, retry } = mailerFromEnv();
        await processDeliveries(db, { mailer, retry, now: Date.now() });
        return { deliveries: await listDeliveries(db, { limit: 500 }), emailConfigured: mailer !== null };
      }),
  );

  app.get(
    '/api/alerts/lists',
    { config: { policy: 'alerts.distribution' }, schema: { summary: 'Distribution lists with their members and audience tier', tags, response: { 200: anyObject, ...errorResponses } } },
    async (req) => req.ctx.run('alerts.distribution', { type: 'distribution_lists' }, async (db) => ({ lists: await listDistributionLists(db) })),
  );

  app.post(
    '/api/alerts/lists',
    { config: { policy: 'alerts.distribution' }, schema: { summary: 'Create a distribution list for one audience tier', tags, body: listBody, response: { 201: anyObject, ...withConflict } } },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const id = await req.ctx.run('alerts.distribution', { type: 'distribution_list', id: req.body.name }, (db) =>
        createDistributionList(db, { ...req.body, actor: p.username }).catch(asProblem),
      );
      reply.code(201);
      return { id };
    },
  );

  app.put(
    '/api/alerts/lists/:id',
    { config: { policy: 'alerts.distribution' }, schema: { summary: 'Replace the members of a distribution list', tags, params: idParams, body: membersBody, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const p = principalOf(req.ctx);
      await req.ctx.run('alerts.distribution', { type: 'distribution_list', id: req.params.id }, (db) =>
        setListMembers(db, req.params.id, { members: req.body.members, actor: p.username }).catch(asProblem),
      );
      return { id: req.params.id };
    },
  );

  app.get(
    '/api/alerts/:id',
    { config: { policy: 'alerts.read' }, schema: { summary: 'An alert in full: versions, events, the tier copies side by side, deliveries', tags, params: idParams, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const scope = areaScopeOf(principalOf(req.ctx));
      return req.ctx.run('alerts.read', { type: 'alert', id: req.params.id }, async (db) => {
        const a = await getAlert(db, req.params.id, scope).catch(asProblem);
        return { ...a, deliveries: await listDeliveries(db, { itemType: 'alert', itemId: a.id }) };
      });
    },
  );

  app.get(
    '/api/alerts/:id/shared',
    { config: { policy: 'alerts.read_shared' }, schema: { summary: 'The issued partners/PIN copy of an alert (redacted, disclosure-controlled)', tags, params: idParams, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const scope = areaScopeOf(principalOf(req.ctx));
      return req.ctx.run('alerts.read_shared', { type: 'alert', id: req.params.id }, async (db) => ({ ...(await sharedAlert(db, req.params.id, scope).catch(asProblem)) }));
    },
  );

  app.get(
    '/api/alerts/:id/shared.pdf',
    { config: { policy: 'alerts.read_shared' }, schema: { summary: 'The issued partners/PIN copy of an alert as a PDF', tags, params: idParams } },
    async (req, reply) => {
      const scope = areaScopeOf(principalOf(req.ctx));
      const pdf = await req.ctx.run('alerts.read_shared', { type: 'alert', id: req.params.id }, async (db) => {
        const s = await sharedAlert(db, req.params.id, scope).catch(asProblem);
        return alertPdf(s.copy, { kind: s.kind, areaName: s.areaName, version: s.version, issuedAt: s.issuedAt, revisionNote: s.revisionNote });
      });
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="alert-${req.params.id}-partners.pdf"`).send(pdf);
    },
  );

  app.get(
    '/api/alerts/:id/versions/:version/pdf',
    { config: { policy: 'alerts.read' }, schema: { summary: 'One tier of one version of an alert as a PDF (issued versions: as issued; others: as it would be issued now)', tags, params: versionParams, querystring: tierQuery } },
    async (req, reply) => {
      const scope = areaScopeOf(principalOf(req.ctx));
      const pdf = await req.ctx.run('alerts.read', { type: 'alert', id: req.params.id }, async (db) => {
        const a = await getAlert(db, req.params.id, scope).catch(asProblem);
        const v = a.versions.find((x) => x.version === req.params.version);
        if (!v) throw new HttpProblem(404, 'No such version');
        const tiers = v.tiers ?? (v.version === a.currentVersion ? a.preview : null);
        if (!tiers) throw new HttpProblem(404, 'This version was never issued');
        return alertPdf(tiers[req.query.tier], { kind: a.kind, areaName: a.areaName, version: v.version, issuedAt: v.issuedAt ?? new Date().toISOString(), revisionNote: v.revisionNote });
      }, { tier: req.query.tier });
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="alert-${req.params.id}-v${req.params.version}-${req.query.tier}.pdf"`).send(pdf);
    },
  );

  app.put(
    '/api/alerts/:id',
    { config: { policy: 'alerts.draft' }, schema: { summary: 'Edit the current version (an edit after submission sends it back to draft and clears approvals)', tags, params: idParams, body: contentSchema, response: { 200: anyObject, ...withConflict } } },
    async (req) => {
      const p = principalOf(req.ctx);
      await req.ctx.run('alerts.draft', { type: 'alert', id: req.params.id }, (db) =>
        updateAlert(db, req.params.id, { scope: areaScopeOf(p), actor: p.username, content: req.body as AlertContent }).catch(asProblem),
      );
      return { id: req.params.id };
    },
  );

  for (const [action, policy, summary] of [
    ['submit', 'alerts.submit', 'Send the current draft for approval'],
    ['approve', 'alerts.approve', 'Approve the current version (not by anyone who wrote or edited it)'],
    ['reject', 'alerts.approve', 'Send the current version back to draft, with a note'],
  ] as const) {
    app.post(
      `/api/alerts/:id/${action}`,
      { config: { policy }, schema: { summary, tags, params: idParams, body: noteBody, response: { 200: anyObject, ...withConflict } } },
      async (req) => {
        const p = principalOf(req.ctx);
        return req.ctx.run(policy, { type: 'alert', id: req.params.id }, async (db) => ({
          ...(await actOnAlert(db, req.params.id, { scope: areaScopeOf(p), actor: p.username, action, note: req.body.note ?? null }).catch(asProblem)),
        }));
      },
    );
  }

  app.post(
    '/api/alerts/:id/issue',
    { config: { policy: 'alerts.issue' }, schema: { summary: 'Issue the approved version: freeze its tier copies and e-mail each to its distribution lists', tags, params: idParams, body: noteBody, response: { 200: anyObject, ...withConflict } } },
    async (req) => {
      const p = principalOf(req.ctx);
      return req.ctx.run('alerts.issue', { type: 'alert', id: req.params.id }, async (db) => {
        const r = await actOnAlert(db, req.params.id, { scope: areaScopeOf(p), actor: p.username, action: 'issue', note: req.body.note ?? null }).catch(asProblem);
        await markReportIssued(db, req.params.id, p.username, new Date().toISOString());
        const delivery = await distribute(db, { itemType: 'alert', itemId: req.params.id, version: r.version }, ['panel', 'partners', 'public'], p.username);
        return { ...r, delivery };
      });
    },
  );

  app.post(
    '/api/alerts/:id/revise',
    { config: { policy: 'alerts.draft' }, schema: { summary: 'Start a new version of the issued alert, with a revision note (every version is kept)', tags, params: idParams, body: requiredNoteBody, response: { 200: anyObject, ...withConflict } } },
    async (req) => {
      const p = principalOf(req.ctx);
      const version = await req.ctx.run('alerts.draft', { type: 'alert', id: req.params.id }, (db) =>
        reviseAlert(db, req.params.id, { scope: areaScopeOf(p), actor: p.username, note: req.body.note }).catch(asProblem),
      );
      return { version };
    },
  );

  app.post(
    '/api/alerts/:id/coroner-permission',
    { config: { policy: 'alerts.coroner_permission' }, schema: { summary: 'Record permission to share the coroner’s information in the shared copies', tags, params: idParams, body: requiredNoteBody, response: { 200: anyObject, ...withConflict } } },
    async (req) => {
      const p = principalOf(req.ctx);
      await req.ctx.run('alerts.coroner_permission', { type: 'alert', id: req.params.id }, (db) =>
        recordCoronerPermission(db, req.params.id, { scope: areaScopeOf(p), actor: p.username, note: req.body.note, at: new Date().toISOString() }).catch(asProblem),
      );
      return { id: req.params.id };
    },
  );

  app.post(
    '/api/alerts/:id/deliveries/retry',
    { config: { policy: 'alerts.deliveries' }, schema: { summary: 'Try failed or waiting deliveries of an alert again now', tags, params: idParams, body: noteBody, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const scope = areaScopeOf(principalOf(req.ctx));
      return req.ctx.run('alerts.deliveries', { type: 'alert', id: req.params.id }, async (db) => {
        await getAlert(db, req.params.id, scope).catch(asProblem);
        await retryNow(db, { itemType: 'alert', itemId: req.params.id });
        const { mailer, retry } = mailerFromEnv();
        return { ...(await processDeliveries(db, { mailer, retry, now: Date.now(), only: { itemType: 'alert', itemId: req.params.id } })) };
      });
    },
  );

  // PIN reports ---------------------------------------------------------------------------

  app.get(
    '/api/alerts/pin-reports',
    { config: { policy: 'alerts.pin_reports' }, schema: { summary: 'PIN reports in your area, newest first', tags, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const p = principalOf(req.ctx);
      return req.ctx.run('alerts.pin_reports', { type: 'pin_reports' }, async (db) => {
        const reports = await listPinReports(db, areaScopeOf(p));
        const counts = isPanel(p) ? await deliveryCounts(db, 'pin_report', reports.map((r) => r.id)) : new Map();
        return { reports: reports.map((r) => ({ ...r, deliveries: counts.get(r.id) ?? null })), canGenerate: p.role === 'ldis_coordinator' || p.role === 'administrator' };
      });
    },
  );

  app.post(
    '/api/alerts/pin-reports',
    { config: { policy: 'alerts.pin_reports.generate' }, schema: { summary: 'Make a PIN report (monthly at Step 1, weekly at Steps 2 and 3, unless a cadence or period is given); optionally send it', tags, body: generateBody, response: { 201: anyObject, ...withConflict } } },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const scope = areaScopeOf(p);
      const area = req.body.area ?? scope.localAuthorities?.[0];
      if (!area) throw new HttpProblem(400, 'Choose an area', [{ field: 'area', message: 'Choose an area' }]);
      const r = await req.ctx.run('alerts.pin_reports.generate', { type: 'pin_report', id: area }, async (db) => {
        const id = await generatePinReport(db, {
          scope,
          actor: p.username,
          area,
          asOf: req.body.as_of ?? today(),
          ...(req.body.cadence ? { cadence: req.body.cadence } : {}),
          ...(req.body.period_start ? { periodStart: req.body.period_start } : {}),
          ...(req.body.period_end ? { periodEnd: req.body.period_end } : {}),
        }).catch(asProblem);
        const delivery = req.body.send ? await distribute(db, { itemType: 'pin_report', itemId: id, version: 1 }, ['panel', 'partners', 'public'], p.username) : null;
        return { id, delivery };
      });
      reply.code(201);
      return r;
    },
  );

  app.get(
    '/api/alerts/pin-reports/:id',
    { config: { policy: 'alerts.pin_reports' }, schema: { summary: 'A PIN report (PIN members: the disclosure-controlled copy; panel: either, default the panel copy)', tags, params: idParams, querystring: reportTierQuery, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const p = principalOf(req.ctx);
      return req.ctx.run('alerts.pin_reports', { type: 'pin_report', id: req.params.id }, async (db) => {
        const r = await getPinReport(db, req.params.id, areaScopeOf(p)).catch(asProblem);
        const tier = isPanel(p) ? (req.query.tier ?? 'panel') : req.query.tier === 'public' ? 'public' : 'partners';
        const { panel, partners, ...meta } = r;
        return { ...meta, tier, body: tier === 'panel' ? panel : tier === 'partners' ? partners : publicPinBody(partners), deliveries: isPanel(p) ? await listDeliveries(db, { itemType: 'pin_report', itemId: r.id }) : [] };
      });
    },
  );

  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(
      `/api/alerts/pin-reports/:id/${format}`,
      { config: { policy: 'alerts.pin_reports' }, schema: { summary: `A PIN report as ${format.toUpperCase()} (PIN members: the disclosure-controlled copy only)`, tags, params: idParams, querystring: reportTierQuery } },
      async (req, reply) => {
        const p = principalOf(req.ctx);
        const tier = isPanel(p) ? (req.query.tier ?? 'partners') : req.query.tier === 'public' ? 'public' : 'partners';
        const buf = await req.ctx.run('alerts.pin_reports', { type: 'pin_report', id: req.params.id }, async (db) => {
          const r = await getPinReport(db, req.params.id, areaScopeOf(p)).catch(asProblem);
          const body = tier === 'panel' ? r.panel : tier === 'partners' ? r.partners : publicPinBody(r.partners);
          return format === 'pdf' ? pinReportPdf(body, { generatedAt: r.generatedAt }) : pinReportXlsx(body);
        }, { format, tier });
        const type = format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        return reply.type(type).header('content-disposition', `attachment; filename="pin-report-${req.params.id}-${tier}.${format}"`).send(buf);
      },
    );
  }

  app.post(
    '/api/alerts/pin-reports/:id/send',
    { config: { policy: 'alerts.pin_reports.generate' }, schema: { summary: 'E-mail a PIN report to the panel and partners lists (each receives its own copy)', tags, params: idParams, body: noteBody, response: { 200: anyObject, ...errorResponses } } },
    async (req) => {
      const p = principalOf(req.ctx);
      return req.ctx.run('alerts.pin_reports.generate', { type: 'pin_report', id: req.params.id }, async (db) => {
        await getPinReport(db, req.params.id, areaScopeOf(p)).catch(asProblem);
        await retryNow(db, { itemType: 'pin_report', itemId: req.params.id });
        return distribute(db, { itemType: 'pin_report', itemId: req.params.id, version: 1 }, ['panel', 'partners', 'public'], p.username);
      });
    },
  );
}
